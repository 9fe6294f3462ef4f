import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { messageOf } from '../../../lib/errors.ts';
import { useRotateKey, useSigningKeys } from '../api/system.ts';

const STATUS: Record<string, { label: string; color: string }> = {
  active: { label: 'Activa', color: 'sena.8' },
  retiring: { label: 'En retiro', color: '#7a4a00' },
  retired: { label: 'Retirada', color: 'gray.7' },
};

/** users K2 (the keys) and K3 (rotate, after a confirmation). */
export function SigningKeys() {
  const keys = useSigningKeys();
  const rotate = useRotateKey();
  const [confirm, setConfirm] = useState<{ title: string; body: string; confirm: string; resolve: (ok: boolean) => void } | null>(null);
  return (
    <Stack>
      <Text size="sm">
        Las sesiones se firman con la clave activa. Al rotar, la nueva clave firma desde ese momento y la anterior sigue verificando durante 2 horas, así que nadie pierde su sesión.
      </Text>
      <Group>
        <Button
          color="red.8"
          loading={rotate.isPending}
          onClick={() =>
            setConfirm({
              title: 'Rotar la clave de firma',
              body: 'Se creará una clave nueva y la actual quedará en retiro por 2 horas. ¿Desea continuar?',
              confirm: 'Rotar clave',
              resolve: (ok) => {
                setConfirm(null);
                if (ok) rotate.mutate();
              },
            })
          }
        >
          Rotar clave
        </Button>
      </Group>
      {rotate.isError && (
        <Alert color="#a51d1d" role="alert" title="No se pudo rotar">
          {messageOf(rotate.error)}
        </Alert>
      )}
      {rotate.isSuccess && (
        <Alert color="#1f5c00" role="status" title="Clave rotada">
          Nueva clave activa {rotate.data.active_kid.slice(0, 12)}…
        </Alert>
      )}
      {keys.isPending ? (
        <Loading />
      ) : keys.isError ? (
        <ErrorState error={keys.error} />
      ) : keys.data.length === 0 ? (
        <Empty>No hay claves.</Empty>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Identificador</Table.Th>
                <Table.Th>Algoritmo</Table.Th>
                <Table.Th>Estado</Table.Th>
                <Table.Th>Origen</Table.Th>
                <Table.Th>Creada</Table.Th>
                <Table.Th>Retiro</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.data.map((k) => (
                <Table.Tr key={k.kid}>
                  <Table.Td title={k.kid}>{k.kid.slice(0, 12)}…</Table.Td>
                  <Table.Td>{k.alg}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS[k.status]?.color ?? 'gray.7'}>{STATUS[k.status]?.label ?? k.status}</Badge>
                  </Table.Td>
                  <Table.Td>{k.source === 'config' ? 'Configuración' : 'Generada'}</Table.Td>
                  <Table.Td>{formatDateTime(k.created_at)}</Table.Td>
                  <Table.Td>{k.retire_at ? formatDateTime(k.retire_at) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmModal request={confirm} />
    </Stack>
  );
}
