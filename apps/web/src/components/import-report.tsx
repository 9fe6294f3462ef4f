import { Alert, Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** The ImportReport every CSV import answers (users §6.1, schedules §6.1): what the screens show of it. */
export interface ImportReportData {
  dry_run: boolean;
  total_rows: number;
  valid_rows: number;
  error_rows: number;
  created: number;
  skipped: number;
  errors: Array<{ line: number; column: string | null; code?: string; message: string; value?: string | null }>;
  errors_truncated?: boolean;
}

/**
 * The counts, then one row per error (its physical line, the header being line 1, the column and the
 * value) so the file can be fixed; `children` adds what an import created, after a real one.
 */
export function ImportReportView({ report, message, createdLabel, columnLabel = (c) => c ?? '—', children }: {
  report: ImportReportData;
  /** The envelope's message of a refused import. */
  message?: string;
  /** "1 persona creada" / "3 fichas creadas": what `created` counts. */
  createdLabel: (n: number) => string;
  columnLabel?: (column: string | null) => string;
  children?: ReactNode;
}) {
  const failed = report.errors.length > 0;
  const title = failed
    ? 'El archivo tiene errores: no se guardó nada'
    : report.dry_run
      ? 'Validación correcta: no se guardó nada todavía'
      : `Importación terminada: ${createdLabel(report.created)}`;
  return (
    <Stack gap="sm" data-testid="import-report">
      <Alert color={failed ? 'red' : 'sena'} title={title} role={failed ? 'alert' : 'status'}>
        {message && failed && <Text size="sm">{message}</Text>}
        <Group gap="xs" mt={4}>
          <Badge variant="outline" color="dark">Filas: {report.total_rows}</Badge>
          <Badge variant="outline" color="dark">Válidas: {report.valid_rows}</Badge>
          <Badge variant="outline" color="dark">Con error: {report.error_rows}</Badge>
          {!report.dry_run && !failed && <Badge variant="outline" color="dark">Creadas: {report.created}</Badge>}
          <Badge variant="outline" color="dark">Omitidas: {report.skipped}</Badge>
        </Group>
      </Alert>
      {failed && (
        <Table.ScrollContainer minWidth={520}>
          <Table striped withTableBorder aria-label="Errores por fila">
            <Table.Caption>Errores por fila (la línea 1 es el encabezado). Corrija el archivo y vuelva a cargarlo.</Table.Caption>
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
                  <Table.Td>{columnLabel(e.column)}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{e.value || '—'}</Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {report.errors_truncated && <Text size="sm">Se muestran los primeros {report.errors.length} errores.</Text>}
      {!failed && children}
    </Stack>
  );
}
