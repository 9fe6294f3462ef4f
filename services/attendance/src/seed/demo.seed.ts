/**
 * Demo data of attendance.md §11, step 6 of the embedded start (the manifest's `httpSeed`): the sessions
 * of the two demo fichas come from schedules W2, their apprentices from G7 and users U12, all read before
 * anything is written; then rolls, records and their change rows, the four justifications with their
 * evidence, and the alerts computed by one evaluation with its notifications suppressed (no outbox row).
 *
 * D, the first-start date, is kept in `seed_runs` (`attendance-demo:started`, the instant of the first
 * attempt) so a run after an interrupted start uses the same D; every row has a fixed or derived id and
 * is inserted if absent, so that run completes what the first one left. Completion is recorded as
 * `attendance-demo`; after it the seed does nothing. Sessions dated D − 28 … D − 1 only: today's classes
 * stay free for a live demo.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray, lte } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { createServiceClient } from '@sicora/platform/http-client';
import { createServiceTokenProvider } from '@sicora/platform/service-token';
import type { AttendanceConfig } from '../config.ts';
import { appendLevelHistory } from '../domain/alert-rules.ts';
import { justificationDeadline, nonTeachingYearsFor } from '../domain/business-days.ts';
import { addDays, addMinutes, localDateOf, localToInstant } from '../domain/time.ts';
import { createAlertEvaluation } from '../application/alerts.evaluation.ts';
import type { Deps } from '../application/context.ts';
import type { SchedulesPort, Session, UsersPort } from '../application/ports.ts';
import { createSettingsService } from '../application/settings.service.ts';
import { alertNotes, alerts, evaluationQueue, evidenceFiles, justificationItems, justifications, recordChanges, records, rolls, seedRuns } from '../infrastructure/db/schema.ts';
import { createRepositories, createUnitOfWork } from '../infrastructure/repositories.ts';
import { createSchedulesClient } from '../infrastructure/schedules.client.ts';
import { createUsersClient } from '../infrastructure/users.client.ts';
import {
  ACK_NOTE,
  COORDINADORA,
  CUSTOM_ALERT,
  CUSTOM_ALERT_AUTHOR,
  CUSTOM_ALERT_ID,
  DEMO_FICHAS,
  demoNumberOf,
  demoUserId,
  DIRECTOR_2901817,
  JUSTIFICATIONS,
  letterOf,
  PATTERNS,
  ROLLED,
  seedJustificationId,
  type DemoFicha,
  type SeedJustification,
} from './demo.data.ts';
import { demoPdf, demoPng, sha256Hex } from './evidence.ts';

export const DEMO_SEED = 'attendance-demo';
const STARTED = 'attendance-demo:started';
/** Rolls per write transaction: short transactions (PGlite serialises everything behind one). */
const ROLLS_PER_TX = 5;

export interface DemoSeedOptions {
  schedules: SchedulesPort;
  users: UsersPort;
  now?: () => Date;
  timeZone?: string;
}

/** A UUID v4-shaped id derived from its parts: a re-run writes the same rows, so inserts stay if-absent. */
export function seedUuid(...parts: string[]): string {
  const h = createHash('sha256').update(`attendance-demo:${parts.join(':')}`).digest();
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

type NewRoll = typeof rolls.$inferInsert;
type NewRecord = typeof records.$inferInsert;
type NewChange = typeof recordChanges.$inferInsert;

interface FichaPlan {
  number: DemoFicha;
  groupId: string;
  /** The rolled sessions, oldest first. */
  rolled: Session[];
  apprentices: string[];
}

/** A justification placed on its session, with its times decided. */
interface PlacedJustification extends SeedJustification {
  id: string;
  session: Session;
  submittedAt: Date;
  reviewedAt: Date | null;
  reviewedBy: string | null;
}

const byStart = (a: Session, b: Session) => a.date.localeCompare(b.date) || a.start_time.localeCompare(b.start_time);

/** Runs the seed; true when it wrote (false: already complete). */
export async function seedAttendanceDemo(database: Database, opts: DemoSeedOptions): Promise<boolean> {
  const db = database.db;
  const now = opts.now ?? (() => new Date());
  const timeZone = opts.timeZone ?? 'America/Bogota';
  if ((await db.select().from(seedRuns).where(eq(seedRuns.name, DEMO_SEED))).length > 0) return false;
  await db.insert(seedRuns).values({ name: STARTED, completedAt: now() }).onConflictDoNothing();
  const [started] = await db.select().from(seedRuns).where(eq(seedRuns.name, STARTED));
  const D = localDateOf(started.completedAt, timeZone);

  const deps: Deps = { repos: createRepositories(db), withTransaction: createUnitOfWork(db), schedules: opts.schedules, users: opts.users, now, timeZone };
  const settings = createSettingsService(deps);
  // §11: the settings row with the R47 defaults (the app creates it at start; here for a seed run alone).
  await settings.ensure();

  // Everything remote first (§7): sessions (W2), rosters (G7), who is active (U12), business days (K3).
  const plans: FichaPlan[] = [];
  for (const [number, groupId] of Object.entries(DEMO_FICHAS) as Array<[DemoFicha, string]>) {
    const sessions = (await opts.schedules.sessions({ group_id: groupId, from: addDays(D, -28), to: addDays(D, -1) }))
      .filter((s) => s.status === 'SCHEDULED' && s.group.id === groupId && s.date < D)
      .sort(byStart);
    const range = ROLLED[number](sessions.length);
    const roster = await opts.schedules.apprentices(groupId);
    plans.push({ number, groupId, rolled: sessions.slice(range.from, range.to), apprentices: roster.map((a) => a.id) });
  }
  const everyone = [...new Set(plans.flatMap((p) => p.apprentices))];
  const people = everyone.length > 0 ? await opts.users.lookup(everyone) : [];
  // Inactive apprentices (NN 35 and 55) get no records.
  const active = new Set(people.filter((p) => p.is_active && !p.is_deleted).map((p) => p.id));
  for (const p of plans) p.apprentices = p.apprentices.filter((id) => active.has(id));

  const placed = placeJustifications(plans, D, now(), timeZone);
  const pending = placed.filter((j) => j.status === 'PENDING');
  const holidays = new Set<string>();
  for (const y of new Set(pending.flatMap((j) => nonTeachingYearsFor(j.session.date)))) for (const d of await opts.schedules.nonTeachingDays(y)) holidays.add(d);
  const s = await settings.current();
  const deadlineOf = (j: PlacedJustification) =>
    j.kind === 'ADVANCE_NOTICE' ? null : justificationDeadline({ sessionDate: j.session.date, businessDays: s.justification_deadline_business_days, nonTeachingDays: holidays, timeZone }).shownAt;

  // 1. The justifications and their files (records point at the approved ones).
  await db.transaction(async (tx) => {
    for (const j of placed) {
      await tx
        .insert(justifications)
        .values({
          id: j.id,
          studentId: demoUserId(j.student),
          groupId: j.session.group.id,
          kind: j.kind,
          type: j.type,
          reason: j.reason,
          status: j.status,
          submittedAt: j.submittedAt,
          deadlineAt: deadlineOf(j),
          reviewedBy: j.reviewedBy,
          reviewedAt: j.reviewedAt,
          reviewComment: j.comment,
          createdAt: j.submittedAt,
          updatedAt: j.reviewedAt ?? j.submittedAt,
        })
        .onConflictDoNothing();
      const content = j.file.kind === 'pdf' ? demoPdf(j.reason) : demoPng();
      await tx
        .insert(evidenceFiles)
        .values({ id: seedUuid('file', j.id), justificationId: j.id, fileName: j.file.name, mediaType: j.file.kind === 'pdf' ? 'application/pdf' : 'image/png', sizeBytes: content.length, sha256: sha256Hex(content), content, uploadedAt: j.submittedAt })
        .onConflictDoNothing();
    }
  });

  // 2. Rolls, records and change rows, a few rolls per transaction.
  const justificationAt = new Map(placed.map((j) => [`${demoUserId(j.student)}|${j.session.schedule_id}|${j.session.date}`, j]));
  const recordIds = new Map<string, string>();
  const seeded = new Set<string>();
  for (const plan of plans) {
    for (let k = 0; k < plan.rolled.length; k += ROLLS_PER_TX) {
      const batch = plan.rolled.slice(k, k + ROLLS_PER_TX).map((session, i) => {
        const fromNewest = plan.rolled.length - 1 - (k + i);
        return rollRows(session, plan.apprentices, fromNewest, justificationAt);
      });
      for (const b of batch) for (const r of b.records) {
        recordIds.set(`${r.studentId}|${r.scheduleId}|${r.sessionDate}`, r.id!);
        seeded.add(r.studentId);
      }
      await db.transaction(async (tx) => {
        await tx.insert(rolls).values(batch.map((b) => b.roll)).onConflictDoNothing();
        const recs = batch.flatMap((b) => b.records);
        const changes = batch.flatMap((b) => b.changes);
        if (recs.length > 0) await tx.insert(records).values(recs).onConflictDoNothing();
        if (changes.length > 0) {
          await tx.insert(recordChanges).values(changes).onConflictDoNothing();
          // The change rows queued their students for R34's debounced run (migration 0003), which would
          // notify; the seed evaluates them itself, silently, below. Only entries due from these past
          // changes go: a live change since then is due later and stays.
          const latest = new Date(Math.max(...changes.map((c) => c.at.getTime())) + 60_000);
          const students = [...new Set(recs.map((r) => r.studentId))];
          await tx.delete(evaluationQueue).where(and(inArray(evaluationQueue.studentId, students), lte(evaluationQueue.dueAt, latest)));
        }
      });
    }
  }

  // 3. The justification items, now that their records exist.
  await db.transaction(async (tx) => {
    for (const j of placed) {
      const recordId = recordIds.get(`${demoUserId(j.student)}|${j.session.schedule_id}|${j.session.date}`) ?? null;
      const applied = j.status === 'APPROVED' ? (j.kind === 'ADVANCE_NOTICE' ? closedAtOf(j.session) : j.reviewedAt) : null;
      await tx
        .insert(justificationItems)
        .values({
          id: seedUuid('item', j.id),
          justificationId: j.id,
          studentId: demoUserId(j.student),
          scheduleId: j.session.schedule_id,
          sessionDate: j.session.date,
          subject: j.session.subject,
          startTime: j.session.start_time,
          endTime: j.session.end_time,
          instructorId: j.session.instructor.id,
          recordId,
          active: j.status !== 'REJECTED',
          appliedAt: applied,
        })
        .onConflictDoNothing();
    }
  });

  // 4. The alerts: one evaluation of the seeded apprentices with its notifications suppressed.
  const silent: Deps = { ...deps, withTransaction: (work) => deps.withTransaction((tx) => work({ ...tx, outbox: { enqueue: async () => undefined } })) };
  if (seeded.size > 0) await createAlertEvaluation(silent, settings).evaluateStudents([...seeded]);
  await db.transaction(async (tx) => {
    const at = now();
    // NN 41's consecutive-absence alert, acknowledged by the ficha's director with a note.
    const [kevin] = await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.studentId, demoUserId(41)), eq(alerts.type, 'CONSECUTIVE_ABSENCES'), eq(alerts.state, 'OPEN')));
    if (kevin) {
      await tx.update(alerts).set({ state: 'ACKNOWLEDGED', acknowledgedAt: at, acknowledgedBy: DIRECTOR_2901817, updatedAt: at }).where(eq(alerts.id, kevin.id));
      await tx.insert(alertNotes).values({ id: seedUuid('note', kevin.id), alertId: kevin.id, authorId: DIRECTOR_2901817, authorRole: 'instructor', body: ACK_NOTE, createdAt: at }).onConflictDoNothing();
    }
    // The custom alert, when its apprentice was seeded.
    if (seeded.has(demoUserId(CUSTOM_ALERT.student))) {
      await tx
        .insert(alerts)
        .values({
          id: CUSTOM_ALERT_ID,
          studentId: demoUserId(CUSTOM_ALERT.student),
          groupId: DEMO_FICHAS['2826503'],
          groupNumber: '2826503',
          type: 'CUSTOM',
          level: 'LOW',
          state: 'OPEN',
          source: 'MANUAL',
          title: CUSTOM_ALERT.title,
          message: CUSTOM_ALERT.message,
          data: {},
          levelHistory: appendLevelHistory([], 'LOW', at),
          createdBy: CUSTOM_ALERT_AUTHOR,
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing();
    }
    await tx.insert(seedRuns).values({ name: DEMO_SEED, completedAt: at }).onConflictDoNothing();
  });
  return true;
}

const closedAtOf = (s: Session) => addMinutes(new Date(s.end_at), 10);

/** §11's justifications on the sessions of their pattern positions (skipped when holidays removed the session). */
function placeJustifications(plans: FichaPlan[], D: string, now: Date, timeZone: string): PlacedJustification[] {
  const out: PlacedJustification[] = [];
  for (const j of JUSTIFICATIONS) {
    const student = demoUserId(j.student);
    const plan = plans.find((p) => p.apprentices.includes(student));
    const fromNewest = PATTERNS[j.student].length - j.position;
    const session = plan?.rolled[plan.rolled.length - 1 - fromNewest];
    if (!plan || !session) continue;
    const base = { ...j, id: seedJustificationId(j.nn), session };
    const cap = (d: Date) => (d > now ? now : d);
    if (j.kind === 'ADVANCE_NOTICE') {
      // Given and approved by the coordinadora before the session.
      out.push({ ...base, submittedAt: localToInstant(addDays(session.date, -3), '10:00', timeZone), reviewedAt: localToInstant(addDays(session.date, -2), '09:00', timeZone), reviewedBy: COORDINADORA });
    } else if (j.status === 'PENDING') {
      out.push({ ...base, submittedAt: cap(localToInstant(addDays(D, -1), '18:00', timeZone)), reviewedAt: null, reviewedBy: null });
    } else {
      // Sent the evening of the absence, decided the next morning by that session's instructor.
      out.push({ ...base, submittedAt: cap(localToInstant(session.date, '18:00', timeZone)), reviewedAt: cap(localToInstant(addDays(session.date, 1), '10:00', timeZone)), reviewedBy: session.instructor.id });
    }
  }
  return out;
}

/** One CLOSED roll with its records and change rows, as §11 describes a demo session. */
function rollRows(session: Session, apprentices: string[], fromNewest: number, justificationAt: Map<string, PlacedJustification>) {
  const startAt = new Date(session.start_at);
  const endAt = new Date(session.end_at);
  const closedAt = closedAtOf(session);
  const instructor = session.instructor.id;
  const rollId = seedUuid('roll', session.schedule_id, session.date);
  const roll: NewRoll = {
    id: rollId,
    scheduleId: session.schedule_id,
    sessionDate: session.date,
    groupId: session.group.id,
    groupNumber: session.group.number,
    programId: session.group.program.id,
    campusId: session.venue.campus.id,
    venueId: session.venue.id,
    subject: session.subject,
    startTime: session.start_time,
    endTime: session.end_time,
    startAt,
    endAt,
    instructorId: instructor,
    status: 'CLOSED',
    openedBy: instructor,
    openedAt: addMinutes(startAt, 4),
    firstMarkAt: addMinutes(startAt, 5),
    closedBy: instructor,
    closedAt,
    closeMethod: 'MANUAL',
    wasClosed: true,
    createdAt: addMinutes(startAt, 4),
    updatedAt: closedAt,
  };
  const recs: NewRecord[] = [];
  const changes: NewChange[] = [];
  const by = { actorId: instructor, actorRole: 'instructor' };
  for (const studentId of apprentices) {
    const letter = letterOf(demoNumberOf(studentId), fromNewest);
    if (letter === '-') continue;
    const id = seedUuid('record', studentId, session.schedule_id, session.date);
    const common = { id, rollId, studentId, scheduleId: session.schedule_id, sessionDate: session.date, groupId: session.group.id, instructorId: instructor, createdBy: instructor };
    const change = (n: number, c: Omit<NewChange, 'id' | 'recordId'>) => changes.push({ id: seedUuid('change', id, String(n)), recordId: id, ...c });
    const j = justificationAt.get(`${studentId}|${session.schedule_id}|${session.date}`);
    if (letter === 'P' || letter === 'T') {
      const late = letter === 'T';
      const checkInAt = addMinutes(startAt, late ? 20 : 4);
      const status = late ? 'LATE' : 'PRESENT';
      recs.push({ ...common, status, checkInAt, lateMinutes: late ? 20 : null, method: 'QR_SCAN', updatedBy: instructor, createdAt: checkInAt, updatedAt: checkInAt });
      change(1, { at: checkInAt, ...by, source: 'QR_SCAN', fromStatus: null, toStatus: status, toLateMinutes: late ? 20 : null });
    } else if (letter === 'J' && j?.reviewedAt && j.reviewedBy) {
      recs.push({ ...common, status: 'JUSTIFIED', method: 'JUSTIFICATION', justificationId: j.id, version: 2, updatedBy: j.reviewedBy, createdAt: closedAt, updatedAt: j.reviewedAt });
      change(1, { at: closedAt, ...by, source: 'ROLL_CLOSE', fromStatus: null, toStatus: 'ABSENT' });
      change(2, { at: j.reviewedAt, actorId: j.reviewedBy, actorRole: 'instructor', source: 'JUSTIFICATION_APPROVED', fromStatus: 'ABSENT', toStatus: 'JUSTIFIED' });
    } else if (letter === 'E' && j) {
      // R7: the close wrote EXCUSED through the approved advance notice.
      recs.push({ ...common, status: 'EXCUSED', method: 'JUSTIFICATION', justificationId: j.id, updatedBy: instructor, createdAt: closedAt, updatedAt: closedAt });
      change(1, { at: closedAt, ...by, source: 'ROLL_CLOSE', fromStatus: null, toStatus: 'EXCUSED' });
    } else {
      recs.push({ ...common, status: 'ABSENT', method: 'ROLL_CLOSE', updatedBy: instructor, createdAt: closedAt, updatedAt: closedAt });
      change(1, { at: closedAt, ...by, source: 'ROLL_CLOSE', fromStatus: null, toStatus: 'ABSENT' });
    }
  }
  return { roll, records: recs, changes };
}

/**
 * The manifest's `httpSeed`: the schedules and users clients of app.ts (uncached: every read is needed
 * once) with this service's own token, then the seed.
 */
export async function httpDemoSeed(database: Database, config: AttendanceConfig): Promise<void> {
  const tokenProvider = createServiceTokenProvider({ usersUrl: config.serviceUrls.users, clientId: config.service, clientSecret: config.serviceClientSecret ?? '' });
  const schedules = createServiceClient({ target: 'schedules', baseUrl: config.serviceUrls.schedules, tokenProvider, timeoutMs: 3000 });
  const users = createServiceClient({ target: 'users', baseUrl: config.serviceUrls.users, tokenProvider, timeoutMs: 3000 });
  try {
    await seedAttendanceDemo(database, { schedules: createSchedulesClient(schedules), users: createUsersClient(users), timeZone: config.timezone });
  } finally {
    await schedules.close();
    await users.close();
  }
}
