import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconFileCheck } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useApi, useSessionState } from '../../../app/context.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatClock, formatDay, todayLocal } from '../../../lib/dates.ts';
import { unwrap } from '../../../lib/errors.ts';
import { useInstructorClasses, type InstructorClass } from '../api/roll.ts';

/** attendance J2 (PENDING, of my sessions: O4) counted through the list's pagination. */
function usePendingJustifications() {
  const api = useApi();
  return useQuery({
    queryKey: ['home', 'justifications-pending'],
    queryFn: async () => {
      const result = await api.GET('/api/v1/attendance/justifications', { params: { query: { status: 'PENDING', page_size: 1 } as never } });
      await unwrap(result as never);
      return (result.data as { meta?: { pagination?: { total: number } } }).meta?.pagination?.total ?? 0;
    },
    refetchInterval: 120_000,
  });
}

/** attendance AL2 over the unresolved alerts of my fichas (O2). */
function useMyAlertStats() {
  const api = useApi();
  return useQuery({
    queryKey: ['home', 'alert-stats'],
    queryFn: () => unwrap<{ by_state: Record<string, number>; by_level: Record<string, number>; overdue: number }>(api.GET('/api/v1/attendance/alerts/stats', { params: { query: {} } }) as never),
    refetchInterval: 120_000,
  });
}

const LEVEL_WORDS: Array<[string, string, string]> = [
  ['CRITICAL', 'crítica', 'críticas'],
  ['HIGH', 'alta', 'altas'],
  ['MEDIUM', 'media', 'medias'],
  ['LOW', 'baja', 'bajas'],
];

function FollowUp() {
  const pending = usePendingJustifications();
  const alerts = useMyAlertStats();
  const open = alerts.data ? (alerts.data.by_state.OPEN ?? 0) + (alerts.data.by_state.ACKNOWLEDGED ?? 0) : 0;
  const levels = alerts.data ? LEVEL_WORDS.filter(([k]) => (alerts.data.by_level[k] ?? 0) > 0).map(([k, one, many]) => `${alerts.data.by_level[k]} ${alerts.data.by_level[k] === 1 ? one : many}`) : [];
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
      <Card withBorder padding="sm">
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <IconFileCheck aria-hidden size={22} style={{ flex: 'none' }} />
          <Stack gap={2}>
            {pending.isPending ? (
              <Text size="sm">Revisando justificaciones…</Text>
            ) : pending.isError ? (
              <Text size="sm">No se pudieron contar las justificaciones.</Text>
            ) : (
              <Anchor component={Link} to="/asistencia/justificaciones" fw={700} c={pending.data > 0 ? 'red.8' : 'sena.9'}>
                {pending.data === 0 ? 'Ninguna justificación esperando' : pending.data === 1 ? '1 justificación esperando su revisión' : `${pending.data} justificaciones esperando su revisión`}
              </Anchor>
            )}
          </Stack>
        </Group>
      </Card>
      <Card withBorder padding="sm">
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <IconAlertTriangle aria-hidden size={22} style={{ flex: 'none' }} />
          <Stack gap={2}>
            {alerts.isPending ? (
              <Text size="sm">Revisando alertas…</Text>
            ) : alerts.isError ? (
              <Text size="sm">No se pudieron contar las alertas.</Text>
            ) : (
              <>
                <Anchor component={Link} to="/asistencia/alertas" fw={700} c={open > 0 ? 'red.8' : 'sena.9'}>
                  {open === 0 ? 'Sin alertas abiertas en sus fichas' : open === 1 ? '1 alerta abierta en sus fichas' : `${open} alertas abiertas en sus fichas`}
                </Anchor>
                {levels.length > 0 && <Text size="sm">{levels.join(' · ')}</Text>}
              </>
            )}
          </Stack>
        </Group>
      </Card>
    </SimpleGrid>
  );
}

function rollState(c: InstructorClass): { label: string; color: string } {
  if (!c.roll) return c.missing ? { label: 'Lista pendiente', color: 'red.8' } : { label: 'Sin tomar', color: 'gray.7' };
  return c.roll.status === 'CLOSED' ? { label: 'Cerrada', color: 'sena.8' } : { label: 'Abierta', color: '#9a3c00' };
}

/** The instructor's Inicio: today's sessions with their roll state (attendance C1), justifications waiting and alerts of my fichas. */
export default function InstructorHome() {
  const { claims } = useSessionState();
  const classes = useInstructorClasses();
  const missing = classes.data?.filter((c) => c.missing).length ?? 0;
  return (
    <Stack>
      <div>
        <Title order={1}>Hola, {claims?.name?.split(' ')[0]}</Title>
        <Text c="dimmed">
          {formatDay(todayLocal())}
        </Text>
      </div>
      <FollowUp />
      <Title order={2} size="h3">
        Clases de hoy
      </Title>
      {missing > 0 && <Text c="red.8" fw={700}>{missing === 1 ? 'Falta tomar 1 lista.' : `Faltan tomar ${missing} listas.`}</Text>}
      {classes.isPending ? (
        <Loading />
      ) : classes.isError ? (
        <ErrorState error={classes.error} />
      ) : classes.data.length === 0 ? (
        <Empty>Hoy no tiene clases.</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {classes.data.map((c) => {
            const s = rollState(c);
            return (
              <Card key={`${c.schedule_id}-${c.session_date}`} withBorder padding="sm" component="li">
                <Stack gap={6}>
                  <Group justify="space-between" wrap="nowrap" align="flex-start">
                    <Text fw={700}>{c.subject}</Text>
                    <Badge color={s.color} style={{ flex: 'none' }}>
                      {s.label}
                    </Badge>
                  </Group>
                  <Text size="sm">
                    Ficha {c.group_number} · {formatClock(c.start_time)} – {formatClock(c.end_time)}
                    {c.venue_name ? ` · ${c.venue_name}` : ''}
                  </Text>
                  {c.roll && (
                    <Text size="sm">
                      Presentes {c.roll.counts.present + c.roll.counts.late} de {c.roll.counts.roster}
                    </Text>
                  )}
                  {(c.can_mark || c.roll) && (
                    <Button component={Link} to="/asistencia/tomas/$schedule/$date" params={{ schedule: c.schedule_id, date: c.session_date } as never} size="md">
                      {c.roll ? 'Abrir la lista' : 'Tomar asistencia'}
                    </Button>
                  )}
                </Stack>
              </Card>
            );
          })}
        </Stack>
      )}
    </Stack>
  );
}
