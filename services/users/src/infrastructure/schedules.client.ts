/**
 * GroupsPort over the schedules service (§7): G1 `numbers` (≤ 100 per call) and G3, forwarding the
 * caller's bearer token. Any failure to get an answer is 503 SERVICE_UNAVAILABLE: nothing is written.
 */
import { errors, isAppError } from '@sicora/platform/errors';
import { createServiceClient, type ServiceClient } from '@sicora/platform/http-client';
import type { Group, GroupsPort } from '../application/ports.ts';

interface GroupBody {
  id: string;
  number: string;
  is_active: boolean;
  max_apprentices?: number | null;
}

const toGroup = (g: GroupBody): Group => ({ id: g.id, number: String(g.number), is_active: g.is_active, max_apprentices: g.max_apprentices ?? null });

export function createSchedulesGroups(opts: { baseUrl: string; client?: ServiceClient }): GroupsPort & { close(): Promise<void> } {
  const client = opts.client ?? createServiceClient({ target: 'schedules', baseUrl: opts.baseUrl, timeoutMs: 3000, retries: 1 });
  const refused = (status: number | null) =>
    errors.unavailable({ service: 'schedules', ...(status ? { status } : {}) }, 'No fue posible consultar las fichas; intente más tarde');
  // Unreachable, timed out or a 5xx (the client's 503/504/502) all mean "nothing written" here: 503 (§7).
  async function call<T>(req: Parameters<ServiceClient['request']>[0]) {
    try {
      return await client.request<T>(req);
    } catch (err) {
      if (isAppError(err)) throw refused(null);
      throw err;
    }
  }
  return {
    async byNumbers(numbers, token) {
      const out: Group[] = [];
      const unique = [...new Set(numbers)];
      for (let i = 0; i < unique.length; i += 100) {
        const chunk = unique.slice(i, i + 100);
        const res = await call<{ data: GroupBody[] }>({
          method: 'GET', path: '/api/v1/groups', query: { numbers: chunk.join(','), page_size: 100 }, token,
        });
        if (res.status !== 200) throw refused(res.status);
        out.push(...res.body.data.map(toGroup));
      }
      return out;
    },
    async byId(id, token) {
      const res = await call<{ data: GroupBody }>({ method: 'GET', path: `/api/v1/groups/${encodeURIComponent(id)}`, token });
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw refused(res.status);
      return toGroup(res.body.data);
    },
    close: () => client.close(),
  };
}
