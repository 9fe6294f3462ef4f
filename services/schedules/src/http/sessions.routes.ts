/** W1–W4 (sessions and views) and K1–K5 (shifts, blocks, non-teaching days). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { AppError } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import { toCsv, toIcs } from '../application/export.ts';
import type { App } from '@sicora/platform/server';
import { WRITERS } from '../application/context.ts';
import type { createCalendarService } from '../application/calendar.service.ts';
import type { SessionsService } from '../application/sessions.service.ts';
import { actorOf, AuditFields, IdParams, LocalDate, Nullable, Ref, Security, Uuid } from './common.ts';
import { ShiftSchema } from './groups.schemas.ts';

export const SessionSchema = Type.Object({
  schedule_id: Uuid,
  date: LocalDate,
  day_of_week: Type.Integer(),
  day_name: Type.String(),
  start_time: Type.String(),
  end_time: Type.String(),
  start_at: Type.String({ format: 'date-time' }),
  end_at: Type.String({ format: 'date-time' }),
  blocks: Type.Array(Type.String()),
  shift: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  cancel_reason: Nullable(Type.String()),
  group: Type.Object({ id: Uuid, number: Type.String(), program: Ref }),
  instructor: Type.Object({ id: Uuid, full_name: Nullable(Type.String()) }),
  scheduled_instructor_id: Uuid,
  venue: Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), campus: Ref }),
  is_changed: Type.Boolean(),
  in_progress: Type.Boolean(),
});

export const SessionFilters = {
  group_id: Type.Optional(Uuid),
  instructor_id: Type.Optional(Uuid),
  venue_id: Type.Optional(Uuid),
  campus_id: Type.Optional(Uuid),
  program_id: Type.Optional(Uuid),
  include_cancelled: Type.Optional(Type.Boolean()),
};
const W2Query = Type.Object(
  {
    date: Type.Optional(LocalDate),
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    at: Type.Optional(Type.String({ format: 'date-time' })),
    margin_before_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    margin_after_minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    ...SessionFilters,
  },
  { additionalProperties: false },
);
const NonTeachingDaySchema = Type.Object({ id: Uuid, date: LocalDate, name: Type.String(), campus_id: Nullable(Uuid), source: Type.String(), ...AuditFields });
const tags = ['sessions'];
const ctags = ['calendar'];
const READERS = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'service'] as const;

export function sessionsRoutes(app: App, opts: { sessions: SessionsService; calendar: ReturnType<typeof createCalendarService> }) {
  const svc = opts.sessions;
  const cal = opts.calendar;
  app.get(
    '/api/v1/schedules/me',
    { preHandler: requireAuth({ roles: ['instructor', 'aprendiz'] }), schema: { summary: 'W1 My schedule', description: 'Sessions an instructor teaches (substitutions included) or an apprentice\'s ficha sessions; default the current Monday–Sunday.', tags, security: Security, querystring: Type.Object({ from: Type.Optional(LocalDate), to: Type.Optional(LocalDate), include_cancelled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: { 200: Envelope(Type.Array(SessionSchema)), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const res = await svc.me(actorOf(request), request.query);
      return ok(request, res.sessions, { warnings: res.warnings });
    },
  );
  app.get(
    '/api/v1/schedules/sessions',
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'W2 Sessions', description: 'One of date | from+to (≤ 31 days) | at (with margins); none = today. instructor_id is the effective instructor.', tags, security: Security, querystring: W2Query, response: { 200: Envelope(Type.Array(SessionSchema)), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const res = await svc.list(actorOf(request), request.query);
      return ok(request, res.sessions, { warnings: res.warnings });
    },
  );
  app.get(
    '/api/v1/schedules/:id/sessions/:date',
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'W3 One session', description: 'The entry\'s session on a date, also when cancelled; 404 SESSION_NOT_FOUND when not an occurrence.', tags, security: Security, params: Type.Object({ id: Uuid, date: LocalDate }), response: { 200: Envelope(SessionSchema), ...errorResponses(401, 403, 404, 422) } } },
    async (request) => {
      const res = await svc.one(actorOf(request), request.params.id, request.params.date);
      return ok(request, res.session, { warnings: res.warnings });
    },
  );
  app.get(
    '/api/v1/schedules/timetable',
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'W4 Weekly timetable', description: 'Exactly one of group_id, instructor_id, venue_id; Monday–Sunday of week_of (default today), cancelled sessions included.', tags, security: Security, querystring: Type.Object({ group_id: Type.Optional(Uuid), instructor_id: Type.Optional(Uuid), venue_id: Type.Optional(Uuid), week_of: Type.Optional(LocalDate) }, { additionalProperties: false }), response: { 200: Envelope(Type.Object({ week_start: LocalDate, week_end: LocalDate, days: Type.Array(Type.Object({ date: LocalDate, day_of_week: Type.Integer(), day_name: Type.String(), non_teaching_day: Nullable(Type.Object({ name: Type.String(), campus_id: Nullable(Uuid) })), sessions: Type.Array(SessionSchema) })) })), ...errorResponses(401, 403, 422) } } },
    async (request) => {
      const res = await svc.timetable(actorOf(request), request.query);
      return ok(request, res.data, { warnings: res.warnings });
    },
  );
  app.get(
    '/api/v1/schedules/shifts',
    { preHandler: requireAuth(), schema: { summary: 'K1 Shifts', description: 'The fixed jornadas of §3.5 with their windows.', tags: ctags, security: Security, response: { 200: Envelope(Type.Array(Type.Object({ code: Type.String(), label: Type.String(), letter: Type.String(), windows: Type.Array(Type.Object({ day_of_week: Type.Integer(), start_time: Type.String(), end_time: Type.String() })) }))), ...errorResponses(401, 403) } } },
    async (request) => ok(request, cal.shifts()),
  );
  app.get(
    '/api/v1/schedules/blocks',
    { preHandler: requireAuth(), schema: { summary: 'K2 Blocks', description: 'One-hour blocks (104 unfiltered).', tags: ctags, security: Security, querystring: Type.Object({ shift: Type.Optional(ShiftSchema), day_of_week: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })) }, { additionalProperties: false }), response: { 200: Envelope(Type.Array(Type.Object({ id: Type.String(), shift: Type.String(), day_of_week: Type.Integer(), ordinal: Type.Integer(), start_time: Type.String(), end_time: Type.String() }))), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, cal.blocks(request.query)),
  );
  app.get(
    '/api/v1/schedules/non-teaching-days',
    { preHandler: requireAuth(), schema: { summary: 'K3 Non-teaching days', description: 'Holidays and closures of a year (default current), centre-wide plus the campus\'s when campus_id is given.', tags: ctags, security: Security, querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })), campus_id: Type.Optional(Uuid) }, { additionalProperties: false }), response: { 200: Envelope(Type.Array(NonTeachingDaySchema)), ...errorResponses(401, 403, 422) } } },
    async (request) => ok(request, await cal.list(request.query)),
  );
  app.post(
    '/api/v1/schedules/non-teaching-days',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'K4 Add a non-teaching day', description: 'A MANUAL closure, centre-wide or for one campus.', tags: ctags, security: Security, body: Type.Object({ date: LocalDate, name: Type.String({ minLength: 3, maxLength: 100 }), campus_id: Type.Optional(Nullable(Uuid)) }, { additionalProperties: false }), response: { 201: Envelope(NonTeachingDaySchema), ...errorResponses(401, 403, 409, 422) } } },
    async (request, reply) => reply.code(201).send(ok(request, await cal.create(request.body, actorOf(request)), { message: 'Día no hábil registrado' })),
  );
  app.delete(
    '/api/v1/schedules/non-teaching-days/:id',
    { preHandler: requireAuth({ roles: WRITERS }), schema: { summary: 'K5 Delete a non-teaching day', description: 'Any day, holidays included (not re-created, R25).', tags: ctags, security: Security, params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 422) } } },
    async (request, reply) => {
      await cal.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );
}

const ExportQuery = Type.Object({ format: Type.Union([Type.Literal('ics'), Type.Literal('csv')]), from: LocalDate, to: LocalDate, ...SessionFilters }, { additionalProperties: false });

export function exportRoutes(app: App, opts: { sessions: SessionsService; now: () => Date; timeZone: string }) {
  app.get(
    '/api/v1/schedules/export',
    { preHandler: requireAuth({ roles: READERS }), schema: { summary: 'W5 Export sessions', description: 'iCalendar (one VEVENT per scheduled session, TZID America/Bogota) or CSV (≤ 10 000 rows); window ≤ 184 days; W2 filters and scope.', tags, security: Security, querystring: ExportQuery, response: { 200: Type.String({ description: 'text/calendar or text/csv' }), ...errorResponses(401, 403, 422) } } },
    async (request, reply) => {
      const q = request.query;
      opts.sessions.checkWindow(q.from, q.to, 184);
      const actor = actorOf(request);
      const f = await opts.sessions.scoped(actor, q);
      const { sessions } = await opts.sessions.expand(q.from, q.to, f, actor);
      const name = `horario_${q.from.replaceAll('-', '')}_${q.to.replaceAll('-', '')}`;
      if (q.format === 'ics') {
        return reply.type('text/calendar; charset=utf-8').header('Content-Disposition', `attachment; filename="${name}.ics"`).send(toIcs(sessions, opts.now(), opts.timeZone));
      }
      if (sessions.length > 10_000) throw new AppError('EXPORT_TOO_LARGE', 'invalid', 'La exportación supera 10 000 filas; reduzca el rango', { rows: sessions.length });
      return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${name}.csv"`).send(toCsv(sessions));
    },
  );
}
