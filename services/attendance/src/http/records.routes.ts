/** RC1–RC5: records, their edits, soft deletes and change history. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest } from '@sicora/platform/pagination';
import { attachment, csvExport } from '@sicora/platform/csv-export';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, roleGroup } from '@sicora/platform/roles';
import { MediaResponse } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { RecordsService } from '../application/records.service.ts';
import { ListEnvelope, RecordSchema, Security } from './common.schemas.ts';
import { actorOf, listReply, parseSorts, withWarnings } from './common.ts';
import { ChangeSchema, DeleteQuery, RECORD_SORT, RecordExportQuery, RecordListQuery, RecordParams, RecordPatchBody } from './records.schemas.ts';

export interface RecordsRoutesOptions {
  records: RecordsService;
}

const tags = ['records'];
const READERS = roleGroup(COORDINATION, 'instructor', 'aprendiz', 'service');
const EDITORS = roleGroup(COORDINATION, 'instructor');

const links = (id: string) => ({
  self: { href: `/api/v1/attendance/records/${id}`, method: 'GET' },
  changes: { href: `/api/v1/attendance/records/${id}/changes`, method: 'GET' },
});

export const recordsRoutes: RoutesPlugin<RecordsRoutesOptions> = async (app, { records }) => {
  app.get(
    '/api/v1/attendance/records',
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'RC1 List records', description: 'Scoped by O1/O2: apprentices their own, instructors their sessions and assigned fichas.', tags, security: Security, querystring: RecordListQuery, response: { 200: ListEnvelope(RecordSchema), ...errorResponses(401, 403, 422, 503) } } },
    async (request) => {
      const q = request.query;
      const sort = parseSorts(q.sort, RECORD_SORT, [{ field: 'session_date', direction: 'desc' }, { field: 'start_time', direction: 'desc' }]);
      const { items, total, warnings } = await records.list(actorOf(request), q, sort, pageRequest(q));
      return listReply(request, '/api/v1/attendance/records', q, items, total, warnings);
    },
  );
  app.get(
    '/api/v1/attendance/records/export',
    {
      preHandler: requireAuth({ roles: EDITORS }),
      schema: { summary: 'RC6 Export records', description: 'RC1\'s filters and scope, no paging, as CSV (§6.2): BOM, CRLF, Bogotá offsets, at most 100 000 rows; 503 when users cannot give the names.', tags, security: Security, querystring: RecordExportQuery, response: { 200: MediaResponse('Registros de asistencia en CSV (§6.2)', 'text/csv'), ...errorResponses(401, 403, 422, 503) } },
    },
    async (request, reply) => {
      const csv = await records.export(actorOf(request), request.query);
      return reply.type('text/csv; charset=utf-8').header('Content-Disposition', attachment(csv.filename)).send(csvExport(csv));
    },
  );
  app.get(
    '/api/v1/attendance/records/:record_id',
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'RC2 Read a record', description: 'Outside the caller\'s scope → 404.', tags, security: Security, params: RecordParams, response: { 200: Envelope(RecordSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => {
      const res = await records.get(actorOf(request), request.params.record_id);
      return ok(request, res.data, { links: links(res.data.id), ...withWarnings(res.warnings) });
    },
  );
  app.patch(
    '/api/v1/attendance/records/:record_id',
    { preHandler: requireAuth({ roles: EDITORS }), schema: { summary: 'RC3 Edit a record', description: 'R5, R9, R10: reason after close, expected_version, locks by justifications; instructors within R2\'s window.', tags, security: Security, params: RecordParams, body: RecordPatchBody, response: { 200: Envelope(RecordSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => {
      const res = await records.update(actorOf(request), request.params.record_id, request.body);
      return ok(request, res.data, { message: 'Registro actualizado', links: links(res.data.id), ...withWarnings(res.warnings) });
    },
  );
  app.delete(
    '/api/v1/attendance/records/:record_id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'RC4 Delete a record', description: 'Soft delete with a reason (R11).', tags, security: Security, params: RecordParams, querystring: DeleteQuery, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request, reply) => {
      await records.remove(actorOf(request), request.params.record_id, request.query.reason);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/attendance/records/:record_id/changes',
    { preHandler: requireAuth({ roles: roleGroup(COORDINATION, 'instructor', 'aprendiz') }), schema: { summary: 'RC5 Change history', description: 'Every change row, oldest first.', tags, security: Security, params: RecordParams, response: { 200: Envelope(Type.Array(ChangeSchema)), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => {
      const res = await records.changes(actorOf(request), request.params.record_id);
      return ok(request, res.items, withWarnings(res.warnings));
    },
  );
};
