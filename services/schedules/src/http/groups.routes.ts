/** G1–G12: fichas, their apprentices and instructors, and instructor assignments. G6 lives in imports.routes.ts. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import { WRITERS } from '../application/context.ts';
import type { createAssignmentsService } from '../application/assignments.service.ts';
import type { createGroupsService } from '../application/groups.service.ts';
import { actorOf, IdParams, ListEnvelope, listReply, LocalDate, Security, selfLink, Uuid } from './common.ts';
import * as S from './groups.schemas.ts';

const tags = ['groups'];
const AssignmentParams = Type.Object({ id: Uuid, assignment_id: Uuid });

export function groupsRoutes(app: App, opts: { groups: ReturnType<typeof createGroupsService>; assignments: ReturnType<typeof createAssignmentsService> }) {
  const svc = opts.groups;
  const asg = opts.assignments;
  app.get(
    '/api/v1/groups',
    { preHandler: requireAuth(), schema: { summary: 'G1 List fichas', description: 'Scoped: instructors see the fichas linked to them (O1), apprentices their own (O2).', tags, security: Security, querystring: S.GroupListQuery, response: { 200: ListEnvelope(S.GroupSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      const sort = parseSort(q.sort, ['number', 'start_date', 'created_at'] as const, { field: 'number', direction: 'asc' });
      const { items, total } = await svc.list(actorOf(request), { ...q, numbers: q.numbers?.split(',') }, sort, pageRequest(q));
      return listReply(request, '/api/v1/groups', q, items, total);
    },
  );
  app.post(
    '/api/v1/groups',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'G2 Create a ficha', description: 'Number unique and immutable (R1).', tags, security: Security, body: S.GroupCreateBody, response: { 201: Envelope(S.GroupSchema), ...errorResponses(401, 403, 409, 422) } } },
    async (request, reply) => {
      const data = await svc.create(request.body, actorOf(request));
      return reply.code(201).send(ok(request, data, { message: 'Ficha creada', links: selfLink(`/api/v1/groups/${data.id}`) }));
    },
  );
  app.get(
    '/api/v1/groups/:id',
    { preHandler: requireAuth(), schema: { summary: 'G3 Get a ficha', description: 'With today\'s director and the active apprentice count (null when users is unavailable).', tags, security: Security, params: IdParams, response: { 200: Envelope(S.GroupDetailSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const { data, warnings } = await svc.get(request.params.id, actorOf(request));
      return ok(request, data, { warnings, links: { ...selfLink(`/api/v1/groups/${data.id}`), apprentices: { href: `/api/v1/groups/${data.id}/apprentices`, method: 'GET' }, instructors: { href: `/api/v1/groups/${data.id}/instructors`, method: 'GET' } } });
    },
  );
  app.patch(
    '/api/v1/groups/:id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'G4 Update a ficha', description: 'R5 period/shift/capacity checks; deactivation cancels running entries (R3).', tags, security: Security, params: IdParams, body: S.GroupUpdateBody, response: { 200: Envelope(S.GroupSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, await svc.update(request.params.id, request.body, actorOf(request)), { message: 'Ficha actualizada' }),
  );
  app.delete(
    '/api/v1/groups/:id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'G5 Delete a ficha', description: 'Only without entries, assignments and apprentices (R4).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request, reply) => {
      await svc.remove(request.params.id, actorOf(request));
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/groups/:id/apprentices',
    { preHandler: requireAuth({ roles: ['admin', 'coordinador', 'administrativo', 'instructor', 'service'] }), schema: { summary: 'G7 Apprentices of a ficha', description: 'From the users service, in last-name order by default.', tags, security: Security, params: IdParams, querystring: S.ApprenticeQuery, response: { 200: ListEnvelope(S.ApprenticeSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => {
      const q = request.query;
      const page = pageRequest(q);
      const { items, total } = await asg.apprentices(request.params.id, actorOf(request), { ...q, page: page.page, page_size: page.pageSize });
      return listReply(request, `/api/v1/groups/${request.params.id}/apprentices`, q, items, total);
    },
  );
  app.get(
    '/api/v1/groups/:id/instructors',
    { preHandler: requireAuth(), schema: { summary: 'G8 Instructors of a ficha', description: 'Every R21 source overlapping the window (default: the ficha period). Full list.', tags, security: Security, params: IdParams, querystring: Type.Object({ from: Type.Optional(LocalDate), to: Type.Optional(LocalDate) }, { additionalProperties: false }), response: { 200: Envelope(Type.Array(S.GroupInstructorSchema)), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const { items, warnings } = await asg.instructors(request.params.id, actorOf(request), request.query);
      return ok(request, items, { warnings });
    },
  );
  app.get(
    '/api/v1/groups/:id/instructors/:instructor_id',
    { preHandler: requireAuth({ roles: ['admin', 'coordinador', 'administrativo', 'instructor', 'service'] }), schema: { summary: 'G9 Is an instructor assigned to a ficha', description: 'R21 on `date` (default today); always 200 when the ficha exists.', tags, security: Security, params: Type.Object({ id: Uuid, instructor_id: Uuid }), querystring: Type.Object({ date: Type.Optional(LocalDate) }, { additionalProperties: false }), response: { 200: Envelope(S.AssignedSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await asg.isAssigned(request.params.id, request.params.instructor_id, actorOf(request), request.query.date)),
  );
  app.post(
    '/api/v1/groups/:id/assignments',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'G10 Assign an instructor', description: 'R23; sends group.instructor_assigned.', tags, security: Security, params: IdParams, body: S.AssignmentCreateBody, response: { 201: Envelope(S.AssignmentSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request, reply) => reply.code(201).send(ok(request, await asg.create(request.params.id, request.body, actorOf(request)), { message: 'Instructor asignado' })),
  );
  app.patch(
    '/api/v1/groups/:id/assignments/:assignment_id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'G11 Update an assignment', description: 'Subject, dates and notes (R23).', tags, security: Security, params: AssignmentParams, body: S.AssignmentUpdateBody, response: { 200: Envelope(S.AssignmentSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await asg.update(request.params.id, request.params.assignment_id, request.body, actorOf(request)), { message: 'Asignación actualizada' }),
  );
  app.delete(
    '/api/v1/groups/:id/assignments/:assignment_id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'G12 Delete an assignment', description: 'Removes the assignment.', tags, security: Security, params: AssignmentParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await asg.remove(request.params.id, request.params.assignment_id);
      return reply.code(204).send(null);
    },
  );
}
