import { Alert, Anchor, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { useSessionState } from '../../../app/context.tsx';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { useDeliverable, useEvaluations, useProjectCall, useRubric, useSession, useSubmission } from '../api/projects.ts';
import type { Evaluation } from '../api/types.ts';
import { ScoreForm, type ScorePayload } from '../components/score-form.tsx';

/** `/jurado/evaluar/:session/:submission`: a panel juror scores one submission of the agenda (P58–P62). */
export default function ScorePage() {
  const { session: sessionId, submission: submissionId } = useParams({ strict: false }) as { session: string; submission: string };
  const { claims } = useSessionState();
  const me = claims?.sub ?? '';
  const session = useSession(sessionId);
  const submission = useSubmission(submissionId);
  const deliverable = useDeliverable(submission.data?.deliverable_id);
  const rubric = useRubric(deliverable.data?.rubric_id);
  const mine = useEvaluations({ submission_id: submissionId, evaluator_id: me }, Boolean(me));
  const { call } = useProjectCall();

  const back = (
    <Anchor component={Link} to="/jurado" size="sm">
      ← Volver a Jurado
    </Anchor>
  );
  for (const q of [session, submission, deliverable, rubric, mine]) if (q.isError) return <Stack>{back}<ErrorState error={q.error} /></Stack>;
  if (!session.data || !submission.data || !rubric.data || !mine.data) return <Loading />;
  const s = session.data;
  const sub = submission.data;
  const evaluation = mine.data.find((e) => e.session_id === sessionId) ?? mine.data[0] ?? null;
  const panel = s.jurors.some((j) => j.instructor_id === me && j.is_panel);

  async function save(payload: ScorePayload): Promise<Evaluation> {
    if (!evaluation) {
      return call<Evaluation>({
        method: 'POST',
        path: `/submissions/${submissionId}/evaluations`,
        body: {
          session_id: sessionId,
          scores: payload.scores.filter((x) => x.score !== null).map((x) => ({ criterion_id: x.criterion_id, score: x.score, comment: x.comment })),
          general_comments: payload.general_comments,
          recommendations: payload.recommendations,
        },
      });
    }
    return call<Evaluation>({ method: 'PATCH', path: `/evaluations/${evaluation.id}`, body: payload });
  }

  return (
    <Stack maw={720}>
      {back}
      <Title order={1}>Calificar entrega</Title>
      <Text>
        {sub.team_name} · {sub.deliverable_title} (versión {sub.version})
      </Text>
      <Text size="sm">
        {s.title} · {formatDateTime(s.starts_at)}
      </Text>
      {sub.files.length > 0 && <Text size="sm">Archivos: {sub.files.map((f) => f.original_name).join(', ')}</Text>}
      {sub.repository_url && (
        <Anchor href={sub.repository_url} target="_blank" rel="noreferrer" size="sm">
          Repositorio de la entrega
        </Anchor>
      )}
      {!panel ? (
        <Alert color="yellow" title="No es jurado de esta sesión">
          Solo los jurados que confirmaron antes del inicio califican.
        </Alert>
      ) : s.status === 'scheduled' || s.status === 'cancelled' ? (
        <Alert color="yellow">La sesión no ha iniciado: podrá calificar cuando esté en curso.</Alert>
      ) : (
        <ScoreForm
          rubric={rubric.data}
          evaluation={evaluation}
          onSave={save}
          onComplete={async (payload) => {
            const saved = await save(payload);
            await call({ method: 'POST', path: `/evaluations/${saved.id}/complete` });
          }}
          onReopen={async () => {
            if (evaluation) await call({ method: 'POST', path: `/evaluations/${evaluation.id}/reopen` });
          }}
        />
      )}
    </Stack>
  );
}
