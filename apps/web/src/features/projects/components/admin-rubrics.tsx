import { Button, Card, Group, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { messageOf } from '../../../lib/errors.ts';
import { useProjectCall, useRubric, useRubrics } from '../api/projects.ts';
import type { Rubric } from '../api/types.ts';
import { RUBRIC_STATUS, StateBadge } from './labels.tsx';
import { RubricEditor, type RubricBody } from './rubric-editor.tsx';

const STATUS_OPTIONS = [{ value: '', label: 'Todas' }, ...Object.entries(RUBRIC_STATUS).map(([value, label]) => ({ value, label }))];

/** P27 list; P29 in the editor; P28/P30 save, P31 activate, P32 archive, P33 duplicate (coordination only). */
export function RubricsAdmin({ canWrite }: { canWrite: boolean }) {
  const [status, setStatus] = useState('');
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const rubrics = useRubrics({ status, sort: 'name' });
  const { call } = useProjectCall();
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState<{ title: string; body: string; confirm: string; resolve: (ok: boolean) => void } | null>(null);

  async function archive(id: string, name: string) {
    const ok = await new Promise<boolean>((resolve) => setConfirm({ title: 'Archivar rúbrica', body: `¿Archivar "${name}"? No podrá usarse en entregables nuevos ni volver a activarse.`, confirm: 'Archivar', resolve: (v) => (setConfirm(null), resolve(v)) }));
    if (ok) await act(() => call({ method: 'POST', path: `/rubrics/${id}/archive` }));
  }

  async function act(fn: () => Promise<unknown>) {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Select label="Estado" data={STATUS_OPTIONS} value={status} onChange={(v) => setStatus(v ?? '')} allowDeselect={false} maw={240} />
        {canWrite && <Button onClick={() => setSelected('new')}>Nueva rúbrica</Button>}
      </Group>
      {error !== null && (
        <Text c="red.8" role="alert">
          {messageOf(error)}
        </Text>
      )}
      {selected === 'new' && (
        <RubricEditor
          rubric={null}
          onSave={async (body) => {
            const created = await call<Rubric>({ method: 'POST', path: '/rubrics', body });
            setSelected(created.id);
          }}
          onActivate={async (body) => {
            const created = await call<Rubric>({ method: 'POST', path: '/rubrics', body });
            setSelected(created.id);
            await call({ method: 'POST', path: `/rubrics/${created.id}/activate` });
          }}
        />
      )}
      {selected && selected !== 'new' && <SelectedRubric id={selected} canWrite={canWrite} onClose={() => setSelected(null)} />}
      {rubrics.isPending ? (
        <Loading />
      ) : rubrics.isError ? (
        <ErrorState error={rubrics.error} />
      ) : rubrics.data.length === 0 ? (
        <Empty>No hay rúbricas.</Empty>
      ) : (
        rubrics.data.map((r) => (
          <Card key={r.id} withBorder>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2}>
                <Text fw={600}>{r.name}</Text>
                <Text size="sm">
                  Versión {r.version} · pesos suman {r.weight_total} · usada en {r.usage_count} {r.usage_count === 1 ? 'entregable' : 'entregables'}
                  {r.program_code ? ` · ${r.program_code}` : ''}
                  {r.trimester ? ` · trimestre ${r.trimester}` : ''}
                </Text>
              </Stack>
              <StateBadge status={r.status} labels={RUBRIC_STATUS} />
            </Group>
            <Group mt="xs">
              <Button size="xs" variant="default" onClick={() => setSelected(r.id)} aria-label={`${canWrite && r.status === 'draft' ? 'Editar' : 'Ver'} ${r.name}`}>
                {canWrite && r.status === 'draft' ? 'Editar' : 'Ver'}
              </Button>
              {canWrite && (
                <Button size="xs" variant="default" onClick={() => void act(async () => setSelected((await call<Rubric>({ method: 'POST', path: `/rubrics/${r.id}/duplicate`, body: {} })).id))} aria-label={`Duplicar ${r.name}`}>
                  Duplicar
                </Button>
              )}
              {canWrite && r.status !== 'archived' && (
                <Button size="xs" variant="default" onClick={() => void archive(r.id, r.name)} aria-label={`Archivar ${r.name}`}>
                  Archivar
                </Button>
              )}
            </Group>
          </Card>
        ))
      )}
      <ConfirmModal request={confirm} />
    </Stack>
  );
}

function SelectedRubric({ id, canWrite, onClose }: { id: string; canWrite: boolean; onClose: () => void }) {
  const rubric = useRubric(id);
  const { call } = useProjectCall();
  if (rubric.isPending) return <Loading />;
  if (rubric.isError) return <ErrorState error={rubric.error} />;
  const save = (body: RubricBody) => call({ method: 'PUT', path: `/rubrics/${id}`, body });
  return (
    <Stack gap="xs">
      <RubricEditor
        key={`${id}:${rubric.data.status}`}
        rubric={rubric.data}
        readOnly={!canWrite}
        onSave={save}
        onActivate={async (body) => {
          await save(body);
          await call({ method: 'POST', path: `/rubrics/${id}/activate` });
        }}
      />
      <Button variant="subtle" w="fit-content" onClick={onClose}>
        Cerrar el editor
      </Button>
    </Stack>
  );
}
