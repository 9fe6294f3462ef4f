/** P69–P76: project documents with versions and review (R42–R44, §6). */
import type { PageRequest } from '@sicora/platform/pagination';
import { toIso, toIsoOrNull } from '@sicora/platform/schemas';
import { pe } from '../domain/errors.ts';
import type { Access } from './access.ts';
import { isApprentice, isCoordination, type Actor, type Deps } from './context.ts';
import { events } from './events.ts';
import type { DocumentRow, DocumentVersionRow, ProjectRow, StagedFile, TeamRow } from './ports.ts';

export const MAX_DOCUMENTS = 50;
export const MAX_VERSIONS = 20;

type VersionWithFile = DocumentVersionRow & { file?: { originalName: string; mimeType: string; sizeBytes: number } };

export function documentDetailView(d: DocumentRow, versions: VersionWithFile[]) {
  return {
    ...documentView(d),
    versions: versions.map((v) => ({ version: v.version, change_note: v.changeNote, uploaded_by: v.uploadedBy, uploaded_at: toIso(v.uploadedAt), original_name: v.file?.originalName ?? null, mime_type: v.file?.mimeType ?? null, size_bytes: v.file?.sizeBytes ?? null })),
  };
}

export function documentView(d: DocumentRow) {
  return {
    id: d.id,
    project_id: d.projectId,
    title: d.title,
    document_type: d.documentType,
    description: d.description,
    status: d.status,
    current_version: d.currentVersion,
    approved_version: d.approvedVersion,
    review_comments: d.reviewComments,
    reviewed_by: d.reviewedBy,
    reviewed_at: toIsoOrNull(d.reviewedAt),
    created_by: d.createdBy,
    created_at: toIso(d.createdAt),
    updated_at: toIso(d.updatedAt),
  };
}

export function createDocumentsService(deps: Deps, access: Access) {
  const { repos } = deps;

  async function load(actor: Actor, id: string): Promise<{ doc: DocumentRow; project: ProjectRow; team: TeamRow }> {
    const doc = await repos.documents.byId(id);
    if (!doc) throw pe.documentNotFound();
    const project = (await repos.projects.byId(doc.projectId))!;
    const team = (await repos.teams.byId(project.teamId))!;
    if (isApprentice(actor) && !(await repos.teams.teamIdsOf(actor.sub)).includes(team.id)) throw pe.documentNotFound();
    return { doc, project, team };
  }

  /** R42: open members, the advisor or coordination. */
  async function requireWriter(actor: Actor, team: TeamRow) {
    if (access.canManage(actor, team)) return;
    if (await access.isOpenMember(actor, team.id)) return;
    throw pe.forbidden();
  }

  async function detail(doc: DocumentRow) {
    const versions = await repos.documents.versions(doc.id);
    const files = await Promise.all(versions.map((v) => repos.submissions.storedFile(v.storedFileId)));
    return documentDetailView(doc, versions.map((v, i) => ({ ...v, file: files[i] })));
  }

  const active = (p: ProjectRow) => p.status === 'active' || p.status === 'suspended';

  return {
    /** Checked before an upload is read (R42). */
    async precheckUpload(actor: Actor, projectId: string) {
      const { project, team } = await access.project(actor, projectId);
      await requireWriter(actor, team);
      if (!active(project)) throw pe.projectNotActive();
    },
    async precheckVersion(actor: Actor, id: string) {
      const { doc, team, project } = await load(actor, id);
      await requireWriter(actor, team);
      if (!active(project)) throw pe.projectNotActive();
      if (doc.status === 'in_review') throw pe.invalidState('document', doc.status, 'new_version');
    },
    discard: (files: StagedFile[]) => deps.files.discard(files),

    async list(actor: Actor, projectId: string, q: { document_type?: DocumentRow['documentType']; status?: DocumentRow['status'] }, sort: 'title' | 'updated_at', page: PageRequest) {
      const { project } = await access.project(actor, projectId);
      const { rows, total } = await repos.documents.list(project.id, { type: q.document_type, status: q.status }, sort, page.limit, page.offset);
      return { items: rows.map((d) => documentView(d)), total };
    },

    async get(actor: Actor, id: string) {
      return detail((await load(actor, id)).doc);
    },

    async upload(actor: Actor, projectId: string, body: { title: string; document_type: DocumentRow['documentType']; description?: string; change_note?: string }, file: StagedFile) {
      try {
        const { project, team } = await access.project(actor, projectId);
        await requireWriter(actor, team);
        if (!active(project)) throw pe.projectNotActive();
        const title = body.title.trim();
        if (await repos.documents.titleTaken(project.id, title)) throw pe.documentExists();
        const at = deps.now();
        const doc = await deps.withTransaction(async (tx) => {
          await tx.outbox.lock([`docs:${project.id}`]);
          if ((await tx.documents.count(project.id)) >= MAX_DOCUMENTS) throw pe.documentLimit({ max_documents: MAX_DOCUMENTS });
          await tx.submissions.insertFile({ id: file.id, storageKey: file.storageKey, originalName: file.originalName, mimeType: file.mimeType, sizeBytes: file.sizeBytes, sha256: file.sha256, uploadedBy: actor.sub, createdAt: at });
          const d = await tx.documents.insert({ projectId: project.id, title, documentType: body.document_type, description: body.description ?? null, createdBy: actor.sub, createdAt: at, updatedAt: at });
          await tx.documents.addVersion({ documentId: d.id, version: 1, storedFileId: file.id, changeNote: body.change_note ?? null, uploadedBy: actor.sub, uploadedAt: at });
          return d;
        });
        await deps.files.commit([file]);
        return detail(doc);
      } catch (err) {
        await deps.files.discard([file]);
        throw err;
      }
    },

    async addVersion(actor: Actor, id: string, changeNote: string | undefined, file: StagedFile) {
      try {
        const { doc, team, project } = await load(actor, id);
        await requireWriter(actor, team);
        if (!active(project)) throw pe.projectNotActive();
        const at = deps.now();
        const row = await deps.withTransaction(async (tx) => {
          const locked = (await tx.documents.lock(doc.id))!;
          if (locked.status === 'in_review') throw pe.invalidState('document', locked.status, 'new_version');
          if (locked.currentVersion >= MAX_VERSIONS) throw pe.documentLimit({ max_versions: MAX_VERSIONS });
          await tx.submissions.insertFile({ id: file.id, storageKey: file.storageKey, originalName: file.originalName, mimeType: file.mimeType, sizeBytes: file.sizeBytes, sha256: file.sha256, uploadedBy: actor.sub, createdAt: at });
          await tx.documents.addVersion({ documentId: doc.id, version: locked.currentVersion + 1, storedFileId: file.id, changeNote: changeNote ?? null, uploadedBy: actor.sub, uploadedAt: at });
          return tx.documents.update(doc.id, { currentVersion: locked.currentVersion + 1, status: 'draft', updatedAt: at });
        });
        await deps.files.commit([file]);
        return detail(row);
      } catch (err) {
        await deps.files.discard([file]);
        throw err;
      }
    },

    async file(actor: Actor, id: string, version: number) {
      const { doc } = await load(actor, id);
      const f = await repos.submissions.documentVersionFile(doc.id, version);
      const stream = f ? deps.files.open(f.storageKey) : undefined;
      if (!f || !stream) throw pe.fileNotFound();
      return { name: f.originalName, mimeType: f.mimeType, size: f.sizeBytes, stream };
    },

    async submitForReview(actor: Actor, id: string) {
      const { doc, team } = await load(actor, id);
      await requireWriter(actor, team);
      if (doc.status !== 'draft' && doc.status !== 'rejected') throw pe.invalidState('document', doc.status, 'submit_review');
      return detail(await repos.documents.update(doc.id, { status: 'in_review', updatedAt: deps.now() }));
    },

    async review(actor: Actor, id: string, body: { decision: 'approve' | 'reject'; comments?: string }) {
      const { doc, team } = await load(actor, id);
      access.requireManage(actor, team);
      if (doc.status !== 'in_review') throw pe.invalidState('document', doc.status, 'review');
      if (body.decision === 'reject' && !body.comments) throw pe.field('comments', 'required', 'Explique el rechazo (10 a 2000 caracteres)');
      const versions = await repos.documents.versions(doc.id);
      const uploader = versions.find((v) => v.version === doc.currentVersion)?.uploadedBy ?? doc.createdBy;
      const at = deps.now();
      const row = await deps.withTransaction(async (tx) => {
        const r = await tx.documents.update(doc.id, {
          status: body.decision === 'approve' ? 'approved' : 'rejected',
          approvedVersion: body.decision === 'approve' ? doc.currentVersion : doc.approvedVersion,
          reviewComments: body.comments ?? null,
          reviewedBy: actor.sub,
          reviewedAt: at,
          updatedAt: at,
        });
        await tx.outbox.enqueue(events.documentReviewed(r, uploader));
        return r;
      });
      return detail(row);
    },

    async remove(actor: Actor, id: string) {
      const { doc, team } = await load(actor, id);
      if (!(doc.createdBy === actor.sub || access.canManage(actor, team) || isCoordination(actor))) throw pe.forbidden();
      if ((doc.status !== 'draft' && doc.status !== 'rejected') || doc.approvedVersion !== null) throw pe.documentNotDeletable();
      const versions = await repos.documents.versions(doc.id);
      const files = (await Promise.all(versions.map((v) => repos.submissions.storedFile(v.storedFileId)))).filter((f) => f !== undefined);
      await deps.withTransaction(async (tx) => {
        await tx.documents.delete(doc.id);
        await tx.submissions.deleteStoredFiles(files.map((f) => f.id));
      });
      await deps.files.remove(files.map((f) => f.storageKey));
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;
