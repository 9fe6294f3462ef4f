import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const url = (id: string) => `/api/v1/kb/items/${id}/feedback`;

describe('US-KB-10 feedback and rating', () => {
  it('when I vote for the first time, then 201 and helpful_count + 1; a new vote replaces it with 200 and moves the counters', async () => {
    const item = await h.item();
    const first = await h.inject('PUT', url(item.id), h.aprendiz, { helpful: true, rating: 5 });
    expect(first.statusCode).toBe(201);
    expect(first.json().data.item_counters).toEqual({ helpful_count: 1, not_helpful_count: 0, rating_avg: 5, rating_count: 1 });
    const second = await h.inject('PUT', url(item.id), h.aprendiz, { helpful: false, rating: 2, comment: '  Falta un ejemplo  ' });
    expect(second.statusCode).toBe(200);
    expect(second.json().data).toMatchObject({ helpful: false, rating: 2, comment: 'Falta un ejemplo', item_counters: { helpful_count: 0, not_helpful_count: 1, rating_avg: 2, rating_count: 1 } });
    const other = await h.inject('PUT', url(item.id), h.instructor, { helpful: true, rating: 4 });
    expect(other.json().data.item_counters).toEqual({ helpful_count: 1, not_helpful_count: 1, rating_avg: 3, rating_count: 2 });
    const detail = await h.inject('GET', `/api/v1/kb/items/${item.id}`, h.aprendiz);
    expect(detail.json().data.my_feedback).toEqual({ helpful: false, rating: 2, comment: 'Falta un ejemplo' });
    expect(detail.json().data.popularity).toBeGreaterThan(0);
    const list = await h.inject('GET', `${url(item.id)}?has_comment=true`, h.coordinador);
    expect(list.json().data).toEqual([{ helpful: false, rating: 2, comment: 'Falta un ejemplo', role: 'aprendiz', created_at: expect.any(String) }]);
    expect(JSON.stringify(list.json().data)).not.toContain(h.aprendiz.id);
    expect((await h.inject('GET', url(item.id), h.instructor)).statusCode).toBe(403);
    expect((await h.inject('DELETE', url(item.id), h.aprendiz)).statusCode).toBe(204);
    const after = await h.inject('GET', `/api/v1/kb/items/${item.id}`, h.admin);
    expect(after.json().data).toMatchObject({ helpful_count: 1, not_helpful_count: 0, rating_avg: 4, rating_count: 1 });
    const none = await h.inject('DELETE', url(item.id), h.aprendiz);
    expect(none.json().error.code).toBe('FEEDBACK_NOT_FOUND');
  });

  it('when I vote on an unpublished item, then 404; outside my audience, 403; the service cannot vote; a bad rating is 422', async () => {
    const draft = await h.item({ status: 'draft' });
    expect((await h.inject('PUT', url(draft.id), h.aprendiz, { helpful: true })).statusCode).toBe(404);
    expect((await h.inject('PUT', url(draft.id), h.admin, { helpful: true })).statusCode).toBe(404);
    const staff = await h.item({ audience: ['coordinador'] });
    expect((await h.inject('PUT', url(staff.id), h.aprendiz, { helpful: true })).json().error.code).toBe('AUDIENCE_NOT_ALLOWED');
    expect((await h.inject('PUT', url(staff.id), h.service, { helpful: true })).statusCode).toBe(403);
    expect((await h.inject('PUT', url(staff.id), h.coordinador, { helpful: true, rating: 6 })).statusCode).toBe(422);
    expect((await h.inject('PUT', url(staff.id), h.coordinador, { helpful: 'true' })).statusCode).toBe(422);
  });
});
