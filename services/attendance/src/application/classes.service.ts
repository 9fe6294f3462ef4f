/**
 * C1 "my classes of a date" for instructors (sessions they teach, substitutions included) and apprentices
 * (their ficha's sessions), with the roll or the apprentice's own status (§4.6 ClassItem).
 */
import { toIsoOrNull } from '@sicora/platform/schemas';
import { attendanceErrors } from '../domain/errors.ts';
import type { AttendanceSettings } from '../domain/settings.ts';
import { addMinutes, daysBetween } from '../domain/time.ts';
import { classState, markingWindow } from '../domain/window.ts';
import { today, type Actor, type Deps } from './context.ts';
import type { Deadlines } from './deadlines.ts';
import type { RecordRow, Session } from './ports.ts';
import { countsView } from './views.ts';

const RANGE_DAYS = 7;

export function createClassesService(deps: Deps, settings: { current(): Promise<AttendanceSettings> }, deadlines: Deadlines) {
  const { repos } = deps;
  return {
    async mine(actor: Actor, date?: string) {
      const t = today(deps);
      const d = date ?? t;
      if (Math.abs(daysBetween(t, d)) > RANGE_DAYS) throw attendanceErrors.field('date', 'out_of_range', `La fecha debe estar a ${RANGE_DAYS} días o menos de hoy`);
      let sessions: Session[] = [];
      if (actor.role === 'instructor') sessions = await deps.schedules.sessions({ date: d, instructor_id: actor.sub });
      else if (actor.groupId) sessions = await deps.schedules.sessions({ date: d, group_id: actor.groupId });
      sessions = sessions.filter((x) => x.status === 'SCHEDULED').sort((a, b) => a.start_at.localeCompare(b.start_at) || a.schedule_id.localeCompare(b.schedule_id));
      const keys = sessions.map((x) => ({ scheduleId: x.schedule_id, sessionDate: x.date }));
      const s = await settings.current();
      const now = deps.now();
      const rolls = new Map((await repos.rolls.bySessions(keys)).map((r) => [`${r.scheduleId}|${r.sessionDate}`, r]));
      const base = (x: Session) => {
        const startAt = new Date(x.start_at);
        const endAt = new Date(x.end_at);
        return {
          schedule_id: x.schedule_id,
          session_date: x.date,
          subject: x.subject,
          group_id: x.group.id,
          group_number: x.group.number,
          start_time: x.start_time,
          end_time: x.end_time,
          start_at: startAt.toISOString(),
          end_at: endAt.toISOString(),
          venue_code: x.venue.code,
          venue_name: x.venue.name,
          instructor_id: x.instructor.id,
          instructor_name: x.instructor.full_name,
          state: classState(now, startAt, endAt, s.open_before_minutes),
        };
      };
      if (actor.role === 'instructor') {
        const counts = await repos.rolls.counts([...rolls.values()].map((r) => r.id));
        return sessions.map((x) => {
          const item = base(x);
          const roll = rolls.get(`${x.schedule_id}|${x.date}`);
          const c = roll ? counts.get(roll.id) : undefined;
          return {
            ...item,
            roll: roll ? { id: roll.id, status: roll.status, counts: countsView(c, null) } : null,
            can_mark: markingWindow(now, { startAt: new Date(x.start_at), sessionDate: x.date }, s, deps.timeZone, false) === 'OPEN',
            missing: item.state === 'ENDED' && (c?.total ?? 0) === 0,
          };
        });
      }
      const records = new Map((await repos.records.forStudentSessions(actor.sub, keys)).map((r) => [`${r.scheduleId}|${r.sessionDate}`, r]));
      const items = await repos.justifications.activeForStudent(actor.sub, keys.map((k) => k.scheduleId), [d]);
      const dates = [...records.values()].some((r) => r.status === 'ABSENT') ? await deadlines.forDates([d]) : new Map();
      return sessions.map((x) => {
        const item = base(x);
        const key = `${x.schedule_id}|${x.date}`;
        const record = records.get(key);
        const roll = rolls.get(key);
        const j = items.find((i) => `${i.scheduleId}|${i.sessionDate}` === key);
        // R13: a code only for today's class, inside its window, roll not closed, nothing but ABSENT recorded.
        const inWindow = now >= addMinutes(new Date(x.start_at), -s.open_before_minutes) && now < new Date(x.end_at);
        return {
          ...item,
          my_status: (record?.status ?? 'NOT_TAKEN') as RecordRow['status'] | 'NOT_TAKEN',
          record_id: record?.id ?? null,
          can_request_code: x.date === t && inWindow && roll?.status !== 'CLOSED' && (!record || record.status === 'ABSENT'),
          justification: j ? { id: j.justificationId, status: j.status } : null,
          justify_deadline: record ? toIsoOrNull(deadlines.offered(record, j ? { status: j.status } : undefined, dates)) : null,
        };
      });
    },
  };
}

export type ClassesService = ReturnType<typeof createClassesService>;
