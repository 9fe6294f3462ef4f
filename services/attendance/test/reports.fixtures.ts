/** Report fixtures: rolls and records written as the service writes them, with the clock times the test chooses. */
import type { Person, Session } from '../src/application/ports.ts';
import { at, type Harness } from './harness.ts';

export const LETTER: Record<string, string> = { P: 'PRESENT', T: 'LATE', A: 'ABSENT', J: 'JUSTIFIED', E: 'EXCUSED' };

/**
 * A roll of session `s` as the service writes it, with one record per letter (P T A J E) for the ficha's
 * apprentices in order; `firstMark` is the roll's `first_mark_at` (Bogotá `HH:MM` of the session date).
 */
export async function takeRoll(h: Harness, s: Session, pattern: string, o: { firstMark?: string; closedAt?: string } = {}) {
  const [roll] = await h.db.query<{ id: string }>(
    `INSERT INTO attendance.rolls (schedule_id, session_date, group_id, group_number, program_id, campus_id, venue_id, subject, start_time, end_time, start_at, end_at, instructor_id, status, opened_by, opened_at, first_mark_at, closed_at, close_method, closed_by, was_closed)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13, $11, $15, $16, $17, $18, $19) RETURNING id::text AS id`,
    [
      s.schedule_id, s.date, s.group.id, s.group.number, s.group.program.id, s.venue.campus.id, s.venue.id, s.subject, s.start_time, s.end_time, s.start_at, s.end_at, s.instructor.id,
      o.closedAt ? 'CLOSED' : 'OPEN', o.firstMark ? at(s.date, o.firstMark) : null, o.closedAt ? at(s.date, o.closedAt) : null, o.closedAt ? 'MANUAL' : null, o.closedAt ? s.instructor.id : null, o.closedAt !== undefined,
    ],
  );
  const ficha = [h.fichaA, h.fichaB].find((f) => f.id === s.group.id)!;
  for (const [i, letter] of [...pattern].entries()) {
    await h.db.query(
      `INSERT INTO attendance.records (roll_id, student_id, schedule_id, session_date, group_id, instructor_id, status, method, late_minutes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'MANUAL', $8)`,
      [roll.id, ficha.apprentices[i].id, s.schedule_id, s.date, s.group.id, s.instructor.id, LETTER[letter], letter === 'T' ? 20 : null],
    );
  }
  return roll.id;
}

/** One more record of `student` in the roll of `s` (someone outside the roll's ficha, say). */
export async function addRecord(h: Harness, rollId: string, s: Session, student: Person, status: string) {
  await h.db.query(
    `INSERT INTO attendance.records (roll_id, student_id, schedule_id, session_date, group_id, instructor_id, status, method)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'MANUAL')`,
    [rollId, student.id, s.schedule_id, s.date, s.group.id, s.instructor.id, status],
  );
}
