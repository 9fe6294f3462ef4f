/** W1–W4: sessions (weekly entries expanded into dated classes) and the weekly timetable. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { EVERYONE } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { SessionsService } from '../application/sessions.service.ts';
import { Security } from './common.schemas.ts';
import { actorOf } from './common.ts';
import { MyScheduleQuery, SessionParams, SessionSchema, SessionsQuery, TimetableQuery, TimetableSchema } from './sessions.schemas.ts';

export interface SessionsRoutesOptions {
  sessions: SessionsService;
}

const tags = ['sessions'];

export const sessionsRoutes: RoutesPlugin<SessionsRoutesOptions> = async (app, { sessions }) => {
  app.get(
    '/api/v1/schedules/me',
    { preHandler: requireAuth({ roles: ['instructor', 'aprendiz'] }), schema: { summary: 'W1 My schedule', description: 'Sessions an instructor teaches (substitutions included) or an apprentice\'s ficha sessions; default the current Monday–Sunday.', tags, security: Security, querystring: MyScheduleQuery, response: { 200: Envelope(Type.Array(SessionSchema)), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const res = await sessions.me(actorOf(request), request.query);
      return ok(request, res.sessions, { warnings: res.warnings });
    },
  );
  app.get(
    '/api/v1/schedules/sessions',
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { summary: 'W2 Sessions', description: 'One of date | from+to (≤ 31 days) | at (with margins); none = today. instructor_id is the effective instructor.', tags, security: Security, querystring: SessionsQuery, response: { 200: Envelope(Type.Array(SessionSchema)), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const res = await sessions.list(actorOf(request), request.query);
      return ok(request, res.sessions, { warnings: res.warnings });
    },
  );
  app.get(
    '/api/v1/schedules/:id/sessions/:date',
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { summary: 'W3 One session', description: 'The entry\'s session on a date, also when cancelled; 404 SESSION_NOT_FOUND when not an occurrence.', tags, security: Security, params: SessionParams, response: { 200: Envelope(SessionSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const res = await sessions.one(actorOf(request), request.params.id, request.params.date);
      return ok(request, res.session, { warnings: res.warnings });
    },
  );
  app.get(
    '/api/v1/schedules/timetable',
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { summary: 'W4 Weekly timetable', description: 'Exactly one of group_id, instructor_id, venue_id; Monday–Sunday of week_of (default today), cancelled sessions included.', tags, security: Security, querystring: TimetableQuery, response: { 200: Envelope(TimetableSchema), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const res = await sessions.timetable(actorOf(request), request.query);
      return ok(request, res.data, { warnings: res.warnings });
    },
  );
};
