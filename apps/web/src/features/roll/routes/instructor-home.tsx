import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useSessionState } from '../../../app/context.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatClock, formatDay, todayLocal } from '../../../lib/dates.ts';
import { useInstructorClasses, type InstructorClass } from '../api/roll.ts';

function rollState(c: InstructorClass): { label: string; color: string } {
  if (!c.roll) return c.missing ? { label: 'Lista pendiente', color: 'red.8' } : { label: 'Sin tomar', color: 'gray.7' };
  return c.roll.status === 'CLOSED' ? { label: 'Cerrada', color: 'sena.8' } : { label: 'Abierta', color: '#9a3c00' };
}

/** The instructor's Inicio: today's sessions with their roll state (attendance C1). */
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
