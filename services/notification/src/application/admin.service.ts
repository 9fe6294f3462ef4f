/**
 * Admin use cases A1–A5, A8 (R52–R54): dead letters, redrive of one, many or a filter, deliveries
 * with attempts and the queue's depth.
 */
import { AppError } from '@sicora/platform/errors';
import { notificationErrors as E } from '../domain/notification.errors.ts';
import { maskDestination } from '../domain/rules.ts';
import type { Channel } from '../domain/enums.ts';
import type { AdminRepo, DeadFilter, DeliveryFilter } from '../infrastructure/admin.repo.ts';
import type { DeliveriesRepo } from '../infrastructure/deliveries.repo.ts';
import type { TemplatesRepo } from '../infrastructure/templates.repo.ts';
import type { WorkersRepo } from '../infrastructure/workers.repo.ts';
import type { JobQueue, UsersPort } from './ports.ts';
import { deliveryView } from './status.service.ts';
import type { SendService } from './send.service.ts';
import type { AuthUser } from '@sicora/platform/auth';

export interface CircuitView { state: string; opened_at: string | null }
export interface ProviderInfo { name: string; channel: string; configured: boolean; order: number; circuit: () => CircuitView }

const RANK: Record<string, number> = { closed: 0, half_open: 1, open: 2 };

/** A9: the most open state among the reports; among equals, the earliest `opened_at` (open the longest). */
export function mostOpen(reports: CircuitView[]): CircuitView {
  let best: CircuitView = { state: 'closed', opened_at: null };
  for (const r of reports) {
    const diff = (RANK[r.state] ?? 0) - (RANK[best.state] ?? 0);
    if (diff > 0 || (diff === 0 && r.state !== 'closed' && r.opened_at && (!best.opened_at || r.opened_at < best.opened_at))) best = { state: r.state, opened_at: r.opened_at };
  }
  return best.state === 'closed' ? { state: 'closed', opened_at: null } : best;
}

export interface AdminDeps {
  providers: ProviderInfo[];
  send: SendService;
  admin: AdminRepo;
  workers: Pick<WorkersRepo, 'liveBreakers' | 'seenSince'>;
  deliveries: DeliveriesRepo;
  templates: TemplatesRepo;
  users: UsersPort;
  queue: () => JobQueue | undefined;
  now: () => Date;
}

const iso = (v: string | Date | null) => (v ? new Date(v).toISOString() : null);

export function createAdminService(d: AdminDeps) {
  async function redriveOne(id: string, kind?: string): Promise<{ id: string; kind: 'delivery' | 'fanout'; status: string }> {
    const at = d.now();
    if (kind !== 'fanout') {
      const row = await d.deliveries.findById(id);
      if (row) {
        if (row.status !== 'dead') throw E.deliveryNotDead();
        const [n] = await d.admin.notificationsOf([row.notificationId]);
        // Contact data and template follow the current situation (R53); users is called before any write.
        const { found } = await d.users.lookup([row.userId]);
        const p = found[0];
        const destination = row.channel === 'email' ? (p?.email ?? null) : row.channel === 'sms' ? (p?.phone ?? null) : null;
        const tpls = await d.templates.currentFor([n.type, 'system.generic']);
        const tpl = tpls.get(`${n.type}|${row.channel}|es-CO`) ?? tpls.get(`system.generic|${row.channel}|es-CO`);
        if (!(await d.admin.redriveDelivery(id, { destination: destination ?? row.destination, templateVersionId: tpl?.version.id ?? row.templateVersionId }, at))) throw E.deliveryNotDead();
        await d.deliveries.recompute(row.notificationId, d.now());
        await d.queue()?.enqueue('notification-deliver', `deliver-${id}-1-r${row.redriveCount + 1}`, { delivery_id: id }).catch(() => undefined);
        return { id, kind: 'delivery', status: 'queued' };
      }
    }
    const [n] = await d.admin.notificationsOf([id]);
    if (!n) throw E.deliveryNotFound();
    if (!(await d.admin.redriveFanout(id, at))) throw E.deliveryNotDead();
    await d.queue()?.enqueue('notification-fanout', `fanout-${id}-0-r${Date.now()}`, { notification_id: id }).catch(() => undefined);
    return { id, kind: 'fanout', status: 'accepted' };
  }

  return {
    async deadLetters(f: DeadFilter, page: { offset: number; limit: number }) {
      const { rows, total } = await d.admin.deadLetters(f, page);
      return {
        items: rows.map((r) => ({ ...r, destination: r.channel ? maskDestination(r.channel as Channel, r.destination) : null, dead_at: iso(r.dead_at)! })),
        total,
      };
    },
    redrive: (id: string) => redriveOne(id),
    /** R54: by ids or by A1 filters, batches of 500, refusing more than 10 000 matches. */
    async redriveMany(input: { ids?: string[] } & DeadFilter): Promise<{ redriven: number }> {
      const targets = input.ids ? input.ids.map((id) => ({ id, kind: undefined as string | undefined })) : await d.admin.deadIds(input, 10_001);
      if (targets.length > 10_000) throw new AppError('REDRIVE_TOO_MANY', 'invalid', 'Demasiados elementos para reintentar de una vez (máximo 10 000)', { max: 10_000 });
      let redriven = 0;
      for (let i = 0; i < targets.length; i += 500) {
        for (const t of targets.slice(i, i + 500)) {
          try {
            await redriveOne(t.id, t.kind);
            redriven++;
          } catch (err) {
            // Entries that are no longer dead (or unknown ids) are skipped, not fatal to the batch.
            if (!(err instanceof AppError) || !['not_found', 'conflict'].includes(err.kind)) throw err;
          }
        }
      }
      return { redriven };
    },
    async deliveries(f: DeliveryFilter, page: { offset: number; limit: number }) {
      const { rows, total } = await d.admin.deliveryList(f, page);
      return { items: rows.map(deliveryView), total };
    },
    async delivery(id: string) {
      const row = await d.deliveries.findById(id);
      if (!row) throw E.deliveryNotFound();
      const attempts = await d.deliveries.attemptsOf(id);
      return {
        ...deliveryView(row), notification_id: row.notificationId, destination: row.destination, redrive_count: row.redriveCount, dead_at: iso(row.deadAt),
        attempts: attempts.map((a) => ({
          attempt_no: a.attemptNo, provider: a.provider, started_at: iso(a.startedAt)!, finished_at: iso(a.finishedAt), duration_ms: a.durationMs, outcome: a.outcome,
          error_code: a.errorCode, error_message: a.errorMessage, http_status: a.httpStatus, provider_message_id: a.providerMessageId, failover_from: a.failoverFrom, warnings: a.warnings,
        })),
      };
    },
    async providers() {
      const stats = await d.admin.providerStats(new Date(d.now().getTime() - 86_400_000).toISOString());
      // Breakers live per worker process (R40): this process's own plus those of workers seen in the last 60 s (as A8).
      const live = await d.workers.liveBreakers(new Date(d.now().getTime() - 60_000));
      return d.providers.map((p) => {
        const st = stats.find((x) => x.provider === p.name);
        const circuit = mostOpen([p.circuit(), ...live.flatMap((b) => (b[p.name] ? [b[p.name]] : []))]);
        return {
          name: p.name, channel: p.channel, configured: p.configured, order: p.order, circuit: circuit.state, circuit_opened_at: iso(circuit.opened_at),
          last_error_code: st?.last_error_code ?? null, last_error_at: iso(st?.last_error_at ?? null), sent_24h: st?.sent ?? 0, failed_24h: st?.failed ?? 0,
        };
      });
    },
    /** A10: a `system.test` to the caller on one channel, optionally to another address or phone. */
    async testSend(user: AuthUser, input: { channel: string; to?: string; message?: string }, requestId: string) {
      if (!d.providers.some((p) => p.channel === input.channel && p.configured)) {
        throw new AppError('CHANNEL_NOT_CONFIGURED', 'invalid', 'El canal no tiene proveedores configurados', { channel: input.channel });
      }
      const out = await d.send.send({
        type: 'system.test', target_users: [user.sub], channels: [input.channel as never], priority: 'critical',
        data: { ...(input.message ? { message: input.message } : {}), ...(input.to ? { destination_override: input.to } : {}) },
      }, { ...user, role: 'service', name: 'person' }, { requestId });
      return { notification_id: out.notification.id };
    },
    async queue() {
      const q = d.queue();
      return {
        backend: q?.backend ?? 'pg-boss',
        queues: q ? await q.depth() : [],
        workers_seen: await d.workers.seenSince(new Date(d.now().getTime() - 60_000)),
      };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
