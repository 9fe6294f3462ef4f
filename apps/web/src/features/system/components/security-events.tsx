import { Button, Pagination, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { ApiError } from '../../../lib/errors.ts';
import { useSecurityEvents } from '../api/system.ts';

/** users §4.7's event types in Spanish. */
const TYPE: Record<string, string> = {
  LOGIN_SUCCEEDED: 'Ingreso',
  LOGIN_FAILED: 'Ingreso fallido',
  LOGIN_LOCKED: 'Cuenta bloqueada por intentos',
  ACCOUNT_UNLOCKED: 'Cuenta desbloqueada',
  REFRESH_REUSE_DETECTED: 'Reutilización de sesión detectada',
  LOGOUT: 'Salida',
  PASSWORD_CHANGED: 'Cambio de contraseña',
  PASSWORD_RESET_REQUESTED: 'Solicitud de restablecimiento',
  PASSWORD_RESET_COMPLETED: 'Contraseña restablecida',
  STAFF_PASSWORD_RESET: 'Restablecimiento por el personal',
  USER_CREATED: 'Usuario creado',
  USER_UPDATED: 'Usuario modificado',
  ROLE_CHANGED: 'Cambio de rol',
  USER_ACTIVATED: 'Usuario activado',
  USER_DEACTIVATED: 'Usuario desactivado',
  USER_DELETED: 'Usuario eliminado',
  USER_RESTORED: 'Usuario restaurado',
  USERS_IMPORTED: 'Importación de usuarios',
  USERS_BULK_UPDATED: 'Actualización masiva',
  USERS_BULK_DELETED: 'Eliminación masiva',
  SESSION_ENDED: 'Sesiones cerradas',
  KEY_ROTATED: 'Rotación de clave',
  SERVICE_CLIENT_REJECTED: 'Cliente de servicio rechazado',
};

interface Filters {
  type?: string;
  from?: string;
  to?: string;
  page?: number;
}

/** Bogotá's start (or end) of a local date as an ISO instant, as U13's `from`/`to` take. */
const instant = (date: string | undefined, end = false) => (date ? `${date}T${end ? '23:59:59' : '00:00:00'}-05:00` : undefined);

/** users U13: the security log, newest first; filters and the page in the URL. */
export function SecurityEvents() {
  const search = useSearch({ strict: false }) as Filters & { tab?: string };
  const navigate = useNavigate();
  const set = (patch: Partial<Filters>) => void navigate({ to: '.', search: { ...search, ...patch }, replace: true } as never);
  const [type, setType] = useState(search.type ?? '');
  useEffect(() => setType(search.type ?? ''), [search.type]);
  const page = search.page ?? 1;
  const events = useSecurityEvents({ type: search.type?.replace(/\s+/g, ''), from: instant(search.from), to: instant(search.to, true), page });
  const fields = events.error instanceof ApiError ? events.error.fields : {};

  return (
    <Stack>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          set({ type: type.trim() || undefined, page: undefined });
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Tipos (separados por coma)" placeholder="LOGIN_FAILED, ACCOUNT_LOCKED" maxLength={500} value={type} onChange={(e) => setType(e.currentTarget.value)} error={fields.type} />
          <TextInput type="date" label="Desde" value={search.from ?? ''} onChange={(e) => set({ from: e.currentTarget.value || undefined, page: undefined })} error={fields.from} />
          <TextInput type="date" label="Hasta" value={search.to ?? ''} onChange={(e) => set({ to: e.currentTarget.value || undefined, page: undefined })} error={fields.to} />
        </SimpleGrid>
        <Button type="submit" variant="light" mt="sm">
          Filtrar
        </Button>
      </form>
      {events.isPending ? (
        <Loading />
      ) : events.isError ? (
        <ErrorState error={events.error} />
      ) : events.data.items.length === 0 ? (
        <Empty>No hay eventos con estos filtros.</Empty>
      ) : (
        <>
          <Text size="sm">{events.data.total} eventos</Text>
          <Table.ScrollContainer minWidth={640}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Fecha</Table.Th>
                  <Table.Th>Evento</Table.Th>
                  <Table.Th>Usuario</Table.Th>
                  <Table.Th>IP</Table.Th>
                  <Table.Th>Navegador</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.data.items.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>{formatDateTime(e.occurred_at)}</Table.Td>
                    <Table.Td>{TYPE[e.type] ?? e.type}</Table.Td>
                    <Table.Td title={e.user_id ?? undefined}>{e.user_id ? e.user_id.slice(0, 8) : '—'}</Table.Td>
                    <Table.Td>{e.ip_masked ?? '—'}</Table.Td>
                    <Table.Td>{e.user_agent ? e.user_agent.slice(0, 40) : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {events.data.totalPages > 1 && <Pagination value={page} onChange={(p) => set({ page: p })} total={events.data.totalPages} aria-label="Páginas de eventos" />}
        </>
      )}
    </Stack>
  );
}
