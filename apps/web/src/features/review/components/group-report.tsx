import { Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { percent } from '../../../lib/dates.ts';
import { useGroupReport, type Period } from '../api/reports.ts';
import { Bars, Stat } from './bars.tsx';
import { ScrollTable } from './scroll-table.tsx';
import { CsvDownload } from './csv-download.tsx';

/** attendance RP2: one ficha over a period, a bar per apprentice, and its two CSV layouts. */
export function GroupReportView({ groupId, period }: { groupId: string; period: Period }) {
  const report = useGroupReport(groupId, period);
  if (report.isPending) return <Loading />;
  if (report.isError) return <ErrorState error={report.error} />;
  const r = report.data;
  const key = `${period.start_date.replaceAll('-', '')}_${period.end_date.replaceAll('-', '')}`;
  return (
    <Stack>
      <Title order={2} size="h3">
        Ficha {r.group.number} · {r.group.program_code} · {r.group.campus_name}
      </Title>
      <Card withBorder padding="sm">
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Stat label="Asistencia" value={percent(r.summary.attendance_pct)} />
          <Stat label="Inasistencia" value={percent(r.summary.absence_pct)} />
          <Stat label="Puntualidad" value={percent(r.summary.punctuality_pct)} />
          <Stat label="Listas tomadas" value={`${r.sessions.taken} de ${r.sessions.scheduled}`} hint={r.sessions.missing > 0 ? `${r.sessions.missing} sin tomar` : undefined} />
        </SimpleGrid>
      </Card>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
        <CsvDownload path={`/api/v1/attendance/reports/groups/${groupId}`} query={{ ...period }} fallbackName={`asistencia_ficha_${r.group.number}_${key}.csv`} label="CSV por aprendiz" />
        <CsvDownload path={`/api/v1/attendance/reports/groups/${groupId}`} query={{ ...period, layout: 'matrix' }} fallbackName={`asistencia_planilla_${r.group.number}_${key}.csv`} label="CSV planilla por sesión" />
      </SimpleGrid>
      {r.students.length === 0 ? (
        <Text c="dimmed">La ficha no tiene aprendices con registros en el periodo.</Text>
      ) : (
        <Card withBorder padding="sm">
          <Bars title="Asistencia por aprendiz" bars={r.students.map((s) => ({ key: s.student_id, label: s.full_name ?? s.document_number ?? 'Aprendiz', value: s.attendance_pct }))} />
        </Card>
      )}
      {r.students.length > 0 && (
        <ScrollTable label="Aprendices de la ficha en el periodo" minWidth={560}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Aprendiz</Table.Th>
                <Table.Th>Asistió</Table.Th>
                <Table.Th>Tarde</Table.Th>
                <Table.Th>Faltas</Table.Th>
                <Table.Th>Justificadas</Table.Th>
                <Table.Th>Faltas seguidas</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {r.students.map((s) => (
                <Table.Tr key={s.student_id}>
                  <Table.Td>
                    {s.full_name ?? 'Aprendiz'}
                    {!s.in_roster && ' (ya no está en la ficha)'}
                  </Table.Td>
                  <Table.Td>{s.present}</Table.Td>
                  <Table.Td>{s.late}</Table.Td>
                  <Table.Td>{s.absent}</Table.Td>
                  <Table.Td>{s.justified}</Table.Td>
                  <Table.Td>{s.consecutive_absent}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
      )}
      {r.by_subject.length > 0 && (
        <Card withBorder padding="sm">
          <Bars title="Asistencia por competencia" bars={r.by_subject.map((s) => ({ key: s.subject, label: s.subject, value: s.attendance_pct }))} />
        </Card>
      )}
    </Stack>
  );
}
