import { Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime, formatShortDate, percent } from '../../../lib/dates.ts';
import { useMetrics, useNoResults } from '../api/admin.ts';

const ROLE: Record<string, string> = { aprendiz: 'Aprendiz', instructor: 'Instructor', administrativo: 'Administrativo', coordinador: 'Coordinación', admin: 'Administración', service: 'Servicio' };

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl">
        {value}
      </Text>
    </Card>
  );
}

/** kb R22–R23 over the last 30 days (Bogotá): searches, zero-result rate, satisfaction, what nobody found. */
export function SearchReports() {
  const metrics = useMetrics(true);
  const noResults = useNoResults(true);
  if (metrics.isPending) return <Loading />;
  if (metrics.isError) return <ErrorState error={metrics.error} />;
  const m = metrics.data;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Últimos 30 días: del {formatShortDate(m.from)} al {formatShortDate(m.to)}.
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
        <Stat label="Búsquedas" value={String(m.search.total)} />
        <Stat label="Sin resultados" value={percent(m.search.zero_result_rate * 100)} />
        <Stat label="Lecturas" value={String(m.views.total)} />
        <Stat label="Satisfacción" value={m.feedback.satisfaction === null ? '—' : percent(m.feedback.satisfaction * 100)} />
      </SimpleGrid>
      <Title order={2} size="h4">
        Consultas sin resultados
      </Title>
      {noResults.isPending ? (
        <Loading />
      ) : noResults.isError ? (
        <ErrorState error={noResults.error} />
      ) : noResults.data.length === 0 ? (
        <Text size="sm">Todas las búsquedas del periodo encontraron algo.</Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table striped aria-label="Consultas sin resultados">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Consulta</Table.Th>
                <Table.Th>Veces</Table.Th>
                <Table.Th>Roles</Table.Th>
                <Table.Th>Última vez</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {noResults.data.map((r) => (
                <Table.Tr key={r.query}>
                  <Table.Td>{r.query}</Table.Td>
                  <Table.Td>{r.count}</Table.Td>
                  <Table.Td>{r.roles.map((x) => ROLE[x] ?? x).join(', ')}</Table.Td>
                  <Table.Td>{formatDateTime(r.last_seen)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Title order={2} size="h4">
        Lo más buscado
      </Title>
      <Table.ScrollContainer minWidth={480}>
        <Table striped aria-label="Lo más buscado">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Consulta</Table.Th>
              <Table.Th>Veces</Table.Th>
              <Table.Th>Sin resultado</Table.Th>
              <Table.Th>Resultados promedio</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {m.search.top_queries.map((r) => (
              <Table.Tr key={r.query}>
                <Table.Td>{r.query}</Table.Td>
                <Table.Td>{r.count}</Table.Td>
                <Table.Td>{percent(r.zero_result_share * 100)}</Table.Td>
                <Table.Td>{r.avg_results.toFixed(1)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {m.feedback.lowest_items.length > 0 && (
        <>
          <Title order={2} size="h4">
            Artículos peor valorados
          </Title>
          <Stack gap={4} component="ul" style={{ margin: 0 }}>
            {m.feedback.lowest_items.map((i) => (
              <Text component="li" key={i.id} size="sm">
                {i.title} — {percent(i.satisfaction * 100)} de {i.votes} votos
              </Text>
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}
