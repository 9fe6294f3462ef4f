import { ActionIcon, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { addDays, formatClock, formatDay, formatDayMonth, mondayOf, todayLocal } from '../../../lib/dates.ts';
import { useWeek, type Occurrence } from '../api/week.ts';

const SHIFT: Record<string, string> = { MANANA: 'Mañana', TARDE: 'Tarde', NOCHE: 'Noche' };

function Session({ o }: { o: Occurrence }) {
  const cancelled = o.status === 'CANCELLED';
  return (
    <Card withBorder padding="xs" component="li" bg={o.in_progress ? 'sena.0' : undefined}>
      <Text fw={700} td={cancelled ? 'line-through' : undefined}>
        {o.subject}
      </Text>
      <Text size="sm">
        {formatClock(o.start_time)} – {formatClock(o.end_time)} · {SHIFT[o.shift] ?? o.shift}
      </Text>
      <Text size="sm">
        {o.venue ? `${o.venue.name} (${o.venue.code})` : 'Sin ambiente'} · {o.instructor?.full_name ?? 'Sin instructor'}
      </Text>
      <Text size="sm">Ficha {o.group.number}</Text>
      {cancelled && (
        <Badge color="red.8" mt={4}>
          {o.cancel_reason ? `No hay clase: ${o.cancel_reason}` : 'No hay clase'}
        </Badge>
      )}
      {o.in_progress && (
        <Badge color="sena.8" mt={4}>
          En curso
        </Badge>
      )}
    </Card>
  );
}

/** `/horario`: the week Monday–Saturday (schedules W1), previous/next week, today highlighted. */
export default function WeekPage() {
  const today = todayLocal();
  const [monday, setMonday] = useState(mondayOf(today));
  const week = useWeek(monday);
  const days = Array.from({ length: 6 }, (_, i) => addDays(monday, i));

  return (
    <Stack>
      <Title order={1}>Mi horario</Title>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <ActionIcon variant="light" size="lg" onClick={() => setMonday(addDays(monday, -7))} aria-label="Semana anterior">
          <IconChevronLeft aria-hidden />
        </ActionIcon>
        <Button variant="subtle" size="sm" px="xs" title="Volver a esta semana" onClick={() => setMonday(mondayOf(today))}>
          {formatDayMonth(monday)} – {formatDayMonth(addDays(monday, 5))}
        </Button>
        <ActionIcon variant="light" size="lg" onClick={() => setMonday(addDays(monday, 7))} aria-label="Semana siguiente">
          <IconChevronRight aria-hidden />
        </ActionIcon>
      </Group>
      {week.isPending ? (
        <Loading />
      ) : week.isError ? (
        <ErrorState error={week.error} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {days.map((day) => {
            const sessions = week.data.filter((o) => o.date === day).sort((a, b) => a.start_time.localeCompare(b.start_time));
            const isToday = day === today;
            return (
              <Card key={day} withBorder padding="sm" style={isToday ? { borderColor: '#39A900', borderWidth: 3 } : undefined} aria-current={isToday ? 'date' : undefined}>
                <Title order={2} size="h4" mb="xs">
                  {formatDay(day)}
                  {isToday ? ' · hoy' : ''}
                </Title>
                {sessions.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    Sin clases
                  </Text>
                ) : (
                  <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                    {sessions.map((o) => (
                      <Session key={`${o.schedule_id}-${o.date}`} o={o} />
                    ))}
                  </Stack>
                )}
              </Card>
            );
          })}
        </SimpleGrid>
      )}
    </Stack>
  );
}
