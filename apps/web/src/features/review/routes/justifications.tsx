import { Badge, Card, Group, Pagination, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatClock, formatDateTime, formatShortDate } from '../../../lib/dates.ts';
import { TYPE_LABELS, useJustifications, type Justification } from '../api/justifications.ts';
import { JustificationBadge } from '../components/labels.tsx';

const STATUSES = [
  { value: 'PENDING', label: 'Pendientes' },
  { value: 'APPROVED', label: 'Aprobadas' },
  { value: 'REJECTED', label: 'Rechazadas' },
];

function sessionsLine(j: Justification) {
  const first = j.items[0];
  if (!first) return '';
  const more = j.items.length > 1 ? ` y ${j.items.length - 1} sesión(es) más` : '';
  return `${first.subject} · ${formatShortDate(first.session_date)} ${formatClock(first.start_time)}${more}`;
}

/** `/asistencia/justificaciones`: the justifications of my sessions (attendance J2), pending first. */
export default function JustificationsPage() {
  const search = useSearch({ strict: false }) as { estado?: string; page?: number };
  const navigate = useNavigate();
  const status = STATUSES.some((s) => s.value === search.estado) ? search.estado! : 'PENDING';
  const page = search.page ?? 1;
  const list = useJustifications(status, page);
  const go = (next: { estado?: string; page?: number }) => void navigate({ to: '/asistencia/justificaciones', search: next as never });
  return (
    <Stack>
      <Title order={1}>Justificaciones</Title>
      <SegmentedControl aria-label="Estado" data={STATUSES} value={status} onChange={(v) => go({ estado: v === 'PENDING' ? undefined : v })} />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>{status === 'PENDING' ? 'No hay justificaciones esperando su revisión.' : 'No hay justificaciones en este estado.'}</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Justificaciones">
          {list.data.items.map((j) => (
            <Card key={j.id} withBorder padding="sm" component="li">
              <Stack gap={4}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Text fw={700} component={Link} to="/asistencia/justificaciones/$id" params={{ id: j.id } as never} c="sena.9" td="underline">
                    {j.student_name ?? 'Aprendiz'}
                  </Text>
                  <Group gap={4} style={{ flex: 'none' }}>
                    {j.overdue && <Badge color="red.8">Vencida</Badge>}
                    <JustificationBadge status={j.status} />
                  </Group>
                </Group>
                <Text size="sm">
                  Ficha {j.group_number ?? '—'} · {TYPE_LABELS[j.type] ?? j.type}
                  {j.kind === 'ADVANCE_NOTICE' ? ' · aviso previo' : ''}
                </Text>
                <Text size="sm">{sessionsLine(j)}</Text>
                <Text size="sm" c="dimmed">
                  Enviada el {formatDateTime(j.submitted_at)}
                </Text>
              </Stack>
            </Card>
          ))}
        </Stack>
      )}
      {list.data && list.data.totalPages > 1 && <Pagination value={page} onChange={(p) => go({ estado: search.estado, page: p })} total={list.data.totalPages} aria-label="Páginas" />}
    </Stack>
  );
}
