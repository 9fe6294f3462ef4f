import { Alert, Anchor, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { useHealth, type HealthReport } from '../api/system.ts';

const OVERALL: Record<HealthReport['status'], { label: string; color: string }> = {
  healthy: { label: 'Todo funciona', color: '#1f5c00' },
  degraded: { label: 'Funcionamiento degradado', color: '#7a4a00' },
  unhealthy: { label: 'Plataforma con fallas', color: '#a51d1d' },
};
export const SERVICE_STATUS: Record<string, { label: string; color: string }> = {
  up: { label: 'Operativo', color: 'sena.8' },
  down: { label: 'Caído', color: '#a51d1d' },
  disabled: { label: 'Deshabilitado', color: 'gray.7' },
  unknown: { label: 'Sin datos', color: '#7a4a00' },
};
const CIRCUIT: Record<string, string> = { closed: 'Cerrado', half_open: 'Semiabierto', open: 'Abierto', forced_open: 'Abierto (forzado)', forced_closed: 'Cerrado (forzado)' };
const CHECK: Record<string, string> = { ok: 'Bien', error: 'Con error', not_configured: 'No configurado' };

/** Gateway H1 (refreshed every 10 s, as its own probes), and the two operator pages it complements. */
export function HealthPanel() {
  const health = useHealth();
  return (
    <Stack>
      <Group gap="md">
        <Anchor href="/api/v1/gateway/status/page" target="_blank" rel="noopener">
          Página de estado de la pasarela <IconExternalLink size={14} aria-hidden />
        </Anchor>
        <Anchor href="/api/v1/notifications/admin/dashboard" target="_blank" rel="noopener">
          Tablero de notificaciones <IconExternalLink size={14} aria-hidden />
        </Anchor>
      </Group>
      <Text size="sm">Ambas páginas piden su token de administrador para mostrar el panel completo.</Text>
      {health.isPending ? (
        <Loading />
      ) : health.isError ? (
        <ErrorState error={health.error} title="No se pudo consultar el estado" />
      ) : (
        <>
          <Alert color={OVERALL[health.data.status].color} title={OVERALL[health.data.status].label} role="status" data-status={health.data.status}>
            {health.data.summary.up} de {health.data.summary.total} servicios operativos · {health.data.summary.down} caídos · {health.data.summary.disabled} deshabilitados. Última revisión:{' '}
            {formatDateTime(health.data.checked_at)}
          </Alert>
          <Card withBorder>
            <Title order={3} size="h4" mb="xs">
              Pasarela
            </Title>
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Text size="sm">Base de datos: {CHECK[health.data.gateway.database] ?? health.data.gateway.database}</Text>
              <Text size="sm">Redis: {CHECK[health.data.gateway.redis] ?? health.data.gateway.redis}</Text>
              <Text size="sm">Claves (JWKS): {CHECK[health.data.gateway.jwks] ?? health.data.gateway.jwks}</Text>
              <Text size="sm">Configuración: versión {health.data.gateway.config_version ?? '—'}</Text>
            </SimpleGrid>
          </Card>
          <Table.ScrollContainer minWidth={560}>
            <Table striped data-testid="services">
              <Table.Caption>Servicios</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Servicio</Table.Th>
                  <Table.Th>Estado</Table.Th>
                  <Table.Th>Latencia</Table.Th>
                  <Table.Th>Circuito</Table.Th>
                  <Table.Th>Revisado</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {health.data.services.map((s) => (
                  <Table.Tr key={s.name} data-service={s.name} data-state={s.status}>
                    <Table.Td>
                      {s.display_name}
                      {s.critical ? ' (crítico)' : ''}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="sm" fw={700} c={SERVICE_STATUS[s.status]?.color ?? 'gray.7'}>
                        {SERVICE_STATUS[s.status]?.label ?? s.status}
                      </Text>
                    </Table.Td>
                    <Table.Td>{s.latency_ms === null ? '—' : `${s.latency_ms} ms`}</Table.Td>
                    <Table.Td>{CIRCUIT[s.circuit] ?? s.circuit}</Table.Td>
                    <Table.Td>{s.checked_at ? formatDateTime(s.checked_at) : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
