/** In-memory fakes of the schedules and users ports, with a `down` switch (503 as the adapters answer). */
import { randomUUID } from 'node:crypto';
import { errors } from '@sicora/platform/errors';
import type { Apprentice, Group, Person, SchedulesPort, UsersPort } from '../src/application/ports.ts';

export interface FakeSchedules extends SchedulesPort {
  groups: Map<string, Group>;
  rosters: Map<string, Apprentice[]>;
  /** instructor id → fichas they teach. */
  teaching: Map<string, string[]>;
  down: boolean;
}

export function fakeSchedules(): FakeSchedules {
  const fake: FakeSchedules = {
    groups: new Map(),
    rosters: new Map(),
    teaching: new Map(),
    down: false,
    async group(id) {
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.groups.get(id);
    },
    async apprentices(id) {
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.rosters.get(id) ?? [];
    },
    async teaches(groupId, instructorId) {
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      if (!fake.groups.has(groupId)) return undefined;
      return (fake.teaching.get(instructorId) ?? []).includes(groupId);
    },
  };
  return fake;
}

export interface FakeUsers extends UsersPort {
  people: Map<string, Person>;
  down: boolean;
  add(p: Partial<Person> & { role: string; group_id?: string }): Person & { group_id?: string };
}

export function fakeUsers(): FakeUsers {
  const fake: FakeUsers = {
    people: new Map(),
    down: false,
    add(p) {
      const person = { id: p.id ?? randomUUID(), first_name: p.first_name ?? 'Nombre', last_name: p.last_name ?? `Apellido ${fake.people.size + 1}`, role: p.role, is_active: p.is_active ?? true, group_id: p.group_id };
      fake.people.set(person.id, person);
      return person;
    },
    async lookup(ids) {
      if (fake.down) throw errors.unavailable({ service: 'users' });
      return ids.map((id) => fake.people.get(id)).filter((p): p is Person => p !== undefined);
    },
  };
  return fake;
}
