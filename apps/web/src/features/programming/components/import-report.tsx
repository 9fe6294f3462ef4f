import { Alert, Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { ImportReport } from '../api/files.ts';

/** §6.1's ImportReport: counts, then one row per error with its line and column, so the file can be fixed. */
export function ImportReportView({ report, message }: { report: ImportReport; message?: string }) {
  const failed = report.errors.length > 0;
  const title = failed
    ? 'El archivo tiene errores: no se guardó nada'
    : report.dry_run
      ? 'Validación correcta: no se guardó nada todavía'
      : `Importación terminada: ${report.created} creados`;
  return (
    <Stack gap="sm" data-testid="import-report">
      <Alert color={failed ? '#a51d1d' : '#1f5c00'} title={title} role={failed ? 'alert' : 'status'}>
        {message && failed && <Text size="sm">{message}</Text>}
        <Group gap="xs" mt={4}>
          <Badge variant="light" color="#343a40">Filas: {report.total_rows}</Badge>
          <Badge variant="light" color="#1f5c00">Válidas: {report.valid_rows}</Badge>
          <Badge variant="light" color="#a51d1d">Con error: {report.error_rows}</Badge>
          <Badge variant="light" color="#1f5c00">Creadas: {report.created}</Badge>
          <Badge variant="light" color="#343a40">Omitidas: {report.skipped}</Badge>
        </Group>
      </Alert>
      {failed && (
        <Table.ScrollContainer minWidth={520}>
          <Table striped withTableBorder>
            <Table.Caption>Errores por fila (la línea 1 es el encabezado)</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Línea</Table.Th>
                <Table.Th>Columna</Table.Th>
                <Table.Th>Valor</Table.Th>
                <Table.Th>Error</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.errors.map((e, i) => (
                <Table.Tr key={`${e.line}-${e.column}-${i}`} data-line={e.line}>
                  <Table.Td>{e.line}</Table.Td>
                  <Table.Td>{e.column ?? '—'}</Table.Td>
                  <Table.Td>{e.value ?? '—'}</Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {report.errors_truncated && <Text size="sm">Se muestran los primeros {report.errors.length} errores.</Text>}
    </Stack>
  );
}
