import { Alert, Anchor, Button, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconUsers } from '@tabler/icons-react';
import { Link, useParams, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { ApiError } from '../../../lib/errors.ts';
import { useEvalinConfig, useEvaluationActions, useQuestionnaireFor, type Answer, type EvaluationBody } from '../api/evalin.ts';
import { AnonymityNotice } from '../components/anonymity.tsx';
import { QuestionnaireForm } from '../components/questionnaire-form.tsx';

const back = (
  <Anchor component={Link} to="/evaluaciones">
    Volver a mis evaluaciones
  </Anchor>
);

/** `/evaluaciones/:instructor?periodo=` (evalin E31–E35): the questionnaire for one instructor. */
export default function EvaluateFormPage() {
  const { instructor } = useParams({ strict: false }) as { instructor: string };
  const { periodo } = useSearch({ strict: false }) as { periodo?: string };
  const form = useQuestionnaireFor(instructor, periodo);
  const config = useEvalinConfig();
  const { saveDraft, send } = useEvaluationActions();
  const [evaluationId, setEvaluationId] = useState<string | null | undefined>(undefined);
  const [sent, setSent] = useState<string | null>(null);

  if (sent) {
    return (
      <Stack>
        <Title order={1}>Evaluación enviada</Title>
        <Alert color="sena" icon={<IconCircleCheck aria-hidden />} title="¡Gracias!" role="status">
          Su evaluación de {sent} quedó registrada de forma anónima.
        </Alert>
        <Button component={Link} to="/evaluaciones">
          Volver a mis evaluaciones
        </Button>
      </Stack>
    );
  }
  if (form.isPending) return <Loading />;
  if (form.isError) {
    const code = form.error instanceof ApiError ? form.error.code : '';
    return (
      <Stack>
        <Title order={1}>Evaluar instructor</Title>
        <ErrorState error={form.error} title={code === 'EVALUATION_ALREADY_SUBMITTED' ? 'Ya evaluó a este instructor' : 'No se puede evaluar'} />
        {back}
      </Stack>
    );
  }
  const f = form.data;
  const id = evaluationId === undefined ? (f.evaluation?.id ?? null) : evaluationId;
  const body = (answers: Answer[], general_comment: string | undefined): EvaluationBody => ({ period_id: f.period.id, instructor_id: f.instructor.id, answers, general_comment });

  const onSaveDraft = async (answers: Answer[], comment: string | undefined) => {
    try {
      const r = await saveDraft.mutateAsync({ id, body: body(answers, comment) });
      setEvaluationId(r.id);
    } catch (err) {
      // R26: a draft made in another tab or device: continue it.
      const existing = err instanceof ApiError && err.code === 'EVALUATION_ALREADY_EXISTS' ? (err.details.evaluation_id as string | undefined) : undefined;
      if (!existing || err instanceof ApiError && err.details.status === 'submitted') throw err;
      const r = await saveDraft.mutateAsync({ id: existing, body: body(answers, comment) });
      setEvaluationId(r.id);
    }
  };
  const onSubmit = async (answers: Answer[], comment: string | undefined) => {
    await send.mutateAsync({ id, body: body(answers, comment) });
    setSent(f.instructor.name);
  };

  return (
    <Stack>
      <div>
        <Title order={1}>Evaluar a {f.instructor.name}</Title>
        <Text size="sm">
          {f.period.name} · cierra el {formatDateTime(f.period.end_date)}
        </Text>
        {f.questionnaire.description && <Text size="sm">{f.questionnaire.description}</Text>}
      </div>
      <AnonymityNotice compact minResponses={config.data?.settings.min_responses_for_results} />
      {f.small_group_warning && (
        <Alert color="orange" icon={<IconUsers aria-hidden />} title="Grupo pequeño">
          A este instructor lo evalúan 5 aprendices o menos. Sus respuestas siguen siendo anónimas, pero un comentario muy personal podría reconocerse por su
          redacción.
        </Alert>
      )}
      {f.evaluation?.status === 'draft' && evaluationId === undefined && <Text size="sm">Tiene un borrador guardado: sus respuestas anteriores ya están marcadas.</Text>}
      <QuestionnaireForm
        questions={f.questions}
        likertScale={f.likert_scale}
        initialAnswers={f.evaluation?.answers}
        initialComment={f.evaluation?.general_comment}
        commentMax={config.data?.limits.general_comment_max}
        textMax={config.data?.limits.text_answer_max}
        onSaveDraft={onSaveDraft}
        onSubmit={onSubmit}
      />
      {back}
    </Stack>
  );
}
