/**
 * I3 (R51): the caller's live inbox over Server-Sent Events. `unread` whenever the count changes
 * (checked every 5 s with one grouped query for every stream of this process, and at once on inbox
 * writes in this process), `item` for each new item, `: ping` every 15 s, at most 3 streams per user.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { currentUser, requireAuth } from '@sicora/platform/auth';
import { errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { PEOPLE } from '@sicora/platform/roles';
import type { InboxService } from '../application/inbox.service.ts';
import { StreamSchema } from './inbox.schemas.ts';

interface Stream { userId: string; res: ServerResponse; unread: number | null; since: string }
const MAX_PER_USER = 3;

export interface InboxStreamRoutesOptions {
  inbox: Pick<InboxService, 'since' | 'unread'>;
  /** Inbox writes of this process (the in-app channel) call every listener with the user's id. */
  listeners: Set<(userId: string) => void>;
  now: () => Date;
}

export const inboxStreamRoutes: FastifyPluginAsyncTypebox<InboxStreamRoutesOptions> = async (app, d) => {
  const streams = new Set<Stream>();
  const send = (s: Stream, event: string | null, data: unknown) => {
    s.res.write(event ? `event: ${event}\ndata: ${JSON.stringify(data)}\n\n` : `: ${String(data)}\n\n`);
  };

  async function check(only?: string): Promise<void> {
    const targets = [...streams].filter((s) => !only || s.userId === only);
    for (const userId of new Set(targets.map((s) => s.userId))) {
      const mine = targets.filter((s) => s.userId === userId);
      const since = mine.map((s) => s.since).sort()[0];
      const fresh = await d.inbox.since(userId, since);
      const { unread } = await d.inbox.unread(userId);
      for (const s of mine) {
        for (const item of fresh.filter((i) => i.created_at > s.since)) send(s, 'item', item);
        if (fresh.length > 0) s.since = fresh.at(-1)!.created_at;
        if (s.unread !== unread) {
          s.unread = unread;
          send(s, 'unread', { unread });
        }
      }
    }
  }

  const listener = (userId: string) => { check(userId).catch(() => undefined); };
  d.listeners.add(listener);
  const poll = setInterval(() => { check().catch(() => undefined); }, 5000);
  const ping = setInterval(() => streams.forEach((s) => send(s, null, 'ping')), 15_000);
  app.addHook('onClose', async () => {
    clearInterval(poll);
    clearInterval(ping);
    d.listeners.delete(listener);
    for (const s of streams) s.res.end();
    streams.clear();
  });

  app.get('/api/v1/notifications/inbox/stream', {
    preHandler: requireAuth({ roles: PEOPLE }),
    schema: {
      summary: 'Bandeja en vivo (I3)', description: 'Eventos `unread` e `item` (text/event-stream); latido cada 15 s; máximo 3 conexiones por usuario.', tags: ['inbox'], security: [{ bearer: [] }],
      response: { 200: StreamSchema, ...errorResponses(401, 403, 429) },
    },
  }, async (request, reply) => {
    const userId = currentUser(request).sub;
    if ([...streams].filter((s) => s.userId === userId).length >= MAX_PER_USER) throw errors.rateLimited(15, { max_streams: MAX_PER_USER });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': request.id });
    const stream: Stream = { userId, res, unread: null, since: d.now().toISOString() };
    streams.add(stream);
    request.raw.on('close', () => streams.delete(stream));
    await check(userId);
  });
};
