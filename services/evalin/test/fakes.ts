/**
 * In-memory fakes of the schedules and users ports: fichas, rosters and teaching spans the test sets, a
 * `down` switch per service (503 as the real adapters answer), and a log of calls.
 */
import { randomUUID } from 'node:crypto';
import { errors } from '@sicora/platform/errors';
import type { Apprentice, Group, Person, SchedulesPort, UsersPort } from '../src/application/ports.ts';

export interface Teaching {
  groupId: string;
  instructorId: string;
  from: string;
  to: string;
  subject: string;
}

export interface FakeSchedules extends SchedulesPort {
  groups: Map<string, Group>;
  rosters: Map<string, Apprentice[]>;
  teaching: Teaching[];
  names: Map<string, string>;
  down: boolean;
  calls: string[];
}

export function fakeSchedules(): FakeSchedules {
  const fake: FakeSchedules = {
    groups: new Map(),
    rosters: new Map(),
    teaching: [],
    names: new Map(),
    down: false,
    calls: [],
    async group(id) {
      fake.calls.push(`G3 ${id}`);
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.groups.get(id);
    },
    async instructors(groupId, from, to) {
      fake.calls.push(`G8 ${groupId} ${from} ${to}`);
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      const by = new Map<string, { instructor_id: string; full_name: string | null; subjects: string[] }>();
      for (const t of fake.teaching.filter((x) => x.groupId === groupId && x.from <= to && from <= x.to)) {
        const row = by.get(t.instructorId) ?? { instructor_id: t.instructorId, full_name: fake.names.get(t.instructorId) ?? null, subjects: [] };
        if (!row.subjects.includes(t.subject)) row.subjects.push(t.subject);
        by.set(t.instructorId, row);
      }
      return [...by.values()];
    },
    async apprentices(groupId) {
      fake.calls.push(`G7 ${groupId}`);
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.rosters.get(groupId) ?? [];
    },
  };
  return fake;
}

export interface FakeUsers extends UsersPort {
  people: Map<string, Person & { role: string; group_id: string | null; group_number: string | null }>;
  down: boolean;
  add(p: { role: string; first_name?: string; last_name?: string; group_id?: string | null; group_number?: string | null; id?: string }): Person & { role: string; group_id: string | null; group_number: string | null };
}

export function fakeUsers(): FakeUsers {
  const fake: FakeUsers = {
    people: new Map(),
    down: false,
    add(p) {
      const first = p.first_name ?? 'Nombre';
      const last = p.last_name ?? `Apellido ${fake.people.size + 1}`;
      const person = { id: p.id ?? randomUUID(), first_name: first, last_name: last, full_name: `${first} ${last}`, role: p.role, group_id: p.group_id ?? null, group_number: p.group_number ?? null };
      fake.people.set(person.id, person);
      return person;
    },
    async lookup(ids) {
      if (fake.down) throw errors.unavailable({ service: 'users' });
      return ids.map((id) => fake.people.get(id)).filter((p): p is NonNullable<typeof p> => p !== undefined);
    },
  };
  return fake;
}
