import { describe, expect, it } from 'vitest';
import type { ServiceClient, ServiceRequest } from '@sicora/platform/http-client';
import { createSchedulesClient } from './schedules.client.ts';
import { createUsersClient } from './users.client.ts';

function fakeClient(target: string, respond: (req: ServiceRequest) => { status: number; body: unknown }) {
  const calls: ServiceRequest[] = [];
  const client = {
    target,
    async request(req: ServiceRequest) {
      calls.push(req);
      const r = respond(req);
      return { status: r.status, headers: {}, body: r.body };
    },
  } as unknown as ServiceClient;
  return { client, calls };
}

const page = (data: unknown[]) => ({ status: 200, body: { success: true, data, meta: { pagination: { page: 1, page_size: 100, total: data.length, total_pages: 1, has_next: false, has_prev: false } } } });

describe('schedules client (§7)', () => {
  it('when W3 answers 404, then the session is undefined; W2, G7 and G1 send their filters with the service token', async () => {
    const { client, calls } = fakeClient('schedules', (req) => {
      if (req.path.includes('/sessions/')) return { status: 404, body: { success: false, error: { code: 'SESSION_NOT_FOUND', message: 'x' } } };
      if (req.path === '/api/v1/groups') return page([{ id: 'g1' }, { id: 'g2' }]);
      return page([{ id: 'a' }]);
    });
    const port = createSchedulesClient(client);
    expect(await port.session('s', '2026-03-09')).toBeUndefined();
    expect(await port.sessions({ date: '2026-03-09', group_id: 'g', instructor_id: undefined })).toEqual([{ id: 'a' }]);
    expect(await port.apprentices('g')).toEqual([{ id: 'a' }]);
    expect(await port.assignedGroups('x', '2026-03-09')).toEqual(['g1', 'g2']);
    expect(calls.every((c) => c.token === 'service')).toBe(true);
    expect(calls[1].query).toEqual({ include_cancelled: false, date: '2026-03-09', group_id: 'g' });
    expect(calls[2]).toMatchObject({ path: '/api/v1/groups/g/apprentices', query: expect.objectContaining({ is_active: true }) });
    expect(calls[3].query).toMatchObject({ instructor_id: 'x', assigned_on: '2026-03-09' });
  });

  it('when G8 answers, then the instructor ids of the ficha on that day (from = to = the date)', async () => {
    const { client, calls } = fakeClient('schedules', () => ({ status: 200, body: { success: true, data: [{ instructor_id: 'i1', full_name: 'A' }, { instructor_id: 'i2', full_name: 'B' }] } }));
    expect(await createSchedulesClient(client).groupInstructors('g', '2026-03-09')).toEqual(['i1', 'i2']);
    expect(calls[0]).toMatchObject({ path: '/api/v1/groups/g/instructors', query: { from: '2026-03-09', to: '2026-03-09' }, token: 'service' });
  });

  it('when schedules refuses or fails, then SERVICE_UNAVAILABLE', async () => {
    const refused = createSchedulesClient(fakeClient('schedules', () => ({ status: 403, body: { success: false, error: { code: 'INSUFFICIENT_PERMISSIONS', message: 'x' } } })).client);
    await expect(refused.apprentices('g')).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    const down = createSchedulesClient(fakeClient('schedules', () => ({ status: 500, body: { success: false, error: { code: 'INTERNAL_ERROR', message: 'x' } } })).client);
    await expect(down.sessions({ date: '2026-03-09' })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});

describe('users client (U12)', () => {
  it('when 1 200 ids are looked up, then three calls of ≤ 500 ids with the service token', async () => {
    const { client, calls } = fakeClient('users', (req) => ({ status: 200, body: { success: true, data: { found: (req.body as { ids: string[] }).ids.map((id) => ({ id })), missing: [] } } }));
    const found = await createUsersClient(client).lookup(Array.from({ length: 1200 }, (_, i) => `id-${i}`));
    expect(found).toHaveLength(1200);
    expect(calls.map((c) => (c.body as { ids: string[] }).ids.length)).toEqual([500, 500, 200]);
    expect(calls.every((c) => c.token === 'service' && c.path === '/api/v1/users/lookup')).toBe(true);
  });

  it('when users answers 4xx, then SERVICE_UNAVAILABLE', async () => {
    const { client } = fakeClient('users', () => ({ status: 422, body: { success: false, error: { code: 'VALIDATION_ERROR', message: 'x' } } }));
    await expect(createUsersClient(client).lookup(['x'])).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
