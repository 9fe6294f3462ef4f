import { ActionIcon, Alert, Badge, Button, Card, Checkbox, FileInput, Group, MultiSelect, NativeSelect, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconTrash } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { Pager } from './pager.tsx';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import {
  useCreatePeriod,
  useCreateQuestion,
  useDeleteQuestion,
  useGroups,
  useQuestionnaire,
  useQuestionnaireActions,
  useQuestionnaires,
  useQuestions,
  useUpdateQuestion,
  evalinKeys,
  type QuestionType,
} from '../api/evalin.ts';
import { useBulkUpload, useDownload, type BulkSummary } from '../api/download.ts';

export const TYPE_LABEL: Record<QuestionType, string> = { likert: 'Escala 1 a 5', single_choice: 'Opción única', multiple_choice: 'Opción múltiple', text: 'Texto abierto' };

function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title="No se pudo guardar">
      {messageOf(error)}
    </Alert>
  );
}
const fieldError = (error: unknown, field: string) => (error instanceof ApiError ? error.fields[field] : undefined);

/** E2: a new question, with the bounds of the OpenAPI document (R1–R3). */
function NewQuestion() {
  const create = useCreateQuestion();
  const [text, setText] = useState('');
  const [type, setType] = useState<QuestionType>('likert');
  const [category, setCategory] = useState('');
  const [options, setOptions] = useState('');
  const [required, setRequired] = useState(true);
  const choice = type === 'single_choice' || type === 'multiple_choice';
  const optionList = options.split('\n').map((o) => o.trim()).filter(Boolean);
  const valid = text.trim().length >= 10 && category.trim().length >= 2 && (!choice || (optionList.length >= 2 && optionList.length <= 10));
  const save = async () => {
    await create.mutateAsync({ text: text.trim(), question_type: type, category: category.trim(), is_required: required, ...(choice ? { options: optionList } : {}) });
    setText('');
    setOptions('');
  };
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="nueva-pregunta">
      <Title order={2} size="h4" id="nueva-pregunta" mb="xs">
        Nueva pregunta
      </Title>
      <Stack gap="xs">
        <Textarea label="Texto" description="Entre 10 y 500 caracteres." maxLength={500} value={text} onChange={(e) => setText(e.currentTarget.value)} error={fieldError(create.error, 'text')} required />
        <NativeSelect
          label="Tipo"
          value={type}
          onChange={(e) => {
            const t = e.currentTarget.value as QuestionType;
            setType(t);
            setRequired(t !== 'text');
          }}
          data={Object.entries(TYPE_LABEL).map(([value, label]) => ({ value, label }))}
        />
        <TextInput label="Categoría" description="Entre 2 y 100 caracteres, p. ej. Dominio del Tema." maxLength={100} value={category} onChange={(e) => setCategory(e.currentTarget.value)} required />
        {choice && (
          <Textarea label="Opciones" description="Una por línea, de 2 a 10, hasta 100 caracteres cada una." rows={4} value={options} onChange={(e) => setOptions(e.currentTarget.value)} required />
        )}
        <Checkbox label="Obligatoria" checked={required} onChange={(e) => setRequired(e.currentTarget.checked)} />
        <Problem error={create.error} />
        <Button onClick={() => void save().catch(() => undefined)} disabled={!valid} loading={create.isPending}>
          Crear pregunta
        </Button>
      </Stack>
    </Card>
  );
}

/** E7 (dry run, then the upload) and E8 (the template), with the per-row errors of CSV_VALIDATION_FAILED. */
function BulkUpload() {
  const upload = useBulkUpload();
  const download = useDownload();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [onDuplicate, setOnDuplicate] = useState<'error' | 'skip' | 'update'>('error');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BulkSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await upload(file, { onDuplicate, dryRun }));
      if (!dryRun) await qc.invalidateQueries({ queryKey: evalinKeys.all });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const rowErrors = error instanceof ApiError && Array.isArray(error.details.errors) ? (error.details.errors as Array<{ row: number; column: string | null; message: string }>) : [];
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="carga-masiva">
      <Title order={2} size="h4" id="carga-masiva" mb="xs">
        Carga masiva (CSV)
      </Title>
      <Stack gap="xs">
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => download('/api/v1/evalin/questions/bulk-upload/template', 'plantilla_preguntas.csv').catch(setError)}>
            Descargar plantilla
          </Button>
        </Group>
        <FileInput label="Archivo CSV" description="UTF-8, hasta 1000 filas y 1 MB." accept=".csv,text/csv" value={file} onChange={setFile} clearable clearButtonProps={{ 'aria-label': 'Quitar archivo' }} />
        <NativeSelect
          label="Si el texto ya existe"
          value={onDuplicate}
          onChange={(e) => setOnDuplicate(e.currentTarget.value as typeof onDuplicate)}
          data={[
            { value: 'error', label: 'Marcar la fila como error' },
            { value: 'skip', label: 'Omitir la fila' },
            { value: 'update', label: 'Actualizar la pregunta' },
          ]}
        />
        <Group gap="xs">
          <Button size="xs" variant="default" disabled={!file} loading={busy} onClick={() => void run(true)}>
            Revisar sin guardar
          </Button>
          <Button size="xs" disabled={!file} loading={busy} onClick={() => void run(false)}>
            Cargar
          </Button>
        </Group>
        {result && (
          <Alert color="sena" role="status">
            {result.dry_run ? 'Revisión: ' : 'Cargado: '}
            {result.total_rows === 1 ? '1 fila' : `${result.total_rows} filas`} · nuevas {result.created} · actualizadas {result.updated} · omitidas {result.skipped}
            {result.dry_run ? ' (no se guardó nada).' : '.'}
          </Alert>
        )}
        {error !== null && (
          <Alert color="red" role="alert" title="No se cargó ninguna fila">
            {messageOf(error)}
            {rowErrors.length > 0 && (
              <Stack gap={2} mt={4} component="ul" style={{ margin: 0, paddingLeft: 18 }}>
                {rowErrors.slice(0, 50).map((r, i) => (
                  <Text key={i} size="sm" component="li">
                    Fila {r.row}
                    {r.column ? ` (${r.column})` : ''}: {r.message}
                  </Text>
                ))}
              </Stack>
            )}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

/** E1, E2, E4 (activate / deactivate), E5, and the CSV upload. */
export function QuestionBank() {
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const questions = useQuestions(search, page);
  const update = useUpdateQuestion();
  const remove = useDeleteQuestion();
  const [confirm, setConfirm] = useState<{ title: string; body: string; confirm: string; resolve: (ok: boolean) => void } | null>(null);
  const askDelete = (id: string, text: string) =>
    setConfirm({ title: 'Eliminar pregunta', body: `«${text}» deja de estar en el banco; los reportes anteriores la conservan.`, confirm: 'Eliminar', resolve: (ok) => (setConfirm(null), ok && remove.mutate(id)) });
  return (
    <Stack>
      <NewQuestion />
      <BulkUpload />
      <TextInput label="Buscar pregunta" value={search} onChange={(e) => (setSearch(e.currentTarget.value), setPage(1))} />
      <Problem error={update.error ?? remove.error} />
      <ConfirmModal request={confirm} />
      {questions.isPending ? (
        <Loading />
      ) : questions.isError ? (
        <ErrorState error={questions.error} />
      ) : questions.data.items.length === 0 ? (
        <Empty>No hay preguntas.</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {questions.data.items.map((q) => (
            <Card key={q.id} withBorder padding="xs" component="li">
              <Text size="sm" fw={600}>
                {q.text}
              </Text>
              <Group gap={6} mt={4}>
                <Badge variant="filled" color="gray.7">
                  {q.category}
                </Badge>
                <Badge variant="filled" color="blue.8">
                  {TYPE_LABEL[q.question_type]}
                </Badge>
                {q.is_required && <Badge variant="filled" color="gray.7">Obligatoria</Badge>}
                {q.locked && <Badge variant="filled" color="orange.9">En uso por un período</Badge>}
                {!q.is_active && <Badge variant="filled" color="red.8">Inactiva</Badge>}
              </Group>
              <Group justify="flex-end" mt={4} gap="xs">
                <Button size="xs" variant="default" onClick={() => update.mutate({ id: q.id, body: { is_active: !q.is_active } })}>
                  {q.is_active ? 'Desactivar' : 'Activar'}
                </Button>
                {q.questionnaire_count === 0 && (
                  <Button size="xs" variant="default" onClick={() => askDelete(q.id, q.text)}>
                    Eliminar
                  </Button>
                )}
              </Group>
            </Card>
          ))}
        </Stack>
      )}
      {questions.data && <Pager value={page} onChange={setPage} total={questions.data.totalPages} label="Páginas de preguntas" />}
    </Stack>
  );
}

/** E11, E14–E17 on one questionnaire. */
function QuestionnaireDetail({ id }: { id: string }) {
  const q = useQuestionnaire(id);
  const bank = useQuestions('', 1);
  const actions = useQuestionnaireActions();
  const [adding, setAdding] = useState<string | null>(null);
  const error = actions.addQuestions.error ?? actions.removeQuestion.error ?? actions.reorder.error ?? actions.duplicate.error ?? actions.setActive.error;
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} />;
  const list = q.data.questions ?? [];
  const ids = list.map((x) => x.id);
  const move = (i: number, d: number) => {
    const next = [...ids];
    [next[i], next[i + d]] = [next[i + d], next[i]];
    actions.reorder.mutate({ id, question_ids: next });
  };
  const candidates = (bank.data?.items ?? []).filter((b) => b.is_active && !ids.includes(b.id));
  return (
    <Stack gap="xs">
      {q.data.locked && <Alert color="orange">Un período ya usa este cuestionario: sus preguntas y su orden no cambian. Duplíquelo para editar una copia.</Alert>}
      <Problem error={error} />
      <Stack gap={4} component="ol" style={{ paddingLeft: 20, margin: 0 }}>
        {list.map((x, i) => (
          <li key={x.id}>
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="sm">{x.text}</Text>
              {!q.data.locked && (
                <Group gap={2} wrap="nowrap">
                  <ActionIcon variant="subtle" aria-label={`Subir: ${x.text}`} disabled={i === 0} onClick={() => move(i, -1)}>
                    <IconArrowUp size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon variant="subtle" aria-label={`Bajar: ${x.text}`} disabled={i === list.length - 1} onClick={() => move(i, 1)}>
                    <IconArrowDown size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon variant="subtle" color="red.8" aria-label={`Quitar: ${x.text}`} onClick={() => actions.removeQuestion.mutate({ id, question_id: x.id })}>
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              )}
            </Group>
          </li>
        ))}
      </Stack>
      {!q.data.locked && (
        <Group align="flex-end" wrap="nowrap">
          <Select label="Agregar pregunta" searchable data={candidates.map((c) => ({ value: c.id, label: c.text }))} value={adding} onChange={setAdding} style={{ flex: 1 }} />
          <Button disabled={!adding} onClick={() => adding && actions.addQuestions.mutate({ id, question_ids: [adding] }, { onSuccess: () => setAdding(null) })}>
            Agregar
          </Button>
        </Group>
      )}
      <Group>
        <Button size="xs" variant="default" onClick={() => actions.duplicate.mutate(id)}>
          Duplicar
        </Button>
        <Button size="xs" variant="default" onClick={() => actions.setActive.mutate({ id, is_active: !q.data.is_active })}>
          {q.data.is_active ? 'Desactivar' : 'Activar'}
        </Button>
      </Group>
    </Stack>
  );
}

/** E9, E10 and the detail above. */
export function Questionnaires() {
  const list = useQuestionnaires();
  const { create } = useQuestionnaireActions();
  const [open, setOpen] = useState<string | null>(null);
  const [name, setName] = useState('');
  return (
    <Stack>
      <Card withBorder padding="sm">
        <Group align="flex-end" wrap="nowrap">
          <TextInput label="Nuevo cuestionario" description="Entre 3 y 200 caracteres." maxLength={200} value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: 1 }} />
          <Button disabled={name.trim().length < 3} loading={create.isPending} onClick={() => create.mutate({ name: name.trim() }, { onSuccess: (q) => (setName(''), setOpen(q.id)) })}>
            Crear
          </Button>
        </Group>
        <Problem error={create.error} />
      </Card>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {list.data.items.map((q) => (
            <Card key={q.id} withBorder padding="sm" component="li">
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={0}>
                  <Text fw={700}>{q.name}</Text>
                  <Text size="sm">
                    {q.question_count} preguntas · {q.period_count} períodos{q.is_active ? '' : ' · inactivo'}
                  </Text>
                </Stack>
                <Button size="xs" variant="default" onClick={() => setOpen(open === q.id ? null : q.id)} aria-expanded={open === q.id}>
                  {open === q.id ? 'Cerrar' : 'Ver preguntas'}
                </Button>
              </Group>
              {open === q.id && (
                <Stack mt="sm">
                  <QuestionnaireDetail id={q.id} />
                </Stack>
              )}
            </Card>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** E19: a new period in draft, over fichas of schedules G1 and a usable questionnaire (R11, R13, R14). */
export function CreatePeriod() {
  const create = useCreatePeriod();
  const questionnaires = useQuestionnaires();
  const groups = useGroups();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', description: '', start_date: '', end_date: '', questionnaire_id: '', group_ids: [] as string[] });
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const valid = form.name.trim().length >= 3 && form.start_date && form.end_date && form.questionnaire_id && form.group_ids.length > 0 && form.group_ids.length <= 50;
  const save = () =>
    create.mutate(
      { name: form.name.trim(), ...(form.description.trim() ? { description: form.description.trim() } : {}), start_date: form.start_date, end_date: form.end_date, questionnaire_id: form.questionnaire_id, group_ids: form.group_ids },
      { onSuccess: (p) => void navigate({ to: '/evaluaciones/admin/$period', params: { period: p.id } as never }) },
    );
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="nuevo-periodo">
      <Title order={2} size="h4" id="nuevo-periodo" mb="xs">
        Nuevo período (queda en borrador)
      </Title>
      <Stack gap="xs">
        <TextInput label="Nombre" description="Entre 3 y 200 caracteres." maxLength={200} value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} required error={fieldError(create.error, 'name')} />
        <Textarea label="Descripción (opcional)" maxLength={1000} value={form.description} onChange={(e) => set({ description: e.currentTarget.value })} />
        <Group grow>
          <TextInput type="date" label="Desde" value={form.start_date} onChange={(e) => set({ start_date: e.currentTarget.value })} required />
          <TextInput type="date" label="Hasta" description="Entre 1 y 365 días." value={form.end_date} onChange={(e) => set({ end_date: e.currentTarget.value })} required />
        </Group>
        <NativeSelect
          label="Cuestionario"
          value={form.questionnaire_id}
          onChange={(e) => set({ questionnaire_id: e.currentTarget.value })}
          data={[{ value: '', label: 'Elija un cuestionario' }, ...(questionnaires.data?.items ?? []).filter((q) => q.is_active && q.question_count > 0).map((q) => ({ value: q.id, label: q.name }))]}
          required
        />
        <MultiSelect
          label="Fichas"
          description="De 1 a 50 fichas activas."
          searchable
          data={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.number }))}
          value={form.group_ids}
          onChange={(v) => set({ group_ids: v })}
          maxValues={50}
          required
        />
        <Problem error={create.error} />
        <Button onClick={save} disabled={!valid} loading={create.isPending}>
          Crear período
        </Button>
      </Stack>
    </Card>
  );
}
