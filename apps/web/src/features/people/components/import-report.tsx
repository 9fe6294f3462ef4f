import { Table } from '@mantine/core';
import { ImportReportView } from '../../../components/import-report.tsx';
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

/** users §6.1's ImportReport, and after a real import the people it created with their first password's rule. */
export function UsersImportReport({ report, message }: { report: ImportReport; message?: string }) {
  return (
    <ImportReportView report={report} message={message} columnLabel={columnLabel} createdLabel={(n) => `${n} ${n === 1 ? 'persona creada' : 'personas creadas'}`}>
      {report.created_users.length > 0 && (
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
    </ImportReportView>
  );
}
