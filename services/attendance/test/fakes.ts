/**
 * In-memory fakes of the schedules and users ports: sessions, rosters and assignments the test sets, a
 * `down` switch per service (503 as the real adapters answer), and a log of calls.
 */
import { randomUUID } from 'node:crypto';
import { errors } from '@sicora/platform/errors';
import type { Apprentice, Group, Person, SchedulesPort, Session, SessionQuery, UsersPort } from '../src/application/ports.ts';

export interface FakeSchedules extends SchedulesPort {
  list: Session[];
  rosters: Map<string, Apprentice[]>;
  assignments: Map<string, string[]>;
  /** G8: the instructors of each ficha (any date). */
  groupInstructorIds: Map<string, string[]>;
  /** G3: the fichas schedules knows. */
  groups: Map<string, Group>;
  /** Centre-wide non-teaching days (K3). */
  holidays: string[];
  down: boolean;
  calls: string[];
}

export function fakeSchedules(): FakeSchedules {
  const fake: FakeSchedules = {
    list: [],
    rosters: new Map(),
    assignments: new Map(),
    groupInstructorIds: new Map(),
    groups: new Map(),
    holidays: [],
    down: false,
    calls: [],
    async session(id, date) {
      fake.calls.push(`W3 ${id} ${date}`);
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.list.find((s) => s.schedule_id === id && s.date === date);
    },
    async sessions(q: SessionQuery) {
      fake.calls.push(`W2 ${JSON.stringify(q)}`);
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.list.filter(
        (s) =>
          s.status === 'SCHEDULED' &&
          (!q.date || s.date === q.date) &&
          (!q.from || s.date >= q.from) &&
          (!q.to || s.date <= q.to) &&
          (!q.instructor_id || s.instructor.id === q.instructor_id) &&
          (!q.group_id || s.group.id === q.group_id),
      );
    },
    async apprentices(groupId) {
      fake.calls.push(`G7 ${groupId}`);
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.rosters.get(groupId) ?? [];
    },
    async nonTeachingDays(year) {
      fake.calls.push(`K3 ${year}`);
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.holidays.filter((d) => d.startsWith(String(year)));
    },
    async assignedGroups(instructorId) {
      fake.calls.push(`G1 ${instructorId}`);
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.assignments.get(instructorId) ?? [];
    },
    async groupInstructors(groupId) {
      fake.calls.push(`G8 ${groupId}`);
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.groupInstructorIds.get(groupId) ?? [];
    },
    async group(groupId) {
      fake.calls.push(`G3 ${groupId}`);
      if (fake.down) throw errors.unavailable({ service: 'schedules' });
      return fake.groups.get(groupId);
    },
  };
  return fake;
}

export interface FakeUsers extends UsersPort {
  people: Map<string, Person>;
  down: boolean;
  add(p: Partial<Person> & { role: string }): Person;
}

export function fakeUsers(): FakeUsers {
  const fake: FakeUsers = {
    people: new Map(),
    down: false,
    add(p) {
      const first = p.first_name ?? 'Nombre';
      const last = p.last_name ?? `Apellido ${fake.people.size + 1}`;
      const person: Person = {
        id: p.id ?? randomUUID(),
        first_name: first,
        last_name: last,
        full_name: p.full_name ?? `${first} ${last}`,
        role: p.role,
        group_id: p.group_id ?? null,
        group_number: p.group_number ?? null,
        avatar_url: p.avatar_url ?? `https://cdn.sicora.test/avatars/${fake.people.size + 1}.png`,
        document_number: p.document_number ?? String(1_000_000_000 + fake.people.size),
        is_active: p.is_active ?? true,
        is_deleted: false,
      };
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
