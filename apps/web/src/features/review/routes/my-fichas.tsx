import { Card, Pagination, SegmentedControl, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { useMyFichas, useRoster } from '../api/fichas.ts';
import { ScrollTable } from '../components/scroll-table.tsx';
import { GroupReportView } from '../components/group-report.tsx';
import { PeriodPicker, periodOf } from '../components/period-picker.tsx';

interface Search {
  ficha?: string;
  vista?: string;
  desde?: string;
  hasta?: string;
}

function Roster({ groupId }: { groupId: string }) {
  const [page, setPage] = useState(1);
  const roster = useRoster(groupId, page);
  if (roster.isPending) return <Loading />;
  if (roster.isError) return <ErrorState error={roster.error} />;
  if (roster.data.items.length === 0) return <Empty>La ficha no tiene aprendices activos.</Empty>;
  return (
    <Stack>
      <Text size="sm">{roster.data.total === 1 ? '1 aprendiz activo' : `${roster.data.total} aprendices activos`}</Text>
      <ScrollTable label="Aprendices de la ficha" minWidth={420}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Aprendiz</Table.Th>
              <Table.Th>Documento</Table.Th>
              <Table.Th>Correo</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {roster.data.items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{a.full_name}</Table.Td>
                <Table.Td>
                  {a.document_type} {a.document_number}
                </Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{a.email}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      {roster.data.totalPages > 1 && <Pagination value={page} onChange={setPage} total={roster.data.totalPages} aria-label="Páginas de aprendices" />}
    </Stack>
  );
}

/** `/fichas`: the fichas assigned to me today (schedules G1), with their roster (G7) and report (attendance RP2). */
export default function MyFichasPage() {
  const search = useSearch({ strict: false }) as Search;
  const navigate = useNavigate();
  const fichas = useMyFichas();
  const go = (next: Search) => void navigate({ to: '/fichas', search: { ...search, ...next } as never });
  const items = fichas.data?.items ?? [];
  const selected = items.find((f) => f.id === search.ficha) ?? items[0];
  const period = periodOf(search.desde, search.hasta);
  return (
    <Stack>
      <Title order={1}>Mis fichas</Title>
      {fichas.isPending ? (
        <Loading />
      ) : fichas.isError ? (
        <ErrorState error={fichas.error} />
      ) : items.length === 0 ? (
        <Empty>Hoy no tiene fichas asignadas.</Empty>
      ) : (
        <>
          {items.length > 1 && (
            <SegmentedControl aria-label="Ficha" data={items.map((f) => ({ value: f.id, label: f.number }))} value={selected.id} onChange={(v) => go({ ficha: v })} />
          )}
          <Card withBorder padding="sm">
            <Text fw={700}>Ficha {selected.number}</Text>
            <Text size="sm">
              {selected.program ? `${selected.program.name} (${selected.program.code})` : ''}
              {selected.campus ? ` · ${selected.campus.name}` : ''}
            </Text>
          </Card>
          <Tabs value={search.vista === 'aprendices' ? 'aprendices' : 'reporte'} onChange={(v) => go({ vista: v === 'aprendices' ? v : undefined })} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="reporte">Asistencia</Tabs.Tab>
              <Tabs.Tab value="aprendices">Aprendices</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="reporte" pt="md">
              <Stack>
                <PeriodPicker period={period} onChange={(p) => go({ desde: p.start_date, hasta: p.end_date })} maxDays={366} />
                <GroupReportView groupId={selected.id} period={period} />
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="aprendices" pt="md">
              <Roster groupId={selected.id} />
            </Tabs.Panel>
          </Tabs>
        </>
      )}
    </Stack>
  );
}
