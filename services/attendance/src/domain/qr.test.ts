import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alreadyRecordedForCode,
  codeAgeSeconds,
  decideScan,
  decodeQrCode,
  encodeQrCode,
  issueQrCode,
  qrRefusalError,
  QR_CODE_LENGTH,
  scanOutcome,
  scanStatus,
  sessionWindowRefusal,
  type StoredQrCode,
} from './qr.ts';
import { localToInstant } from './time.ts';

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 8);
const CODE_ID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const X = 'aaaaaaaa-0000-4000-8000-000000000001'; // instructor X
const COORD = 'cccccccc-0000-4000-8000-000000000001';
const SCHEDULE = 'dddddddd-0000-4000-8000-000000000001';
const OTHER_SCHEDULE = 'dddddddd-0000-4000-8000-000000000002';
// Session S: Monday 06:00–09:00 Bogotá.
const S_DATE = '2026-03-16';
const t = (time: string) => localToInstant(S_DATE, time, 'America/Bogota');
const S = { startAt: t('06:00'), endAt: t('09:00') };
const plus = (d: Date, seconds: number) => new Date(d.getTime() + seconds * 1000);

function stored(issuedAt: Date, over: Partial<StoredQrCode> = {}): StoredQrCode {
  const issued = issueQrCode({ codeId: CODE_ID, key: KEY, now: issuedAt, ttlSeconds: 15 });
  return {
    id: CODE_ID,
    studentId: 'eeeeeeee-0000-4000-8000-000000000001',
    scheduleId: SCHEDULE,
    sessionDate: S_DATE,
    deviceId: 'ffffffff-0000-4000-8000-000000000001',
    state: 'ACTIVE',
    issuedAt: issued.issuedAt,
    expiresAt: issued.expiresAt,
    usedAt: null,
    usedBy: null,
    recordId: null,
    usedOutcome: null,
    ...over,
  };
}

const scan = (code: StoredQrCode | null, now: Date, over: { scannerId?: string; scheduleId?: string } = {}) =>
  decideScan({
    code,
    session: { scheduleId: over.scheduleId ?? SCHEDULE, sessionDate: S_DATE },
    scannerId: over.scannerId ?? X,
    now,
    graceSeconds: 3,
  });

describe('code format and signature (R14)', () => {
  it('US-ATT-05: given S at 06:10, when a code is issued, then 49 characters starting SQ1., expires in 15 s, refresh after 12 s', () => {
    const issued = issueQrCode({ codeId: CODE_ID, key: KEY, now: t('06:10'), ttlSeconds: 15 });
    expect(issued.code).toHaveLength(49);
    expect(QR_CODE_LENGTH).toBe(49);
    expect(issued.code.startsWith('SQ1.')).toBe(true);
    expect(issued.expiresInSeconds).toBe(15);
    expect(issued.refreshAfterSeconds).toBe(12);
    expect(issued.expiresAt.getTime() - issued.issuedAt.getTime()).toBe(15_000);
  });

  it('when a code is decoded with the same key, then it gives back the code id and nothing personal is inside', () => {
    const code = encodeQrCode(CODE_ID, KEY);
    expect(decodeQrCode(code, KEY)).toEqual({ ok: true, codeId: CODE_ID });
    expect(code).toMatch(/^SQ1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
  });

  it('when the key is another, then BAD_SIGNATURE (→ QR_INVALID)', () => {
    expect(decodeQrCode(encodeQrCode(CODE_ID, KEY), OTHER_KEY)).toEqual({ ok: false, code: 'QR_INVALID', reason: 'BAD_SIGNATURE' });
  });

  it('US-ATT-07: given one changed character in the signature, then QR_INVALID, for every position and character', () => {
    const code = encodeQrCode(CODE_ID, KEY);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 27; i < code.length; i++) {
      for (const ch of alphabet) {
        if (ch === code[i]) continue;
        const forged = code.slice(0, i) + ch + code.slice(i + 1);
        const r = decodeQrCode(forged, KEY);
        expect(r.ok, `position ${i} → ${ch}`).toBe(false);
      }
    }
  });

  it('when the id part is changed, then the signature no longer matches', () => {
    const code = encodeQrCode(CODE_ID, KEY);
    const forged = `${code.slice(0, 5)}${code[5] === 'A' ? 'B' : 'A'}${code.slice(6)}`;
    expect(decodeQrCode(forged, KEY).ok).toBe(false);
  });

  it('when the text is malformed, then MALFORMED (→ QR_INVALID)', () => {
    const code = encodeQrCode(CODE_ID, KEY);
    for (const bad of ['', 'SQ1.', code.slice(0, 48), `${code}A`, `SQ2.${code.slice(4)}`, code.replace('.', '!'), `${code.slice(0, 26)}=${code.slice(27)}`]) {
      expect(decodeQrCode(bad, KEY)).toMatchObject({ ok: false, code: 'QR_INVALID', reason: 'MALFORMED' });
    }
  });

  it('when the id is not a UUID, then encoding refuses it', () => {
    expect(() => encodeQrCode('not-a-uuid', KEY)).toThrow(TypeError);
  });

  it('property: any id round-trips with any key of 32 bytes, always 49 characters', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uint8Array({ minLength: 32, maxLength: 64 }), (id, key) => {
        const code = encodeQrCode(id, key);
        expect(code).toHaveLength(49);
        expect(decodeQrCode(code, key)).toEqual({ ok: true, codeId: id.toLowerCase() });
      }),
    );
  });

  it('property: random strings never verify', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        expect(decodeQrCode(s, KEY).ok).toBe(false);
      }),
    );
  });
});

describe('code and scan window (R13, R17)', () => {
  it('US-ATT-05: at 09:00 → SESSION_ENDED; at 06:10 allowed; before start − 15 min → SESSION_NOT_STARTED', () => {
    expect(sessionWindowRefusal(S, t('06:10'), 15)).toBeNull();
    expect(sessionWindowRefusal(S, t('05:45'), 15)).toBeNull();
    expect(sessionWindowRefusal(S, t('05:44'), 15)).toBe('SESSION_NOT_STARTED');
    expect(sessionWindowRefusal(S, t('09:00'), 15)).toBe('SESSION_ENDED');
    expect(sessionWindowRefusal(S, new Date(t('09:00').getTime() - 1), 15)).toBeNull();
  });

  it('US-ATT-05: already PRESENT → ATTENDANCE_ALREADY_RECORDED; ABSENT may still ask for a code', () => {
    expect(alreadyRecordedForCode('PRESENT')).toBe(true);
    expect(alreadyRecordedForCode('LATE')).toBe(true);
    expect(alreadyRecordedForCode('JUSTIFIED')).toBe(true);
    expect(alreadyRecordedForCode('EXCUSED')).toBe(true);
    expect(alreadyRecordedForCode('ABSENT')).toBe(false);
    expect(alreadyRecordedForCode(null)).toBe(false);
  });
});

describe('scan decision (R17, R19)', () => {
  it('US-ATT-06: given a fresh code at 06:10, then it is accepted', () => {
    expect(scan(stored(t('06:10')), plus(t('06:10'), 2))).toEqual({ kind: 'ACCEPT', codeAgeSeconds: 2 });
  });

  it('US-ATT-07: given a code 19 s old, then QR_EXPIRED; at 18 s (ttl 15 + grace 3) it is still accepted', () => {
    const code = stored(t('06:10'));
    expect(scan(code, plus(t('06:10'), 19))).toEqual({ kind: 'REFUSE', code: 'QR_EXPIRED' });
    expect(scan(code, plus(t('06:10'), 18)).kind).toBe('ACCEPT');
    expect(codeAgeSeconds(code, plus(t('06:10'), 19))).toBe(19);
  });

  it('US-ATT-05/07: given an older code after a newer one was issued (SUPERSEDED), then QR_SUPERSEDED even while fresh', () => {
    expect(scan(stored(t('06:10'), { state: 'SUPERSEDED' }), plus(t('06:10'), 13))).toEqual({ kind: 'REFUSE', code: 'QR_SUPERSEDED' });
  });

  it('US-ATT-07: given a code that X already used, when a coordinador scans it again, then QR_ALREADY_USED', () => {
    const used = stored(t('06:10'), { state: 'USED', usedAt: plus(t('06:10'), 2), usedBy: X, recordId: 'r1', usedOutcome: 'RECORDED' });
    expect(scan(used, plus(t('06:10'), 5), { scannerId: COORD })).toEqual({ kind: 'REFUSE', code: 'QR_ALREADY_USED' });
  });

  it('US-ATT-06: given X repeats the same successful scan within 10 minutes, then the original result is replayed', () => {
    const usedAt = plus(t('06:10'), 2);
    const used = stored(t('06:10'), { state: 'USED', usedAt, usedBy: X, recordId: 'r1', usedOutcome: 'UPDATED' });
    // Even after the code's own lifetime: a retry after a lost response must not fail as expired.
    expect(scan(used, plus(usedAt, 60))).toEqual({ kind: 'REPLAY', recordId: 'r1', outcome: 'UPDATED' });
    expect(scan(used, plus(usedAt, 600))).toEqual({ kind: 'REPLAY', recordId: 'r1', outcome: 'UPDATED' });
    expect(scan(used, plus(usedAt, 601))).toEqual({ kind: 'REFUSE', code: 'QR_ALREADY_USED' });
  });

  it('US-ATT-07: given a code for S sent with the schedule_id of another session, then QR_WRONG_SESSION (checked before use and expiry)', () => {
    expect(scan(stored(t('06:10')), plus(t('06:10'), 1), { scheduleId: OTHER_SCHEDULE })).toEqual({ kind: 'REFUSE', code: 'QR_WRONG_SESSION' });
    expect(scan(stored(t('06:10'), { sessionDate: '2026-03-09' }), plus(t('06:10'), 1))).toEqual({ kind: 'REFUSE', code: 'QR_WRONG_SESSION' });
    const usedExpired = stored(t('06:10'), { state: 'USED', usedAt: t('06:10'), usedBy: X, recordId: 'r1', usedOutcome: 'RECORDED' });
    expect(scan(usedExpired, t('07:00'), { scheduleId: OTHER_SCHEDULE })).toEqual({ kind: 'REFUSE', code: 'QR_WRONG_SESSION' });
  });

  it('when the decoded id is unknown, then QR_INVALID', () => {
    expect(scan(null, t('06:10'))).toEqual({ kind: 'REFUSE', code: 'QR_INVALID' });
  });

  it('when a refusal is turned into an error, then §8 codes and statuses', () => {
    expect([qrRefusalError('QR_INVALID').status, qrRefusalError('QR_INVALID').code]).toEqual([400, 'QR_INVALID']);
    expect(qrRefusalError('QR_WRONG_SESSION').status).toBe(409);
    expect(qrRefusalError('QR_ALREADY_USED').status).toBe(409);
    expect(qrRefusalError('QR_SUPERSEDED').status).toBe(410);
    expect(qrRefusalError('QR_EXPIRED').status).toBe(410);
  });
});

describe('status and outcome of a scan (R18)', () => {
  it('US-ATT-06: given a scan at 06:10, then PRESENT; at 06:32, LATE with late_minutes=32', () => {
    expect(scanStatus(t('06:10'), S.startAt, 15)).toEqual({ status: 'PRESENT', lateMinutes: null });
    expect(scanStatus(t('06:32'), S.startAt, 15)).toEqual({ status: 'LATE', lateMinutes: 32 });
  });

  it('when scanned exactly at start + late_after, then PRESENT; one second later LATE 16 (rounded up)', () => {
    expect(scanStatus(t('06:15'), S.startAt, 15).status).toBe('PRESENT');
    expect(scanStatus(plus(t('06:15'), 1), S.startAt, 15)).toEqual({ status: 'LATE', lateMinutes: 16 });
  });

  it('US-ATT-21: given late_after_minutes=10, then a scan at start + 11 min is LATE', () => {
    expect(scanStatus(t('06:11'), S.startAt, 10)).toEqual({ status: 'LATE', lateMinutes: 11 });
  });

  it('when late_after is 0, then one second after the start is LATE 1; before the start is PRESENT', () => {
    expect(scanStatus(plus(S.startAt, 1), S.startAt, 0)).toEqual({ status: 'LATE', lateMinutes: 1 });
    expect(scanStatus(t('05:50'), S.startAt, 0).status).toBe('PRESENT');
  });

  it('property: late minutes always stay within 1–600', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3_600, max: 48 * 3_600 }), fc.integer({ min: 0, max: 60 }), (sec, lateAfter) => {
        const r = scanStatus(plus(S.startAt, sec), S.startAt, lateAfter);
        if (r.status === 'LATE') {
          expect(r.lateMinutes).toBeGreaterThanOrEqual(1);
          expect(r.lateMinutes).toBeLessThanOrEqual(600);
          expect(sec).toBeGreaterThan(lateAfter * 60);
        } else expect(sec).toBeLessThanOrEqual(lateAfter * 60);
      }),
    );
  });

  it('US-ATT-06: no record → RECORDED; ABSENT → UPDATED; PRESENT/LATE (and settled records) → ALREADY_RECORDED', () => {
    expect(scanOutcome(null)).toBe('RECORDED');
    expect(scanOutcome('ABSENT')).toBe('UPDATED');
    expect(scanOutcome('PRESENT')).toBe('ALREADY_RECORDED');
    expect(scanOutcome('LATE')).toBe('ALREADY_RECORDED');
    expect(scanOutcome('JUSTIFIED')).toBe('ALREADY_RECORDED');
    expect(scanOutcome('EXCUSED')).toBe('ALREADY_RECORDED');
  });
});
