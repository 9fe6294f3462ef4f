/**
 * The `evalin` schema: every table of this service lives here and nowhere else (00-conventions §5).
 *
 * Two sides (evalin.md §3): `evaluations` is the participation record of one apprentice for one
 * instructor; `responses`, `response_answers` and `comments` are the anonymous answers. The anonymous side
 * has no student column, random v4 ids and no time stamp, so nothing links an answer to who gave it (R29).
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgSchema, primaryKey, smallint, text, unique, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { auditTimestamps, createdAt, outboxTable, seedRunsTable, timestamptz } from '@sicora/platform/tables';

export const evalinSchema = pgSchema('evalin');

export const outbox = outboxTable(evalinSchema);
export const seedRuns = seedRunsTable(evalinSchema);

export const QUESTION_TYPES = ['likert', 'single_choice', 'multiple_choice', 'text'] as const;
export const PERIOD_STATUSES = ['draft', 'scheduled', 'active', 'suspended', 'closed', 'published'] as const;
export const CLOSED_REASONS = ['manual', 'end_date'] as const;
export const EVALUATION_STATUSES = ['draft', 'submitted'] as const;
export const COMMENT_STATUSES = ['pending', 'approved', 'hidden'] as const;
export const REMINDER_KINDS = ['auto_ending', 'manual'] as const;
export const DELIVERY_STATUSES = ['pending', 'accepted', 'failed'] as const;

export const questionType = evalinSchema.enum('question_type', QUESTION_TYPES);
export const periodStatus = evalinSchema.enum('period_status', PERIOD_STATUSES);
export const closedReason = evalinSchema.enum('closed_reason', CLOSED_REASONS);
export const evaluationStatus = evalinSchema.enum('evaluation_status', EVALUATION_STATUSES);
export const commentStatus = evalinSchema.enum('comment_status', COMMENT_STATUSES);
export const reminderKind = evalinSchema.enum('reminder_kind', REMINDER_KINDS);
export const deliveryStatus = evalinSchema.enum('delivery_status', DELIVERY_STATUSES);

export const questions = evalinSchema.table(
  'questions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    text: varchar('text', { length: 500 }).notNull(),
    /** R1's key: lower-cased text, unique among non-deleted questions. */
    textKey: varchar('text_key', { length: 500 }).notNull(),
    /** Accent-free lower-case text for E1's search (unaccent() cannot be indexed, 01-architecture §2). */
    searchText: varchar('search_text', { length: 500 }).notNull(),
    description: varchar('description', { length: 1000 }),
    questionType: questionType('question_type').notNull(),
    category: varchar('category', { length: 100 }).notNull(),
    options: text('options').array(),
    isRequired: boolean('is_required').notNull().default(true),
    orderIndex: integer('order_index').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdBy: uuid('created_by'),
    ...auditTimestamps(),
    deletedAt: timestamptz('deleted_at'),
  },
  (t) => [uniqueIndex('questions_text_live_uq').on(t.textKey).where(sql`${t.deletedAt} IS NULL`), index('questions_category_idx').on(t.category)],
);

export const questionnaires = evalinSchema.table(
  'questionnaires',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: varchar('name', { length: 200 }).notNull(),
    nameKey: varchar('name_key', { length: 200 }).notNull(),
    description: varchar('description', { length: 1000 }),
    isActive: boolean('is_active').notNull().default(true),
    createdBy: uuid('created_by'),
    ...auditTimestamps(),
  },
  (t) => [uniqueIndex('questionnaires_name_uq').on(t.nameKey)],
);

export const questionnaireQuestions = evalinSchema.table(
  'questionnaire_questions',
  {
    questionnaireId: uuid('questionnaire_id').notNull().references(() => questionnaires.id, { onDelete: 'cascade' }),
    questionId: uuid('question_id').notNull().references(() => questions.id, { onDelete: 'restrict' }),
    position: smallint('position').notNull(),
  },
  // A change of the list rewrites the questionnaire's rows in one transaction, so positions stay 1..n.
  (t) => [primaryKey({ columns: [t.questionnaireId, t.questionId] }), unique('qq_position_uq').on(t.questionnaireId, t.position), index('qq_question_idx').on(t.questionId)],
);

export const periods = evalinSchema.table(
  'periods',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: varchar('name', { length: 200 }).notNull(),
    description: varchar('description', { length: 1000 }),
    startDate: timestamptz('start_date').notNull(),
    endDate: timestamptz('end_date').notNull(),
    questionnaireId: uuid('questionnaire_id').notNull().references(() => questionnaires.id, { onDelete: 'restrict' }),
    status: periodStatus('status').notNull().default('draft'),
    closedReason: closedReason('closed_reason'),
    suspendReason: varchar('suspend_reason', { length: 500 }),
    activatedAt: timestamptz('activated_at'),
    closedAt: timestamptz('closed_at'),
    resultsPublishedAt: timestamptz('results_published_at'),
    resultsPublishedBy: uuid('results_published_by'),
    /** R21: the close happened while schedules was unreachable; the clock writes snapshot and event later. */
    snapshotPending: boolean('snapshot_pending').notNull().default(false),
    /** §3: E18's cached participation (last computed by E20, the snapshot or the nightly refresh). */
    participationExpected: integer('participation_expected'),
    participationSubmitted: integer('participation_submitted'),
    participationAsOf: timestamptz('participation_as_of'),
    createdBy: uuid('created_by'),
    ...auditTimestamps(),
  },
  (t) => [index('periods_status_idx').on(t.status, t.startDate), check('periods_dates_ck', sql`${t.startDate} < ${t.endDate}`)],
);

export const periodGroups = evalinSchema.table(
  'period_groups',
  {
    periodId: uuid('period_id').notNull().references(() => periods.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id').notNull(),
    groupNumber: varchar('group_number', { length: 20 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.periodId, t.groupId] }), index('period_groups_group_idx').on(t.groupId)],
);

export const periodGroupSnapshots = evalinSchema.table(
  'period_group_snapshots',
  {
    periodId: uuid('period_id').notNull().references(() => periods.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id').notNull(),
    studentIds: uuid('student_ids').array().notNull(),
    instructorIds: uuid('instructor_ids').array().notNull(),
    takenAt: timestamptz('taken_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.periodId, t.groupId] })],
);

export const periodEvents = evalinSchema.table(
  'period_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    periodId: uuid('period_id').notNull().references(() => periods.id, { onDelete: 'cascade' }),
    action: varchar('action', { length: 40 }).notNull(),
    fromStatus: periodStatus('from_status'),
    toStatus: periodStatus('to_status'),
    actorId: uuid('actor_id'),
    reason: varchar('reason', { length: 500 }),
    createdAt: createdAt(),
  },
  (t) => [index('period_events_period_idx').on(t.periodId)],
);

export const evaluations = evalinSchema.table(
  'evaluations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    periodId: uuid('period_id').notNull().references(() => periods.id, { onDelete: 'restrict' }),
    instructorId: uuid('instructor_id').notNull(),
    studentId: uuid('student_id').notNull(),
    groupId: uuid('group_id').notNull(),
    status: evaluationStatus('status').notNull(),
    draftAnswers: jsonb('draft_answers'),
    draftGeneralComment: varchar('draft_general_comment', { length: 1000 }),
    submittedAt: timestamptz('submitted_at'),
    ...auditTimestamps(),
  },
  (t) => [
    unique('evaluations_student_instructor_period_uq').on(t.studentId, t.instructorId, t.periodId),
    index('evaluations_period_idx').on(t.periodId, t.groupId),
    check('evaluations_submitted_ck', sql`(${t.status} = 'submitted') = (${t.submittedAt} IS NOT NULL)`),
  ],
);

/** The anonymous side: no student column, no date or time column, random ids (R29). */
export const responses = evalinSchema.table(
  'responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    periodId: uuid('period_id').notNull().references(() => periods.id, { onDelete: 'restrict' }),
    instructorId: uuid('instructor_id').notNull(),
    groupId: uuid('group_id').notNull(),
    questionnaireId: uuid('questionnaire_id').notNull(),
  },
  (t) => [index('responses_period_idx').on(t.periodId, t.instructorId)],
);

export const responseAnswers = evalinSchema.table(
  'response_answers',
  {
    responseId: uuid('response_id').notNull().references(() => responses.id, { onDelete: 'cascade' }),
    questionId: uuid('question_id').notNull(),
    likertValue: smallint('likert_value'),
    choiceValues: text('choice_values').array(),
  },
  (t) => [primaryKey({ columns: [t.responseId, t.questionId] }), check('response_answers_likert_ck', sql`${t.likertValue} IS NULL OR ${t.likertValue} BETWEEN 1 AND 5`)],
);

export const comments = evalinSchema.table(
  'comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    responseId: uuid('response_id').notNull().references(() => responses.id, { onDelete: 'cascade' }),
    periodId: uuid('period_id').notNull(),
    instructorId: uuid('instructor_id').notNull(),
    groupId: uuid('group_id').notNull(),
    questionId: uuid('question_id'),
    text: varchar('text', { length: 1000 }).notNull(),
    flagged: boolean('flagged').notNull().default(false),
    status: commentStatus('status').notNull(),
    moderationNote: varchar('moderation_note', { length: 500 }),
    moderatedBy: uuid('moderated_by'),
    moderatedAt: timestamptz('moderated_at'),
  },
  (t) => [index('comments_period_idx').on(t.periodId, t.instructorId)],
);

export const reminders = evalinSchema.table(
  'reminders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    periodId: uuid('period_id').notNull().references(() => periods.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id').notNull(),
    kind: reminderKind('kind').notNull(),
    daysBefore: smallint('days_before'),
    sentBy: uuid('sent_by'),
    message: varchar('message', { length: 500 }),
    recipientCount: integer('recipient_count').notNull(),
    skippedCount: integer('skipped_count').notNull(),
    deliveryStatus: deliveryStatus('delivery_status').notNull().default('pending'),
    /** The outbox key of its notification, so the delivery state can be read back. */
    outboxKey: text('outbox_key'),
    createdAt: createdAt(),
  },
  (t) => [index('reminders_period_idx').on(t.periodId, t.groupId)],
);

export const reminderDeliveries = evalinSchema.table(
  'reminder_deliveries',
  {
    reminderId: uuid('reminder_id').notNull().references(() => reminders.id, { onDelete: 'cascade' }),
    periodId: uuid('period_id').notNull(),
    studentId: uuid('student_id').notNull(),
    localDate: date('local_date', { mode: 'string' }).notNull(),
  },
  (t) => [unique('reminder_deliveries_daily_uq').on(t.periodId, t.studentId, t.localDate)],
);

export const config = evalinSchema.table('config', {
  id: integer('id').primaryKey(),
  values: jsonb('values').notNull(),
  version: integer('version').notNull().default(1),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamptz('updated_at').notNull(),
});
