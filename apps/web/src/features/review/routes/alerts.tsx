import { Badge, Card, Chip, Group, Pagination, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useSessionState } from '../../../app/context.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatShortDate, todayLocal } from '../../../lib/dates.ts';
import { useAlerts, useAlertStats } from '../api/alerts.ts';
import { ALERT_TYPE_LABELS, LEVEL_LABELS, LEVELS, LevelBadge, STATE_LABELS } from '../components/labels.tsx';

const UNRESOLVED = 'OPEN,ACKNOWLEDGED';

/** `/asistencia/alertas`: alerts by level (AL1, AL2): an instructor's fichas, the whole centre for coordination. */
export default function AlertsPage() {
  const { claims } = useSessionState();
  const search = useSearch({ strict: false }) as { estado?: string; nivel?: string; page?: number };
  const navigate = useNavigate();
  const state = search.estado === 'resueltas' ? 'RESOLVED' : UNRESOLVED;
  const levels = (search.nivel ?? '').split(',').filter((l) => (LEVELS as readonly string[]).includes(l));
  const page = search.page ?? 1;
  const list = useAlerts({ state, level: levels.length ? levels.join(',') : undefined, page });
  const stats = useAlertStats(state);
  const go = (next: { estado?: string; nivel?: string; page?: number }) => void navigate({ to: '/asistencia/alertas', search: { estado: search.estado, nivel: search.nivel, ...next } as never });
  return (
    <Stack>
      <div>
        <Title order={1}>Alertas de asistencia</Title>
        <Text c="dimmed">{claims?.role === 'instructor' ? 'De los aprendices de sus fichas.' : 'De todo el centro.'}</Text>
      </div>
      <SegmentedControl
        aria-label="Estado"
        data={[
          { value: 'abiertas', label: 'Sin resolver' },
          { value: 'resueltas', label: 'Resueltas' },
        ]}
        value={state === 'RESOLVED' ? 'resueltas' : 'abiertas'}
        onChange={(v) => go({ estado: v === 'resueltas' ? v : undefined, page: undefined })}
      />
      <Chip.Group multiple value={levels} onChange={(v) => go({ nivel: v.length ? v.join(',') : undefined, page: undefined })}>
        <Group gap="xs" role="group" aria-label="Nivel">
          {LEVELS.map((l) => (
            <Chip key={l} value={l} variant="outline">
              {`${LEVEL_LABELS[l]}${stats.data ? ` (${stats.data.by_level[l] ?? 0})` : ''}`}
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {stats.data && stats.data.overdue > 0 && state !== 'RESOLVED' && <Text c="red.8" fw={600}>{`${stats.data.overdue} ${stats.data.overdue === 1 ? 'alerta vencida' : 'alertas vencidas'} sin atender.`}</Text>}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>{state === 'RESOLVED' ? 'No hay alertas resueltas con este filtro.' : 'No hay alertas sin resolver con este filtro.'}</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Alertas">
          {list.data.items.map((a) => (
            <Card key={a.id} withBorder padding="sm" component="li">
              <Stack gap={4}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Text fw={700} component={Link} to="/asistencia/alertas/$id" params={{ id: a.id } as never} c="sena.9" td="underline">
                    {a.student_name ?? 'Aprendiz'}
                  </Text>
                  <Group gap={4} style={{ flex: 'none' }}>
                    {a.overdue && <Badge color="red.8">Vencida</Badge>}
                    <LevelBadge level={a.level} />
                  </Group>
                </Group>
                <Text size="sm">{a.title}</Text>
                <Text size="sm" c="dimmed">
                  Ficha {a.group_number} · {ALERT_TYPE_LABELS[a.type] ?? a.type} · {STATE_LABELS[a.state] ?? a.state} · desde el {formatShortDate(todayLocal(new Date(a.created_at)))}
                </Text>
              </Stack>
            </Card>
          ))}
        </Stack>
      )}
      {list.data && list.data.totalPages > 1 && <Pagination value={page} onChange={(p) => go({ page: p })} total={list.data.totalPages} aria-label="Páginas" />}
    </Stack>
  );
}
