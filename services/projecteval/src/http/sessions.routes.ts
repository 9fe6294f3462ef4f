/** P45–P62: evaluation sessions (jury, agenda, start, complete, cancel) and juror evaluations. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { pageRequest } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, EVERYONE, roleGroup } from '@sicora/platform/roles';
import { LocalDate, Nullable, Timestamp, Uuid } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { EvaluationsService } from '../application/evaluations.service.ts';
import type { SessionsService } from '../application/sessions.service.ts';
import { EVALUATION_STATUSES, JUROR_STATUSES, SESSION_STATUSES, SESSION_TYPES, SUBMISSION_STATUSES } from '../domain/enums.ts';
import { HttpUrl, Instant, ListEnvelope, NInstant, NString, OneOf, PageQuery, Params, Security, SortQuery, Text } from './common.schemas.ts';
import { actorOf, listReply, sortOf } from './common.ts';
import { EvaluationSchema } from './submissions.schemas.ts';

export const SessionSchema = Type.Object({
  id: Uuid,
  title: Type.String(),
  session_type: OneOf(SESSION_TYPES),
  starts_at: Instant,
  ends_at: Instant,
  location: NString,
  virtual_url: NString,
  minutes_per_team: Type.Integer(),
  max_teams: Type.Integer(),
  status: OneOf(SESSION_STATUSES),
  cancel_reason: NString,
  organizer_id: Uuid,
  organizer_name: NString,
  chair_id: Uuid,
  chair_name: NString,
  started_at: NInstant,
  completed_at: NInstant,
  created_at: Instant,
  updated_at: Instant,
  jurors: Type.Array(Type.Object({ instructor_id: Uuid, name: NString, status: OneOf(JUROR_STATUSES), is_panel: Type.Boolean(), responded_at: NInstant, decline_reason: NString })),
  agenda: Type.Array(Type.Object({ position: Type.Integer(), submission_id: Uuid, team_id: Uuid, team_name: Type.String(), deliverable_title: Type.String(), submission_status: OneOf(SUBMISSION_STATUSES), slot_starts_at: Instant })),
});

const SessionCreateBody = Type.Object(
  {
    title: Text(5, 200),
    session_type: OneOf(SESSION_TYPES),
    starts_at: Timestamp,
    location: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    virtual_url: Type.Optional(Nullable(HttpUrl())),
    minutes_per_team: Type.Optional(Type.Integer({ minimum: 15, maximum: 120 })),
    max_teams: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    juror_ids: Type.Array(Uuid, { minItems: 1, maxItems: 10, description: '2–5 instructores distintos (JURY_SIZE_INVALID)' }),
    chair_id: Uuid,
    submission_ids: Type.Optional(Type.Array(Uuid, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
const SessionPatchBody = Type.Object(
  {
    title: Type.Optional(Text(5, 200)),
    starts_at: Type.Optional(Timestamp),
    location: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    virtual_url: Type.Optional(Nullable(HttpUrl())),
    minutes_per_team: Type.Optional(Type.Integer({ minimum: 15, maximum: 120 })),
    max_teams: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    chair_id: Type.Optional(Uuid),
  },
  { additionalProperties: false, minProperties: 1 },
);
const SessionListQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(OneOf(SESSION_STATUSES)),
  from: Type.Optional(LocalDate),
  to: Type.Optional(LocalDate),
  juror_id: Type.Optional(Uuid),
  team_id: Type.Optional(Uuid),
  group_id: Type.Optional(Uuid),
  upcoming: Type.Optional(Type.Boolean()),
  sort: SortQuery(['starts_at']),
});

const ScoreIn = Type.Object({ criterion_id: Uuid, score: Type.Number({ description: '0–100 con un decimal (INVALID_SCORE)' }), comment: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) }, { additionalProperties: false });
const ScorePatch = Type.Object({ criterion_id: Uuid, score: Nullable(Type.Number()), comment: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) }, { additionalProperties: false });
const EvaluationCreateBody = Type.Object(
  { session_id: Uuid, scores: Type.Optional(Type.Array(ScoreIn, { maxItems: 20 })), general_comments: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))), recommendations: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))) },
  { additionalProperties: false },
);
const EvaluationPatchBody = Type.Object(
  { scores: Type.Optional(Type.Array(ScorePatch, { maxItems: 20 })), general_comments: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))), recommendations: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))) },
  { additionalProperties: false, minProperties: 1 },
);
const EvaluationListQuery = Type.Object({ ...PageQuery, submission_id: Type.Optional(Uuid), session_id: Type.Optional(Uuid), evaluator_id: Type.Optional(Uuid), status: Type.Optional(OneOf(EVALUATION_STATUSES)), sort: Type.Optional(Type.Literal('-updated_at')) });
const PendingSchema = Type.Object({ session: Type.Object({ id: Uuid, title: Type.String(), starts_at: Instant }), submission: Type.Object({ id: Uuid, team_name: Type.String(), deliverable_title: Type.String() }), evaluation_id: Nullable(Uuid), status: OneOf(['missing', 'draft'] as const) });

const BASE = '/api/v1/projecteval';
const MANAGERS = roleGroup(COORDINATION, 'instructor');

export const sessionsRoutes: RoutesPlugin<{ sessions: SessionsService; evaluations: EvaluationsService }> = async (app, { sessions, evaluations }) => {
  const S = { security: Security, tags: ['sessions'] };
  const Reply = { 200: Envelope(SessionSchema), ...errorResponses(404, 409, 503) };
  const id = (r: { params: { session_id: string } }) => r.params.session_id;

  app.get(`${BASE}/sessions`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...S, summary: 'P45 List sessions', description: 'Apprentices see sessions whose agenda holds their team (O1).', querystring: SessionListQuery, response: { 200: ListEnvelope(SessionSchema) } } }, async (request) => {
    const s = sortOf<'starts_at'>(request.query.sort, 'starts_at');
    const { items, total } = await sessions.list(actorOf(request), request.query, s.dir, pageRequest(request.query));
    return listReply(request, `${BASE}/sessions`, request.query, items, total);
  });
  app.post(`${BASE}/sessions`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P46 Create a session', description: 'The caller organizes; 2–5 active instructors as jurors with the chair among them (R23); no juror double-booked (R24); agenda per R25. Jurors get invitations, teams their slots.', body: SessionCreateBody, response: { 201: Envelope(SessionSchema), ...errorResponses(404, 409, 503) } } }, async (request, reply) =>
    reply.code(201).send(ok(request, await sessions.create(actorOf(request), request.body), { message: 'Sesión programada' })),
  );
  app.get(`${BASE}/sessions/:session_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...S, summary: 'P47 Read a session', params: Params.session, response: Reply } }, async (request) => ok(request, await sessions.get(actorOf(request), id(request))));
  app.patch(`${BASE}/sessions/:session_id`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P48 Edit a session', description: 'While scheduled (R26); time or place changes notify jurors and teams.', params: Params.session, body: SessionPatchBody, response: Reply } }, async (request) =>
    ok(request, await sessions.update(actorOf(request), id(request), request.body), { message: 'Sesión actualizada' }),
  );
  app.post(`${BASE}/sessions/:session_id/jurors`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P49 Invite a juror', params: Params.session, body: Type.Object({ instructor_id: Uuid }, { additionalProperties: false }), response: Reply } }, async (request) =>
    ok(request, await sessions.addJuror(actorOf(request), id(request), request.body.instructor_id), { message: 'Jurado invitado' }),
  );
  app.delete(`${BASE}/sessions/:session_id/jurors/:instructor_id`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P50 Remove a juror', description: 'Scheduled: organizer, chair or coordination, leaving 2 jurors; in progress: admin or coordinador, a panel juror without completed evaluations (R26).', params: Params.sessionJuror, response: Reply } }, async (request) =>
    ok(request, await sessions.removeJuror(actorOf(request), id(request), request.params.instructor_id), { message: 'Jurado retirado' }),
  );
  app.post(`${BASE}/sessions/:session_id/respond`, { preHandler: requireAuth({ roles: ['instructor'] }), schema: { ...S, summary: 'P51 Answer a juror invitation', description: 'The invited instructor, while scheduled; declining needs a reason (R27).', params: Params.session, body: Type.Object({ response: OneOf(['confirm', 'decline'] as const), reason: Type.Optional(Text(5, 500)) }, { additionalProperties: false }), response: Reply } }, async (request) =>
    ok(request, await sessions.respond(actorOf(request), id(request), request.body), { message: 'Respuesta registrada' }),
  );
  app.put(`${BASE}/sessions/:session_id/agenda`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P52 Set the agenda', description: 'Ordered submissions (R25).', params: Params.session, body: Type.Object({ submission_ids: Type.Array(Uuid, { maxItems: 10 }) }, { additionalProperties: false }), response: Reply } }, async (request) =>
    ok(request, await sessions.agenda(actorOf(request), id(request), request.body.submission_ids), { message: 'Agenda actualizada' }),
  );
  app.post(`${BASE}/sessions/:session_id/start`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P53 Start a session', description: 'From 15 minutes before, with 2 confirmed jurors including the chair and a non-empty agenda (R28).', params: Params.session, response: Reply } }, async (request) =>
    ok(request, await sessions.start(actorOf(request), id(request)), { message: 'Sesión iniciada' }),
  );
  app.post(`${BASE}/sessions/:session_id/complete`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P54 Complete a session', params: Params.session, response: Reply } }, async (request) =>
    ok(request, await sessions.complete(actorOf(request), id(request)), { message: 'Sesión finalizada' }),
  );
  app.post(`${BASE}/sessions/:session_id/cancel`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...S, summary: 'P55 Cancel a session', description: 'Only scheduled, with a reason; jurors and teams are notified (R29).', params: Params.session, body: Type.Object({ reason: Text(10, 500) }, { additionalProperties: false }), response: Reply } }, async (request) =>
    ok(request, await sessions.cancel(actorOf(request), id(request), request.body.reason), { message: 'Sesión cancelada' }),
  );

  const E = { security: Security, tags: ['evaluations'] };
  const EReply = { 200: Envelope(EvaluationSchema), ...errorResponses(404, 409) };
  const JUROR = ['instructor'] as const;

  app.get(`${BASE}/evaluations`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...E, summary: 'P56 List evaluations', description: 'Staff: completed and published; instructors also their own drafts; apprentices published ones of their team (§2, O4).', querystring: EvaluationListQuery, response: { 200: ListEnvelope(EvaluationSchema) } } }, async (request) => {
    const { items, total } = await evaluations.list(actorOf(request), request.query, pageRequest(request.query));
    return listReply(request, `${BASE}/evaluations`, request.query, items, total);
  });
  app.get(`${BASE}/evaluations/pending`, { preHandler: requireAuth({ roles: MANAGERS }), schema: { ...E, summary: 'P57 Pending evaluations', description: 'Agenda submissions of started sessions where the juror sits on the panel and has not completed an evaluation.', querystring: Type.Object({ evaluator_id: Type.Optional(Uuid) }), response: { 200: Envelope(Type.Array(PendingSchema)) } } }, async (request) =>
    ok(request, await evaluations.pending(actorOf(request), request.query.evaluator_id)),
  );
  app.post(`${BASE}/submissions/:submission_id/evaluations`, { preHandler: requireAuth({ roles: JUROR }), schema: { ...E, summary: 'P58 Create an evaluation', description: 'A panel juror of a started session whose agenda holds the submission, once (R30, R31).', params: Params.submission, body: EvaluationCreateBody, response: { 201: Envelope(EvaluationSchema), ...errorResponses(404, 409) } } }, async (request, reply) =>
    reply.code(201).send(ok(request, await evaluations.create(actorOf(request), request.params.submission_id, request.body), { message: 'Evaluación creada' })),
  );
  app.get(`${BASE}/evaluations/:evaluation_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...E, summary: 'P59 Read an evaluation', description: 'A draft is visible to its author only (O4).', params: Params.evaluation, response: EReply } }, async (request) => ok(request, await evaluations.get(actorOf(request), request.params.evaluation_id)));
  app.patch(`${BASE}/evaluations/:evaluation_id`, { preHandler: requireAuth({ roles: JUROR }), schema: { ...E, summary: 'P60 Edit a draft evaluation', description: 'Scores merge by criterion; `score: null` removes one (R31).', params: Params.evaluation, body: EvaluationPatchBody, response: EReply } }, async (request) =>
    ok(request, await evaluations.update(actorOf(request), request.params.evaluation_id, request.body), { message: 'Evaluación actualizada' }),
  );
  app.post(`${BASE}/evaluations/:evaluation_id/complete`, { preHandler: requireAuth({ roles: JUROR }), schema: { ...E, summary: 'P61 Complete an evaluation', description: 'Every criterion scored; total and band computed (R32); the submission is evaluated when every panel juror completed (R34).', params: Params.evaluation, response: EReply } }, async (request) =>
    ok(request, await evaluations.complete(actorOf(request), request.params.evaluation_id), { message: 'Evaluación completada' }),
  );
  app.post(`${BASE}/evaluations/:evaluation_id/reopen`, { preHandler: requireAuth({ roles: JUROR }), schema: { ...E, summary: 'P62 Reopen an evaluation', description: 'The author, while the submission is not published (R33).', params: Params.evaluation, response: EReply } }, async (request) =>
    ok(request, await evaluations.reopen(actorOf(request), request.params.evaluation_id), { message: 'Evaluación reabierta' }),
  );
};
