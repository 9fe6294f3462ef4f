/**
 * Object-level rules of §2 for rolls and records. O2: an instructor reaches the fichas assigned to them
 * today (G1, cached) plus every roll they taught or opened; outside it a path id is 404 and a filter 403.
 * O3: an instructor writes only rolls of sessions whose effective instructor (W3) is them.
 */
import { attendanceErrors } from '../domain/errors.ts';
import { today, type Actor, type Deps } from './context.ts';
import { lookupPeople } from './people.ts';
import type { RecordRow, RollRow, Session } from './ports.ts';

export interface Reach {
  instructorId: string;
  groupIds: string[];
}

export function createAccess(deps: Pick<Deps, 'schedules' | 'users' | 'repos' | 'now' | 'timeZone'>) {
  return {
    /** The instructor's reach (O2); undefined for roles bound by nothing (coordination, service). */
    async reach(actor: Actor): Promise<Reach | undefined> {
      if (actor.role !== 'instructor') return undefined;
      return { instructorId: actor.sub, groupIds: await deps.schedules.assignedGroups(actor.sub, today(deps)) };
    },
    rollInReach(roll: RollRow, reach: Reach | undefined): boolean {
      return !reach || roll.instructorId === reach.instructorId || roll.openedBy === reach.instructorId || reach.groupIds.includes(roll.groupId);
    },
    recordInReach(record: RecordRow, roll: RollRow, reach: Reach | undefined): boolean {
      return !reach || record.instructorId === reach.instructorId || this.rollInReach(roll, reach);
    },
    /** O2 for a named student: their ficha (U12) is assigned today, or this instructor taught them. */
    async studentInReach(studentId: string, reach: Reach): Promise<boolean> {
      const people = await lookupPeople(deps.users, [studentId]);
      const groupId = people.byId.get(studentId)?.group_id;
      if (groupId && reach.groupIds.includes(groupId)) return true;
      return deps.repos.records.taughtBy(reach.instructorId, { studentId });
    },
    /** W3 for the session; R1's answers when it is unknown or cancelled. */
    async session(scheduleId: string, date: string): Promise<Session> {
      const s = await deps.schedules.session(scheduleId, date);
      if (!s) throw attendanceErrors.sessionNotFound();
      if (s.status !== 'SCHEDULED') throw attendanceErrors.sessionCancelled();
      return s;
    },
    /** O3 for an instructor writing a roll: the session's effective instructor today is them. */
    async requireSessionInstructor(actor: Actor, scheduleId: string, date: string): Promise<void> {
      if (actor.role !== 'instructor') return;
      const s = await deps.schedules.session(scheduleId, date);
      if (!s || s.instructor.id !== actor.sub) throw attendanceErrors.notSessionInstructor();
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
