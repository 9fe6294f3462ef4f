/**
 * GroupsPort over the schedules service (§7): G1 `numbers` (≤ 100 per call) and G3, forwarding the
 * caller's bearer token. Any failure to get an answer is 503 SERVICE_UNAVAILABLE: nothing is written.
 */
import { errors } from '@sicora/platform/errors';
import { createServiceClient, type ServiceCallError, type TypedServiceClient } from '@sicora/platform/http-client';
import type { Group, GroupsPort } from '../application/ports.ts';

interface GroupBody {
  id: string;
  number: string;
  is_active: boolean;
  max_apprentices?: number | null;
}

const toGroup = (g: GroupBody): Group => ({ id: g.id, number: String(g.number), is_active: g.is_active, max_apprentices: g.max_apprentices ?? null });

/**
 * Unreachable, timed out, a 5xx, or any other unwanted answer all mean "nothing written" here: 503 (§7).
 * The status is named only when schedules itself answered with it (a transport failure has a cause).
 */
const refused = (err: ServiceCallError) =>
  errors.unavailable(
    { service: 'schedules', ...(err.cause === undefined && err.calleeStatus ? { status: err.calleeStatus } : {}) },
    'No fue posible consultar las fichas; intente más tarde',
  );

export function createSchedulesGroups(opts: { baseUrl: string; client?: TypedServiceClient }): GroupsPort & { close(): Promise<void> } {
  const client = opts.client ?? createServiceClient({ target: 'schedules', baseUrl: opts.baseUrl, timeoutMs: 3000, retries: 1 });
  return {
    async byNumbers(numbers, token) {
      const out: Group[] = [];
      const unique = [...new Set(numbers)];
      for (let i = 0; i < unique.length; i += 100) {
        const chunk = unique.slice(i, i + 100);
        const page = await client.getData<GroupBody[]>('/api/v1/groups', { query: { numbers: chunk.join(','), page_size: 100 }, token, mapError: refused });
        out.push(...page.map(toGroup));
      }
      return out;
    },
    async byId(id, token) {
      const group = await client.findData<GroupBody>(`/api/v1/groups/${encodeURIComponent(id)}`, { token, mapError: refused });
      return group && toGroup(group);
    },
    close: () => client.close(),
  };
}
