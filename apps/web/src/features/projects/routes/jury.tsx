import { Alert, Anchor, Button, Card, Group, List, Stack, Text, Title, SimpleGrid } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useSessionState } from '../../../app/context.tsx';
import { AskText, type AskTextRequest } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime, formatTime } from '../../../lib/dates.ts';
import { messageOf } from '../../../lib/errors.ts';
import { useEvaluations, usePendingEvaluations, useProjectCall, useSessions, useTeams } from '../api/projects.ts';
import type { EvalSession } from '../api/types.ts';
import { EVALUATION_STATUS, JUROR_STATUS, PROJECT_STATUS, score, SESSION_STATUS, SESSION_TYPE, StateBadge, SUBMISSION_STATUS, TEAM_STATUS } from '../components/labels.tsx';

/** `/jurado`: invitations (P51), what I still have to score (P57), my sessions, my evaluations, teams I advise. */
export default function JuryPage() {
  const { claims } = useSessionState();
  const me = claims?.sub ?? '';
  return (
    <Stack maw={760}>
      <Title order={1}>Jurado</Title>
      <Invitations me={me} />
      <Pending />
      <MySessions me={me} />
      <MyEvaluations me={me} />
      <AdvisedTeams me={me} />
    </Stack>
  );
}

function place(s: EvalSession) {
  return [s.location, s.virtual_url].filter(Boolean).join(' · ');
}

function Invitations({ me }: { me: string }) {
  const sessions = useSessions({ juror_id: me, status: 'scheduled', sort: 'starts_at' }, Boolean(me));
  const { call } = useProjectCall();
  const [ask, setAsk] = useState<AskTextRequest | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  if (sessions.isPending) return <Loading label="Cargando invitaciones…" />;
  if (sessions.isError) return <ErrorState error={sessions.error} />;
  const invited = sessions.data.filter((s) => s.jurors.some((j) => j.instructor_id === me && j.status === 'invited'));

  async function respond(s: EvalSession, response: 'confirm' | 'decline') {
    let reason: string | null = null;
    if (response === 'decline') {
      reason = await new Promise<string | null>((resolve) =>
        setAsk({ title: `Rechazar: ${s.title}`, label: 'Motivo', description: 'El organizador y el presidente reciben su motivo (5 a 500 caracteres).', minLength: 5, resolve: (v) => (setAsk(null), resolve(v)) }),
      );
      if (!reason) return;
    }
    setBusy(s.id);
    setError(null);
    try {
      await call({ method: 'POST', path: `/sessions/${s.id}/respond`, body: response === 'decline' ? { response, reason: reason!.slice(0, 500) } : { response } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Invitaciones
      </Title>
      <Text size="sm">Solo los jurados que confirman antes del inicio forman el panel y califican.</Text>
      {error !== null && (
        <Alert color="red" role="alert">
          {messageOf(error)}
        </Alert>
      )}
      {invited.length === 0 && <Empty>No tiene invitaciones por responder.</Empty>}
      {invited.map((s) => (
        <Card key={s.id} withBorder>
          <Stack gap="xs">
            <Text fw={600}>{s.title}</Text>
            <Text size="sm">
              {SESSION_TYPE[s.session_type]} · {formatDateTime(s.starts_at)} – {formatTime(s.ends_at)}
            </Text>
            {place(s) && <Text size="sm">Lugar: {place(s)}</Text>}
            <Text size="sm">
              Presidente: {s.chair_name ?? '(no disponible)'} · {s.agenda.length} {s.agenda.length === 1 ? 'equipo' : 'equipos'} en la agenda · Confirmados: {s.jurors.filter((j) => j.status === 'confirmed').length} de{' '}
              {s.jurors.filter((j) => j.status !== 'removed').length}
            </Text>
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
              <Button variant="default" onClick={() => void respond(s, 'decline')} disabled={busy !== null}>
                Rechazar
              </Button>
              <Button onClick={() => void respond(s, 'confirm')} loading={busy === s.id}>
                Confirmar asistencia
              </Button>
            </SimpleGrid>
          </Stack>
        </Card>
      ))}
      <AskText request={ask} />
    </Stack>
  );
}

function Pending() {
  const pending = usePendingEvaluations();
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Por calificar
      </Title>
      {pending.isPending ? (
        <Loading />
      ) : pending.isError ? (
        <ErrorState error={pending.error} />
      ) : pending.data.length === 0 ? (
        <Empty>No tiene entregas por calificar.</Empty>
      ) : (
        pending.data.map((p) => (
          <Card key={`${p.session.id}:${p.submission.id}`} withBorder>
            <Group justify="space-between" wrap="nowrap">
              <Stack gap={2}>
                <Text fw={600}>
                  {p.submission.team_name} · {p.submission.deliverable_title}
                </Text>
                <Text size="sm">
                  {p.session.title} · {formatDateTime(p.session.starts_at)}
                </Text>
              </Stack>
              <StateBadge status={p.status} labels={EVALUATION_STATUS} />
            </Group>
            <Button mt="sm" component={Link} to={`/jurado/evaluar/${p.session.id}/${p.submission.id}`} aria-label={`${p.status === 'draft' ? 'Seguir calificando' : 'Calificar'} ${p.submission.team_name}: ${p.submission.deliverable_title}`}>
              {p.status === 'draft' ? 'Seguir calificando' : 'Calificar'}
            </Button>
          </Card>
        ))
      )}
    </Stack>
  );
}

/** Sessions where I am a juror: status, my standing, the agenda; chair and organizer run them (P53, P54, P44). */
function MySessions({ me }: { me: string }) {
  const sessions = useSessions({ juror_id: me, sort: '-starts_at' }, Boolean(me));
  const { call } = useProjectCall();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  if (sessions.isPending) return <Loading label="Cargando sesiones…" />;
  if (sessions.isError) return <ErrorState error={sessions.error} />;
  const list = sessions.data.filter((s) => s.jurors.some((j) => j.instructor_id === me && j.status !== 'invited'));

  async function act(key: string, path: string) {
    setBusy(key);
    setError(null);
    try {
      await call({ method: 'POST', path });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Mis sesiones de evaluación
      </Title>
      {error !== null && (
        <Alert color="red" role="alert">
          {messageOf(error)}
        </Alert>
      )}
      {list.length === 0 && <Empty>No tiene sesiones confirmadas.</Empty>}
      {list.map((s) => {
        const mine = s.jurors.find((j) => j.instructor_id === me)!;
        const runs = s.chair_id === me || s.organizer_id === me;
        return (
          <Card key={s.id} withBorder>
            <Stack gap="xs">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={600}>{s.title}</Text>
                <StateBadge status={s.status} labels={SESSION_STATUS} />
              </Group>
              <Text size="sm">
                {formatDateTime(s.starts_at)} – {formatTime(s.ends_at)} · Usted: {JUROR_STATUS[mine.status]}
                {mine.is_panel ? ' (panel)' : ''}
                {s.chair_id === me ? ' · Preside' : ''}
              </Text>
              {place(s) && <Text size="sm">Lugar: {place(s)}</Text>}
              <List size="sm" spacing={4} aria-label={`Agenda de ${s.title}`}>
                {s.agenda.map((a) => (
                  <List.Item key={a.submission_id}>
                    {formatTime(a.slot_starts_at)} · {a.team_name} · {a.deliverable_title} · {SUBMISSION_STATUS[a.submission_status] ?? a.submission_status}
                    {mine.is_panel && (s.status === 'in_progress' || s.status === 'completed') && a.submission_status !== 'published' && (
                      <>
                        {' · '}
                        <Anchor component={Link} to={`/jurado/evaluar/${s.id}/${a.submission_id}`}>
                          Calificar
                        </Anchor>
                      </>
                    )}
                    {runs && s.status === 'completed' && a.submission_status === 'evaluated' && (
                      <Button size="compact-sm" ml="xs" loading={busy === a.submission_id} onClick={() => void act(a.submission_id, `/submissions/${a.submission_id}/publish`)}>
                        Publicar resultado
                      </Button>
                    )}
                  </List.Item>
                ))}
              </List>
              {runs && s.status === 'scheduled' && (
                <Button variant="default" loading={busy === s.id} onClick={() => void act(s.id, `/sessions/${s.id}/start`)}>
                  Iniciar la sesión
                </Button>
              )}
              {runs && s.status === 'in_progress' && (
                <Button variant="default" loading={busy === s.id} onClick={() => void act(s.id, `/sessions/${s.id}/complete`)}>
                  Finalizar la sesión
                </Button>
              )}
            </Stack>
          </Card>
        );
      })}
    </Stack>
  );
}

function MyEvaluations({ me }: { me: string }) {
  const evaluations = useEvaluations({ evaluator_id: me, sort: '-updated_at' }, Boolean(me));
  if (evaluations.isPending || evaluations.isError) return null;
  const done = evaluations.data.filter((e) => e.status !== 'draft');
  if (done.length === 0) return null;
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Mis evaluaciones
      </Title>
      {done.map((e) => (
        <Card key={e.id} withBorder>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">
              Nota {score(e.total_score)}
              {e.band_code ? ` (${e.band_code})` : ''} · {e.completed_at ? formatDateTime(e.completed_at) : ''}
            </Text>
            <StateBadge status={e.status} labels={EVALUATION_STATUS} />
          </Group>
          {e.status === 'completed' && (
            <Anchor component={Link} to={`/jurado/evaluar/${e.session_id}/${e.submission_id}`} size="sm" mt={4}>
              Ver o reabrir
            </Anchor>
          )}
        </Card>
      ))}
    </Stack>
  );
}

function AdvisedTeams({ me }: { me: string }) {
  const teams = useTeams({ advisor_id: me }, Boolean(me));
  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        Equipos que asesoro
      </Title>
      {teams.isPending ? (
        <Loading />
      ) : teams.isError ? (
        <ErrorState error={teams.error} />
      ) : teams.data.length === 0 ? (
        <Empty>No asesora equipos de proyecto.</Empty>
      ) : (
        teams.data.map((t) => (
          <Card key={t.id} withBorder>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text fw={600}>{t.name}</Text>
              <StateBadge status={t.status} labels={TEAM_STATUS} />
            </Group>
            <Text size="sm">
              Ficha {t.group_number} · {t.member_count} integrantes · {Object.values(t.idea_counts).reduce((a, b) => a + b, 0)} ideas
              {t.idea_counts.proposed ? ` (${t.idea_counts.proposed} por decidir)` : ''}
            </Text>
            {t.project && (
              <Text size="sm">
                Proyecto: {t.project.title} · {PROJECT_STATUS[t.project.status] ?? t.project.status}
              </Text>
            )}
            <Text size="sm">{t.members.filter((m) => m.left_at === null).map((m) => m.name ?? '(no disponible)').join(', ')}</Text>
          </Card>
        ))
      )}
    </Stack>
  );
}
