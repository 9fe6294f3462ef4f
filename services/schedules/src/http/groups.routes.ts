/** G1–G12: fichas, their apprentices and instructors, and instructor assignments. G6 lives in imports.routes.ts. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest, parseSort } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, PERSONNEL, roleGroup } from '@sicora/platform/roles';
import { IdParams } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { AssignmentsService } from '../application/assignments.service.ts';
import type { GroupsService } from '../application/groups.service.ts';
import { ListEnvelope, Security } from './common.schemas.ts';
import { actorOf, listReply, selfLink } from './common.ts';
import * as S from './groups.schemas.ts';

export interface GroupsRoutesOptions {
  groups: GroupsService;
  assignments: AssignmentsService;
}

const tags = ['groups'];
/** Apprentice lists and "is X assigned" are not for apprentices (§2). */
const PERSONNEL_AND_SERVICES = roleGroup(PERSONNEL, 'service');

export const groupsRoutes: RoutesPlugin<GroupsRoutesOptions> = async (app, { groups, assignments }) => {
  app.get(
    '/api/v1/groups',
    { preHandler: requireAuth(), schema: { summary: 'G1 List fichas', description: 'Scoped: instructors see the fichas linked to them (O1), apprentices their own (O2).', tags, security: Security, querystring: S.GroupListQuery, response: { 200: ListEnvelope(S.GroupSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const q = request.query;
      const sort = parseSort(q.sort, S.GROUP_SORT, { field: 'number', direction: 'asc' });
      const { items, total } = await groups.list(actorOf(request), { ...q, numbers: q.numbers?.split(',') }, sort, pageRequest(q));
      return listReply(request, '/api/v1/groups', q, items, total);
    },
  );
  app.post(
    '/api/v1/groups',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'G2 Create a ficha', description: 'Number unique and immutable (R1).', tags, security: Security, body: S.GroupCreateBody, response: { 201: Envelope(S.GroupSchema), ...errorResponses(401, 403, 409, 422) } } },
    async (request, reply) => {
      const data = await groups.create(request.body, actorOf(request));
      return reply.code(201).send(ok(request, data, { message: 'Ficha creada', links: selfLink(`/api/v1/groups/${data.id}`) }));
    },
  );
  app.get(
    '/api/v1/groups/:id',
    { preHandler: requireAuth(), schema: { summary: 'G3 Get a ficha', description: 'With today\'s director and the active apprentice count (null when users is unavailable).', tags, security: Security, params: IdParams, response: { 200: Envelope(S.GroupDetailSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const { data, warnings } = await groups.get(request.params.id, actorOf(request));
      return ok(request, data, { warnings, links: { ...selfLink(`/api/v1/groups/${data.id}`), apprentices: { href: `/api/v1/groups/${data.id}/apprentices`, method: 'GET' }, instructors: { href: `/api/v1/groups/${data.id}/instructors`, method: 'GET' } } });
    },
  );
  app.patch(
    '/api/v1/groups/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'G4 Update a ficha', description: 'R5 period/shift/capacity checks; deactivation cancels running entries (R3).', tags, security: Security, params: IdParams, body: S.GroupUpdateBody, response: { 200: Envelope(S.GroupSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request) => ok(request, await groups.update(request.params.id, request.body, actorOf(request)), { message: 'Ficha actualizada' }),
  );
  app.delete(
    '/api/v1/groups/:id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'G5 Delete a ficha', description: 'Only without entries, assignments and apprentices (R4).', tags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request, reply) => {
      await groups.remove(request.params.id, actorOf(request));
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/v1/groups/:id/apprentices',
    { preHandler: requireAuth({ roles: PERSONNEL_AND_SERVICES }), schema: { summary: 'G7 Apprentices of a ficha', description: 'From the users service, in last-name order by default.', tags, security: Security, params: IdParams, querystring: S.ApprenticeQuery, response: { 200: ListEnvelope(S.ApprenticeSchema), ...errorResponses(401, 403, 404, 422, 503) } } },
    async (request) => {
      const q = request.query;
      const page = pageRequest(q);
      const { items, total } = await assignments.apprentices(request.params.id, actorOf(request), { ...q, page: page.page, page_size: page.pageSize });
      return listReply(request, `/api/v1/groups/${request.params.id}/apprentices`, q, items, total);
    },
  );
  app.get(
    '/api/v1/groups/:id/instructors',
    { preHandler: requireAuth(), schema: { summary: 'G8 Instructors of a ficha', description: 'Every R21 source overlapping the window (default: the ficha period). Full list.', tags, security: Security, params: IdParams, querystring: S.InstructorsQuery, response: { 200: Envelope(Type.Array(S.GroupInstructorSchema)), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const { items, warnings } = await assignments.instructors(request.params.id, actorOf(request), request.query);
      return ok(request, items, { warnings });
    },
  );
  app.get(
    '/api/v1/groups/:id/instructors/:instructor_id',
    { preHandler: requireAuth({ roles: PERSONNEL_AND_SERVICES }), schema: { summary: 'G9 Is an instructor assigned to a ficha', description: 'R21 on `date` (default today); always 200 when the ficha exists.', tags, security: Security, params: S.GroupInstructorParams, querystring: S.AssignedQuery, response: { 200: Envelope(S.AssignedSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => ok(request, await assignments.isAssigned(request.params.id, request.params.instructor_id, actorOf(request), request.query.date)),
  );
  app.post(
    '/api/v1/groups/:id/assignments',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'G10 Assign an instructor', description: 'R23; sends group.instructor_assigned.', tags, security: Security, params: IdParams, body: S.AssignmentCreateBody, response: { 201: Envelope(S.AssignmentSchema), ...errorResponses(401, 403, 404, 409, 422, 503) } } },
    async (request, reply) => reply.code(201).send(ok(request, await assignments.create(request.params.id, request.body, actorOf(request)), { message: 'Instructor asignado' })),
  );
  app.patch(
    '/api/v1/groups/:id/assignments/:assignment_id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'G11 Update an assignment', description: 'Subject, dates and notes (R23).', tags, security: Security, params: S.AssignmentParams, body: S.AssignmentUpdateBody, response: { 200: Envelope(S.AssignmentSchema), ...errorResponses(401, 403, 404, 409, 422) } } },
    async (request) => ok(request, await assignments.update(request.params.id, request.params.assignment_id, request.body, actorOf(request)), { message: 'Asignación actualizada' }),
  );
  app.delete(
    '/api/v1/groups/:id/assignments/:assignment_id',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'G12 Delete an assignment', description: 'Removes the assignment.', tags, security: Security, params: S.AssignmentParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await assignments.remove(request.params.id, request.params.assignment_id);
      return reply.code(204).send(null);
    },
  );
};
