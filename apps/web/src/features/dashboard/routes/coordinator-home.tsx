import { Anchor, Badge, Card, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconClipboardX, IconStars } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useSessionState } from '../../../app/context.tsx';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatClock, formatDay, formatShortDate, percent, todayLocal } from '../../../lib/dates.ts';
import { useAlertStats, useMissingToday, useOpenPeriods } from '../api/dashboard.ts';

function Panel({ title, icon, children, link }: { title: string; icon: ReactNode; children: ReactNode; link?: { to: string; label: string } }) {
  return (
    <Card withBorder padding="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Group gap="xs" wrap="nowrap">
          {icon}
          <Title order={2} size="h4">
            {title}
          </Title>
        </Group>
        {children}
        {link && (
          <Anchor component={Link} to={link.to} fw={600}>
            {link.label}
          </Anchor>
        )}
      </Stack>
    </Card>
  );
}

function MissingRolls() {
  const q = useMissingToday();
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} />;
  const d = q.data;
  return (
    <>
      <Group gap="lg" wrap="wrap">
        <Text>
          <Text span fw={800} fz={28} c={d.sessions_missing > 0 ? 'red.8' : undefined}>
            {d.sessions_missing}
          </Text>{' '}
          sin lista
        </Text>
        <Text size="sm">
          {d.sessions_taken} con lista de {d.sessions_total} sesiones programadas
        </Text>
      </Group>
      {d.items.length > 0 ? (
        <Stack gap={4} component="ul" style={{ paddingLeft: 18, margin: 0 }}>
          {d.items.map((m) => (
            <Text component="li" size="sm" key={m.schedule_id}>
              {formatClock(m.start_time)} – {formatClock(m.end_time)} · {m.instructor_name ?? 'Instructor'} · Ficha {m.group_number} · {m.subject}
            </Text>
          ))}
          {d.total_items > d.items.length && (
            <Text component="li" size="sm" c="dimmed">
              y {d.total_items - d.items.length} más
            </Text>
          )}
        </Stack>
      ) : (
        <Text size="sm">Todas las sesiones terminadas tienen su lista.</Text>
      )}
    </>
  );
}

const LEVELS = [
  { key: 'CRITICAL', label: 'Crítica', color: 'red.9' },
  { key: 'HIGH', label: 'Alta', color: 'red.7' },
  { key: 'MEDIUM', label: 'Media', color: 'orange.8' },
  { key: 'LOW', label: 'Baja', color: 'gray.7' },
] as const;

function Alerts() {
  const q = useAlertStats();
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} />;
  const s = q.data;
  const open = (s.by_state.OPEN ?? 0) + (s.by_state.ACKNOWLEDGED ?? 0);
  const most = Math.max(1, ...LEVELS.map((l) => s.by_level[l.key] ?? 0));
  return (
    <>
      <Group gap="lg" wrap="wrap">
        <Text>
          <Text span fw={800} fz={28}>
            {open}
          </Text>{' '}
          sin resolver
        </Text>
        <Text size="sm">
          {s.by_state.OPEN ?? 0} abiertas · {s.by_state.ACKNOWLEDGED ?? 0} en seguimiento
        </Text>
        {s.overdue > 0 && <Badge color="red.8">{s.overdue} vencidas</Badge>}
      </Group>
      <Stack gap={6} component="figure" m={0} aria-label="Alertas por nivel">
        {LEVELS.map((l) => (
          <div key={l.key}>
            <Group justify="space-between" gap="xs">
              <Text size="sm">{l.label}</Text>
              <Text size="sm" fw={600}>
                {s.by_level[l.key] ?? 0}
              </Text>
            </Group>
            <Progress value={((s.by_level[l.key] ?? 0) / most) * 100} color={l.color} aria-label={`Nivel ${l.label.toLowerCase()}: ${s.by_level[l.key] ?? 0}`} />
          </div>
        ))}
      </Stack>
    </>
  );
}

function Evaluations() {
  const q = useOpenPeriods();
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} />;
  if (q.data.length === 0) return <Text size="sm">No hay periodos de evaluación abiertos.</Text>;
  return (
    <Stack gap="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {q.data.map((p) => (
        <Stack gap={4} component="li" key={p.id}>
          <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
            <Text fw={600}>{p.name}</Text>
            <Text size="sm" fw={600} style={{ flex: 'none' }}>
              {p.participation ? percent(p.participation.rate) : 'Sin dato'}
            </Text>
          </Group>
          <Progress value={p.participation?.rate ?? 0} aria-label={`Participación en ${p.name}: ${p.participation ? percent(p.participation.rate) : 'sin dato'}`} />
          <Text size="xs">
            {p.participation ? `${p.participation.submitted} de ${p.participation.expected} evaluaciones` : 'La participación no está disponible ahora'} · {p.groups.length}{' '}
            {p.groups.length === 1 ? 'ficha' : 'fichas'} · cierra el {formatShortDate(todayLocal(new Date(p.end_date)))}
          </Text>
        </Stack>
      ))}
    </Stack>
  );
}

/** The coordinator's (and admin's) Tablero: today across the centre (web.md §4 coordinator). */
export default function CoordinatorHome() {
  const { claims } = useSessionState();
  return (
    <Stack>
      <div>
        <Title order={1}>Tablero</Title>
        <Text c="dimmed">
          Hola, {claims?.name?.split(' ')[0] ?? ''} · {formatDay(todayLocal())}
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Panel title="Listas sin tomar hoy" icon={<IconClipboardX aria-hidden />} link={{ to: '/asistencia/reportes/tomas-pendientes', label: 'Ver listas sin tomar' }}>
          <MissingRolls />
        </Panel>
        <Panel title="Alertas de asistencia" icon={<IconAlertTriangle aria-hidden />} link={{ to: '/asistencia/alertas', label: 'Ver alertas' }}>
          <Alerts />
        </Panel>
        <Panel title="Evaluación de instructores" icon={<IconStars aria-hidden />} link={{ to: '/evaluaciones/admin', label: 'Ver periodos de evaluación' }}>
          <Evaluations />
        </Panel>
      </SimpleGrid>
    </Stack>
  );
}
