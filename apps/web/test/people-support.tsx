import { createMemoryHistory } from '@tanstack/react-router';
import { render } from '@testing-library/react';
import { createSicoraClient } from '@sicora/client';
import { vi } from 'vitest';
import { App, createQueryClient } from '../src/app/app.tsx';
import { authedFetch } from '../src/lib/api.ts';
import { createSession } from '../src/lib/session.ts';
import { failure, fakeJwt, memoryStorage } from './helpers.tsx';

export const BASE = 'http://sicora.test';

export const listPage = (items: unknown[], total = items.length) =>
  new Response(JSON.stringify({ success: true, data: items, meta: { pagination: { page: 1, page_size: 20, total, total_pages: Math.max(1, Math.ceil(total / 20)) } } }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

let seq = 0;
export function person(fields: Record<string, unknown> = {}) {
  seq += 1;
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    first_name: 'Laura Valentina', last_name: 'Gómez Ruiz', full_name: 'Laura Valentina Gómez Ruiz', email: `laura${seq}@demo.sicora.test`,
    document_type: 'CC', document_number: `10234560${seq}`, phone: null, role: 'aprendiz', group_id: 'g1', group_number: '2826503', area: null,
    avatar_url: null, is_active: true, must_change_password: true, locked_until: null, last_login_at: null, password_changed_at: null,
    created_at: '2026-12-01T15:00:00.000Z', updated_at: '2026-12-01T15:00:00.000Z', ...fields,
  };
}

export type Call = { method: string; path: string; query: URLSearchParams; body: unknown; authorization: string | null };

/** The whole app at `path`, signed in with `role`, answering through `route` (404 for anything else). */
export function renderApp(path: string, role: string, route: (req: Request, call: Call) => Response | Promise<Response> | undefined, sub = 'yo') {
  const calls: Call[] = [];
  const server = vi.fn(async (req: Request) => {
    const url = new URL(req.url);
    const type = req.headers.get('content-type') ?? '';
    const body = req.method === 'GET' ? undefined : type.includes('json') ? await req.clone().json().catch(() => undefined) : await req.clone().formData().catch(() => undefined);
    const call = { method: req.method, path: url.pathname, query: url.searchParams, body, authorization: req.headers.get('authorization') };
    calls.push(call);
    return (await route(req, call)) ?? failure(404, 'NOT_FOUND', 'Recurso no encontrado');
  });
  const session = createSession({ storage: memoryStorage(), refresh: vi.fn() });
  session.establish({ access_token: fakeJwt({ sub, role, name: 'Martha Lucía Herrera Castro', exp: Math.floor(Date.now() / 1000) + 3600 }), refresh_token: 'r' });
  const fetcher = authedFetch(session, server as never);
  const api = createSicoraClient({ baseUrl: BASE, fetch: fetcher });
  render(<App services={{ session, api, baseUrl: BASE, authedFetch: fetcher }} queryClient={createQueryClient()} history={createMemoryHistory({ initialEntries: [path] })} />);
  return { calls };
}
