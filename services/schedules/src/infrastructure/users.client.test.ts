import { describe, expect, it } from 'vitest';
import type { ServiceClient, ServiceRequest } from '@sicora/platform/http-client';
import { createUsersClient } from './users.client.ts';

function fakeClient(respond: (req: ServiceRequest) => { status: number; body: unknown }) {
  const calls: ServiceRequest[] = [];
  const client = {
    target: 'users',
    async request(req: ServiceRequest) {
      calls.push(req);
      const r = respond(req);
      return { status: r.status, headers: {}, body: r.body };
    },
    breakerState: () => 'closed',
    close: async () => {},
  } as unknown as ServiceClient;
  return { client, calls };
}

describe('users client', () => {
  it('when 1 200 ids are looked up, then three U12 calls of ≤ 500 keys with the service token', async () => {
    const { client, calls } = fakeClient((req) => ({ status: 200, body: { data: { found: (req.body as { ids: string[] }).ids.map((id) => ({ id })), missing: [] } } }));
    const ids = Array.from({ length: 1200 }, (_, i) => `id-${i}`);
    const found = await createUsersClient(client).lookup({ ids }, {});
    expect(found).toHaveLength(1200);
    expect(calls.map((c) => (c.body as { ids: string[] }).ids.length)).toEqual([500, 500, 200]);
    expect(calls.every((c) => c.token === 'service' && c.path === '/api/v1/users/lookup')).toBe(true);
  });

  it('when apprentices are listed with a user token, then U1 gets the filters and the total comes from meta.pagination', async () => {
    const { client, calls } = fakeClient(() => ({ status: 200, body: { data: [{ id: 'a' }], meta: { pagination: { total: 30 } } } }));
    const res = await createUsersClient(client).listApprentices({ group_id: 'g', is_active: true, page: 1, page_size: 1 }, { token: 'user-token' });
    expect(res.total).toBe(30);
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/api/v1/users', token: 'user-token', query: { group_id: 'g', role: 'aprendiz', is_active: true, page: 1, page_size: 1 } });
  });

  it('when users answers 4xx, then the port reports SERVICE_UNAVAILABLE', async () => {
    const { client } = fakeClient(() => ({ status: 403, body: { success: false } }));
    await expect(createUsersClient(client).lookup({ ids: ['x'] }, {})).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });
});
