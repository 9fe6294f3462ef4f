/**
 * The nightly run at scale (issue: 4 000 apprentices): 100 fichas × 40 apprentices on a real migrated
 * database, the services faked at their ports with no latency. Counts the attendance calls (two batch
 * reads per ficha, none per apprentice) and prints the run's wall time.
 * Run: npx tsx services/ai/test/scale.bench.ts  (not part of the test suite: it takes a while)
 */
import { randomUUID } from 'node:crypto';
import type { AttendancePort, Group, Person, StudentCounts } from '../src/application/ports.ts';
import { daysBetween } from '../src/domain/dates.ts';
import { createHarness } from './harness.ts';

const FICHAS = Number(process.env.FICHAS ?? 100);
const PER = Number(process.env.PER ?? 40);

const groups: Group[] = Array.from({ length: FICHAS }, (_, i) => ({ id: randomUUID(), number: String(2800000 + i) }));
const people = new Map<string, Person[]>(groups.map((g) => [g.id, Array.from({ length: PER }, (_, j) => ({ id: randomUUID(), first_name: `A${j}`, last_name: g.number, document_number: null, role: 'aprendiz', group_id: g.id, group_number: g.number }))]));
const calls = { groupCounts: 0, summary: 0 };
const counts = (i: number): StudentCounts => ({ scheduled: 20, present: 20 - (i % 10), late: i % 3, absent: i % 10, justified: 0, consecutive_absent: i % 6 });
const attendance: AttendancePort = {
  async summary() {
    calls.summary++;
    throw new Error('a run never reads one apprentice');
  },
  async groupCounts(groupId, start, end) {
    calls.groupCounts++;
    const recent = daysBetween(start, end) <= 14;
    return new Map((people.get(groupId) ?? []).map((p, i) => [p.id, recent ? { ...counts(i), scheduled: 10, present: 10 - (i % 5), absent: i % 5, late: 0 } : counts(i)]));
  },
  probe: async () => true,
};

const h = await createHarness({
  overrides: {
    attendance,
    schedules: { group: async (id) => groups.find((g) => g.id === id), assignedGroups: async () => [], activeGroups: async () => groups, groupInstructors: async () => [randomUUID()] },
    users: { apprentices: async (id) => people.get(id) ?? [], user: async () => undefined },
    projecteval: { latestPublished: async () => null },
    evalin: { latestPeriod: async () => null, submittedCount: async () => 0 },
  },
});
const runs = (h.app as unknown as { aiJobs: { runs: { startAll(a: null, t: 'manual'): Promise<{ id: string }>; idle(): Promise<void> } } }).aiJobs.runs;
const t0 = performance.now();
const run = await runs.startAll(null, 'manual');
await runs.idle();
const ms = performance.now() - t0;
const [row] = await h.db.query<{ status: string; counts: Record<string, number> }>(`SELECT status, counts FROM ai.risk_runs WHERE id = '${run.id}'`);
console.log(JSON.stringify({ backend: process.env.DATABASE_URL ? 'postgres' : 'pglite', fichas: FICHAS, apprentices: FICHAS * PER, seconds: Math.round(ms / 100) / 10, per_apprentice_ms: Math.round((ms / (FICHAS * PER)) * 100) / 100, attendance_calls: calls, status: row.status, counts: row.counts }));
await h.close();
process.exit(0);
