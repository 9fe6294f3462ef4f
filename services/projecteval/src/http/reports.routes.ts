/** P77–P80: reports and the grade book CSV. */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { csvExport, attachment } from '@sicora/platform/csv-export';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { EVERYONE, PERSONNEL, STAFF, roleGroup } from '@sicora/platform/roles';
import { LocalDate, Nullable, Uuid } from '@sicora/platform/schemas';
import type { RoutesPlugin } from '@sicora/platform/server';
import { MediaResponse } from '@sicora/platform/schemas';
import type { ReportsService } from '../application/reports.service.ts';
import { Instant, NString, Params, Security } from './common.schemas.ts';
import { actorOf } from './common.ts';

const Counts = Type.Record(Type.String(), Type.Integer());
const Num = Nullable(Type.Number());
const ProjectReport = Type.Object({
  project: Type.Object({ id: Uuid, title: Type.String(), status: Type.String(), project_type: Type.String(), scope_version: Type.Integer(), start_date: LocalDate, expected_end_date: LocalDate }),
  team: Type.Object({ id: Uuid, name: Type.String(), group_id: Uuid, group_number: Type.String(), advisor_id: Uuid, status: Type.String() }),
  deliverables: Type.Array(Type.Object({ id: Uuid, title: Type.String(), due_at: Instant, weight: Type.Integer(), status: Type.String(), version: Nullable(Type.Integer()), final_score: Num, band_label: NString, is_passing: Nullable(Type.Boolean()) })),
  project_grade: Num,
  grade_complete: Type.Boolean(),
  is_passing: Type.Boolean(),
  overdue_count: Type.Integer(),
  sessions_count: Type.Integer(),
  change_requests: Counts,
  documents: Counts,
  generated_at: Instant,
});
const GroupReport = Type.Object({
  group_id: Uuid,
  group_number: Type.String(),
  teams: Type.Array(Type.Object({ team_id: Uuid, name: Type.String(), status: Type.String(), member_count: Type.Integer(), approved_idea_title: NString, project_status: NString, deliverables_published: Type.Integer(), deliverables_total: Type.Integer(), overdue_count: Type.Integer(), project_grade: Num })),
  average_final_score: Num,
  pass_rate: Num,
  grade_distribution: Counts,
  generated_at: Instant,
});
const Summary = Type.Object({
  from: LocalDate,
  to: LocalDate,
  teams_by_status: Counts,
  ideas_by_status: Counts,
  projects_by_status: Counts,
  sessions_by_status: Counts,
  submissions_published: Type.Integer(),
  average_final_score: Num,
  pass_rate: Num,
  grade_distribution: Counts,
  overdue_deliverables: Type.Integer(),
  pending_evaluations_by_juror: Type.Array(Type.Object({ instructor_id: Uuid, name: NString, pending: Type.Integer() })),
});

const BASE = '/api/v1/projecteval/reports';

export const reportsRoutes: RoutesPlugin<{ reports: ReportsService }> = async (app, { reports }) => {
  const R = { security: Security, tags: ['reports'] };
  const READERS = roleGroup(PERSONNEL, 'service');
  app.get(`${BASE}/projects/:project_id`, { preHandler: requireAuth({ roles: EVERYONE }), schema: { ...R, summary: 'P77 Project report', description: 'Staff; the advisor and the jurors of its sessions; the team (O1). project_grade per R45, statuses per R47.', params: Params.project, response: { 200: Envelope(ProjectReport), ...errorResponses(404) } } }, async (request) =>
    ok(request, await reports.project(actorOf(request), request.params.project_id)),
  );
  app.get(`${BASE}/groups/:group_id`, { preHandler: requireAuth({ roles: READERS }), schema: { ...R, summary: 'P78 Ficha report', description: 'Instructors only for fichas they teach (O3).', params: Params.group, response: { 200: Envelope(GroupReport), ...errorResponses(503) } } }, async (request) =>
    ok(request, await reports.group(actorOf(request), request.params.group_id)),
  );
  app.get(`${BASE}/summary`, { preHandler: requireAuth({ roles: roleGroup(STAFF, 'service') }), schema: { ...R, summary: 'P79 Centre summary', description: 'Default period: the current quarter (local dates).', querystring: Type.Object({ from: Type.Optional(LocalDate), to: Type.Optional(LocalDate), group_id: Type.Optional(Uuid) }), response: { 200: Envelope(Summary) } } }, async (request) =>
    ok(request, await reports.summary(request.query)),
  );
  app.get(
    `${BASE}/groups/:group_id/grades.csv`,
    { preHandler: requireAuth({ roles: READERS }), schema: { ...R, summary: 'P80 Grade book CSV', description: 'One row per member and deliverable plus TOTAL PROYECTO (§6): UTF-8 with BOM, CRLF, si/no, formula-safe cells.', params: Params.group, response: { 200: MediaResponse('La planilla de notas', 'text/csv'), ...errorResponses(503) } } },
    async (request, reply) => {
      const csv = await reports.gradesCsv(actorOf(request), request.params.group_id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', attachment(csv.filename)).send(csvExport({ columns: csv.columns, batches: [csv.rows], toRecord: (r) => r }));
    },
  );
};
