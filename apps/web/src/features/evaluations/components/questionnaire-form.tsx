import { Alert, Button, Checkbox, Fieldset, Group, Modal, Progress, Radio, SimpleGrid, Stack, Text, Textarea, VisuallyHidden } from '@mantine/core';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import { useMemo, useRef, useState } from 'react';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { formatTime } from '../../../lib/dates.ts';
import type { Answer, AnswerValue, FormQuestion } from '../api/evalin.ts';

export const LIKERT_DEFAULT = [
  { value: 1, label: 'Totalmente en desacuerdo' },
  { value: 2, label: 'En desacuerdo' },
  { value: 3, label: 'Ni de acuerdo ni en desacuerdo' },
  { value: 4, label: 'De acuerdo' },
  { value: 5, label: 'Totalmente de acuerdo' },
];

const REASONS: Record<string, string> = {
  out_of_range: 'La respuesta está fuera de la escala.',
  not_an_option: 'La opción no es válida.',
  too_long: 'La respuesta es demasiado larga.',
  wrong_type: 'La respuesta no tiene el formato esperado.',
  not_in_questionnaire: 'La pregunta ya no está en el cuestionario.',
  duplicate_question: 'La pregunta se respondió dos veces.',
};
const REQUIRED = 'Esta pregunta es obligatoria.';
/** Mantine's default error red is 3.3:1 on white; red.9 passes AA on the fieldset's grey too. */
const ERROR_PROPS = { c: 'red.9' } as const;
/** A long question wraps inside the box instead of running along its top border. */
const LEGEND_INSIDE = { legend: { float: 'left', width: '100%', padding: 0, marginBottom: 8 } } as const;

type Values = Record<string, AnswerValue | undefined>;

/** R27: `""`, `[]` and missing count as unanswered; text is trimmed. */
export function toAnswers(questions: FormQuestion[], values: Values): Answer[] {
  const out: Answer[] = [];
  for (const q of questions) {
    const v = values[q.id];
    if (v === undefined) continue;
    if (typeof v === 'string' && v.trim() === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out.push({ question_id: q.id, value: typeof v === 'string' ? v.trim() : v });
  }
  return out;
}

export function missingRequired(questions: FormQuestion[], values: Values): string[] {
  const answered = new Set(toAnswers(questions, values).map((a) => a.question_id));
  return questions.filter((q) => q.is_required && !answered.has(q.id)).map((q) => q.id);
}

export interface QuestionnaireFormProps {
  questions: FormQuestion[];
  likertScale?: Array<{ value: number; label: string }>;
  initialAnswers?: Answer[] | null;
  initialComment?: string | null;
  commentMax?: number;
  textMax?: number;
  /** Saves a draft (E32 `submit=false` or E34); may be partial. */
  onSaveDraft: (answers: Answer[], generalComment: string | undefined) => Promise<unknown>;
  /** Sends the evaluation (E32 or E34 + E35); called only when every required question is answered. */
  onSubmit: (answers: Answer[], generalComment: string | undefined) => Promise<unknown>;
}

/** The questionnaire for one instructor (evalin E31): one fieldset per question, draft save and submit. */
export function QuestionnaireForm(props: QuestionnaireFormProps) {
  const { questions, likertScale = LIKERT_DEFAULT, commentMax = 1000, textMax = 1000 } = props;
  const sorted = useMemo(() => [...questions].sort((a, b) => a.position - b.position), [questions]);
  const [values, setValues] = useState<Values>(() => Object.fromEntries((props.initialAnswers ?? []).map((a) => [a.question_id, typeof a.value === 'number' ? a.value : a.value])));
  const [comment, setComment] = useState(props.initialComment ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [busy, setBusy] = useState<'draft' | 'submit' | null>(null);
  const [confirming, setConfirming] = useState(false);
  const refs = useRef<Record<string, HTMLFieldSetElement | null>>({});

  const required = sorted.filter((q) => q.is_required);
  const missing = missingRequired(sorted, values);
  const answeredRequired = required.length - missing.length;

  const set = (id: string, v: AnswerValue | undefined) => {
    setValues((prev) => ({ ...prev, [id]: v }));
    setSavedAt(null);
    if (errors[id]) setErrors(({ [id]: _gone, ...rest }) => rest);
  };
  const generalComment = () => (comment.trim() ? comment.trim() : undefined);

  const focusFirst = (ids: string[]) => {
    const first = sorted.find((q) => ids.includes(q.id));
    const el = first ? refs.current[first.id] : null;
    el?.scrollIntoView?.({ block: 'center' });
    el?.querySelector<HTMLElement>('input, textarea')?.focus();
  };

  /** Marks what the server refused (R27 INVALID_ANSWER, R28 INCOMPLETE_EVALUATION) under its question. */
  const showServerError = (err: unknown) => {
    setFormError(messageOf(err));
    if (!(err instanceof ApiError)) return;
    const marks: Record<string, string> = {};
    if (err.code === 'INCOMPLETE_EVALUATION' && Array.isArray(err.details.missing_question_ids)) {
      for (const id of err.details.missing_question_ids as string[]) marks[id] = REQUIRED;
    }
    if (err.code === 'INVALID_ANSWER') {
      const list = Array.isArray(err.details) ? err.details : Array.isArray(err.details.errors) ? err.details.errors : [];
      for (const d of list as Array<{ question_id?: string; reason?: string }>) if (d.question_id) marks[d.question_id] = REASONS[d.reason ?? ''] ?? 'La respuesta no es válida.';
    }
    if (Object.keys(marks).length) {
      setErrors(marks);
      focusFirst(Object.keys(marks));
    }
  };

  const saveDraft = async () => {
    setFormError(null);
    setBusy('draft');
    try {
      await props.onSaveDraft(toAnswers(sorted, values), generalComment());
      setSavedAt(new Date());
    } catch (err) {
      showServerError(err);
    } finally {
      setBusy(null);
    }
  };

  const askSubmit = () => {
    setFormError(null);
    if (missing.length) {
      setErrors(Object.fromEntries(missing.map((id) => [id, REQUIRED])));
      setFormError(missing.length === 1 ? 'Falta 1 respuesta obligatoria.' : `Faltan ${missing.length} respuestas obligatorias.`);
      focusFirst(missing);
      return;
    }
    setConfirming(true);
  };

  const submit = async () => {
    setConfirming(false);
    setBusy('submit');
    try {
      await props.onSubmit(toAnswers(sorted, values), generalComment());
    } catch (err) {
      showServerError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        askSubmit();
      }}
    >
      <Stack gap="md">
        <div>
          <Text size="sm" id="progreso-evaluacion">
            Obligatorias respondidas: {answeredRequired} de {required.length}
          </Text>
          <Progress value={required.length ? (answeredRequired / required.length) * 100 : 100} aria-label={`Obligatorias respondidas: ${answeredRequired} de ${required.length}`} mt={4} />
        </div>
        {sorted.map((q, i) => (
          <Fieldset
            key={q.id}
            ref={(el) => {
              refs.current[q.id] = el;
            }}
            data-question={q.id}
            legend={
              <Text component="span" fw={600}>
                {i + 1}. {q.text}
                {q.is_required ? (
                  <>
                    <Text component="span" c="red.8" aria-hidden>
                      {' *'}
                    </Text>
                    <VisuallyHidden> (obligatoria)</VisuallyHidden>
                  </>
                ) : (
                  <Text component="span" c="dimmed" size="sm">
                    {' (opcional)'}
                  </Text>
                )}
              </Text>
            }
            variant="filled"
            p="sm"
            styles={LEGEND_INSIDE}
          >
            <div style={{ clear: 'both' }}>
              <QuestionInput q={q} value={values[q.id]} onChange={(v) => set(q.id, v)} error={errors[q.id]} likertScale={likertScale} textMax={textMax} />
            </div>
          </Fieldset>
        ))}
        <Textarea
          label="Comentario general (opcional)"
          description={`Hasta ${commentMax} caracteres. Escriba sobre la formación, no sobre personas; evite datos que lo identifiquen.`}
          value={comment}
          maxLength={commentMax}
          rows={4}
          onChange={(e) => {
            setComment(e.currentTarget.value);
            setSavedAt(null);
          }}
        />
        {formError && (
          <Alert color="red" icon={<IconAlertCircle aria-hidden />} role="alert" title="No se pudo completar">
            {formError}
          </Alert>
        )}
        {savedAt && (
          <Alert color="sena" icon={<IconCircleCheck aria-hidden />} role="status">
            Borrador guardado a las {formatTime(savedAt.toISOString())}. Puede volver más tarde para terminarlo.
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <Button variant="default" onClick={saveDraft} loading={busy === 'draft'} disabled={busy !== null}>
            Guardar borrador
          </Button>
          <Button type="submit" loading={busy === 'submit'} disabled={busy !== null}>
            Enviar evaluación
          </Button>
        </SimpleGrid>
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="¿Enviar la evaluación?" centered>
        <Stack>
          <Text>Una vez enviada no se puede modificar ni borrar. Sus respuestas se guardan de forma anónima.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Seguir revisando
            </Button>
            <Button onClick={submit}>Enviar</Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}

function QuestionInput(props: {
  q: FormQuestion;
  value: AnswerValue | undefined;
  onChange: (v: AnswerValue | undefined) => void;
  error?: string;
  likertScale: Array<{ value: number; label: string }>;
  textMax: number;
}) {
  const { q, value, onChange, error, likertScale, textMax } = props;
  const label = `Respuesta a la pregunta: ${q.text}`;
  if (q.question_type === 'likert') {
    return (
      <Radio.Group
        aria-label={label}
        description={q.description ?? undefined}
        value={typeof value === 'number' ? String(value) : null}
        onChange={(v) => onChange(Number(v))}
        error={error}
        errorProps={ERROR_PROPS}
      >
        <Stack gap={6} mt={q.description ? 'xs' : 0}>
          {likertScale.map((s) => (
            <Radio key={s.value} value={String(s.value)} label={`${s.value} · ${s.label}`} />
          ))}
        </Stack>
      </Radio.Group>
    );
  }
  if (q.question_type === 'single_choice') {
    return (
      <Radio.Group aria-label={label} description={q.description ?? undefined} value={typeof value === 'string' ? value : null} onChange={onChange} error={error}
        errorProps={ERROR_PROPS}>
        <Stack gap={6} mt={q.description ? 'xs' : 0}>
          {(q.options ?? []).map((o) => (
            <Radio key={o} value={o} label={o} />
          ))}
        </Stack>
      </Radio.Group>
    );
  }
  if (q.question_type === 'multiple_choice') {
    return (
      <Checkbox.Group
        aria-label={label}
        description={q.description ?? 'Puede elegir varias.'}
        value={Array.isArray(value) ? value : []}
        onChange={(v) => onChange(v)}
        error={error}
        errorProps={ERROR_PROPS}
      >
        <Stack gap={6} mt="xs">
          {(q.options ?? []).map((o) => (
            <Checkbox key={o} value={o} label={o} />
          ))}
        </Stack>
      </Checkbox.Group>
    );
  }
  const text = typeof value === 'string' ? value : '';
  return (
    <Textarea
      aria-label={label}
      description={q.description ?? `Hasta ${textMax} caracteres. Evite datos que lo identifiquen.`}
      value={text}
      maxLength={textMax}
      rows={3}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
        errorProps={ERROR_PROPS}
    />
  );
}
