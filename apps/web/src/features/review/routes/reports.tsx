import { Anchor, Button, Card, Group, Select, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconClipboardX } from '@tabler/icons-react';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatClock, formatShortDate, percent } from '../../../lib/dates.ts';
import { useGroupOptions, useInstructorOptions, useInstructorReport, usePeriodReport, type Period } from '../api/reports.ts';
import { ScrollTable } from '../components/scroll-table.tsx';
import { Bars, Stat } from '../components/bars.tsx';
import { CsvDownload } from '../components/csv-download.tsx';
import { GroupReportView } from '../components/group-report.tsx';
import { PeriodPicker, periodOf } from '../components/period-picker.tsx';

type View = 'periodo' | 'ficha' | 'instructor';
interface Search {
  vista?: string;
  desde?: string;
  hasta?: string;
  ficha?: string;
  instructor?: string;
}

const fileKey = (p: Period) => `${p.start_date.replaceAll('-', '')}_${p.end_date.replaceAll('-', '')}`;

function PeriodView({ period, pick }: { period: Period; pick: (next: Search) => void }) {
  const report = usePeriodReport(period);
  if (report.isPending) return <Loading />;
  if (report.isError) return <ErrorState error={report.error} />;
  const r = report.data;
  const taken = r.by_group.reduce((n, g) => n + g.sessions_taken, 0);
  const scheduled = r.by_group.reduce((n, g) => n + g.sessions_scheduled, 0);
  return (
    <Stack>
      <Card withBorder padding="sm">
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Stat label="Asistencia del centro" value={percent(r.totals.attendance_pct)} />
          <Stat label="Inasistencia" value={percent(r.totals.absence_pct)} />
          <Stat label="Justificada" value={percent(r.totals.justified_pct)} />
          <Stat label="Listas tomadas" value={`${taken} de ${scheduled}`} />
        </SimpleGrid>
      </Card>
      <CsvDownload path="/api/v1/attendance/reports/period" query={{ ...period }} fallbackName={`asistencia_periodo_centro_${fileKey(period)}.csv`} />
      {r.by_group.length === 0 ? (
        <Empty>No hay registros de asistencia en el periodo.</Empty>
      ) : (
        <Card withBorder padding="sm">
          <Bars title="Asistencia por ficha" bars={r.by_group.map((g) => ({ key: g.group_id, label: `Ficha ${g.number ?? '—'} (${g.program_code ?? '—'})`, value: g.attendance_pct }))} />
        </Card>
      )}
      {r.by_group.length > 0 && (
        <ScrollTable label="Fichas en el periodo" minWidth={560}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ficha</Table.Th>
                <Table.Th>Aprendices</Table.Th>
                <Table.Th>Asistencia</Table.Th>
                <Table.Th>Alertas abiertas</Table.Th>
                <Table.Th>Cumplimiento de listas</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.by_group.map((g) => (
                <Table.Tr key={g.group_id}>
                  <Table.Td>
                    <Anchor component="button" type="button" onClick={() => pick({ vista: 'ficha', ficha: g.group_id })}>
                      {`Ficha ${g.number ?? '—'}`}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{g.students}</Table.Td>
                  <Table.Td>{percent(g.attendance_pct)}</Table.Td>
                  <Table.Td>{g.open_alerts}</Table.Td>
                  <Table.Td>{percent(g.compliance_pct)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
      )}
      {r.by_instructor.length > 0 && (
        <Card withBorder padding="sm">
          <Bars title="Cumplimiento de listas por instructor" bars={r.by_instructor.map((i) => ({ key: i.instructor_id, label: `${i.full_name ?? 'Instructor'} (${i.rolls_taken} de ${i.sessions_scheduled})`, value: i.compliance_pct }))} />
          <Group mt="xs" gap="xs">
            {r.by_instructor.map((i) => (
              <Button key={i.instructor_id} size="compact-sm" variant="subtle" onClick={() => pick({ vista: 'instructor', instructor: i.instructor_id })}>
                {`Ver ${i.full_name ?? 'instructor'}`}
              </Button>
            ))}
          </Group>
        </Card>
      )}
    </Stack>
  );
}

function GroupPicker({ value, onChange }: { value: string | undefined; onChange: (id: string | undefined) => void }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const options = useGroupOptions(debounced);
  const data = (options.data?.items ?? []).map((g) => ({ value: g.id, label: `${g.number}${g.program ? ` · ${g.program.name}` : ''}` }));
  return (
    <Select
      label="Ficha"
      placeholder="Escriba el número"
      searchable
      clearable
      data={data}
      value={value ?? null}
      onChange={(v) => onChange(v ?? undefined)}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={options.isPending ? 'Buscando…' : 'No hay fichas con ese número'}
      maw={420}
    />
  );
}

function InstructorPicker({ value, onChange }: { value: string | undefined; onChange: (id: string | undefined) => void }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const options = useInstructorOptions(debounced);
  const data = (options.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.full_name} · ${p.document_number}` }));
  return (
    <Select
      label="Instructor"
      placeholder="Escriba el nombre o el documento"
      searchable
      clearable
      data={data}
      value={value ?? null}
      onChange={(v) => onChange(v ?? undefined)}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={options.isPending ? 'Buscando…' : 'No hay instructores con ese nombre'}
      maw={420}
    />
  );
}

function InstructorView({ instructorId, period }: { instructorId: string; period: Period }) {
  const report = useInstructorReport(instructorId, period);
  if (report.isPending) return <Loading />;
  if (report.isError) return <ErrorState error={report.error} />;
  const r = report.data;
  return (
    <Stack>
      <Title order={2} size="h3">
        {r.instructor.full_name ?? 'Instructor'}
      </Title>
      <Card withBorder padding="sm">
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Stat label="Cumplimiento de listas" value={percent(r.compliance_pct)} hint={`${r.rolls_taken} de ${r.sessions_scheduled} sesiones`} />
          <Stat label="Tomadas a tiempo" value={percent(r.on_time_pct)} />
          <Stat label="Asistencia en sus clases" value={percent(r.attendance_pct)} />
          <Stat label="Sin tomar" value={String(r.missing.length)} />
        </SimpleGrid>
      </Card>
      <CsvDownload path={`/api/v1/attendance/reports/instructors/${instructorId}`} query={{ ...period }} fallbackName={`asistencia_instructor_${instructorId}_${fileKey(period)}.csv`} />
      {r.by_group.length > 0 && (
        <Card withBorder padding="sm">
          <Bars title="Cumplimiento por ficha" bars={r.by_group.map((g) => ({ key: g.group_id, label: `Ficha ${g.group_number} (${g.rolls_taken} de ${g.sessions_scheduled})`, value: g.compliance_pct }))} />
        </Card>
      )}
      <Title order={3} size="h4">
        Sesiones sin lista
      </Title>
      {r.missing.length === 0 ? (
        <Empty>Tomó la lista de todas sus sesiones del periodo.</Empty>
      ) : (
        <Stack gap={4} component="ul" style={{ paddingLeft: 18, margin: 0 }}>
          {r.missing.map((m) => (
            <Text component="li" size="sm" key={`${m.schedule_id}-${m.session_date}`}>
              {formatShortDate(m.session_date)} {formatClock(m.start_time)} · {m.subject} · Ficha {m.group_number} · {m.venue_code}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** `/asistencia/reportes`: period, ficha and instructor reports (attendance RP4, RP2, RP3) with CSV. */
export default function ReportsPage() {
  const search = useSearch({ strict: false }) as Search;
  const navigate = useNavigate();
  const view: View = search.vista === 'ficha' || search.vista === 'instructor' ? search.vista : 'periodo';
  const period = periodOf(search.desde, search.hasta);
  const go = (next: Search) => void navigate({ to: '/asistencia/reportes', search: { ...search, ...next } as never });
  const setPeriod = (p: Period) => go({ desde: p.start_date, hasta: p.end_date });
  return (
    <Stack>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={1}>Reportes de asistencia</Title>
        <Button component={Link} to="/asistencia/reportes/tomas-pendientes" variant="outline" color="red.8" leftSection={<IconClipboardX size={18} aria-hidden />}>
          Listas sin tomar hoy
        </Button>
      </Group>
      <PeriodPicker period={period} onChange={setPeriod} maxDays={view === 'periodo' ? 184 : 366} />
      <Tabs value={view} onChange={(v) => go({ vista: v === 'periodo' ? undefined : (v ?? undefined) })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="periodo">Centro</Tabs.Tab>
          <Tabs.Tab value="ficha">Ficha</Tabs.Tab>
          <Tabs.Tab value="instructor">Instructor</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="periodo" pt="md">
          <PeriodView period={period} pick={go} />
        </Tabs.Panel>
        <Tabs.Panel value="ficha" pt="md">
          <Stack>
            <GroupPicker value={search.ficha} onChange={(id) => go({ ficha: id })} />
            {search.ficha ? <GroupReportView groupId={search.ficha} period={period} /> : <Text c="dimmed">Elija una ficha para ver su reporte.</Text>}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="instructor" pt="md">
          <Stack>
            <InstructorPicker value={search.instructor} onChange={(id) => go({ instructor: id })} />
            {search.instructor ? <InstructorView instructorId={search.instructor} period={period} /> : <Text c="dimmed">Elija un instructor para ver su reporte.</Text>}
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
