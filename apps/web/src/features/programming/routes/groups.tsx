import { Badge, Button, Card, Group, Modal, Pagination, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatShortDate } from '../../../lib/dates.ts';
import { useCampuses, useGroups, usePrograms } from '../api/programming.ts';
import { SHIFT } from '../components/labels.ts';
import { GroupForm } from '../components/group-form.tsx';
import { ProgrammingHeader, useCanWrite } from '../components/section-nav.tsx';
import { useUrlState } from '../components/url-state.ts';

interface Filters {
  search?: string;
  program_id?: string;
  campus_id?: string;
  shift?: string;
  is_active?: string;
  page?: number;
}

/** `/programacion`: fichas (schedules G1) with filters and the page in the URL. */
export default function GroupsPage() {
  const [filters, set] = useUrlState<Filters>();
  const page = filters.page ?? 1;
  const [search, setSearch] = useState(filters.search ?? '');
  useEffect(() => setSearch(filters.search ?? ''), [filters.search]);
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const programs = usePrograms();
  const campuses = useCampuses();
  const groups = useGroups({
    search: filters.search,
    program_id: filters.program_id,
    campus_id: filters.campus_id,
    shift: filters.shift,
    is_active: filters.is_active === undefined ? undefined : filters.is_active === 'true',
    sort: 'number',
    page,
  });

  return (
    <Stack>
      <ProgrammingHeader title="Fichas">{canWrite && <Button onClick={() => setCreating(true)}>Nueva ficha</Button>}</ProgrammingHeader>
      <Modal opened={creating} onClose={() => setCreating(false)} title="Nueva ficha" size="lg" centered>
        {creating && (
          <GroupForm
            onCancel={() => setCreating(false)}
            onSaved={(g) => {
              setCreating(false);
              void navigate({ to: `/programacion/fichas/${g.id}` } as never);
            }}
          />
        )}
      </Modal>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          set({ search: search.trim() || undefined, page: undefined });
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }}>
          <TextInput label="Buscar" placeholder="Número o programa" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maxLength={100} />
          <Select
            label="Programa"
            placeholder="Todos"
            clearable
            clearButtonProps={{ 'aria-label': 'Quitar selección' }}
            searchable
            value={filters.program_id ?? null}
            onChange={(v) => set({ program_id: v ?? undefined, page: undefined })}
            data={(programs.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
          />
          <Select
            label="Sede"
            placeholder="Todas"
            clearable
            clearButtonProps={{ 'aria-label': 'Quitar selección' }}
            value={filters.campus_id ?? null}
            onChange={(v) => set({ campus_id: v ?? undefined, page: undefined })}
            data={(campuses.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
          <Select
            label="Jornada"
            placeholder="Todas"
            clearable
            clearButtonProps={{ 'aria-label': 'Quitar selección' }}
            value={filters.shift ?? null}
            onChange={(v) => set({ shift: v ?? undefined, page: undefined })}
            data={Object.entries(SHIFT).map(([value, label]) => ({ value, label }))}
          />
          <Select
            label="Estado"
            placeholder="Todas"
            clearable
            clearButtonProps={{ 'aria-label': 'Quitar selección' }}
            value={filters.is_active ?? null}
            onChange={(v) => set({ is_active: v ?? undefined, page: undefined })}
            data={[
              { value: 'true', label: 'Activas' },
              { value: 'false', label: 'Inactivas' },
            ]}
          />
        </SimpleGrid>
        <Button type="submit" mt="sm" variant="light">
          Buscar
        </Button>
      </form>
      {groups.isPending ? (
        <Loading />
      ) : groups.isError ? (
        <ErrorState error={groups.error} />
      ) : groups.data.items.length === 0 ? (
        <Empty>No hay fichas con estos filtros.</Empty>
      ) : (
        <>
          <Text size="sm">{groups.data.total} fichas</Text>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {groups.data.items.map((g) => (
              <Card key={g.id} withBorder padding="sm" component="li">
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={700} fz="lg">
                    Ficha {g.number}
                  </Text>
                  <Badge color={g.is_active ? 'sena.8' : 'gray.7'}>{g.is_active ? 'Activa' : 'Inactiva'}</Badge>
                </Group>
                <Text size="sm">
                  {g.program.code} · {g.program.name}
                </Text>
                <Text size="sm">
                  {g.campus.name} · {SHIFT[g.shift]} · trimestre {g.current_quarter}
                </Text>
                <Text size="sm">
                  {formatShortDate(g.start_date)} – {formatShortDate(g.end_date)}
                </Text>
                <Group gap="xs" mt="xs">
                  <Button size="xs" variant="light" component={Link} to="/programacion/fichas/$id" params={{ id: g.id } as never} aria-label={`Ver ficha ${g.number}`}>
                    Ver ficha
                  </Button>
                  <Button size="xs" variant="subtle" component={Link} to="/programacion/horario" search={{ view: 'group', id: g.id } as never} aria-label={`Horario de la ficha ${g.number}`}>
                    Horario
                  </Button>
                </Group>
              </Card>
            ))}
          </SimpleGrid>
          {groups.data.totalPages > 1 && <Pagination value={page} onChange={(p) => set({ page: p })} total={groups.data.totalPages} aria-label="Páginas" />}
        </>
      )}
    </Stack>
  );
}
