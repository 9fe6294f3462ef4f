import { Button, Card, Group, Pagination, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatClock, formatDateTime, formatShortDate } from '../../../lib/dates.ts';
import { useMyRecords, type RecordItem } from '../api/attendance.ts';
import { justificationLabel, StatusBadge } from '../components/status-badge.tsx';

function canJustify(r: RecordItem, now: number) {
  return r.status === 'ABSENT' && !r.justification && r.justify_deadline !== null && Date.parse(r.justify_deadline) > now;
}

/** `/asistencia` (attendance RC1 own): state, lateness and justification of every record. */
export default function MyRecordsPage() {
  const [page, setPage] = useState(1);
  const records = useMyRecords(page);
  const now = Date.now();
  return (
    <Stack>
      <Title order={1}>Mi asistencia</Title>
      {records.isPending ? (
        <Loading />
      ) : records.isError ? (
        <ErrorState error={records.error} />
      ) : records.data.items.length === 0 ? (
        <Empty>Todavía no tiene registros de asistencia.</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {records.data.items.map((r) => (
            <Card key={r.id} withBorder padding="sm" component="li">
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Stack gap={2}>
                  <Text fw={700}>{r.subject}</Text>
                  <Text size="sm">
                    {formatShortDate(r.session_date)} · {formatClock(r.start_time)} – {formatClock(r.end_time)}
                  </Text>
                  {r.status === 'LATE' && r.late_minutes !== null && <Text size="sm">{r.late_minutes} min tarde</Text>}
                  {r.justification && <Text size="sm">{justificationLabel(r.justification.status)}</Text>}
                  {canJustify(r, now) && (
                    <Text size="sm" c="dimmed">
                      Puede justificar hasta el {formatDateTime(r.justify_deadline!)}
                    </Text>
                  )}
                </Stack>
                <Stack gap="xs" align="flex-end" style={{ flexShrink: 0 }}>
                  <StatusBadge status={r.status} />
                  {canJustify(r, now) && (
                    <Button size="xs" component={Link} to="/asistencia/justificar" search={{ record_id: r.id } as never}>
                      Justificar
                    </Button>
                  )}
                </Stack>
              </Group>
            </Card>
          ))}
        </Stack>
      )}
      {records.data && records.data.totalPages > 1 && <Pagination value={page} onChange={setPage} total={records.data.totalPages} aria-label="Páginas" />}
    </Stack>
  );
}
