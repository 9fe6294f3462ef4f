/** RP1–RP5 (§4.5): JSON in the envelope, or with `format=csv` the whole result as a §6.2 file. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireAuth } from '@sicora/platform/auth';
import { errorResponses } from '@sicora/platform/envelope';
import { attachment, csvExport } from '@sicora/platform/csv-export';
import { pageRequest, paginationMeta } from '@sicora/platform/pagination';
import { ok } from '@sicora/platform/reply';
import { COORDINATION, roleGroup } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { ReportAnswer } from '../application/reports.common.ts';
import type { ReportsService } from '../application/reports.service.ts';
import { Security } from './common.schemas.ts';
import { actorOf, withWarnings } from './common.ts';
import { GroupParams, GroupReportQuery, GroupReportSchema, InstructorParams, InstructorReportSchema, JsonOrCsv, MissingRollsQuery, MissingRollsSchema, PeriodReportQuery, PeriodReportSchema, PeriodTotalsQuery, StudentParams, StudentReportSchema } from './reports.schemas.ts';

export interface ReportsRoutesOptions {
  reports: ReportsService;
}

const tags = ['reports'];

function answer<D>(request: FastifyRequest, reply: FastifyReply, res: ReportAnswer<D>, extra: Parameters<typeof ok>[2] = {}) {
  if (res.kind === 'csv') {
    const { file } = res;
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', attachment(file.filename)).send(csvExport({ columns: file.columns, batches: [file.rows], toRecord: (r) => r }));
  }
  return ok(request, res.data, { ...extra, ...withWarnings(res.warnings) });
}

export const reportsRoutes: RoutesPlugin<ReportsRoutesOptions> = async (app, { reports }) => {
  app.get(
    '/api/v1/attendance/reports/missing-rolls',
    {
      preHandler: requireAuth({ roles: COORDINATION }),
      schema: {
        summary: 'RP5 Missing rolls',
        description: 'R43: SCHEDULED sessions of the date (W2; holidays never show) with no record — ENDED ones, plus IN_PROGRESS ones with include_in_progress=true — sorted by instructor name then start time. Future date → 422 DATE_IN_FUTURE. CSV: tomas_pendientes (§6.2).',
        tags,
        security: Security,
        querystring: MissingRollsQuery,
        response: { 200: JsonOrCsv(MissingRollsSchema, 'asistencia_tomas_pendientes_<fecha>_….csv'), ...errorResponses(401, 403, 422, 503) },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const format = q.format ?? 'json';
      const page = pageRequest(q);
      const res = await reports.missingRolls.run(q, format, page);
      return answer(request, reply, res, res.kind === 'json' ? { pagination: paginationMeta(page, res.total ?? 0) } : {});
    },
  );
  app.get(
    '/api/v1/attendance/reports/instructors/:instructor_id',
    {
      preHandler: requireAuth({ roles: roleGroup(COORDINATION, 'instructor') }),
      schema: {
        summary: 'RP3 Instructor compliance',
        description: 'R44 over the period (R41, ≤ 366 days): sessions scheduled (W2, ended), rolls taken, on time, per ficha, and the sessions without roll. An instructor reads only their own id (else 403 OUT_OF_SCOPE). CSV: one row per scheduled session (§6.2).',
        tags,
        security: Security,
        params: InstructorParams,
        querystring: PeriodReportQuery,
        response: { 200: JsonOrCsv(InstructorReportSchema, 'asistencia_instructor_<id>_<inicio>_<fin>.csv'), ...errorResponses(401, 403, 404, 422, 503) },
      },
    },
    async (request, reply) => answer(request, reply, await reports.instructor.run(actorOf(request), request.params.instructor_id, request.query, request.query.format ?? 'json')),
  );
  app.get(
    '/api/v1/attendance/reports/students/:student_id',
    {
      preHandler: requireAuth({ roles: roleGroup(COORDINATION, 'instructor', 'aprendiz', 'service') }),
      schema: {
        summary: 'RP1 Student report',
        description: 'R40 figures of one apprentice over the period (R41, ≤ 366 days) by subject, month and weekday, unresolved alerts, justifications by status. O1: an aprendiz only their own; O2: an instructor students of fichas assigned today or whom they taught (else 403 OUT_OF_SCOPE). CSV: one row per record (§6.2); users down → 503 for the CSV, JSON with meta.warnings.',
        tags,
        security: Security,
        params: StudentParams,
        querystring: PeriodReportQuery,
        response: { 200: JsonOrCsv(StudentReportSchema, 'asistencia_aprendiz_<documento>_<inicio>_<fin>.csv'), ...errorResponses(401, 403, 404, 422, 503) },
      },
    },
    async (request, reply) => answer(request, reply, await reports.student.run(actorOf(request), request.params.student_id, request.query, request.query.format ?? 'json')),
  );
  app.get(
    '/api/v1/attendance/reports/groups/:group_id',
    {
      preHandler: requireAuth({ roles: roleGroup(COORDINATION, 'instructor', 'service') }),
      schema: {
        summary: 'RP2 Ficha report',
        description: 'The ficha (G3), its R40 figures, sessions scheduled/taken/missing (W2), one line per student (G7 plus anyone with records of the ficha) sorted by attendance_pct ascending, nulls last, and figures per subject. O2 for instructors (403 OUT_OF_SCOPE). CSV (§6.2): layout students (ficha_<number>) or matrix (planilla_<number>, one column per session, cells P/T/A/J/E); matrix with format=json → 422. Users down → 503 for the CSV, JSON with meta.warnings.',
        tags,
        security: Security,
        params: GroupParams,
        querystring: GroupReportQuery,
        response: { 200: JsonOrCsv(GroupReportSchema, 'asistencia_ficha_<número>_… o asistencia_planilla_<número>_….csv'), ...errorResponses(401, 403, 404, 422, 503) },
      },
    },
    async (request, reply) => answer(request, reply, await reports.group.run(actorOf(request), request.params.group_id, request.query, request.query.format ?? 'json')),
  );
  app.get(
    '/api/v1/attendance/reports/period',
    {
      preHandler: requireAuth({ roles: COORDINATION }),
      schema: {
        summary: 'RP4 Period report',
        description: 'R40 totals over the period (≤ 184 days, else 422 RANGE_TOO_LONG) and scope (campus, program, ficha); per ficha its figures, students with records, open alerts, sessions scheduled/taken (W2) and compliance; per instructor R44 compliance, lowest first. CSV: one row per ficha (periodo_centro, §6.2).',
        tags,
        security: Security,
        querystring: PeriodTotalsQuery,
        response: { 200: JsonOrCsv(PeriodReportSchema, 'asistencia_periodo_centro_<inicio>_<fin>.csv'), ...errorResponses(401, 403, 422, 503) },
      },
    },
    async (request, reply) => answer(request, reply, await reports.period.run(request.query, request.query.format ?? 'json')),
  );
};
