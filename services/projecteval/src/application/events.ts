/**
 * §7's events as notification requests, written to the outbox in the transaction of the change. Keys are
 * the spec's discriminators (the platform prefixes them with `projecteval:<type>`). Where the catalogue's
 * template names a variable differently from §7 (`decision_label`, `score`, `starts_at`), both are sent.
 */
import type { NotificationInput } from '@sicora/platform/notify';

const ms = (d: Date) => d.getTime();
const iso = (d: Date) => d.toISOString();

const DECISION_LABELS: Record<string, string> = {
  approve: 'Aprobada', approved: 'Aprobada', reject: 'Rechazada', rejected: 'Rechazada',
  request_revision: 'Devuelta para ajustes', revision_requested: 'Devuelta para ajustes', not_selected: 'No seleccionada',
};

export const events = {
  memberAdded: (team: { id: string; name: string; groupNumber: string }, studentId: string, joinedAt: Date, advisorName: string | null): NotificationInput => ({
    type: 'projecteval.team_member_added', key: ['member', team.id, studentId, ms(joinedAt)], target_users: [studentId], priority: 'low',
    action_url: `/proyectos/equipos/${team.id}`, entity_type: 'team', entity_id: team.id,
    data: { team_id: team.id, team_name: team.name, group_number: team.groupNumber, advisor_name: advisorName },
  }),
  ideaSubmitted: (idea: { id: string; title: string; updatedAt: Date }, teamName: string, advisorId: string): NotificationInput => ({
    type: 'projecteval.idea_submitted', key: ['idea', idea.id, ms(idea.updatedAt)], target_users: [advisorId], priority: 'low',
    action_url: `/proyectos/ideas/${idea.id}`, entity_type: 'idea', entity_id: idea.id,
    data: { idea_id: idea.id, idea_title: idea.title, team_name: teamName },
  }),
  ideaDecided: (idea: { id: string; title: string; status: string; feedback: string | null; viabilityScore: number | null; decidedAt: Date | null }, members: string[]): NotificationInput => ({
    type: 'projecteval.idea_decided', key: ['idea_decided', idea.id, ms(idea.decidedAt ?? new Date(0))], target_users: members, priority: 'normal',
    action_url: `/proyectos/ideas/${idea.id}`, entity_type: 'idea', entity_id: idea.id,
    data: { idea_id: idea.id, idea_title: idea.title, decision: idea.status, decision_label: DECISION_LABELS[idea.status] ?? idea.status, feedback: idea.feedback, viability_score: idea.viabilityScore },
  }),
  deliverableAssigned: (d: { id: string; title: string; deliverableType: string; dueAt: Date }, projectTitle: string, rubricName: string, members: string[]): NotificationInput => ({
    type: 'projecteval.deliverable_assigned', key: ['deliverable', d.id], target_users: members, priority: 'normal',
    action_url: `/proyectos/entregables/${d.id}`, entity_type: 'deliverable', entity_id: d.id,
    data: { project_title: projectTitle, deliverable_title: d.title, deliverable_type: d.deliverableType, due_at: iso(d.dueAt), rubric_name: rubricName },
  }),
  dueSoon: (d: { id: string; title: string; dueAt: Date }, hoursLeft: number, members: string[]): NotificationInput => ({
    type: 'projecteval.deliverable_due_soon', key: ['due_soon', d.id, ms(d.dueAt)], target_users: members, priority: 'high',
    action_url: `/proyectos/entregables/${d.id}`, entity_type: 'deliverable', entity_id: d.id,
    data: { deliverable_title: d.title, due_at: iso(d.dueAt), hours_left: hoursLeft },
  }),
  submissionReceived: (s: { id: string; version: number; submittedAt: Date }, teamName: string, deliverableTitle: string, advisorId: string): NotificationInput => ({
    type: 'projecteval.submission_received', key: ['submission', s.id], target_users: [advisorId], priority: 'low',
    action_url: `/proyectos/entregas/${s.id}`, entity_type: 'submission', entity_id: s.id,
    data: { team_name: teamName, deliverable_title: deliverableTitle, version: s.version, submitted_at: iso(s.submittedAt) },
  }),
  submissionReturned: (s: { id: string; returnReason: string | null }, d: { title: string; dueAt: Date }, members: string[]): NotificationInput => ({
    type: 'projecteval.submission_returned', key: ['returned', s.id], target_users: members, priority: 'normal',
    action_url: `/proyectos/entregas/${s.id}`, entity_type: 'submission', entity_id: s.id,
    data: { deliverable_title: d.title, reason: s.returnReason, due_at: iso(d.dueAt) },
  }),
  invitation: (s: { id: string; title: string; startsAt: Date; location: string | null; virtualUrl: string | null }, endsAt: Date, chairName: string | null, agendaCount: number, instructorId: string): NotificationInput => ({
    type: 'projecteval.session_invitation', key: ['invite', s.id, instructorId], target_users: [instructorId], priority: 'high',
    action_url: `/proyectos/sesiones/${s.id}`, entity_type: 'session', entity_id: s.id,
    data: { session_id: s.id, session_title: s.title, starts_at: iso(s.startsAt), ends_at: iso(endsAt), location: s.location, virtual_url: s.virtualUrl, chair_name: chairName, agenda_count: agendaCount },
  }),
  scheduled: (s: { id: string; title: string; location: string | null; virtualUrl: string | null }, submissionId: string, deliverableTitle: string, slot: Date, members: string[]): NotificationInput => ({
    type: 'projecteval.session_scheduled', key: ['agenda', s.id, submissionId], target_users: members, priority: 'normal',
    action_url: `/proyectos/sesiones/${s.id}`, entity_type: 'session', entity_id: s.id,
    data: { session_title: s.title, deliverable_title: deliverableTitle, slot_starts_at: iso(slot), starts_at: iso(slot), location: s.location, virtual_url: s.virtualUrl },
  }),
  sessionChanged: (s: { id: string; title: string; startsAt: Date; location: string | null; virtualUrl: string | null; updatedAt: Date }, change: 'rescheduled' | 'cancelled', reason: string | null, targets: string[]): NotificationInput => ({
    type: 'projecteval.session_changed', key: ['session', s.id, ms(s.updatedAt)], target_users: targets, priority: 'high',
    action_url: `/proyectos/sesiones/${s.id}`, entity_type: 'session', entity_id: s.id,
    data: { session_title: s.title, change, starts_at: iso(s.startsAt), location: s.location, virtual_url: s.virtualUrl, reason },
  }),
  sessionReminder: (s: { id: string; title: string; startsAt: Date; location: string | null; virtualUrl: string | null }, targets: string[]): NotificationInput => ({
    type: 'projecteval.session_reminder', key: ['session_reminder', s.id, ms(s.startsAt)], target_users: targets, priority: 'normal',
    action_url: `/proyectos/sesiones/${s.id}`, entity_type: 'session', entity_id: s.id,
    data: { session_title: s.title, starts_at: iso(s.startsAt), location: s.location, virtual_url: s.virtualUrl },
  }),
  jurorDeclined: (s: { id: string; title: string; organizerId: string; chairId: string }, instructorId: string, jurorName: string | null, reason: string, confirmed: number): NotificationInput => ({
    type: 'projecteval.juror_declined', key: ['declined', s.id, instructorId], target_users: [s.organizerId, s.chairId], priority: 'normal',
    action_url: `/proyectos/sesiones/${s.id}`, entity_type: 'session', entity_id: s.id,
    data: { session_title: s.title, juror_name: jurorName, reason, confirmed_count: confirmed },
  }),
  resultPublished: (s: { id: string; finalScore: string | null; bandLabel: string | null; isPassing: boolean | null }, projectTitle: string, deliverableTitle: string, targets: string[]): NotificationInput => ({
    type: 'projecteval.result_published', key: ['result', s.id], target_users: targets, priority: 'high',
    action_url: `/proyectos/entregas/${s.id}`, entity_type: 'submission', entity_id: s.id,
    data: { project_title: projectTitle, deliverable_title: deliverableTitle, final_score: Number(s.finalScore), score: Number(s.finalScore), band_label: s.bandLabel, is_passing: s.isPassing },
  }),
  crSubmitted: (cr: { id: string; title: string; changeType: string; origin: string; priority: string }, projectTitle: string, advisorId: string): NotificationInput => ({
    type: 'projecteval.change_request_submitted', key: ['cr', cr.id], target_users: [advisorId], target_roles: cr.priority === 'critical' ? ['coordinador'] : undefined, priority: 'normal',
    action_url: `/proyectos/solicitudes/${cr.id}`, entity_type: 'change_request', entity_id: cr.id,
    data: { project_title: projectTitle, request_title: cr.title, change_type: cr.changeType, origin: cr.origin, priority: cr.priority },
  }),
  crDecided: (cr: { id: string; title: string; status: string; decisionReason: string | null }, projectTitle: string, targets: string[]): NotificationInput => ({
    type: 'projecteval.change_request_decided', key: ['cr_decided', cr.id], target_users: targets, priority: 'normal',
    action_url: `/proyectos/solicitudes/${cr.id}`, entity_type: 'change_request', entity_id: cr.id,
    data: { project_title: projectTitle, request_title: cr.title, decision: cr.status, decision_label: DECISION_LABELS[cr.status] ?? cr.status, decision_reason: cr.decisionReason },
  }),
  scopeLock: (p: { id: string; title: string; scopeLocked: boolean; updatedAt: Date }, reason: string, members: string[]): NotificationInput => ({
    type: 'projecteval.scope_lock_changed', key: ['scope', p.id, ms(p.updatedAt)], target_users: members, priority: 'low',
    action_url: `/proyectos/${p.id}`, entity_type: 'project', entity_id: p.id,
    data: { project_title: p.title, locked: p.scopeLocked, reason },
  }),
  documentReviewed: (d: { id: string; title: string; currentVersion: number; status: string; reviewComments: string | null }, uploaderId: string): NotificationInput => ({
    type: 'projecteval.document_reviewed', key: ['doc', d.id, d.currentVersion, d.status], target_users: [uploaderId], priority: 'low',
    action_url: `/proyectos/documentos/${d.id}`, entity_type: 'document', entity_id: d.id,
    data: { document_title: d.title, version: d.currentVersion, decision: d.status, decision_label: DECISION_LABELS[d.status] ?? d.status, comments: d.reviewComments },
  }),
};
