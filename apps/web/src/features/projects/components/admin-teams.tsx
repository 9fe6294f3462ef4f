import { Alert, Button, Card, Group, NumberInput, SegmentedControl, Select, Stack, Text, Textarea, TextInput, SimpleGrid } from '@mantine/core';
import { useState } from 'react';
import { AskText, type AskTextRequest } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime, formatShortDate } from '../../../lib/dates.ts';
import { messageOf } from '../../../lib/errors.ts';
import { useDeliverables, useIdeas, useProjects, useTeams } from '../api/projects.ts';
import type { Idea, Project } from '../api/types.ts';
import { DELIVERABLE_TYPE, IDEA_STATUS, MEMBER_ROLE, PROJECT_STATUS, PROJECT_TYPE, score, StateBadge, SUBMISSION_STATUS, TEAM_STATUS } from './labels.tsx';
import { useAction } from './use-action.ts';

const options = (labels: Record<string, string>) => [{ value: '', label: 'Todos' }, ...Object.entries(labels).map(([value, label]) => ({ value, label }))];

function ActionError({ error }: { error: unknown }) {
  return error === null ? null : (
    <Alert color="red" role="alert">
      {messageOf(error)}
    </Alert>
  );
}

/** P1 with activation (P8) and closing (P9) for coordination. */
export function TeamsAdmin({ canWrite }: { canWrite: boolean }) {
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const teams = useTeams({ status, search: search.trim() || undefined });
  const { run, busy, error } = useAction();
  const [ask, setAsk] = useState<AskTextRequest | null>(null);

  async function close(id: string, name: string) {
    const reason = await new Promise<string | null>((resolve) => setAsk({ title: `Cerrar ${name}`, label: 'Motivo', description: 'Entre 10 y 500 caracteres.', minLength: 10, resolve: (v) => (setAsk(null), resolve(v)) }));
    if (reason) await run(id, { method: 'POST', path: `/teams/${id}/close`, body: { reason: reason.slice(0, 500) } });
  }

  return (
    <Stack gap="sm">
      <Group grow>
        <TextInput label="Buscar equipo" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maxLength={100} />
        <Select label="Estado" data={options(TEAM_STATUS)} value={status} onChange={(v) => setStatus(v ?? '')} allowDeselect={false} />
      </Group>
      <ActionError error={error} />
      {teams.isPending ? (
        <Loading />
      ) : teams.isError ? (
        <ErrorState error={teams.error} />
      ) : teams.data.length === 0 ? (
        <Empty>No hay equipos con esos filtros.</Empty>
      ) : (
        teams.data.map((t) => (
          <Card key={t.id} withBorder>
            <Stack gap={4}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={600}>{t.name}</Text>
                <StateBadge status={t.status} labels={TEAM_STATUS} />
              </Group>
              <Text size="sm">
                Ficha {t.group_number} · Asesor: {t.advisor_name ?? '(no disponible)'} · {t.member_count} integrantes
              </Text>
              <Text size="sm">
                {t.members
                  .filter((m) => m.left_at === null)
                  .map((m) => `${m.name ?? '(no disponible)'}${t.leader_id === m.student_id ? ' (líder)' : ''} · ${MEMBER_ROLE[m.role] ?? m.role}`)
                  .join('; ')}
              </Text>
              <Text size="sm">
                Ideas: {Object.entries(t.idea_counts).map(([k, n]) => `${n} ${IDEA_STATUS[k]?.toLowerCase() ?? k}`).join(', ') || 'ninguna'}
                {t.project ? ` · Proyecto: ${t.project.title}` : ''}
              </Text>
              {canWrite && t.status !== 'closed' && (
                <Group>
                  {t.status === 'forming' && (
                    <Button size="xs" loading={busy === t.id} onClick={() => void run(t.id, { method: 'POST', path: `/teams/${t.id}/activate` })}>
                      Activar
                    </Button>
                  )}
                  <Button size="xs" variant="default" onClick={() => void close(t.id, t.name)} disabled={busy !== null}>
                    Cerrar equipo
                  </Button>
                </Group>
              )}
            </Stack>
          </Card>
        ))
      )}
      <AskText request={ask} />
    </Stack>
  );
}

/** P10 (proposed by default) with the decision P14: approve with a viability score, revision or rejection with feedback. */
export function IdeasAdmin({ canWrite }: { canWrite: boolean }) {
  const [status, setStatus] = useState('proposed');
  const ideas = useIdeas({ status, sort: '-created_at' });
  const teams = useTeams();
  const teamName = (id: string) => teams.data?.find((t) => t.id === id)?.name ?? 'Equipo';
  return (
    <Stack gap="sm">
      <Select label="Estado" data={options(IDEA_STATUS)} value={status} onChange={(v) => setStatus(v ?? '')} allowDeselect={false} maw={320} />
      {ideas.isPending ? (
        <Loading />
      ) : ideas.isError ? (
        <ErrorState error={ideas.error} />
      ) : ideas.data.length === 0 ? (
        <Empty>No hay ideas en ese estado.</Empty>
      ) : (
        ideas.data.map((i) => <IdeaCard key={i.id} idea={i} team={teamName(i.team_id)} canWrite={canWrite} />)
      )}
    </Stack>
  );
}

function IdeaCard({ idea, team, canWrite }: { idea: Idea; team: string; canWrite: boolean }) {
  const [deciding, setDeciding] = useState(false);
  const [decision, setDecision] = useState<'approve' | 'request_revision' | 'reject'>('approve');
  const [viability, setViability] = useState<number | ''>(80);
  const [feedback, setFeedback] = useState('');
  const { run, busy, error } = useAction();
  const open = idea.status === 'proposed' || idea.status === 'revision_requested';
  const fb = feedback.trim();
  const ok = decision === 'approve' ? viability !== '' && (fb.length === 0 || fb.length >= 10) : fb.length >= 10;

  async function decide() {
    const body = { decision, ...(decision === 'approve' && viability !== '' ? { viability_score: viability } : {}), ...(fb ? { feedback: fb } : {}) };
    if (await run(idea.id, { method: 'POST', path: `/ideas/${idea.id}/decision`, body })) setDeciding(false);
  }

  return (
    <Card withBorder>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600}>{idea.title}</Text>
          <StateBadge status={idea.status} labels={IDEA_STATUS} />
        </Group>
        <Text size="sm">
          {team} · propuesta el {formatShortDate(idea.created_at.slice(0, 10))}
        </Text>
        <Text size="sm">{idea.description}</Text>
        <Text size="sm">Objetivos: {idea.objectives}</Text>
        {idea.technologies.length > 0 && <Text size="sm">Tecnologías: {idea.technologies.join(', ')}</Text>}
        {idea.feedback && (
          <Text size="sm">
            Última decisión{idea.decided_at ? ` (${formatDateTime(idea.decided_at)})` : ''}: {idea.feedback}
          </Text>
        )}
        <ActionError error={error} />
        {canWrite && open && !deciding && (
          <Button size="xs" variant="default" onClick={() => setDeciding(true)} w="fit-content">
            Decidir
          </Button>
        )}
        {deciding && (
          <Stack gap="xs">
            <SegmentedControl
              value={decision}
              onChange={(v) => setDecision(v as typeof decision)}
              data={[
                { value: 'approve', label: 'Aprobar' },
                { value: 'request_revision', label: 'Pedir cambios' },
                { value: 'reject', label: 'Rechazar' },
              ]}
              aria-label="Decisión"
            />
            {decision === 'approve' && <NumberInput label="Viabilidad (0 a 100)" min={0} max={100} allowDecimal={false} value={viability} onChange={(v) => setViability(v === '' ? '' : Number(v))} />}
            <Textarea label="Retroalimentación" description={decision === 'approve' ? 'Opcional; de 10 a 2000 caracteres' : 'Obligatoria; de 10 a 2000 caracteres'} maxLength={2000} autosize minRows={2} value={feedback} onChange={(e) => setFeedback(e.currentTarget.value)} />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
              <Button variant="default" onClick={() => setDeciding(false)}>
                Cancelar
              </Button>
              <Button onClick={() => void decide()} loading={busy === idea.id} disabled={!ok}>
                Guardar decisión
              </Button>
            </SimpleGrid>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

/** P16 with each project's deliverables (P34) and publication of evaluated results (P44). */
export function ProjectsAdmin({ canWrite }: { canWrite: boolean }) {
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const projects = useProjects({ status, search: search.trim() || undefined });
  return (
    <Stack gap="sm">
      <Group grow>
        <TextInput label="Buscar proyecto" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maxLength={100} />
        <Select label="Estado" data={options(PROJECT_STATUS)} value={status} onChange={(v) => setStatus(v ?? '')} allowDeselect={false} />
      </Group>
      {projects.isPending ? (
        <Loading />
      ) : projects.isError ? (
        <ErrorState error={projects.error} />
      ) : projects.data.length === 0 ? (
        <Empty>No hay proyectos con esos filtros.</Empty>
      ) : (
        projects.data.map((p) => <ProjectCard key={p.id} project={p} canWrite={canWrite} />)
      )}
    </Stack>
  );
}

function ProjectCard({ project: p, canWrite }: { project: Project; canWrite: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <Card withBorder>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600}>{p.title}</Text>
          <StateBadge status={p.status} labels={PROJECT_STATUS} />
        </Group>
        <Text size="sm">
          {p.team ? `${p.team.name} · ficha ${p.team.group_number} · ` : ''}
          {PROJECT_TYPE[p.project_type] ?? p.project_type} · {formatShortDate(p.start_date)} – {formatShortDate(p.expected_end_date)}
        </Text>
        <Text size="sm">
          Alcance versión {p.scope_version}
          {p.scope_locked ? ' (bloqueado)' : ''}
          {p.stakeholder ? ` · Aliado: ${p.stakeholder.name}` : ''}
        </Text>
        <Button size="xs" variant="subtle" w="fit-content" onClick={() => setOpen((v) => !v)} aria-expanded={open}>
          {open ? 'Ocultar entregables' : 'Ver entregables'}
        </Button>
        {open && <ProjectDeliverables projectId={p.id} canWrite={canWrite} />}
      </Stack>
    </Card>
  );
}

function ProjectDeliverables({ projectId, canWrite }: { projectId: string; canWrite: boolean }) {
  const deliverables = useDeliverables(projectId);
  const { run, busy, error } = useAction();
  if (deliverables.isPending) return <Loading />;
  if (deliverables.isError) return <ErrorState error={deliverables.error} />;
  if (deliverables.data.length === 0) return <Empty>Sin entregables.</Empty>;
  return (
    <Stack gap="xs">
      <ActionError error={error} />
      {deliverables.data.map((d) => {
        const cur = d.current_submission;
        return (
          <Card key={d.id} withBorder padding="xs">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={0}>
                <Text size="sm" fw={600}>
                  {d.title}
                </Text>
                <Text size="sm">
                  {DELIVERABLE_TYPE[d.deliverable_type] ?? d.deliverable_type} · peso {d.weight} · vence {formatDateTime(d.due_at)}
                  {cur?.final_score !== null && cur?.final_score !== undefined ? ` · nota ${score(cur.final_score)} ${cur.band_label ?? ''}` : ''}
                </Text>
              </Stack>
              {cur ? <StateBadge status={cur.status} labels={SUBMISSION_STATUS} /> : <Text size="sm">{d.overdue ? 'Vencido' : 'Sin entregar'}</Text>}
            </Group>
            {canWrite && cur?.status === 'evaluated' && (
              <Button size="xs" mt={4} loading={busy === cur.id} onClick={() => void run(cur.id, { method: 'POST', path: `/submissions/${cur.id}/publish` })}>
                Publicar resultado
              </Button>
            )}
          </Card>
        );
      })}
    </Stack>
  );
}
