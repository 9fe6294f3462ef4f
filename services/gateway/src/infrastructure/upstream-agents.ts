/**
 * One undici Agent per upstream (gateway.md R27): keep-alive, at most 128 connections, connect timeout 2 s.
 */
import { Agent } from 'undici';
import type { UpstreamName } from '@sicora/platform/services';

export type UpstreamAgents = Map<UpstreamName, Agent>;

export function createUpstreamAgents(names: readonly UpstreamName[]): UpstreamAgents {
  return new Map(names.map((name) => [name, new Agent({ connections: 128, connect: { timeout: 2_000 }, keepAliveTimeout: 4_000 })]));
}

export async function closeUpstreamAgents(agents: UpstreamAgents): Promise<void> {
  // destroy, not close: a stopping gateway must not wait on a hanging upstream.
  await Promise.all([...agents.values()].map((agent) => agent.destroy()));
}

/** Splits a `<SERVICE>_URL` into undici's origin and a base path (empty unless the URL has one). */
export function upstreamTarget(baseUrl: string): { origin: string; basePath: string } {
  const url = new URL(baseUrl);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}
