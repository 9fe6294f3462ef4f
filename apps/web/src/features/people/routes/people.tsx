import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, Pagination, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileExport, IconFileImport, IconSearch, IconUserPlus } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useSessionState } from '../../../app/context.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { messageOf } from '../../../lib/errors.ts';
import { useExport } from '../api/files.ts';
import { useUsers, type UserFilters, type UserView } from '../api/people.ts';
import { capabilitiesOf, isStaff, ROLE_LABELS, selectable, type StaffRole } from '../api/permissions.ts';
import { BulkBar } from '../components/bulk-bar.tsx';
import { UserActions } from '../components/user-actions.tsx';
import { UserFormModal } from '../components/user-form.tsx';
import { usePeopleSearch } from '../components/url-state.ts';

const SORTS = [
  { value: '-created_at', label: 'Más recientes' },
  { value: 'last_name', label: 'Apellidos (A–Z)' },
  { value: 'first_name', label: 'Nombres (A–Z)' },
  { value: 'document_number', label: 'Documento' },
  { value: 'role', label: 'Rol' },
  { value: '-last_login_at', label: 'Último ingreso' },
];

const CONTROL_LABELS: Record<string, string> = { first: 'Primera página', previous: 'Página anterior', next: 'Página siguiente', last: 'Última página' };

const locked = (u: UserView) => u.locked_until !== null && new Date(u.locked_until).getTime() > Date.now();

function PersonCard({ user, caller, chosen, onChoose, onEdit, onDone, canChoose }: {
  user: UserView;
  caller: { sub: string; role: StaffRole };
  chosen: boolean;
  canChoose: boolean;
  onChoose: (on: boolean) => void;
  onEdit: (u: UserView) => void;
  onDone: (message: string) => void;
}) {
  const detail = [`${user.document_type} ${user.document_number}`, user.role === 'aprendiz' ? `Ficha ${user.group_number ?? '—'}` : user.area].filter(Boolean).join(' · ');
  return (
    <Card withBorder padding="sm" component="li" data-testid="person">
      <Group wrap="nowrap" align="flex-start" gap="sm">
        {canChoose && (
          <Checkbox mt={4} aria-label={`Elegir a ${user.full_name}`} checked={chosen} onChange={(e) => onChoose(e.currentTarget.checked)} disabled={!selectable(caller, user)} />
        )}
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6}>
            <Text fw={700}>{user.full_name}</Text>
            <Badge variant="outline" color="gray.8">
              {ROLE_LABELS[user.role]}
            </Badge>
            {user.deleted_at ? (
              <Badge color="red.8">Eliminado</Badge>
            ) : user.is_active ? (
              <Badge color="sena.8">Activo</Badge>
            ) : (
              <Badge color="gray.7">Inactivo</Badge>
            )}
            {locked(user) && <Badge color="#9a3c00">Bloqueado</Badge>}
            {user.must_change_password && (
              <Badge variant="outline" color="gray.8" tt="none">
                Contraseña por cambiar
              </Badge>
            )}
          </Group>
          <Text size="sm">{detail}</Text>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {user.email}
          </Text>
          <Text size="xs" c="dimmed">
            {user.last_login_at ? `Último ingreso: ${formatDateTime(user.last_login_at)}` : 'Aún no ha ingresado'}
          </Text>
        </Stack>
        <UserActions caller={caller} user={user} onEdit={onEdit} onDone={onDone} />
      </Group>
    </Card>
  );
}

/**
 * `/personas` (web.md §4 coordinator, administrative staff, admin): users U1 with its filters and search in
 * the URL, create and edit (U2, U4), per-person actions (U7–U10) as the matrix allows, bulk changes (B3),
 * the admin's bulk delete (B4), CSV export (B5) and the way to the CSV import (B1, B2).
 */
export default function PeoplePage() {
  const { claims } = useSessionState();
  const role = claims && isStaff(claims.role) ? claims.role : 'administrativo';
  const caller = { sub: claims?.sub ?? '', role };
  const can = capabilitiesOf(role);
  const [search, set] = usePeopleSearch();
  const page = search.page ?? 1;
  const pageSize = search.page_size ?? 20;
  const filters: UserFilters = useMemo(
    () => ({
      search: search.search, role: search.role, is_active: search.is_active, group_number: search.group_number, locked: search.locked || undefined,
      must_change_password: search.must_change_password, include_deleted: can.seeDeleted ? search.include_deleted : undefined, sort: search.sort,
    }),
    [search.search, search.role, search.is_active, search.group_number, search.locked, search.must_change_password, search.include_deleted, search.sort, can.seeDeleted],
  );
  const list = useUsers(filters, page, pageSize);
  const exporter = useExport();
  const [typed, setTyped] = useState(search.search ?? '');
  const [debounced] = useDebouncedValue(typed, 350);
  const [editing, setEditing] = useState<{ user: UserView | null } | null>(null);
  const [chosen, setChosen] = useState<Map<string, UserView>>(new Map());
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const value = debounced.trim();
    if (value.length === 1) return;
    // Only the debounced text drives the URL.
    if ((value || undefined) !== search.search) set({ search: value || undefined });
  }, [debounced]);

  const done = (message: string) => {
    setNotice(message);
    setChosen(new Map());
  };
  const choose = (u: UserView, on: boolean) =>
    setChosen((prev) => {
      const next = new Map(prev);
      if (on) next.set(u.id, u);
      else next.delete(u.id);
      return next;
    });

  const items = list.data?.items ?? [];
  const choosable = items.filter((u) => selectable(caller, u));
  const allChosen = choosable.length > 0 && choosable.every((u) => chosen.has(u.id));

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1}>Personas</Title>
        <Group gap="xs" wrap="wrap">
          <Button size="sm" leftSection={<IconUserPlus size={18} aria-hidden />} onClick={() => setEditing({ user: null })}>
            Nueva persona
          </Button>
          <Button size="sm" component={Link} to="/personas/importar" variant="default" leftSection={<IconFileImport size={18} aria-hidden />}>
            Importar CSV
          </Button>
          <Button size="sm" variant="default" leftSection={<IconFileExport size={18} aria-hidden />} loading={exporter.isPending} onClick={() => exporter.mutate(filters)}>
            Exportar CSV
          </Button>
        </Group>
      </Group>
      {exporter.isError && (
        <Alert color="red" role="alert" title="No se pudo exportar">
          {messageOf(exporter.error)}
        </Alert>
      )}
      {notice && (
        <Alert color="sena" role="status" withCloseButton closeButtonLabel="Cerrar aviso" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <Stack gap="sm" role="search" aria-label="Filtros de personas">
        <TextInput
          label="Buscar"
          placeholder="Nombre, correo o documento"
          description={typed.trim().length === 1 ? 'Escriba al menos 2 caracteres' : undefined}
          leftSection={<IconSearch size={16} aria-hidden />}
          maxLength={100}
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
        />
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Select
            label="Rol"
            placeholder="Todos"
            clearable
            data={(['aprendiz', 'instructor', 'administrativo', 'coordinador', 'admin'] as const).map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            value={search.role ?? null}
            onChange={(v) => set({ role: v ?? undefined })}
          />
          <Select
            label="Estado"
            placeholder="Todos"
            clearable
            data={[
              { value: 'true', label: 'Activos' },
              { value: 'false', label: 'Inactivos' },
            ]}
            value={search.is_active === undefined ? null : String(search.is_active)}
            onChange={(v) => set({ is_active: v === null ? undefined : v === 'true' })}
          />
          <TextInput
            label="Ficha"
            placeholder="Número de ficha"
            maxLength={20}
            inputMode="numeric"
            defaultValue={search.group_number ?? ''}
            key={search.group_number ?? ''}
            onBlur={(e) => set({ group_number: e.currentTarget.value.trim() || undefined })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') set({ group_number: e.currentTarget.value.trim() || undefined });
            }}
          />
          <Select
            label="Orden"
            allowDeselect={false}
            data={SORTS}
            value={search.sort ?? '-created_at'}
            onChange={(v) => set({ sort: v === '-created_at' ? undefined : (v ?? undefined) })}
          />
        </SimpleGrid>
        <Group gap="md">
          <Switch label="Solo bloqueados" checked={search.locked === true} onChange={(e) => set({ locked: e.currentTarget.checked || undefined })} />
          <Switch label="Con cambio de contraseña pendiente" checked={search.must_change_password === true} onChange={(e) => set({ must_change_password: e.currentTarget.checked || undefined })} />
          {can.seeDeleted && <Switch label="Incluir eliminados" checked={search.include_deleted === true} onChange={(e) => set({ include_deleted: e.currentTarget.checked || undefined })} />}
        </Group>
      </Stack>
      {can.bulkUpdate && chosen.size > 0 && <BulkBar chosen={[...chosen.values()]} canDelete={can.bulkDelete} onDone={done} />}
      {list.isPending ? (
        <Loading label="Cargando personas…" />
      ) : list.isError ? (
        <ErrorState error={list.error} title="No se pudo cargar la lista de personas" />
      ) : items.length === 0 ? (
        <Empty>{Object.values(filters).some((v) => v !== undefined) ? 'Ninguna persona coincide con los filtros.' : 'Aún no hay personas registradas.'}</Empty>
      ) : (
        <Stack gap="xs">
          <Group justify="space-between">
            <Text size="sm" aria-live="polite">
              {list.data.total === 1 ? '1 persona' : `${list.data.total} personas`}
            </Text>
            {can.bulkUpdate && choosable.length > 0 && (
              <Checkbox
                label="Elegir todas las de esta página"
                checked={allChosen}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  setChosen((prev) => {
                    const next = new Map(prev);
                    for (const u of choosable) {
                      if (on) next.set(u.id, u);
                      else next.delete(u.id);
                    }
                    return next;
                  });
                }}
              />
            )}
          </Group>
          <Stack gap="xs" component="ul" aria-label="Personas" style={{ listStyle: 'none', padding: 0, margin: 0, opacity: list.isPlaceholderData ? 0.6 : 1 }}>
            {items.map((u) => (
              <PersonCard
                key={u.id}
                user={u}
                caller={caller}
                canChoose={can.bulkUpdate}
                chosen={chosen.has(u.id)}
                onChoose={(on) => choose(u, on)}
                onEdit={(user) => setEditing({ user })}
                onDone={done}
              />
            ))}
          </Stack>
        </Stack>
      )}
      <Group justify="space-between">
        {list.data && list.data.totalPages > 1 ? (
          <Pagination
            value={page}
            onChange={(p) => set({ page: p })}
            total={list.data.totalPages}
            aria-label="Páginas"
            getItemProps={(p) => ({ 'aria-label': `Página ${p}` })}
            getControlProps={(control) => ({ 'aria-label': CONTROL_LABELS[control] })}
          />
        ) : (
          <span />
        )}
        <Select
          label="Por página"
          allowDeselect={false}
          data={['10', '20', '50', '100']}
          value={String(pageSize)}
          onChange={(v) => set({ page_size: v === '20' ? undefined : Number(v) })}
          w={110}
        />
      </Group>
      <Text size="sm">
        ¿Va a cargar los aprendices de una ficha?{' '}
        <Anchor component={Link} to="/personas/importar">
          Importe un archivo CSV
        </Anchor>
        .
      </Text>
      <UserFormModal
        caller={role}
        user={editing?.user ?? null}
        opened={editing !== null}
        onClose={(saved) => {
          setEditing(null);
          if (saved) setNotice(`${saved.full_name} quedó guardado.`);
        }}
      />
    </Stack>
  );
}
