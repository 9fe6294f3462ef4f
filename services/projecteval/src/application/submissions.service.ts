/**
 * P39–P44: submissions with file versions (R20–R22, §6), their reading (R36), return and publication
 * (R35). Files arrive already staged on disk by the route; rows go in one short transaction, then the
 * files are moved into place. A refused request leaves neither rows nor files.
 */
import type { PageRequest } from '@sicora/platform/pagination';
import { pe } from '../domain/errors.ts';
import type { Access } from './access.ts';
import { isApprentice, isCoordination, isInstructor, type Actor, type Deps } from './context.ts';
import { events } from './events.ts';
import { names } from './people.ts';
import type { DeliverableRow, EvaluationRow, ProjectRow, Repositories, StagedFile, SubmissionRow, TeamRow } from './ports.ts';
import { evaluationView, submissionView } from './results.views.ts';

export interface SubmitInput {
  repository_url?: string;
  deployment_url?: string;
  notes?: string;
}

export function createSubmissionsService(deps: Deps, access: Access) {
  const { repos } = deps;

  /** R36 and O4: who sees which evaluations of a submission. */
  function visible(actor: Actor, s: SubmissionRow, e: EvaluationRow): boolean {
    if (isApprentice(actor)) return s.status === 'published' && e.status === 'published';
    if (e.status === 'draft') return isInstructor(actor) && e.evaluatorId === actor.sub;
    return true;
  }

  async function views(actor: Actor, rows: SubmissionRow[], detail: boolean) {
    const ids = rows.map((s) => s.id);
    const [files, teams, deliverables] = await Promise.all([repos.submissions.files(ids), repos.teams.byIds([...new Set(rows.map((s) => s.teamId))]), repos.deliverables.byIds([...new Set(rows.map((s) => s.deliverableId))])]);
    let evaluations: EvaluationRow[] = [];
    if (detail) evaluations = await repos.evaluations.ofSubmissions(ids);
    const scores = await repos.evaluations.scores(evaluations.map((e) => e.id));
    const people = await names(deps, evaluations.map((e) => e.evaluatorId));
    const criteria = new Map<string, Awaited<ReturnType<typeof repos.rubrics.criteria>>>();
    for (const e of evaluations) if (!criteria.has(e.rubricId)) criteria.set(e.rubricId, await repos.rubrics.criteria(e.rubricId));
    return rows.map((s) =>
      submissionView(s, {
        files: files.filter((f) => f.link.submissionId === s.id),
        showResult: !isApprentice(actor) || s.status === 'published',
        teamName: teams.find((t) => t.id === s.teamId)?.name,
        deliverableTitle: deliverables.find((d) => d.id === s.deliverableId)?.title,
        evaluations: evaluations.filter((e) => e.submissionId === s.id && visible(actor, s, e)).map((e) => evaluationView(e, scores.get(e.id) ?? [], criteria.get(e.rubricId) ?? [], people.name(e.evaluatorId))),
      }),
    );
  }

  /** R20: checked before any byte of an upload is read, and again inside the transaction. */
  async function precheck(actor: Actor, deliverableId: string): Promise<{ deliverable: DeliverableRow; project: ProjectRow; team: TeamRow }> {
    const loaded = await access.deliverable(actor, deliverableId);
    if (!(await access.isOpenMember(actor, loaded.team.id))) throw pe.forbidden();
    if (loaded.project.status !== 'active') throw pe.projectNotActive();
    if (loaded.team.status !== 'active') throw pe.teamNotActive();
    if (deps.now().getTime() > loaded.deliverable.dueAt.getTime()) throw pe.deliverableClosed();
    const current = await repos.submissions.current(deliverableId, loaded.team.id);
    if (current) await checkReplaceable(current);
    return loaded;
  }

  /** R21: only a submitted or returned current submission on no live agenda is superseded. */
  async function checkReplaceable(current: SubmissionRow, r: Repositories = repos) {
    if (current.status !== 'submitted' && current.status !== 'returned') throw pe.submissionLocked();
    if ((await r.submissions.activeAgendaSessions(current.id)).length) throw pe.submissionLocked();
  }

  return {
    precheck,
    discard: (files: StagedFile[]) => deps.files.discard(files),

    async submit(actor: Actor, deliverableId: string, input: SubmitInput, files: StagedFile[]) {
      try {
        const { deliverable, team, project } = await precheck(actor, deliverableId);
        if (!input.repository_url && !input.deployment_url && files.length === 0) throw pe.submissionEmpty();
        const at = deps.now();
        const row = await deps.withTransaction(async (tx) => {
          await tx.teams.lock(team.id);
          const current = await tx.submissions.current(deliverable.id, team.id);
          if (current) {
            await checkReplaceable(current, tx);
            await tx.submissions.setStatus([current.id], 'superseded', at);
          }
          const version = (await tx.submissions.lastVersion(deliverable.id, team.id)) + 1;
          const s = await tx.submissions.insert({ deliverableId: deliverable.id, projectId: project.id, teamId: team.id, version, repositoryUrl: input.repository_url ?? null, deploymentUrl: input.deployment_url ?? null, notes: input.notes ?? null, submittedBy: actor.sub, submittedAt: at, createdAt: at, updatedAt: at });
          for (const f of files) await tx.submissions.insertFile({ id: f.id, storageKey: f.storageKey, originalName: f.originalName, mimeType: f.mimeType, sizeBytes: f.sizeBytes, sha256: f.sha256, uploadedBy: actor.sub, createdAt: at });
          await tx.submissions.attach(files.map((f) => ({ submissionId: s.id, storedFileId: f.id, originalName: f.originalName })));
          await tx.outbox.enqueue(events.submissionReceived(s, team.name, deliverable.title, team.advisorId));
          return s;
        });
        await deps.files.commit(files);
        return (await views(actor, [row], true))[0];
      } catch (err) {
        await deps.files.discard(files);
        throw err;
      }
    },

    async list(actor: Actor, q: { deliverable_id?: string; project_id?: string; team_id?: string; group_id?: string; student_id?: string; status?: SubmissionRow['status']; include_superseded?: boolean }, sort: 'submitted_at' | 'published_at', page: PageRequest) {
      const teamIds = await access.scope(actor);
      const { rows, total } = await repos.submissions.list({ deliverableId: q.deliverable_id, projectId: q.project_id, teamId: q.team_id, groupId: q.group_id, studentId: q.student_id, status: q.status, includeSuperseded: q.include_superseded, teamIds }, sort, page.limit, page.offset);
      return { items: await views(actor, rows, false), total };
    },

    async get(actor: Actor, id: string) {
      const { submission } = await access.submission(actor, id);
      return (await views(actor, [submission], true))[0];
    },

    async file(actor: Actor, id: string, fileId: string) {
      const { submission } = await access.submission(actor, id);
      const f = (await repos.submissions.files([submission.id])).find((x) => x.link.id === fileId);
      const stream = f ? deps.files.open(f.file.storageKey) : undefined;
      if (!f || !stream) throw pe.fileNotFound();
      return { name: f.link.originalName, mimeType: f.file.mimeType, size: f.file.sizeBytes, stream };
    },

    async returnSubmission(actor: Actor, id: string, reason: string) {
      const { submission, team, deliverable } = await access.submission(actor, id);
      access.requireManage(actor, team);
      if (submission.status !== 'submitted' || (await repos.submissions.activeAgendaSessions(submission.id)).length) throw pe.submissionLocked();
      const members = (await repos.teams.openMembers(team.id)).map((m) => m.studentId);
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const r = await tx.submissions.update(submission.id, { status: 'returned', returnReason: reason, returnedBy: actor.sub, returnedAt: at, updatedAt: at });
        await tx.outbox.enqueue(events.submissionReturned(r, deliverable, members));
        return r;
      });
      return (await views(actor, [row], true))[0];
    },

    async publish(actor: Actor, id: string) {
      const { submission, team, deliverable, project } = await access.submission(actor, id);
      const sessionIds = await repos.submissions.activeAgendaSessions(submission.id);
      const sessions = (await Promise.all(sessionIds.map((s) => repos.sessions.byId(s)))).filter((s) => s !== undefined);
      // R35: coordination, the advisor, or the chair of the session that heard it.
      const allowed = isCoordination(actor) || access.isAdvisor(actor, team) || (isInstructor(actor) && sessions.some((s) => s.chairId === actor.sub));
      if (!allowed) throw pe.forbidden();
      if (submission.status === 'published') throw pe.invalidState('submission', submission.status, 'publish');
      if (submission.status !== 'evaluated') throw pe.notEvaluated();
      if (!sessions.some((s) => s.status === 'completed')) throw pe.sessionNotCompleted();
      const members = (await repos.teams.openMembers(team.id)).map((m) => m.studentId);
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const locked = (await tx.submissions.lock(submission.id))!;
        if (locked.status !== 'evaluated') throw pe.notEvaluated();
        const r = await tx.submissions.update(submission.id, { status: 'published', publishedAt: at, publishedBy: actor.sub, updatedAt: at });
        await tx.evaluations.publishOf(submission.id, at);
        await tx.outbox.enqueue(events.resultPublished(r, project.title, deliverable.title, [...members, team.advisorId]));
        return r;
      });
      return (await views(actor, [row], true))[0];
    },
  };
}

export type SubmissionsService = ReturnType<typeof createSubmissionsService>;
