/**
 * The kb port over the platform's typed client, always with the CALLER's bearer token (O3: kb's audience
 * rules apply to what the assistant reads; nothing is cached or shared between users). R5: 8 s timeout, one
 * retry on connect errors and 5xx (the client's GET retries), a breaker per kb. Anything R9 lists becomes
 * KbUnavailableError; suggestions and FAQ titles swallow failures (R11, R21).
 */
import { withTypedCalls, type ServiceClient } from '@sicora/platform/http-client';
import type { Passage } from '../domain/answers.ts';
import { KbUnavailableError, type KbPort } from '../application/ports.ts';

export function createKbClient(client: Pick<ServiceClient, 'target' | 'request'>): KbPort {
  const kb = withTypedCalls(client);
  return {
    async searchPassages(as, q) {
      try {
        const env = await kb.call<Passage[]>('GET', '/api/v1/kb/search/passages', {
          token: as.token,
          requestId: as.requestId,
          timeoutMs: 8000,
          query: { q: q.q, limit: 8, max_per_item: 2, ...(q.category ? { category: q.category } : {}) },
        });
        const meta = (env as { meta?: { search?: { mode_used?: string } } }).meta;
        return { passages: Array.isArray(env.data) ? env.data : [], mode_used: meta?.search?.mode_used ?? null };
      } catch (err) {
        // A refusal of the query itself (422: a category kb does not know) is "nothing found", not an outage.
        const e = err as { calleeStatus?: number; reason?: string };
        if (e.calleeStatus === 422 || e.calleeStatus === 404) return { passages: [], mode_used: null };
        throw new KbUnavailableError(e.reason ?? 'error');
      }
    },
    async suggest(as, q) {
      try {
        const data = await kb.getData<{ items?: Array<{ title: string }> }>('/api/v1/kb/suggest', { token: as.token, requestId: as.requestId, timeoutMs: 3000, query: { q } });
        return (data.items ?? []).map((i) => i.title).slice(0, 3);
      } catch {
        return [];
      }
    },
    async faqTitles(as, category) {
      try {
        const data = await kb.getData<Array<{ title: string }>>('/api/v1/kb/items', {
          token: as.token,
          requestId: as.requestId,
          timeoutMs: 3000,
          query: { kind: 'faq', sort: '-popularity', page_size: 3, ...(category ? { category } : {}) },
        });
        return data.map((i) => i.title).slice(0, 3);
      } catch {
        return [];
      }
    },
    async probe() {
      const res = await client.request<{ checks?: { search_mode?: string } }>({ method: 'GET', path: '/health/ready', timeoutMs: 5000 });
      return { ok: res.status === 200, search_mode: res.body?.checks?.search_mode ?? null };
    },
  };
}
