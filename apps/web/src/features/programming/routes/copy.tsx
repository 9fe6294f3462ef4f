import { Alert, Badge, Button, Group, MultiSelect, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ask-text.tsx';
import { addDays, mondayOf, todayLocal } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useCopy, useGroups, type CopyResult } from '../api/programming.ts';
import { ConflictList } from '../components/conflict-list.tsx';
import { ProgrammingHeader } from '../components/section-nav.tsx';

const STATUS: Record<string, { label: string; color: string }> = {
  ok: { label: 'Se copia', color: 'sena.8' },
  skipped: { label: 'Se omite', color: 'gray.7' },
  failed: { label: 'Con error', color: 'red.8' },
};

function reasonText(reason: CopyResult['items'][number]['reason']): string {
  if (!reason) return '';
  return typeof reason === 'string' ? reason : reason.code;
}

/** `/programacion/copiar`: copy a week or a trimester (S10) — dry run first, then the copy, all or nothing. */
export default function CopyPage() {
  const monday = mondayOf(todayLocal());
  const [form, setForm] = useState({ source_from: monday, source_to: addDays(monday, 6), target_start_date: addDays(monday, 7), target_end_date: addDays(monday, 90) });
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [result, setResult] = useState<CopyResult | null>(null);
  const [confirm, setConfirm] = useState<{ title: string; body: string; confirm: string; resolve: (ok: boolean) => void } | null>(null);
  const groups = useGroups({ is_active: true, page_size: 100, sort: 'number' });
  const copy = useCopy();
  const failed = copy.error instanceof ApiError && copy.error.code === 'COPY_VALIDATION_FAILED' ? (copy.error.details as unknown as CopyResult) : null;
  const fields = copy.error instanceof ApiError ? copy.error.fields : {};
  const shown = failed ?? result;

  function run(dryRun: boolean) {
    setResult(null);
    copy.mutate({ ...form, group_ids: groupIds.length ? groupIds : undefined, dry_run: dryRun }, { onSuccess: setResult });
  }
  const edit = (patch: Partial<typeof form>) => {
    setForm({ ...form, ...patch });
    setResult(null);
    copy.reset();
  };

  return (
    <Stack>
      <ProgrammingHeader title="Copiar horarios" />
      <Text size="sm">
        Copia las clases activas de un periodo de origen (hasta 184 días: una semana o un trimestre) a un periodo de destino (hasta 366 días). Primero revise la simulación;
        la copia se hace completa o no se hace.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput type="date" label="Origen: desde" required value={form.source_from} onChange={(e) => edit({ source_from: e.currentTarget.value })} error={fields.source_from} />
        <TextInput type="date" label="Origen: hasta" required value={form.source_to} onChange={(e) => edit({ source_to: e.currentTarget.value })} error={fields.source_to} />
        <TextInput type="date" label="Destino: desde" required value={form.target_start_date} onChange={(e) => edit({ target_start_date: e.currentTarget.value })} error={fields.target_start_date} />
        <TextInput type="date" label="Destino: hasta" required value={form.target_end_date} onChange={(e) => edit({ target_end_date: e.currentTarget.value })} error={fields.target_end_date} />
      </SimpleGrid>
      <MultiSelect
        label="Fichas (vacío: todas)"
        searchable
        value={groupIds}
        onChange={(v) => {
          setGroupIds(v);
          setResult(null);
        }}
        data={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: `${g.number} · ${g.program.code}` }))}
        maxValues={100}
      />
      <Group>
        <Button variant="default" onClick={() => run(true)} loading={copy.isPending && copy.variables?.dry_run}>
          Simular
        </Button>
        <Button
          disabled={!result?.dry_run || result.items.every((i) => i.status !== 'ok')}
          loading={copy.isPending && !copy.variables?.dry_run}
          onClick={() =>
            setConfirm({
              title: 'Copiar horarios',
              body: `Se crearán ${result?.items.filter((i) => i.status === 'ok').length ?? 0} clases en el periodo de destino y se avisará a instructores y fichas.`,
              confirm: 'Copiar',
              resolve: (ok) => {
                setConfirm(null);
                if (ok) run(false);
              },
            })
          }
        >
          Copiar
        </Button>
      </Group>
      {copy.isError && !failed && (
        <Alert color="#a51d1d" role="alert" title="No se pudo copiar">
          {messageOf(copy.error)}
        </Alert>
      )}
      {shown && (
        <Stack gap="xs">
          <Alert color={failed ? '#a51d1d' : '#1f5c00'} role={failed ? 'alert' : 'status'} title={failed ? 'Hay clases que no se pueden copiar: no se copió nada' : shown.dry_run ? 'Simulación: no se guardó nada' : `Copia terminada: ${shown.created} clases creadas`}>
            {shown.items.filter((i) => i.status === 'ok').length} se copian · {shown.items.filter((i) => i.status === 'skipped').length} se omiten ·{' '}
            {shown.items.filter((i) => i.status === 'failed').length} con error
          </Alert>
          {shown.items.flatMap((i) => (typeof i.reason === 'object' && i.reason?.conflicts?.length ? [<ConflictList key={i.source_id} conflicts={i.reason.conflicts} title="Cruce en el destino" />] : []))}
          <Table.ScrollContainer minWidth={420}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Clase de origen</Table.Th>
                  <Table.Th>Resultado</Table.Th>
                  <Table.Th>Motivo</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.items.map((i) => (
                  <Table.Tr key={i.source_id}>
                    <Table.Td>{i.source_id.slice(0, 8)}</Table.Td>
                    <Table.Td>
                      <Badge color={STATUS[i.status].color}>{STATUS[i.status].label}</Badge>
                    </Table.Td>
                    <Table.Td>{reasonText(i.reason)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
      <ConfirmModal request={confirm} />
    </Stack>
  );
}
