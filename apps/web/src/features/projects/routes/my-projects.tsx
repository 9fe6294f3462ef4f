import { Alert, Anchor, Badge, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useSessionState } from '../../../app/context.tsx';
import { ConfirmModal } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime, formatShortDate } from '../../../lib/dates.ts';
import { messageOf } from '../../../lib/errors.ts';
import { useDeliverables, useIdeas, useProject, useProjectCall, useSubmission, useTeams } from '../api/projects.ts';
import type { Deliverable, Idea, Team } from '../api/types.ts';
import { GradeBreakdown } from '../components/grade-breakdown.tsx';
import { IdeaForm, type IdeaBody } from '../components/idea-form.tsx';
import { DELIVERABLE_TYPE, IDEA_STATUS, MEMBER_ROLE, PROJECT_STATUS, PROJECT_TYPE, score, StateBadge, SUBMISSION_STATUS, TEAM_STATUS } from '../components/labels.tsx';
import { SubmitForm } from '../components/submit-form.tsx';

/** `/proyectos`: the apprentice's team, ideas, project, deliverables with upload and published grades (projecteval). */
export default function MyProjectsPage() {
  const { claims } = useSessionState();
  const teams = useTeams();
  if (teams.isPending) return <Loading />;
  if (teams.isError) return <ErrorState error={teams.error} />;
  const me = claims?.sub;
  const open = teams.data.filter((t) => t.status !== 'closed' && t.members.some((m) => m.student_id === me && m.left_at === null));
  const team = open[0] ?? teams.data[0];
  return (
    <Stack maw={720}>
      <Title order={1}>Mis proyectos</Title>
      {!team ? <Empty>Todavía no pertenece a un equipo de proyecto. Su instructor asesor lo agrega a uno.</Empty> : <TeamView team={team} me={me ?? ''} />}
    </Stack>
  );
}

function TeamView({ team, me }: { team: Team; me: string }) {
  const current = team.members.filter((m) => m.left_at === null);
  return (
    <>
      <Card withBorder>
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h3">
              {team.name}
            </Title>
            <StateBadge status={team.status} labels={TEAM_STATUS} />
          </Group>
          <Text size="sm">
            Ficha {team.group_number} · Asesor: {team.advisor_name ?? '(no disponible)'}
          </Text>
          <List size="sm" spacing={2} aria-label="Integrantes">
            {current.map((m) => (
              <List.Item key={m.student_id}>
                {m.name ?? '(no disponible)'}
                {m.student_id === me ? ' (usted)' : ''} · {MEMBER_ROLE[m.role] ?? m.role}
                {team.leader_id === m.student_id ? ' · Líder' : ''}
              </List.Item>
            ))}
          </List>
        </Stack>
      </Card>
      <IdeasSection team={team} />
      {team.project && <ProjectSection projectId={team.project.id} />}
    </>
  );
}

function IdeasSection({ team }: { team: Team }) {
  const ideas = useIdeas({ team_id: team.id, sort: '-created_at' });
  const { call } = useProjectCall();
  const [editing, setEditing] = useState<Idea | 'new' | null>(null);
  const [confirm, setConfirm] = useState<{ title: string; body: string; confirm: string; resolve: (ok: boolean) => void } | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (ideas.isPending) return <Loading label="Cargando ideas…" />;
  if (ideas.isError) return <ErrorState error={ideas.error} />;
  const list = ideas.data;
  const approved = list.find((i) => i.status === 'approved');
  const canPropose = team.status === 'active' && !approved && list.filter((i) => i.status !== 'withdrawn').length < 10;

  async function propose(body: IdeaBody) {
    if (editing === 'new') await call({ method: 'POST', path: `/teams/${team.id}/ideas`, body });
    else if (editing) await call({ method: 'PATCH', path: `/ideas/${editing.id}`, body });
    setEditing(null);
  }
  async function withdraw(idea: Idea) {
    const ok = await new Promise<boolean>((resolve) => setConfirm({ title: 'Retirar la idea', body: `¿Retirar "${idea.title}"? Una idea retirada no vuelve a proponerse.`, confirm: 'Retirar', resolve: (v) => (setConfirm(null), resolve(v)) }));
    if (!ok) return;
    setError(null);
    try {
      await call({ method: 'POST', path: `/ideas/${idea.id}/withdraw` });
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h3">
          Ideas
        </Title>
        {canPropose && editing === null && <Button onClick={() => setEditing('new')}>Proponer una idea</Button>}
      </Group>
      <Text size="sm">
        {approved
          ? `Idea aprobada: ${approved.title}.`
          : team.status !== 'active'
            ? 'El equipo aún no está activo: podrá proponer ideas cuando su asesor lo active.'
            : 'Registre al menos 3 ideas; su asesor aprobará una.'}
      </Text>
      {error !== null && (
        <Alert color="red" role="alert">
          {messageOf(error)}
        </Alert>
      )}
      {editing === 'new' && <IdeaForm onSubmit={propose} onCancel={() => setEditing(null)} />}
      {list.length === 0 && editing === null && <Empty>El equipo no ha propuesto ideas.</Empty>}
      {list.map((idea) => (
        <Card key={idea.id} withBorder>
          <Stack gap="xs">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Text fw={600}>{idea.title}</Text>
              <StateBadge status={idea.status} labels={IDEA_STATUS} />
            </Group>
            <Text size="sm" lineClamp={3}>
              {idea.description}
            </Text>
            {idea.technologies.length > 0 && <Text size="sm">Tecnologías: {idea.technologies.join(', ')}</Text>}
            <List size="sm" spacing={2} aria-label={`Historia de ${idea.title}`}>
              <List.Item>Propuesta el {formatShortDate(idea.created_at.slice(0, 10))}</List.Item>
              {idea.decided_at && (
                <List.Item>
                  {idea.status === 'revision_requested' || (idea.status === 'proposed' && idea.feedback) ? 'Revisión solicitada' : IDEA_STATUS[idea.status]} el {formatDateTime(idea.decided_at)}
                  {idea.viability_score !== null ? ` · viabilidad ${idea.viability_score}/100` : ''}
                  {idea.feedback ? ` — “${idea.feedback}”` : ''}
                </List.Item>
              )}
              {idea.decided_at && idea.status === 'proposed' && idea.updated_at > idea.decided_at && <List.Item>Corregida y enviada de nuevo el {formatDateTime(idea.updated_at)}</List.Item>}
            </List>
            {idea.status === 'revision_requested' && (
              <Alert color="yellow" title="Su asesor pidió cambios">
                {idea.feedback}
              </Alert>
            )}
            {editing !== null && editing !== 'new' && editing.id === idea.id ? (
              <IdeaForm idea={idea} onSubmit={propose} onCancel={() => setEditing(null)} />
            ) : (
              (idea.status === 'proposed' || idea.status === 'revision_requested') &&
              team.status === 'active' && (
                <Group>
                  {idea.status === 'revision_requested' && <Button onClick={() => setEditing(idea)}>Corregir la idea</Button>}
                  <Button variant="default" onClick={() => void withdraw(idea)}>
                    Retirar
                  </Button>
                </Group>
              )
            )}
          </Stack>
        </Card>
      ))}
      <ConfirmModal request={confirm} />
    </Stack>
  );
}

function ProjectSection({ projectId }: { projectId: string }) {
  const project = useProject(projectId);
  const deliverables = useDeliverables(projectId);
  if (project.isPending) return <Loading label="Cargando el proyecto…" />;
  if (project.isError) return <ErrorState error={project.error} />;
  const p = project.data;
  return (
    <Stack gap="sm">
      <Card withBorder>
        <Stack gap="xs">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Title order={2} size="h3">
              {p.title}
            </Title>
            <StateBadge status={p.status} labels={PROJECT_STATUS} />
          </Group>
          <Text size="sm">
            {PROJECT_TYPE[p.project_type] ?? p.project_type} · {formatShortDate(p.start_date)} – {formatShortDate(p.expected_end_date)}
            {p.stakeholder ? ` · Aliado: ${p.stakeholder.name}` : ''}
          </Text>
          <Text size="sm">
            Alcance (versión {p.scope_version}
            {p.scope_locked ? ', bloqueado' : ''}): {p.scope}
          </Text>
          {p.repository_url && (
            <Anchor href={p.repository_url} target="_blank" rel="noreferrer" size="sm">
              Repositorio del proyecto
            </Anchor>
          )}
        </Stack>
      </Card>
      <Title order={2} size="h3">
        Entregables
      </Title>
      {deliverables.isPending ? (
        <Loading label="Cargando entregables…" />
      ) : deliverables.isError ? (
        <ErrorState error={deliverables.error} />
      ) : deliverables.data.length === 0 ? (
        <Empty>Su asesor aún no ha definido entregables.</Empty>
      ) : (
        deliverables.data.map((d) => <DeliverableCard key={d.id} deliverable={d} projectActive={p.status === 'active'} />)
      )}
    </Stack>
  );
}

function DeliverableCard({ deliverable: d, projectActive }: { deliverable: Deliverable; projectActive: boolean }) {
  const [submitting, setSubmitting] = useState(false);
  const [showGrade, setShowGrade] = useState(false);
  const [sent, setSent] = useState(false);
  const cur = d.current_submission;
  const canSubmit = projectActive && d.is_open && (!cur || cur.status === 'submitted' || cur.status === 'returned');
  const published = cur?.status === 'published';
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600}>{d.title}</Text>
          {cur ? <StateBadge status={cur.status} labels={SUBMISSION_STATUS} /> : <Badge color={d.overdue ? 'red.8' : 'gray.7'} style={{ flexShrink: 0 }}>{d.overdue ? 'Vencido' : 'Sin entregar'}</Badge>}
        </Group>
        <Text size="sm">
          {DELIVERABLE_TYPE[d.deliverable_type] ?? d.deliverable_type} · peso {d.weight} · {d.is_open ? 'Vence' : 'Venció'} el {formatDateTime(d.due_at)}
        </Text>
        {d.description && <Text size="sm">{d.description}</Text>}
        {cur && !published && (
          <Text size="sm">
            Versión {cur.version} · {SUBMISSION_STATUS[cur.status] ?? cur.status}
          </Text>
        )}
        {sent && (
          <Alert color="sena" role="status">
            Entrega enviada. Su asesor recibe un aviso.
          </Alert>
        )}
        {published && (
          <Group justify="space-between">
            <Text fw={700}>
              Nota: {score(cur.final_score)} {cur.band_label ? `· ${cur.band_label}` : ''}
            </Text>
            <Button variant="light" onClick={() => setShowGrade((v) => !v)} aria-expanded={showGrade}>
              {showGrade ? 'Ocultar detalle' : 'Ver detalle de la calificación'}
            </Button>
          </Group>
        )}
        {published && showGrade && <SubmissionGrade id={cur.id} />}
        {cur && !published && <SubmissionFiles id={cur.id} />}
        {submitting ? (
          <SubmitForm
            deliverable={d}
            onCancel={() => setSubmitting(false)}
            onDone={() => {
              setSubmitting(false);
              setSent(true);
            }}
          />
        ) : (
          canSubmit && (
            <Button onClick={() => (setSent(false), setSubmitting(true))} variant={cur ? 'default' : 'filled'}>
              {cur ? 'Entregar una nueva versión' : 'Entregar'}
            </Button>
          )
        )}
      </Stack>
    </Card>
  );
}

function SubmissionFiles({ id }: { id: string }) {
  const s = useSubmission(id);
  if (s.isPending || s.isError) return null;
  const sub = s.data;
  return (
    <Stack gap={2}>
      <Text size="sm">Enviada el {formatDateTime(sub.submitted_at)}</Text>
      {sub.return_reason && sub.status === 'returned' && (
        <Alert color="yellow" title="Entrega devuelta">
          {sub.return_reason}
        </Alert>
      )}
      {sub.files.map((f) => (
        <Text key={f.id} size="sm">
          Archivo: {f.original_name}
        </Text>
      ))}
      {sub.repository_url && <Text size="sm">Repositorio: {sub.repository_url}</Text>}
    </Stack>
  );
}

function SubmissionGrade({ id }: { id: string }) {
  const s = useSubmission(id);
  if (s.isPending) return <Loading label="Cargando la calificación…" />;
  if (s.isError) return <ErrorState error={s.error} />;
  return <GradeBreakdown submission={s.data} />;
}
