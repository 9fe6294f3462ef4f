/**
 * The risk world of the tests: ficha 2826503 (instructor X assigned) and ficha 2901817 (instructor Y), with
 * fakes of schedules, users, attendance (per-window counts per apprentice, batch and single reads
 * counted), projecteval and evalin that a test can break.
 */
import { randomUUID } from 'node:crypto';
import { errors } from '@sicora/platform/errors';
import type { AttendancePort, EvalinPort, Group, Person, ProjectevalPort, SchedulesPort, StudentCounts, UsersPort } from '../src/application/ports.ts';
import { daysBetween } from '../src/domain/dates.ts';
import { createHarness, type Harness, type Who } from './harness.ts';

export interface RiskWorld {
  h: Harness;
  fichaA: Group;
  fichaB: Group;
  x: Who;
  y: Who;
  coordinador: Who;
  admin: Who;
  people: Map<string, Person>;
  /** counts per apprentice: [W, Wr] */
  counts: Map<string, [StudentCounts, StudentCounts]>;
  calls: { groupCounts: number; summary: number; projecteval: number };
  broken: { attendance: boolean; projecteval: boolean; evalin: boolean; users: boolean };
  project: Map<string, { score: number; published_at: string }>;
  apprentice(ficha: Group, name: string, w: Partial<StudentCounts>, wr?: Partial<StudentCounts>): Person;
  setCounts(id: string, w: Partial<StudentCounts>, wr?: Partial<StudentCounts>): void;
  runs(): { idle(): Promise<void> };
  alertsJob(): { notifyOverdue(): Promise<number> };
}

const c = (o: Partial<StudentCounts>): StudentCounts => ({ scheduled: 0, present: 0, late: 0, absent: 0, justified: 0, consecutive_absent: 0, ...o });

export async function createRiskWorld(now = '2026-03-09T15:00:00Z'): Promise<RiskWorld> {
  const fichaA: Group = { id: randomUUID(), number: '2826503' };
  const fichaB: Group = { id: randomUUID(), number: '2901817' };
  const x = { id: randomUUID(), role: 'instructor' };
  const y = { id: randomUUID(), role: 'instructor' };
  const people = new Map<string, Person>();
  const counts = new Map<string, [StudentCounts, StudentCounts]>();
  const calls = { groupCounts: 0, summary: 0, projecteval: 0 };
  const broken = { attendance: false, projecteval: false, evalin: false, users: false };
  const project = new Map<string, { score: number; published_at: string }>();
  const boom = () => {
    throw errors.unavailable({ service: 'fake' });
  };
  const schedules: SchedulesPort = {
    async group(id) {
      return [fichaA, fichaB].find((g) => g.id === id);
    },
    async assignedGroups(instructorId) {
      return instructorId === x.id ? [fichaA.id] : instructorId === y.id ? [fichaB.id] : [];
    },
    async activeGroups() {
      return [fichaA, fichaB];
    },
    async groupInstructors(groupId) {
      return groupId === fichaA.id ? [x.id] : [y.id];
    },
  };
  const users: UsersPort = {
    async apprentices(groupId) {
      if (broken.users) boom();
      return [...people.values()].filter((p) => p.group_id === groupId);
    },
    async user(id) {
      return people.get(id);
    },
  };
  const attendance: AttendancePort = {
    async summary(id, start, end) {
      calls.summary++;
      if (broken.attendance) boom();
      const [w, wr] = counts.get(id) ?? [c({}), c({})];
      return daysBetween(start, end) > 14 ? w : wr;
    },
    async groupCounts(groupId, start, end) {
      calls.groupCounts++;
      if (broken.attendance) boom();
      const recent = daysBetween(start, end) <= 14;
      return new Map([...people.values()].filter((p) => p.group_id === groupId).map((p) => [p.id, (counts.get(p.id) ?? [c({}), c({})])[recent ? 1 : 0]]));
    },
    async probe() {
      return !broken.attendance;
    },
  };
  const projecteval: ProjectevalPort = {
    async latestPublished(id) {
      calls.projecteval++;
      if (broken.projecteval) boom();
      return project.get(id) ?? null;
    },
  };
  const evalin: EvalinPort = {
    async latestPeriod() {
      if (broken.evalin) boom();
      return null;
    },
    async submittedCount() {
      return 1;
    },
  };
  const h = await createHarness({ now, overrides: { schedules, users, attendance, projecteval, evalin } });
  const world: RiskWorld = {
    h,
    fichaA,
    fichaB,
    x,
    y,
    coordinador: { id: randomUUID(), role: 'coordinador' },
    admin: { id: randomUUID(), role: 'admin' },
    people,
    counts,
    calls,
    broken,
    project,
    apprentice(ficha, name, w, wr = {}) {
      const [first_name, last_name] = name.split(' ');
      const p: Person = { id: randomUUID(), first_name, last_name, document_number: String(1000000000 + people.size), role: 'aprendiz', group_id: ficha.id, group_number: ficha.number };
      people.set(p.id, p);
      world.setCounts(p.id, w, wr);
      return p;
    },
    setCounts(id, w, wr = {}) {
      counts.set(id, [c(w), c(wr)]);
    },
    runs: () => (h.app as unknown as { aiJobs: { runs: { idle(): Promise<void> } } }).aiJobs.runs,
    alertsJob: () => (h.app as unknown as { aiJobs: { alerts: { notifyOverdue(): Promise<number> } } }).aiJobs.alerts,
  };
  return world;
}

/** US-AI-11's apprentice: 20 sessions, 13 attended, 7 unjustified, longest run 3 → 60 high. */
export const HIGH = { w: { scheduled: 20, present: 13, absent: 7, consecutive_absent: 3 }, wr: { scheduled: 10, present: 7, absent: 3, consecutive_absent: 2 } };
/** 11 attended, 9 unjustified, longest run 5 → 70 critical. */
export const CRITICAL = { w: { scheduled: 20, present: 11, absent: 9, consecutive_absent: 5 }, wr: { scheduled: 10, present: 6, absent: 4, consecutive_absent: 4 } };
/** 17 attended, 3 unjustified, run 2 → 18 low. */
export const LOW = { w: { scheduled: 20, present: 17, absent: 3, consecutive_absent: 2 }, wr: { scheduled: 10, present: 9, absent: 1, consecutive_absent: 1 } };
export const FEW = { w: { scheduled: 4, present: 2, absent: 2, consecutive_absent: 2 }, wr: { scheduled: 2, present: 1, absent: 1 } };
