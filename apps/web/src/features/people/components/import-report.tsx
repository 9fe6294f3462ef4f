import { Alert, Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { ImportReport } from '../api/files.ts';

const COLUMN_LABELS: Record<string, string> = {
  first_name: 'Nombres',
  last_name: 'Apellidos',
  email: 'Correo',
  document_type: 'Tipo de documento',
  document_number: 'Documento',
  role: 'Rol',
  group_number: 'Ficha',
  phone: 'Teléfono',
  area: 'Área',
};

export const columnLabel = (column: string | null) => (column ? (COLUMN_LABELS[column] ?? column) : '—');

/**
 * users §6.1's ImportReport: the counts, then one row per error (its physical line, the header being line
 * 1, the column and the value) so the file can be fixed; after a real import, the people it created.
 */
export function ImportReportView({ report, message }: { report: ImportReport; message?: string }) {
  const failed = report.errors.length > 0;
  const title = failed
    ? 'El archivo tiene errores: no se guardó nada'
    : report.dry_run
      ? 'Validación correcta: no se guardó nada todavía'
      : `Importación terminada: ${report.created} ${report.created === 1 ? 'persona creada' : 'personas creadas'}`;
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
      {!failed && report.created_users.length > 0 && (
        <Table.ScrollContainer minWidth={480}>
          <Table striped withTableBorder aria-label="Personas creadas">
            <Table.Caption>Personas creadas: su primera contraseña es su número de documento</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Línea</Table.Th>
                <Table.Th>Documento</Table.Th>
                <Table.Th>Correo</Table.Th>
                <Table.Th>Rol</Table.Th>
                <Table.Th>Ficha</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.created_users.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>{u.line}</Table.Td>
                  <Table.Td>{u.document_number}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{u.email}</Table.Td>
                  <Table.Td>{u.role === 'aprendiz' ? 'Aprendiz' : 'Instructor'}</Table.Td>
                  <Table.Td>{u.group_number ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
