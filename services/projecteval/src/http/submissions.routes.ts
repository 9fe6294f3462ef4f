/**
 * P34–P44: deliverables and submissions. P39 takes `multipart/form-data` streamed to disk under §6's
 * limits (each file ≤ 25 MiB, the request ≤ 100 MiB, ≤ 5 files) or JSON with links only. The multipart
 * parser is registered in this plugin only.
 */
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, EVERYONE, roleGroup } from '@sicora/platform/roles';
import { MediaResponse } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { UPLOAD_KEY } from '@sicora/platform/uploads';
import type { DeliverablesService } from '../application/deliverables.service.ts';
import type { SubmissionsService } from '../application/submissions.service.ts';
import type { Uploads } from '../application/uploads.ts';
import { pe } from '../domain/errors.ts';
import { ALLOWED_EXTENSIONS, MAX_FILE_BYTES, MAX_SUBMISSION_BYTES, MAX_SUBMISSION_FILES } from '../domain/files.ts';
import { ListEnvelope, Params, Security } from './common.schemas.ts';
import { actorOf, listReply, sortOf } from './common.ts';
import { DeliverableCreateBody, DeliverableListQuery, DeliverablePatchBody, DeliverableSchema, ReturnBody, SubmissionListQuery, SubmissionSchema, SubmitJson, SubmitUpload } from './submissions.schemas.ts';
import { contentDisposition, readUpload } from './uploads.ts';

export interface SubmissionsRoutesOptions {
  deliverables: DeliverablesService;
  submissions: SubmissionsService;
  uploads: Uploads;
}

const BASE = '/api/v1/projecteval';
const UploadLimits = Type.Object({
  allowed_extensions: Type.Array(Type.String(), { description: 'Extensiones aceptadas, sin punto (§6)' }),
  max_file_bytes: Type.Integer({ description: 'Tamaño máximo de cada archivo' }),
  max_submission_bytes: Type.Integer({ description: 'Tamaño máximo de una entrega (todos sus archivos)' }),
  max_submission_files: Type.Integer({ description: 'Archivos por entrega' }),
});
const MANAGERS = roleGroup(COORDINATION, 'instructor');

export const submissionsRoutes: RoutesPlugin<SubmissionsRoutesOptions> = async (app, { deliverables, submissions, uploads }) => {
  await app.register(multipart, { limits: { fileSize: 25 * 1024 * 1024 + 1, files: MAX_SUBMISSION_FILES + 1, fieldSize: 16 * 1024 } });
  const D = { security: Security, tags: ['deliverables'] };
  const DReply = { 200: Envelope(DeliverableSchema), ...errorResponses(404, 409) };

  app.get(`${BASE}/projects/:project_id/deliverables`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...D, summary: 'P34 List deliverables', params: Params.project, querystring: DeliverableListQuery, response: { 200: ListEnvelope(DeliverableSchema), ...errorResponses(404) } } }, async (request) => {
    const s = sortOf<'due_at' | 'title'>(request.query.sort, 'due_at');
    const { items, total } = await deliverables.list(actorOf(request), request.params.project_id, s.field, s.dir, pageRequest(request.query));
    return listReply(request, `${BASE}/projects/${request.params.project_id}/deliverables`, request.query, items, total);
  });
  app.post(`${BASE}/projects/:project_id/deliverables`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...D, summary: 'P35 Create a deliverable', description: 'Active project, future due date, active rubric (R19); the team is notified.', params: Params.project, body: DeliverableCreateBody, response: { 201: Envelope(DeliverableSchema), ...errorResponses(404, 409) } } }, async (request, reply) =>
    reply.code(201).send(ok(request, await deliverables.create(actorOf(request), request.params.project_id, request.body), { message: 'Entregable creado' })),
  );
  app.get(`${BASE}/deliverables/:deliverable_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...D, summary: 'P36 Read a deliverable', params: Params.deliverable, response: DReply } }, async (request) => ok(request, await deliverables.get(actorOf(request), request.params.deliverable_id)));
  app.patch(`${BASE}/deliverables/:deliverable_id`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...D, summary: 'P37 Edit a deliverable', description: 'The rubric changes only while no evaluation exists (R19).', params: Params.deliverable, body: DeliverablePatchBody, response: DReply } }, async (request) =>
    ok(request, await deliverables.update(actorOf(request), request.params.deliverable_id, request.body), { message: 'Entregable actualizado' }),
  );
  app.delete(`${BASE}/deliverables/:deliverable_id`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...D, summary: 'P38 Delete a deliverable', description: 'Only without submissions (R19).', params: Params.deliverable, response: { 204: Type.Null(), ...errorResponses(404, 409) } } }, async (request, reply) => {
    await deliverables.remove(actorOf(request), request.params.deliverable_id);
    return reply.code(204).send(null);
  });

  const S = { security: Security, tags: ['submissions'] };
  app.get(`${BASE}/upload-limits`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...S, summary: 'P81 Upload limits', description: 'The §6 rules P39, P70 and P72 apply, so a client can check files before sending them.', response: { 200: Envelope(UploadLimits) } } }, async (request) =>
    ok(request, { allowed_extensions: [...ALLOWED_EXTENSIONS], max_file_bytes: MAX_FILE_BYTES, max_submission_bytes: MAX_SUBMISSION_BYTES, max_submission_files: MAX_SUBMISSION_FILES }),
  );
  const SReply = { 200: Envelope(SubmissionSchema), ...errorResponses(404, 409, 503) };

  app.post(
    `${BASE}/deliverables/:deliverable_id/submissions`,
    {
      preHandler: requireAuth({ roles: ['aprendiz'] }),
      schema: {
        ...S,
        summary: 'P39 Submit a deliverable',
        description: 'Open members of the team, until the due date (R20); a new version supersedes a submitted or returned one (R21). multipart/form-data (`repository_url`, `deployment_url`, `notes`, up to 5 `files` of ≤ 25 MiB, ≤ 100 MiB in all) or JSON with links only. Files stream to disk and are checked by extension and first bytes (§6).',
        params: Params.deliverable,
        consumes: ['multipart/form-data', 'application/json'],
        [UPLOAD_KEY]: SubmitUpload,
        response: { 201: Envelope(SubmissionSchema), ...errorResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      // R20 before a byte is stored: a refused caller uploads nothing to disk.
      await submissions.precheck(actor, request.params.deliverable_id);
      let fields: Record<string, unknown>;
      let files: Awaited<ReturnType<typeof readUpload>>['files'] = [];
      if (request.isMultipart()) {
        const read = await readUpload(request, uploads, { allowed: ['repository_url', 'deployment_url', 'notes'], fileField: 'files', maxFiles: MAX_SUBMISSION_FILES, maxBytes: MAX_SUBMISSION_BYTES, tooMany: () => pe.tooManyFiles({ max_files: MAX_SUBMISSION_FILES }) });
        fields = read.fields;
        files = read.files;
      } else {
        fields = (request.body ?? {}) as Record<string, unknown>;
        if (typeof fields !== 'object' || Array.isArray(fields)) throw errors.unsupportedMediaType('Envíe multipart/form-data o JSON');
      }
      if (!Value.Check(SubmitJson, fields)) {
        await submissions.discard(files);
        const first = Value.Errors(SubmitJson, fields)[0] as { instancePath?: string } | undefined;
        throw errors.validation([{ field: (first?.instancePath ?? '').replace(/^\//, '') || 'body', reason: 'invalid', message: 'Valor no válido' }]);
      }
      const res = await submissions.submit(actor, request.params.deliverable_id, fields as never, files);
      return reply.code(201).send(ok(request, res, { message: 'Entrega registrada' }));
    },
  );

  app.get(`${BASE}/submissions`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...S, summary: 'P40 List submissions', description: 'O1 for apprentices; scores only once published (R36).', querystring: SubmissionListQuery, response: { 200: ListEnvelope(SubmissionSchema), ...errorResponses(503) } } }, async (request) => {
    const q = request.query;
    const sort = q.sort === '-published_at' ? 'published_at' : 'submitted_at';
    const { items, total } = await submissions.list(actorOf(request), q, sort, pageRequest(q));
    return listReply(request, `${BASE}/submissions`, q, items, total);
  });
  app.get(`${BASE}/submissions/:submission_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...S, summary: 'P41 Read a submission', description: 'With files; result, criterion averages and evaluations for staff, and for the team once published (R36).', params: Params.submission, response: SReply } }, async (request) =>
    ok(request, await submissions.get(actorOf(request), request.params.submission_id)),
  );
  app.get(
    `${BASE}/submissions/:submission_id/files/:file_id`,
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...S, summary: 'P42 Download a submission file', description: 'As stored, with Content-Disposition attachment and nosniff (§6).', params: Params.submissionFile, response: { 200: MediaResponse('El archivo', 'application/octet-stream'), ...errorResponses(404) } } },
    async (request, reply) => {
      const f = await submissions.file(actorOf(request), request.params.submission_id, request.params.file_id);
      return reply.type(f.mimeType).header('content-length', f.size).header('content-disposition', contentDisposition(f.name)).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(f.stream);
    },
  );
  app.post(`${BASE}/submissions/:submission_id/return`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P43 Return a submission', description: 'A submitted one on no live agenda (R22); the team may submit again before the due date.', params: Params.submission, body: ReturnBody, response: SReply } }, async (request) =>
    ok(request, await submissions.returnSubmission(actorOf(request), request.params.submission_id, request.body.reason), { message: 'Entrega devuelta' }),
  );
  app.post(`${BASE}/submissions/:submission_id/publish`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P44 Publish a result', description: 'Chair of the session, advisor or coordination; evaluated and its session completed (R35).', params: Params.submission, response: SReply } }, async (request) =>
    ok(request, await submissions.publish(actorOf(request), request.params.submission_id), { message: 'Resultado publicado' }),
  );
};
