/**
 * The `attendance` schema: every table of this service lives here and nowhere else (00-conventions §5).
 * Local dates are Postgres `date` read as strings; `start_time`/`end_time` are `HH:MM` text copies of the
 * session (attendance.md §3). Enums are Postgres enums so `alert_level` sorts by severity (AL1).
 */
import { sql } from 'drizzle-orm';
import { boolean, customType, date, index, integer, jsonb, pgSchema, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { auditTimestamps, createdAt, outboxTable, seedRunsTable, timestamptz } from '@sicora/platform/tables';

export const attendanceSchema = pgSchema('attendance');

export const outbox = outboxTable(attendanceSchema);
export const seedRuns = seedRunsTable(attendanceSchema);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const ROLL_STATUSES = ['OPEN', 'CLOSED'] as const;
export const CLOSE_METHODS = ['MANUAL', 'AUTO'] as const;
export const RECORD_STATUSES = ['PRESENT', 'LATE', 'ABSENT', 'JUSTIFIED', 'EXCUSED'] as const;
export const RECORD_METHODS = ['MANUAL', 'QR_SCAN', 'ROLL_CLOSE', 'JUSTIFICATION'] as const;
export const CHANGE_SOURCES = ['MANUAL', 'QR_SCAN', 'ROLL_CLOSE', 'JUSTIFICATION_APPROVED', 'CORRECTION', 'DELETE'] as const;
export const QR_STATES = ['ACTIVE', 'USED', 'SUPERSEDED'] as const;
export const QR_OUTCOMES = ['RECORDED', 'UPDATED', 'ALREADY_RECORDED'] as const;
export const JUSTIFICATION_KINDS = ['AFTER_ABSENCE', 'ADVANCE_NOTICE'] as const;
export const JUSTIFICATION_TYPES = ['MEDICAL', 'FAMILY', 'PERSONAL', 'WORK', 'INSTITUTIONAL', 'OTHER'] as const;
export const JUSTIFICATION_STATUSES = ['PENDING', 'APPROVED', 'REJECTED'] as const;
export const ALERT_TYPES = ['CONSECUTIVE_ABSENCES', 'LOW_ATTENDANCE', 'FREQUENT_LATENESS', 'CUSTOM'] as const;
export const ALERT_LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const ALERT_STATES = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const;
export const ALERT_SOURCES = ['AUTO', 'MANUAL'] as const;
export const ALERT_RESOLUTIONS = ['AUTO_CLEARED', 'HANDLED', 'DISMISSED', 'STUDENT_INACTIVE'] as const;
export const EVIDENCE_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

export const rollStatus = attendanceSchema.enum('roll_status', ROLL_STATUSES);
export const closeMethod = attendanceSchema.enum('close_method', CLOSE_METHODS);
export const recordStatus = attendanceSchema.enum('record_status', RECORD_STATUSES);
export const recordMethod = attendanceSchema.enum('record_method', RECORD_METHODS);
export const changeSource = attendanceSchema.enum('change_source', CHANGE_SOURCES);
export const qrState = attendanceSchema.enum('qr_state', QR_STATES);
export const qrOutcome = attendanceSchema.enum('qr_outcome', QR_OUTCOMES);
export const justificationKind = attendanceSchema.enum('justification_kind', JUSTIFICATION_KINDS);
export const justificationType = attendanceSchema.enum('justification_type', JUSTIFICATION_TYPES);
export const justificationStatus = attendanceSchema.enum('justification_status', JUSTIFICATION_STATUSES);
export const alertType = attendanceSchema.enum('alert_type', ALERT_TYPES);
// Declared in severity order: ORDER BY level sorts LOW < MEDIUM < HIGH < CRITICAL (AL1), never by text.
export const alertLevel = attendanceSchema.enum('alert_level', ALERT_LEVELS);
export const alertState = attendanceSchema.enum('alert_state', ALERT_STATES);
export const alertSource = attendanceSchema.enum('alert_source', ALERT_SOURCES);
export const alertResolution = attendanceSchema.enum('alert_resolution', ALERT_RESOLUTIONS);

/** §3.1 */
export const rolls = attendanceSchema.table(
  'rolls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scheduleId: uuid('schedule_id').notNull(),
    sessionDate: date('session_date', { mode: 'string' }).notNull(),
    groupId: uuid('group_id').notNull(),
    groupNumber: text('group_number').notNull(),
    programId: uuid('program_id').notNull(),
    campusId: uuid('campus_id').notNull(),
    venueId: uuid('venue_id').notNull(),
    subject: text('subject').notNull(),
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
    startAt: timestamptz('start_at').notNull(),
    endAt: timestamptz('end_at').notNull(),
    instructorId: uuid('instructor_id').notNull(),
    status: rollStatus('status').notNull().default('OPEN'),
    openedBy: uuid('opened_by').notNull(),
    openedAt: timestamptz('opened_at').notNull(),
    firstMarkAt: timestamptz('first_mark_at'),
    closedBy: uuid('closed_by'),
    closedAt: timestamptz('closed_at'),
    closeMethod: closeMethod('close_method'),
    wasClosed: boolean('was_closed').notNull().default(false),
    ...auditTimestamps(),
  },
  (t) => [
    uniqueIndex('rolls_session_uq').on(t.scheduleId, t.sessionDate),
    index('rolls_group_date_idx').on(t.groupId, t.sessionDate),
    index('rolls_instructor_date_idx').on(t.instructorId, t.sessionDate),
    // The auto-close job (R8) scans only open rolls.
    index('rolls_open_end_idx').on(t.endAt).where(sql`${t.status} = 'OPEN' AND NOT ${t.wasClosed}`),
  ],
);

/** §3.4 */
export const qrCodes = attendanceSchema.table(
  'qr_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studentId: uuid('student_id').notNull(),
    scheduleId: uuid('schedule_id').notNull(),
    sessionDate: date('session_date', { mode: 'string' }).notNull(),
    deviceId: uuid('device_id').notNull(),
    issuedAt: timestamptz('issued_at').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    state: qrState('state').notNull().default('ACTIVE'),
    usedAt: timestamptz('used_at'),
    usedBy: uuid('used_by'),
    recordId: uuid('record_id'),
    usedOutcome: qrOutcome('used_outcome'),
    ipMasked: text('ip_masked').notNull(),
  },
  (t) => [
    index('qr_codes_student_session_idx').on(t.studentId, t.scheduleId, t.sessionDate, t.issuedAt.desc()),
    index('qr_codes_device_session_idx').on(t.deviceId, t.scheduleId, t.sessionDate),
    index('qr_codes_issued_idx').on(t.issuedAt),
  ],
);

/** §3.5 (declared before records: a record points at the justification that set it). */
export const justifications = attendanceSchema.table(
  'justifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studentId: uuid('student_id').notNull(),
    groupId: uuid('group_id').notNull(),
    kind: justificationKind('kind').notNull(),
    type: justificationType('type').notNull(),
    reason: text('reason').notNull(),
    status: justificationStatus('status').notNull().default('PENDING'),
    submittedAt: timestamptz('submitted_at').notNull(),
    deadlineAt: timestamptz('deadline_at'),
    reviewedBy: uuid('reviewed_by'),
    reviewedAt: timestamptz('reviewed_at'),
    reviewComment: text('review_comment'),
    overdueNotifiedAt: timestamptz('overdue_notified_at'),
    ...auditTimestamps(),
  },
  (t) => [
    index('justifications_student_idx').on(t.studentId, t.submittedAt),
    index('justifications_group_idx').on(t.groupId, t.submittedAt),
    index('justifications_status_idx').on(t.status, t.submittedAt),
  ],
);

/** §3.2 */
export const records = attendanceSchema.table(
  'records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    rollId: uuid('roll_id')
      .notNull()
      .references(() => rolls.id, { onDelete: 'restrict' }),
    studentId: uuid('student_id').notNull(),
    scheduleId: uuid('schedule_id').notNull(),
    sessionDate: date('session_date', { mode: 'string' }).notNull(),
    groupId: uuid('group_id').notNull(),
    instructorId: uuid('instructor_id').notNull(),
    status: recordStatus('status').notNull(),
    checkInAt: timestamptz('check_in_at'),
    lateMinutes: integer('late_minutes'),
    method: recordMethod('method').notNull(),
    qrCodeId: uuid('qr_code_id').references(() => qrCodes.id, { onDelete: 'set null' }),
    flags: text('flags').array().notNull().default(sql`'{}'::text[]`),
    notes: text('notes'),
    justificationId: uuid('justification_id').references(() => justifications.id, { onDelete: 'set null' }),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
    ...auditTimestamps(),
    deletedAt: timestamptz('deleted_at'),
    deletedBy: uuid('deleted_by'),
    deleteReason: text('delete_reason'),
  },
  (t) => [
    uniqueIndex('records_student_session_live_uq').on(t.studentId, t.scheduleId, t.sessionDate).where(sql`${t.deletedAt} IS NULL`),
    index('records_student_date_idx').on(t.studentId, t.sessionDate),
    index('records_group_date_idx').on(t.groupId, t.sessionDate),
    index('records_instructor_date_idx').on(t.instructorId, t.sessionDate),
    index('records_roll_idx').on(t.rollId),
    index('records_status_date_idx').on(t.status, t.sessionDate),
  ],
);

/** §3.3: append-only. */
export const recordChanges = attendanceSchema.table(
  'record_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => records.id),
    at: timestamptz('at').notNull(),
    actorId: uuid('actor_id'),
    actorRole: text('actor_role'),
    source: changeSource('source').notNull(),
    fromStatus: recordStatus('from_status'),
    toStatus: recordStatus('to_status'),
    fromLateMinutes: integer('from_late_minutes'),
    toLateMinutes: integer('to_late_minutes'),
    notesChanged: boolean('notes_changed').notNull().default(false),
    reason: text('reason'),
  },
  (t) => [index('record_changes_record_idx').on(t.recordId, t.at)],
);

export const justificationItems = attendanceSchema.table(
  'justification_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    justificationId: uuid('justification_id')
      .notNull()
      .references(() => justifications.id, { onDelete: 'cascade' }),
    studentId: uuid('student_id').notNull(),
    scheduleId: uuid('schedule_id').notNull(),
    sessionDate: date('session_date', { mode: 'string' }).notNull(),
    subject: text('subject').notNull(),
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
    instructorId: uuid('instructor_id').notNull(),
    recordId: uuid('record_id').references(() => records.id, { onDelete: 'set null' }),
    active: boolean('active').notNull().default(true),
    appliedAt: timestamptz('applied_at'),
  },
  (t) => [
    uniqueIndex('justification_items_active_uq').on(t.studentId, t.scheduleId, t.sessionDate).where(sql`${t.active}`),
    index('justification_items_justification_idx').on(t.justificationId),
    index('justification_items_session_idx').on(t.scheduleId, t.sessionDate),
    index('justification_items_record_idx').on(t.recordId),
  ],
);

export const evidenceFiles = attendanceSchema.table(
  'evidence_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    justificationId: uuid('justification_id')
      .notNull()
      .references(() => justifications.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type', { enum: EVIDENCE_MEDIA_TYPES }).notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content'),
    purgedAt: timestamptz('purged_at'),
    uploadedAt: timestamptz('uploaded_at').notNull(),
  },
  (t) => [index('evidence_files_justification_idx').on(t.justificationId)],
);

/** §3.6 */
export const alerts = attendanceSchema.table(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    studentId: uuid('student_id').notNull(),
    groupId: uuid('group_id').notNull(),
    groupNumber: text('group_number').notNull(),
    type: alertType('type').notNull(),
    level: alertLevel('level').notNull(),
    state: alertState('state').notNull().default('OPEN'),
    source: alertSource('source').notNull(),
    title: text('title').notNull(),
    message: text('message').notNull(),
    data: jsonb('data').notNull().default(sql`'{}'::jsonb`),
    levelHistory: jsonb('level_history').notNull().default(sql`'[]'::jsonb`),
    createdBy: uuid('created_by'),
    escalatedAt: timestamptz('escalated_at'),
    acknowledgedAt: timestamptz('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by'),
    resolvedAt: timestamptz('resolved_at'),
    resolvedBy: uuid('resolved_by'),
    resolution: alertResolution('resolution'),
    resolutionNote: text('resolution_note'),
    studentSeenAt: timestamptz('student_seen_at'),
    overdueNotifiedAt: timestamptz('overdue_notified_at'),
    ...auditTimestamps(),
  },
  (t) => [
    uniqueIndex('alerts_student_type_open_uq').on(t.studentId, t.type).where(sql`${t.state} <> 'RESOLVED' AND ${t.type} <> 'CUSTOM'`),
    index('alerts_group_state_idx').on(t.groupId, t.state),
    // The evaluation's reads of one student's AUTO alerts by type (R33), resolved ones included.
    index('alerts_student_type_idx').on(t.studentId, t.type),
    index('alerts_state_level_idx').on(t.state, t.level, t.createdAt),
  ],
);

export const alertNotes = attendanceSchema.table(
  'alert_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').notNull(),
    authorRole: text('author_role').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('alert_notes_alert_idx').on(t.alertId, t.createdAt)],
);

/** §3.7: one row (id = 1) holding the R47 document. */
export const settings = attendanceSchema.table('settings', {
  id: integer('id').primaryKey(),
  values: jsonb('values').notNull(),
  version: integer('version').notNull().default(1),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

export const secrets = attendanceSchema.table('secrets', {
  name: text('name').primaryKey(),
  value: bytea('value').notNull(),
  createdAt: createdAt(),
});

export const deviceConflicts = attendanceSchema.table(
  'device_conflicts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scheduleId: uuid('schedule_id').notNull(),
    sessionDate: date('session_date', { mode: 'string' }).notNull(),
    deviceId: uuid('device_id').notNull(),
    firstStudentId: uuid('first_student_id').notNull(),
    secondStudentId: uuid('second_student_id').notNull(),
    at: timestamptz('at').notNull(),
  },
  (t) => [index('device_conflicts_session_idx').on(t.scheduleId, t.sessionDate)],
);

export const noticesSent = attendanceSchema.table(
  'notices_sent',
  {
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    sentAt: timestamptz('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.key] })],
);

/**
 * R34's debounced evaluation: one row per student whose records changed, due 60 s after the last change.
 * Filled by a trigger on `record_changes` (migration 0003: every status change writes one, and the row's
 * own `at` is the writer's clock), emptied by the every-minute job that evaluates the due students.
 */
export const evaluationQueue = attendanceSchema.table(
  'evaluation_queue',
  {
    studentId: uuid('student_id').primaryKey(),
    dueAt: timestamptz('due_at').notNull(),
  },
  (t) => [index('evaluation_queue_due_idx').on(t.dueAt)],
);
