/** P63–P76: change requests and project documents (multipart uploads streamed to disk, §6). */
import multipart from '@fastify/multipart';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, EVERYONE, roleGroup } from '@sicora/platform/roles';
import { MediaResponse, Nullable, Uuid } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { UPLOAD_KEY } from '@sicora/platform/uploads';
import type { ChangeRequestsService } from '../application/change-requests.service.ts';
import type { DocumentsService } from '../application/documents.service.ts';
import type { Uploads } from '../application/uploads.ts';
import { CR_ORIGINS, CR_PRIORITIES, CR_STATUSES, CR_TYPES, DOCUMENT_STATUSES, DOCUMENT_TYPES } from '../domain/enums.ts';
import { MAX_FILE_BYTES } from '../domain/files.ts';
import { Instant, ListEnvelope, NInstant, NString, NUuid, OneOf, PageQuery, Params, Security, SortQuery, Text } from './common.schemas.ts';
import { actorOf, listReply, sortOf } from './common.ts';
import { ProjectSchema } from './projects.schemas.ts';
import { FileBinary } from './submissions.schemas.ts';
import { contentDisposition, readUpload } from './uploads.ts';

const CRFields = {
  id: Uuid,
  project_id: Uuid,
  origin: OneOf(CR_ORIGINS),
  stakeholder_id: NUuid,
  requested_by: Uuid,
  change_type: OneOf(CR_TYPES),
  priority: OneOf(CR_PRIORITIES),
  status: OneOf(CR_STATUSES),
  title: Type.String(),
  description: Type.String(),
  justification: Type.String(),
  proposed_changes: Nullable(Type.Record(Type.String(), Type.Unknown())),
  impact_on_timeline: NString,
  impact_on_learning: NString,
  review_comments: NString,
  reviewed_by: NUuid,
  reviewed_at: NInstant,
  decision_reason: NString,
  decided_by: NUuid,
  decided_at: NInstant,
  applied_scope_version: Nullable(Type.Integer()),
  quarter: Type.String(),
  created_at: Instant,
  updated_at: Instant,
};
const CRSchema = Type.Object(CRFields);
const CRDecided = Type.Object({ ...CRFields, project: Type.Optional(ProjectSchema) });
const CRCreateBody = Type.Object(
  {
    origin: OneOf(CR_ORIGINS),
    stakeholder_id: Type.Optional(Nullable(Uuid)),
    change_type: OneOf(CR_TYPES),
    title: Text(5, 200),
    description: Text(20, 5000),
    justification: Text(10, 2000),
    priority: Type.Optional(OneOf(CR_PRIORITIES)),
    proposed_changes: Type.Optional(Nullable(Type.Record(Type.String({ maxLength: 50 }), Type.Unknown(), { description: '1–5 campos de alcance: title, description, objectives, scope, technologies (PROPOSED_CHANGES_INVALID)' }))),
    impact_on_timeline: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    impact_on_learning: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
);
const CRListQuery = Type.Object({ ...PageQuery, project_id: Type.Optional(Uuid), status: Type.Optional(OneOf(CR_STATUSES)), origin: Type.Optional(OneOf(CR_ORIGINS)), stakeholder_id: Type.Optional(Uuid), change_type: Type.Optional(OneOf(CR_TYPES)), sort: Type.Optional(Type.Literal('-created_at')) });

const VersionSchema = Type.Object({ version: Type.Integer(), change_note: NString, uploaded_by: Uuid, uploaded_at: Instant, original_name: NString, mime_type: NString, size_bytes: Nullable(Type.Integer()) });
const DocFields = {
  id: Uuid,
  project_id: Uuid,
  title: Type.String(),
  document_type: OneOf(DOCUMENT_TYPES),
  description: NString,
  status: OneOf(DOCUMENT_STATUSES),
  current_version: Type.Integer(),
  approved_version: Nullable(Type.Integer()),
  review_comments: NString,
  reviewed_by: NUuid,
  reviewed_at: NInstant,
  created_by: Uuid,
  created_at: Instant,
  updated_at: Instant,
};
const DocSchema = Type.Object(DocFields);
const DocDetail = Type.Object({ ...DocFields, versions: Type.Array(VersionSchema) });
const DocFieldsIn = Type.Object({ title: Text(3, 200), document_type: OneOf(DOCUMENT_TYPES), description: Type.Optional(Type.String({ maxLength: 2000 })), change_note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
const DocUpload = Type.Object({ ...DocFieldsIn.properties, file: FileBinary }, { additionalProperties: false });
const VersionUpload = Type.Object({ file: FileBinary, change_note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
const DocListQuery = Type.Object({ ...PageQuery, document_type: Type.Optional(OneOf(DOCUMENT_TYPES)), status: Type.Optional(OneOf(DOCUMENT_STATUSES)), sort: SortQuery(['title', 'updated_at']) });

const BASE = '/api/v1/projecteval';
const MANAGERS = roleGroup(COORDINATION, 'instructor');
const WRITERS = roleGroup(COORDINATION, 'instructor', 'aprendiz');
const ONE_FILE = { fileField: 'file', maxFiles: 1, maxBytes: MAX_FILE_BYTES + 64 * 1024, tooMany: () => errors.validation([{ field: 'file', reason: 'too_many', message: 'Envíe un solo archivo' }]) };

export const governanceRoutes: RoutesPlugin<{ changeRequests: ChangeRequestsService; documents: DocumentsService; uploads: Uploads }> = async (app, { changeRequests, documents, uploads }) => {
  await app.register(multipart, { limits: { fileSize: MAX_FILE_BYTES + 1, files: 2, fieldSize: 16 * 1024 } });
  const C = { security: Security, tags: ['change-requests'] };
  const Reply = { 200: Envelope(CRSchema), ...errorResponses(404, 409) };

  app.get(`${BASE}/change-requests`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...C, summary: 'P63 List change requests', description: 'O1 for apprentices.', querystring: CRListQuery, response: { 200: ListEnvelope(CRSchema) } } }, async (request) => {
    const { items, total } = await changeRequests.list(actorOf(request), request.query, pageRequest(request.query));
    return listReply(request, `${BASE}/change-requests`, request.query, items, total);
  });
  app.post(`${BASE}/projects/:project_id/change-requests`, { preHandler: requireAuth({ roles: WRITERS }), schema: { ...C, summary: 'P64 File a change request', description: 'Team members (origin team); the advisor or coordination (origin stakeholder, naming the project\'s stakeholder, at most 2 per quarter; or instructor) (R37–R39).', params: Params.project, body: CRCreateBody, response: { 201: Envelope(CRSchema), ...errorResponses(404, 409) } } }, async (request, reply) =>
    reply.code(201).send(ok(request, await changeRequests.create(actorOf(request), request.params.project_id, request.body), { message: 'Solicitud registrada' })),
  );
  app.get(`${BASE}/change-requests/:change_request_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...C, summary: 'P65 Read a change request', params: Params.changeRequest, response: Reply } }, async (request) => ok(request, await changeRequests.get(actorOf(request), request.params.change_request_id)));
  app.post(`${BASE}/change-requests/:change_request_id/review`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...C, summary: 'P66 Review a change request', params: Params.changeRequest, body: Type.Object({ comments: Text(10, 2000) }, { additionalProperties: false }), response: Reply } }, async (request) =>
    ok(request, await changeRequests.review(actorOf(request), request.params.change_request_id, request.body.comments), { message: 'Solicitud en revisión' }),
  );
  app.post(`${BASE}/change-requests/:change_request_id/decision`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...C, summary: 'P67 Decide a change request', description: 'Only the advisor or coordination; an approved request with proposed changes updates the scope at once, even when locked (R40).', params: Params.changeRequest, body: Type.Object({ decision: OneOf(['approve', 'reject'] as const), decision_reason: Text(10, 2000) }, { additionalProperties: false }), response: { 200: Envelope(CRDecided), ...errorResponses(404, 409) } } }, async (request) =>
    ok(request, await changeRequests.decide(actorOf(request), request.params.change_request_id, request.body), { message: 'Decisión registrada' }),
  );
  app.post(`${BASE}/change-requests/:change_request_id/withdraw`, { preHandler: requireAuth({ roles: WRITERS }), schema: { ...C, summary: 'P68 Withdraw a change request', description: 'The requester (for stakeholder requests also the advisor) (R41).', params: Params.changeRequest, response: Reply } }, async (request) =>
    ok(request, await changeRequests.withdraw(actorOf(request), request.params.change_request_id), { message: 'Solicitud retirada' }),
  );

  const D = { security: Security, tags: ['documents'] };
  const DReply = { 200: Envelope(DocDetail), ...errorResponses(404, 409) };

  app.get(`${BASE}/projects/:project_id/documents`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...D, summary: 'P69 List documents', params: Params.project, querystring: DocListQuery, response: { 200: ListEnvelope(DocSchema), ...errorResponses(404) } } }, async (request) => {
    const s = sortOf<'title' | 'updated_at'>(request.query.sort, 'title');
    const { items, total } = await documents.list(actorOf(request), request.params.project_id, request.query, s.field, pageRequest(request.query));
    return listReply(request, `${BASE}/projects/${request.params.project_id}/documents`, request.query, items, total);
  });
  app.post(
    `${BASE}/projects/:project_id/documents`,
    { preHandler: requireAuth({ roles: WRITERS }), schema: { ...D, summary: 'P70 Upload a document', description: 'multipart/form-data: title, document_type, description?, change_note?, one `file` ≤ 25 MiB (§6). Version 1, draft (R42).', params: Params.project, consumes: ['multipart/form-data'], [UPLOAD_KEY]: DocUpload, response: { 201: Envelope(DocDetail), ...errorResponses(404, 409, 413, 415) } } },
    async (request, reply) => {
      const actor = actorOf(request);
      await documents.precheckUpload(actor, request.params.project_id);
      if (!request.isMultipart()) throw errors.unsupportedMediaType('Envíe multipart/form-data con la parte `file`');
      const { fields, files } = await readUpload(request, uploads, { ...ONE_FILE, allowed: ['title', 'document_type', 'description', 'change_note'] });
      if (!Value.Check(DocFieldsIn, fields) || files.length !== 1) {
        await documents.discard(files);
        throw errors.validation([{ field: files.length !== 1 ? 'file' : (Value.Errors(DocFieldsIn, fields)[0] as { instancePath?: string } | undefined)?.instancePath?.replace(/^\//, '') || 'body', reason: 'invalid', message: 'Valor no válido' }]);
      }
      return reply.code(201).send(ok(request, await documents.upload(actor, request.params.project_id, fields as never, files[0]), { message: 'Documento cargado' }));
    },
  );
  app.get(`${BASE}/documents/:document_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...D, summary: 'P71 Read a document', description: 'With its versions.', params: Params.document, response: DReply } }, async (request) => ok(request, await documents.get(actorOf(request), request.params.document_id)));
  app.post(
    `${BASE}/documents/:document_id/versions`,
    { preHandler: requireAuth({ roles: WRITERS }), schema: { ...D, summary: 'P72 Add a version', description: 'From draft, rejected or approved; returns the document to draft; ≤ 20 versions (R42, R43).', params: Params.document, consumes: ['multipart/form-data'], [UPLOAD_KEY]: VersionUpload, response: { 201: Envelope(DocDetail), ...errorResponses(404, 409, 413, 415) } } },
    async (request, reply) => {
      const actor = actorOf(request);
      await documents.precheckVersion(actor, request.params.document_id);
      if (!request.isMultipart()) throw errors.unsupportedMediaType('Envíe multipart/form-data con la parte `file`');
      const { fields, files } = await readUpload(request, uploads, { ...ONE_FILE, allowed: ['change_note'] });
      if (files.length !== 1 || (fields.change_note ?? '').length > 500) {
        await documents.discard(files);
        throw errors.validation([{ field: files.length !== 1 ? 'file' : 'change_note', reason: 'invalid', message: 'Valor no válido' }]);
      }
      return reply.code(201).send(ok(request, await documents.addVersion(actor, request.params.document_id, fields.change_note, files[0]), { message: 'Versión agregada' }));
    },
  );
  app.get(
    `${BASE}/documents/:document_id/versions/:version/file`,
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...D, summary: 'P73 Download a document version', params: Params.documentVersion, response: { 200: MediaResponse('El archivo', 'application/octet-stream'), ...errorResponses(404) } } },
    async (request, reply) => {
      const f = await documents.file(actorOf(request), request.params.document_id, request.params.version);
      return reply.type(f.mimeType).header('content-length', f.size).header('content-disposition', contentDisposition(f.name)).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(f.stream);
    },
  );
  app.post(`${BASE}/documents/:document_id/submit-review`, { preHandler: requireAuth({ roles: WRITERS }), schema: { ...D, summary: 'P74 Submit for review', params: Params.document, response: DReply } }, async (request) =>
    ok(request, await documents.submitForReview(actorOf(request), request.params.document_id), { message: 'Documento enviado a revisión' }),
  );
  app.post(`${BASE}/documents/:document_id/review`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...D, summary: 'P75 Review a document', description: 'approve, or reject with comments (R43); the uploader is notified.', params: Params.document, body: Type.Object({ decision: OneOf(['approve', 'reject'] as const), comments: Type.Optional(Text(10, 2000)) }, { additionalProperties: false }), response: DReply } }, async (request) =>
    ok(request, await documents.review(actorOf(request), request.params.document_id, request.body), { message: 'Revisión registrada' }),
  );
  app.delete(`${BASE}/documents/:document_id`, { preHandler: requireAuth({ roles: WRITERS }), schema: { ...D, summary: 'P76 Delete a document', description: 'Draft or rejected and never approved; versions and files go with it (R44).', params: Params.document, response: { 204: Type.Null(), ...errorResponses(404, 409) } } }, async (request, reply) => {
    await documents.remove(actorOf(request), request.params.document_id);
    return reply.code(204).send(null);
  });
};
