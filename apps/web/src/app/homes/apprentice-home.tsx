import { Alert, Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { formatDay, percent, todayLocal } from '../../lib/dates.ts';
import { useMyClasses, useMySummary } from '../../features/attendance/api/attendance.ts';
import { ApprenticeClassCard } from '../../features/attendance/components/class-card.tsx';
import { useMyEvaluationsSummary } from '../../features/evaluations/api/evalin.ts';
import { useUnreadCount } from '../../features/notifications/api/inbox.ts';
import { useSessionState } from '../context.tsx';

const ALERT_TYPES: Record<string, string> = {
  CONSECUTIVE_ABSENCES: 'Faltas seguidas',
  LOW_ATTENDANCE: 'Asistencia baja',
  FREQUENT_LATENESS: 'Llegadas tarde frecuentes',
  CUSTOM: 'Seguimiento',
};

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm">{label}</Text>
      <Text fw={800} fz={26}>
        {value}
      </Text>
    </Card>
  );
}

/**
 * The apprentice's Inicio (web.md §4): today's classes with my state, 30-day figures, open alerts, pending
 * evaluations and the unread count. It draws on three features, so it lives with the app, which composes
 * features (a feature never imports another).
 */
export default function ApprenticeHome() {
  const { claims } = useSessionState();
  const classes = useMyClasses();
  const summary = useMySummary();
  const unread = useUnreadCount();
  const evaluations = useMyEvaluationsSummary();

  return (
    <Stack>
      <div>
        <Title order={1}>Hola, {claims?.name?.split(' ')[0]}</Title>
        <Text c="dimmed">
          {formatDay(todayLocal())} · Ficha {claims?.group_number}
        </Text>
      </div>
      <Title order={2} size="h3">
        Clases de hoy
      </Title>
      {classes.isPending ? (
        <Loading />
      ) : classes.isError ? (
        <ErrorState error={classes.error} />
      ) : classes.data.length === 0 ? (
        <Empty>Hoy no tiene clases.</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {classes.data.map((c) => (
            <ApprenticeClassCard key={`${c.schedule_id}-${c.session_date}`} item={c} />
          ))}
        </Stack>
      )}
      <Title order={2} size="h3">
        Últimos 30 días
      </Title>
      {summary.isError ? (
        <ErrorState error={summary.error} />
      ) : (
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Figure label="Asistencia" value={summary.data ? percent(summary.data.attendance_pct) : '…'} />
          <Figure label="Faltas" value={summary.data ? String(summary.data.total_absent) : '…'} />
          <Figure label="Justificaciones pendientes" value={summary.data ? String(summary.data.pending_justifications ?? 0) : '…'} />
          <Figure label="Notificaciones sin leer" value={unread.data ? String(unread.data.unread) : '…'} />
        </SimpleGrid>
      )}
      {summary.data?.open_alerts && summary.data.open_alerts.length > 0 && (
        <Alert color="orange" title="Alertas abiertas sobre su asistencia">
          <Group gap="xs">
            {summary.data.open_alerts.map((a) => (
              <Text key={a.type} size="sm">
                {ALERT_TYPES[a.type] ?? a.type} ({a.level.toLowerCase()})
              </Text>
            ))}
          </Group>
        </Alert>
      )}
      {evaluations.data && evaluations.data.pending + evaluations.data.draft > 0 && (
        <Alert color="sena" title="Evaluación de instructores abierta">
          <Text size="sm">
            Le falta evaluar a {evaluations.data.pending + evaluations.data.draft} de sus {evaluations.data.total_instructors} instructores.{' '}
            <Anchor component={Link} to="/evaluaciones">
              Evaluar ahora
            </Anchor>
          </Text>
        </Alert>
      )}
      <Anchor component={Link} to="/asistencia">
        Ver todo mi historial de asistencia
      </Anchor>
    </Stack>
  );
}
