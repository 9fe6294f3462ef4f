import { Anchor, Badge, Card, Group, Pagination, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { addDays, formatClock, formatDay, todayLocal } from '../../../lib/dates.ts';
import { useMissingRolls, type MissingRoll } from '../api/reports.ts';
import { Bars, Stat } from '../components/bars.tsx';
import { CsvDownload } from '../components/csv-download.tsx';

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function since(m: MissingRoll): string {
  if (m.state === 'IN_PROGRESS') return 'En curso';
  if (m.minutes_since_end === null) return 'Terminó';
  if (m.minutes_since_end < 60) return `Terminó hace ${m.minutes_since_end} min`;
  const h = Math.floor(m.minutes_since_end / 60);
  return h < 24 ? `Terminó hace ${h} h ${m.minutes_since_end % 60} min` : 'Terminó';
}

/** `/asistencia/reportes/tomas-pendientes`: sessions of a date whose roll nobody took (attendance RP5). */
export default function MissingRollsPage() {
  const search = useSearch({ strict: false }) as { fecha?: string; en_curso?: string; page?: number };
  const navigate = useNavigate();
  const today = todayLocal();
  const date = search.fecha && ISO.test(search.fecha) && search.fecha <= today ? search.fecha : today;
  const inProgress = search.en_curso === 'si';
  const page = search.page ?? 1;
  const report = useMissingRolls(date, inProgress, page);
  const go = (next: { fecha?: string; en_curso?: string; page?: number }) =>
    void navigate({ to: '/asistencia/reportes/tomas-pendientes', search: { fecha: search.fecha, en_curso: search.en_curso, ...next } as never });

  const byInstructor = new Map<string, { name: string; count: number }>();
  for (const m of report.data?.items ?? []) {
    const entry = byInstructor.get(m.instructor_id) ?? { name: m.instructor_name ?? 'Instructor', count: 0 };
    entry.count += 1;
    byInstructor.set(m.instructor_id, entry);
  }
  const most = Math.max(1, ...[...byInstructor.values()].map((v) => v.count));

  return (
    <Stack>
      <Anchor component={Link} to="/asistencia/reportes" size="sm">
        ← Reportes de asistencia
      </Anchor>
      <Title order={1}>Listas sin tomar</Title>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          type="date"
          label="Fecha"
          value={date}
          max={today}
          min={addDays(today, -366)}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (ISO.test(v) && v <= today) go({ fecha: v === today ? undefined : v, page: undefined });
          }}
        />
        {date === today && (
          <Switch label="Incluir las clases en curso" checked={inProgress} onChange={(e) => go({ en_curso: e.currentTarget.checked ? 'si' : undefined, page: undefined })} />
        )}
      </Group>
      <Text c="dimmed">{formatDay(date)}</Text>
      {report.isPending ? (
        <Loading />
      ) : report.isError ? (
        <ErrorState error={report.error} />
      ) : (
        <>
          <Card withBorder padding="sm">
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Stat label="Sesiones programadas" value={String(report.data.sessions_total)} />
              <Stat label="Con lista" value={String(report.data.sessions_taken)} />
              <Stat label="Sin lista" value={String(report.data.sessions_missing)} />
              <Stat label="Instructores / fichas" value={`${report.data.affected_instructors} / ${report.data.affected_groups}`} />
            </SimpleGrid>
          </Card>
          <CsvDownload path="/api/v1/attendance/reports/missing-rolls" query={{ date, include_in_progress: inProgress }} fallbackName={`asistencia_tomas_pendientes_${date.replaceAll('-', '')}.csv`} />
          {report.data.items.length === 0 ? (
            <Empty>No hay listas pendientes para esta fecha.</Empty>
          ) : (
            <>
              {byInstructor.size > 1 && (
                <Card withBorder padding="sm">
                  <Bars
                    title="Listas sin tomar por instructor (esta página)"
                    thresholds={false}
                    bars={[...byInstructor.entries()].map(([id, v]) => ({ key: id, label: v.name, value: (v.count / most) * 100, note: String(v.count) }))}
                  />
                </Card>
              )}
              <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Sesiones sin lista">
                {report.data.items.map((m) => (
                  <Card key={`${m.schedule_id}`} withBorder padding="sm" component="li">
                    <Stack gap={4}>
                      <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
                        <Text fw={700}>{m.instructor_name ?? 'Instructor'}</Text>
                        <Badge color={m.state === 'IN_PROGRESS' ? '#9a3c00' : 'red.8'}>
                          {m.state === 'IN_PROGRESS' ? 'En curso' : 'Sin lista'}
                        </Badge>
                      </Group>
                      <Text size="sm">
                        {m.subject} · Ficha {m.group_number} ({m.program_code})
                      </Text>
                      <Text size="sm">
                        {formatClock(m.start_time)} – {formatClock(m.end_time)} · {m.venue_code} · {m.campus_name}
                      </Text>
                      <Text size="sm" c="dimmed">
                        {since(m)}
                      </Text>
                    </Stack>
                  </Card>
                ))}
              </Stack>
              {report.data.totalPages > 1 && <Pagination value={page} onChange={(p) => go({ page: p })} total={report.data.totalPages} aria-label="Páginas" />}
            </>
          )}
        </>
      )}
    </Stack>
  );
}
