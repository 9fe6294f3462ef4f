/**
 * R1 under a race: the code check before a write can miss a concurrent insert; the unique index then
 * answers with the same 409 code. The race is staged by a repository whose look-up sees nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampusesService } from '../src/application/campuses.service.ts';
import type { Actor } from '../src/application/context.ts';
import { createProgramsService } from '../src/application/programs.service.ts';
import { createVenuesService } from '../src/application/venues.service.ts';
import { createRepositories } from '../src/infrastructure/repositories.ts';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
let repos: ReturnType<typeof createRepositories>;
const actor: Actor = { sub: '5eed0001-0000-4000-8000-000000000001', role: 'admin', token: 't' };

beforeAll(async () => {
  h = await createHarness();
  const real = createRepositories(h.db.db);
  // Look-ups by code see nothing, as when a concurrent request inserts between the check and the write.
  repos = {
    ...real,
    campuses: { ...real.campuses, byCode: async () => undefined },
    programs: { ...real.programs, byCode: async () => undefined },
    venues: { ...real.venues, byCodes: async () => [] },
  };
});
afterAll(async () => h.close());

describe('unique codes under a race', () => {
  it('when a campus code is inserted twice past the check, then the second is 409 CAMPUS_CODE_EXISTS', async () => {
    const campuses = createCampusesService({ repos, now: () => h.clock.now });
    await campuses.create({ code: 'RACE', name: 'Sede carrera' }, actor);
    await expect(campuses.create({ code: 'race', name: 'Otra' }, actor)).rejects.toMatchObject({ code: 'CAMPUS_CODE_EXISTS', status: 409 });
  });

  it('when a program code is inserted twice past the check, then the second is 409 PROGRAM_CODE_EXISTS', async () => {
    const programs = createProgramsService({ repos, now: () => h.clock.now });
    const input = { code: 'RACE', name: 'Programa carrera', level: 'TECNICO' as const, duration_months: 12 };
    await programs.create(input, actor);
    await expect(programs.create(input, actor)).rejects.toMatchObject({ code: 'PROGRAM_CODE_EXISTS', status: 409 });
  });

  it('when a venue code is inserted twice past the check, then the second is 409 VENUE_CODE_EXISTS', async () => {
    const venues = createVenuesService({ repos, now: () => h.clock.now, timeZone: 'America/Bogota' });
    const campus = await repos.campuses.insert({ code: 'VRACE', name: 'Sede', searchText: 'vrace sede' });
    const input = { campus_id: campus.id, code: 'R1', name: 'Aula R1', type: 'AULA' as const, capacity: 30 };
    await venues.create(input, actor);
    await expect(venues.create(input, actor)).rejects.toMatchObject({ code: 'VENUE_CODE_EXISTS', status: 409 });
  });
});
