/**
 * Q1/Q2 (R13–R20): the apprentice's rotating, single-use code and the instructor's scan. The pure rules
 * live in domain/qr.ts; here the remote reads come first (W3, G7, U12), then one short unit of work
 * decides on the locked code row and writes the record (opening the roll when there is none).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { toIso } from '@sicora/platform/schemas';
import { attendanceErrors, qrErrors } from '../domain/errors.ts';
import { alreadyRecordedForCode, decideScan, decodeQrCode, issueQrCode, qrRefusalError, scanOutcome, scanStatus, sessionWindowRefusal, type ScanOutcome } from '../domain/qr.ts';
import type { AttendanceSettings } from '../domain/settings.ts';
import type { Access } from './access.ts';
import { today, type Actor, type Deps } from './context.ts';
import { lookupPeople } from './people.ts';
import type { RecordRow, Repositories, RollRow, Session } from './ports.ts';
import type { RateLimiter } from './rate-limit.ts';
import { changeRecord, createRecord, type WriteContext } from './record-writes.ts';
import { rollValues } from './rolls.service.ts';
import { countsView, recordView } from './views.ts';

const SECRET = 'qr_hmac';


export interface QrDeps extends Deps {
  /** `ATTENDANCE_QR_SECRET` decoded, when configured (R14). */
  configuredKey?: Buffer;
  limiter: RateLimiter;
}

export function createQrService(deps: QrDeps, access: Access, settings: { current(): Promise<AttendanceSettings> }) {
  let key: Buffer | undefined = deps.configuredKey;

  async function signingKey(): Promise<Buffer> {
    if (key) return key;
    await deps.repos.qr.ensureSecret(SECRET, randomBytes(32));
    key = (await deps.repos.qr.secret(SECRET))!;
    return key;
  }

  /** Today's SCHEDULED session of the entry (R1) and R13/R17's window. */
  async function todaysSession(scheduleId: string, s: AttendanceSettings) {
    const session = await access.session(scheduleId, today(deps));
    return { session, window: sessionWindowRefusal({ startAt: new Date(session.start_at), endAt: new Date(session.end_at) }, deps.now(), s.open_before_minutes) };
  }

  const windowError = (w: 'SESSION_NOT_STARTED' | 'SESSION_ENDED') => (w === 'SESSION_NOT_STARTED' ? attendanceErrors.sessionNotStarted() : qrErrors.ended());

  return {
    /** At start-up: the key exists before the first request (replicas share it through the database). */
    ensureKey: () => signingKey(),

    /** Q1 (R13–R16, R20) */
    async issue(actor: Actor, input: { schedule_id: string; device_id: string }, ipMasked: string) {
      await deps.limiter.hit('q1', actor.sub, [{ max: 1, windowMs: 3000 }, { max: 30, windowMs: 60_000 }]);
      const s = await settings.current();
      const { session, window } = await todaysSession(input.schedule_id, s);
      if (session.group.id !== actor.groupId) throw qrErrors.notForStudent();
      if (window) throw windowError(window);
      const date = session.date;
      const roll = await deps.repos.rolls.bySession(session.schedule_id, date);
      if (roll?.status === 'CLOSED') throw qrErrors.rollClosed();
      const [record] = await deps.repos.records.forStudentSessions(actor.sub, [{ scheduleId: session.schedule_id, sessionDate: date }]);
      if (alreadyRecordedForCode(record?.status ?? null)) throw qrErrors.alreadyRecorded();
      const k = await signingKey();
      const now = deps.now();
      const refused = await deps.withTransaction(async (tx) => {
        const other = await tx.qr.otherStudentOnDevice(input.device_id, session.schedule_id, date, actor.sub);
        if (other) {
          // R16 (a): refused, remembered, and both students flagged (existing records now, others when written).
          await tx.qr.insertConflict({ scheduleId: session.schedule_id, sessionDate: date, deviceId: input.device_id, firstStudentId: other, secondStudentId: actor.sub, at: now });
          await tx.qr.flagRecords([other, actor.sub], session.schedule_id, date, 'SHARED_DEVICE_ATTEMPT');
          return true;
        }
        await tx.qr.supersedeActive(actor.sub, session.schedule_id, date);
        return false;
      });
      if (refused) throw qrErrors.deviceInUse();
      const issued = issueQrCode({ codeId: randomUUID(), key: k, now, ttlSeconds: s.qr_ttl_seconds });
      await deps.repos.qr.insert({ id: issued.codeId, studentId: actor.sub, scheduleId: session.schedule_id, sessionDate: date, deviceId: input.device_id, issuedAt: issued.issuedAt, expiresAt: issued.expiresAt, ipMasked });
      return {
        code: issued.code,
        expires_at: toIso(issued.expiresAt),
        expires_in_seconds: issued.expiresInSeconds,
        refresh_after_seconds: issued.refreshAfterSeconds,
        session: { schedule_id: session.schedule_id, session_date: date, subject: session.subject, start_time: session.start_time, end_time: session.end_time, group_number: session.group.number },
      };
    },

    /** Q2 (R17–R19): the checks in R17's order, then one transaction. */
    async scan(actor: Actor, input: { code: string; schedule_id: string }) {
      await deps.limiter.hit('q2', actor.sub, [{ max: 120, windowMs: 60_000 }]);
      const s = await settings.current();
      const session = await access.session(input.schedule_id, today(deps));
      if (actor.role === 'instructor' && session.instructor.id !== actor.sub) throw attendanceErrors.notSessionInstructor();
      const window = sessionWindowRefusal({ startAt: new Date(session.start_at), endAt: new Date(session.end_at) }, deps.now(), s.open_before_minutes);
      if (window) throw windowError(window);
      const existingRoll = await deps.repos.rolls.bySession(session.schedule_id, session.date);
      if (existingRoll?.status === 'CLOSED') throw qrErrors.rollClosed();
      const decoded = decodeQrCode(input.code, await signingKey());
      if (!decoded.ok) throw qrRefusalError('QR_INVALID');
      const stored = await deps.repos.qr.get(decoded.codeId);
      const first = decideScan({ code: stored ?? null, session: { scheduleId: session.schedule_id, sessionDate: session.date }, scannerId: actor.sub, now: deps.now(), graceSeconds: s.qr_scan_grace_seconds });
      if (first.kind === 'REFUSE') throw qrRefusalError(first.code);
      const studentId = stored!.studentId;
      const roster = await deps.schedules.apprentices(session.group.id);
      if (first.kind === 'ACCEPT' && !roster.some((a) => a.id === studentId)) throw qrErrors.notInGroup();
      const people = await lookupPeople(deps.users, [studentId, session.instructor.id, actor.sub]);
      const result = await deps.withTransaction((tx) => writeScan(tx, actor, session, stored!.id, s, people));
      const roll = (await deps.repos.rolls.get(result.record.rollId))!;
      const counts = (await deps.repos.rolls.counts([roll.id])).get(roll.id);
      const person = people.byId.get(studentId);
      const doc = person?.document_number ?? roster.find((a) => a.id === studentId)?.document_number ?? null;
      return {
        created: result.outcome === 'RECORDED' && !result.replayed,
        data: {
          outcome: result.outcome,
          replayed: result.replayed,
          record: recordView(result.record, { subject: roll.subject, startTime: roll.startTime, endTime: roll.endTime, groupNumber: roll.groupNumber }, people, undefined),
          student: { id: studentId, full_name: person?.full_name ?? roster.find((a) => a.id === studentId)?.full_name ?? null, avatar_url: person?.avatar_url ?? null, document_last4: doc ? doc.slice(-4) : null },
          roll: { id: roll.id, status: roll.status, counts: countsView(counts, roster.length) },
          scan: { scanned_at: toIso(result.scannedAt), code_age_seconds: result.codeAge, flags: result.record.flags },
        },
        warnings: people.warnings,
      };
    },
  };

  /** The decision again on the locked code (a concurrent scan of it loses here), then the writes. */
  async function writeScan(tx: Repositories, actor: Actor, session: Session, codeId: string, s: AttendanceSettings, people: Awaited<ReturnType<typeof lookupPeople>>) {
    const now = deps.now();
    const code = (await tx.qr.getForUpdate(codeId))!;
    const decision = decideScan({ code, session: { scheduleId: session.schedule_id, sessionDate: session.date }, scannerId: actor.sub, now, graceSeconds: s.qr_scan_grace_seconds });
    if (decision.kind === 'REFUSE') throw qrRefusalError(decision.code);
    if (decision.kind === 'REPLAY') {
      const record = (await tx.records.get(decision.recordId))!;
      return { record, outcome: decision.outcome, replayed: true, scannedAt: code.usedAt!, codeAge: Math.max(0, Math.floor((code.usedAt!.getTime() - code.issuedAt.getTime()) / 1000)) };
    }
    let roll: RollRow | undefined = await tx.rolls.bySession(session.schedule_id, session.date);
    // R17: a scan of a session without a roll opens it, inside this transaction (a refused scan opens nothing).
    if (!roll) roll = await tx.rolls.openOrGet(rollValues(session, actor, now));
    if (roll.status === 'CLOSED') throw qrErrors.rollClosed();
    const [current] = await tx.records.forStudentSessions(code.studentId, [{ scheduleId: session.schedule_id, sessionDate: session.date }]);
    const outcome: ScanOutcome = scanOutcome(current?.status ?? null);
    const status = scanStatus(now, roll.startAt, s.late_after_minutes);
    const items = await tx.justifications.activeForSession(session.schedule_id, session.date);
    const ctx: WriteContext = { tx, roll, actor, at: now, reason: null, people, items };
    let record: RecordRow = current;
    const fields = { status: status.status, lateMinutes: status.lateMinutes, notes: current?.notes ?? null, method: 'QR_SCAN' as const, checkInAt: now };
    if (outcome === 'RECORDED') record = await createRecord(ctx, code.studentId, fields, 'QR_SCAN');
    if (outcome === 'UPDATED') record = await changeRecord(ctx, current, fields, 'QR_SCAN');
    if (outcome !== 'ALREADY_RECORDED') {
      await tx.records.update(record.id, { qrCodeId: code.id });
      if (!roll.firstMarkAt) await tx.rolls.update(roll.id, { firstMarkAt: now, updatedAt: now });
    }
    // R16: flags are stored on the record when it is written, never blocking.
    const flags: string[] = [];
    if ((await tx.qr.deviceCount(code.studentId, session.schedule_id, session.date)) > 1) flags.push('DEVICE_CHANGED');
    if ((await tx.devices.sharedAttempts(session.schedule_id, session.date)).has(code.studentId)) flags.push('SHARED_DEVICE_ATTEMPT');
    for (const f of flags) await tx.qr.flagRecords([code.studentId], session.schedule_id, session.date, f);
    await tx.qr.markUsed(code.id, { usedAt: now, usedBy: actor.sub, recordId: record.id, usedOutcome: outcome });
    const fresh = (await tx.records.get(record.id))!;
    return { record: fresh, outcome, replayed: false, scannedAt: now, codeAge: decision.codeAgeSeconds };
  }
}

export type QrService = ReturnType<typeof createQrService>;
