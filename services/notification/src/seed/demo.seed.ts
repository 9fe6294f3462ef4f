/**
 * Demo data of notification.md §11, written straight into this service's tables on first start (no
 * users or schedules call: start-up order, 01-architecture §1). Historical only: nothing is sent, no job
 * is enqueued, no outbox row is written. Fixed `5eed…` ids, insert-if-absent, completion recorded in
 * seed_runs. Times are relative to T, the first start; the dashboard history uses a fixed random seed.
 * People and fichas are those of the users and schedules demos (copied here: services share no code).
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { catalogueEntry } from '../domain/catalogue.ts';
import { categoryOf, type Channel, type DeliveryStatus, type Priority } from '../domain/enums.ts';
import { backoffMs, derivedStatus, digestDue, RETRY } from '../domain/rules.ts';
import { sampleData } from '../domain/samples.ts';
import { createRenderer } from '../application/render.service.ts';
import { createTemplateEngine } from '../infrastructure/template-engine.ts';
import { createTemplatesRepo } from '../infrastructure/templates.repo.ts';
import {
  deliveries, deliveryAttempts, deviceTokens, digests, inboxItems, notifications, seedRuns, userPreferences,
  type NotificationRow, type Targets,
} from '../infrastructure/db/schema.ts';

export const DEMO_SEED = 'notification-demo';

/** `5eed00KK-0000-4000-8000-0000000000NN`; KK 60–69 are this service's (01 users, 02–08 schedules). */
export const demoId = (kk: number, nn: number) => `5eed00${kk}-0000-4000-8000-${String(nn).padStart(12, '0')}`;
export const demoUserId = (nn: number) => `5eed0001-0000-4000-8000-${String(nn).padStart(12, '0')}`;
const FICHA_2826503 = '5eed0005-0000-4000-8000-000000000001';

interface DemoPerson { nn: number; first: string; last: string; role: 'coordinador' | 'administrativo' | 'instructor' | 'aprendiz'; email: string; active: boolean }

const STAFF: Array<[number, DemoPerson['role'], string, string]> = [
  [2, 'coordinador', 'Martha Lucía Herrera Castro', 'martha.herrera'], [3, 'coordinador', 'Jorge Enrique Salazar Múnera', 'jorge.salazar'],
  [4, 'administrativo', 'Diana Marcela Pardo Ríos', 'diana.pardo'], [10, 'instructor', 'Carlos Andrés Rodríguez Peña', 'carlos.rodriguez'],
  [11, 'instructor', 'Luz Adriana Moreno Quintero', 'luz.moreno'], [12, 'instructor', 'Andrés Felipe Castaño Gil', 'andres.castano'],
  [13, 'instructor', 'Paola Andrea Vargas Useche', 'paola.vargas'], [14, 'instructor', 'Hernán Darío Ospina Lozano', 'hernan.ospina'],
  [15, 'instructor', 'Sandra Milena Beltrán Duarte', 'sandra.beltran'],
];
const APPRENTICES: Array<[number, string[]]> = [
  [21, ['Laura Valentina Gómez Ruiz', 'Juan Sebastián Martínez López', 'María José Rojas Cárdenas', 'Santiago Alejandro Torres Díaz',
    'Valentina Castro Ramírez', 'Daniel Esteban Suárez Mejía', 'Camila Andrea Ortiz Vega', 'Nicolás Ramírez Acosta',
    'Sofía Alejandra Jiménez Parra', 'David Felipe Moreno Salinas', 'Isabella Gutiérrez Cruz', 'Mateo Hernández Ávila',
    'Natalia Cristina Álvarez Rincón', 'Samuel David Peña Galindo', 'Mariana Restrepo Londoño']],
  [41, ['Kevin Alexander Muñoz Pineda', 'Luisa Fernanda Cárdenas Mora', 'Brayan Stiven Rincón Garzón', 'Yuliana Marcela Quintero Zapata',
    'Johan Sebastián Arias Bermúdez', 'Paula Andrea Sánchez Molina', 'Cristian Camilo León Cortés', 'Daniela Sofía Vargas Quiroga',
    'Julián David Medina Forero', 'Ana María Pulido Rubio', 'Andrés Camilo Guzmán Niño', 'Karen Julieth Ruiz Sierra',
    'Esteban Rojas Patiño', 'Manuela Ospina Giraldo', 'Felipe Andrés Cruz Barrera']],
];
const INACTIVE = new Set([35, 55]);
const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The users demo (users.md §11): the last two words are the surnames. */
function demoPeople(): Map<number, DemoPerson> {
  const out = new Map<number, DemoPerson>();
  const split = (full: string) => { const w = full.split(' '); return { first: w.slice(0, -2).join(' '), last: w.slice(-2).join(' ') }; };
  for (const [nn, role, full, local] of STAFF) out.set(nn, { nn, role, ...split(full), email: `${local}@demo.sicora.test`, active: true });
  for (const [start, names] of APPRENTICES) {
    names.forEach((full, i) => {
      const nn = start + i;
      const { first, last } = split(full);
      out.set(nn, { nn, role: 'aprendiz', first, last, email: `${fold(first.split(' ')[0])}.${fold(last.split(' ')[0])}${nn}@demo.sicora.test`, active: !INACTIVE.has(nn) });
    });
  }
  return out;
}

/** Requesters of the seeded notifications sent by other services (their service-client subjects). */
const SERVICE_REQUESTER: Record<string, string> = {
  evalin: demoId(66, 1), attendance: demoId(66, 2), kb: demoId(66, 3), projecteval: demoId(66, 4), schedules: demoId(66, 5), ai: demoId(66, 6),
};

/** mulberry32: a small deterministic generator, so every first start builds the same history. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
export const HISTORY_RANDOM_SEED = 0x5eed2026;

function* chunks<R>(values: R[], size = 200): Generator<R[]> {
  for (let i = 0; i < values.length; i += size) yield values.slice(i, i + size);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EMPTY_TARGETS: Targets = { user_ids: [], roles: [], group_ids: [], group_numbers: [], include_group_instructors: false, exclude_user_ids: [] };
const HISTORY_TYPES = ['schedule.changed', 'schedule.session_changed', 'attendance.absence_recorded', 'attendance.roll_missing', 'evalin.evaluation_reminder', 'projecteval.session_reminder', 'projecteval.deliverable_due_soon', 'ai.risk_alert.created'];

type NewDelivery = typeof deliveries.$inferInsert;

interface Outcome {
  status: DeliveryStatus;
  reason?: string | null;
  readAt?: Date | null;
  dead?: { code: string; message: string; provider: string; attempts: number; outcome: 'permanent_error' | 'transient_error'; httpStatus?: number; deviceResults?: Array<{ token_suffix: string; result: string }> };
}

export interface NotificationSeedOptions { now?: () => Date; timeZone?: string; appUrl?: string }

export async function seedNotificationDemo(database: Database, opts: NotificationSeedOptions = {}): Promise<void> {
  const db = database.db;
  if ((await db.select().from(seedRuns).where(eq(seedRuns.name, DEMO_SEED))).length > 0) return;
  const T = (opts.now ?? (() => new Date()))();
  const zone = opts.timeZone ?? 'America/Bogota';
  const appUrl = opts.appUrl ?? 'http://localhost:5173';
  const iso = (ms: number) => new Date(ms).toISOString();
  const instant = (ms: number) => new Date(ms);

  // Inbox items are rendered from the system templates' pinned versions, as the in_app channel would.
  const templatesRepo = createTemplatesRepo(db);
  await database.withAdvisoryLock('sicora:notification:seed-templates', () => templatesRepo.seedSystemTemplates(T));
  const types = ['manual.announcement', 'evalin.period_started', 'attendance.alert_for_student', 'attendance.alert_for_staff', 'attendance.justification_reviewed', 'kb.item.published', 'projecteval.result_published', ...HISTORY_TYPES];
  const current = await templatesRepo.currentFor(types);
  const render = createRenderer(createTemplateEngine(zone));
  const people = demoPeople();
  const P = (nn: number) => people.get(nn)!;
  const activeApprentices = [...people.values()].filter((p) => p.role === 'aprendiz' && p.active).map((p) => p.nn);
  const fichaApprentices = activeApprentices.filter((nn) => nn < 40);
  const instructors = [10, 11, 12, 13, 14, 15];

  const rows = { notifications: [] as NotificationRow[], deliveries: [] as NewDelivery[], inbox: [] as Array<typeof inboxItems.$inferInsert>, attempts: [] as Array<typeof deliveryAttempts.$inferInsert> };
  const counters = { n: 0, d: 0, i: 0, a: 0 };

  function addNotification(o: {
    type: string; at: number; requester: { id: string; role: string; source: string }; targets: Partial<Targets>; data?: Record<string, unknown>;
    title?: string; message?: string; priority?: Priority; channels?: Channel[]; entity?: [string, string]; expiresAt?: number;
  }): NotificationRow {
    const entry = catalogueEntry(o.type)!;
    const body = { type: o.type, targets: o.targets, data: o.data ?? {}, title: o.title, message: o.message, channels: o.channels, priority: o.priority };
    const n: NotificationRow = {
      id: demoId(60, ++counters.n), type: o.type, category: categoryOf(o.type), priority: o.priority ?? entry.priority, status: 'dispatching', statusReason: null,
      title: o.title ?? null, message: o.message ?? null, actionUrl: null, data: o.data ?? {}, sensitiveKeys: [], dataErasedAt: null, channels: o.channels ?? null,
      locale: 'es-CO', targets: { ...EMPTY_TARGETS, ...o.targets }, recipientCount: null, recipientOutcomes: { not_found: [], not_found_count: 0, groups_not_found: [] },
      requestedBy: o.requester.id, requestedByRole: o.requester.role, source: o.requester.source, entityType: o.entity?.[0] ?? null, entityId: o.entity?.[1] ?? null,
      idempotencyKey: null, requestHash: createHash('sha256').update(JSON.stringify(body)).digest('hex'), scheduledAt: null, expiresAt: o.expiresAt ? instant(o.expiresAt) : null,
      fanoutAttempts: 1, fanoutCursor: null, leaseUntil: null, requestId: 'seed-demo', createdAt: instant(o.at), updatedAt: instant(o.at), completedAt: null,
    };
    rows.notifications.push(n);
    return n;
  }

  function addDelivery(n: NotificationRow, nn: number, channel: Channel, outcome: Outcome): void {
    const person = P(nn);
    const at = n.createdAt.getTime();
    const doneAt = at + 2_000 + (counters.d % 40) * 1_000;
    const tpl = current.get(`${n.type}|${channel}|es-CO`);
    const recipient = { id: demoUserId(nn), first_name: person.first, last_name: person.last, full_name: `${person.first} ${person.last}`, role: person.role };
    const id = demoId(61, ++counters.d);
    const ok = outcome.status === 'sent' || outcome.status === 'delivered';
    const dead = outcome.status === 'dead' ? outcome.dead! : undefined;
    const attemptsMade = ok ? 1 : dead ? dead.attempts : 0;
    const policy = RETRY[channel];
    // A dead letter's attempts follow R29's backoff, so its dead_at lies after the last gap.
    const gaps: number[] = [];
    for (let k = 1; k < attemptsMade; k++) gaps.push(backoffMs(k, policy.baseMs, policy.capMs, () => 0.75));
    const endAt = doneAt + gaps.reduce((a, b) => a + b, 0);
    const provider = channel === 'in_app' ? 'in_app' : channel === 'email' ? 'smtp' : channel === 'push' ? 'fcm' : 'twilio';
    const row: NewDelivery = {
      id, notificationId: n.id, userId: demoUserId(nn), channel, status: outcome.status, statusReason: outcome.reason ?? null, priority: n.priority,
      destination: channel === 'email' && (ok || dead) ? person.email : null, recipient, templateVersionId: tpl?.version.id ?? null,
      provider: ok || dead ? (dead?.provider ?? provider) : null, providerMessageId: ok ? (channel === 'email' ? `<${id}@sicora>` : channel === 'in_app' ? null : `demo-${id.slice(-8)}`) : null,
      attemptCount: attemptsMade, maxAttempts: policy.maxAttempts, queuedAt: ok || dead ? instant(at) : null,
      sentAt: ok && channel !== 'in_app' ? instant(doneAt) : null, deliveredAt: ok && channel === 'in_app' ? instant(doneAt) : null,
      deadAt: dead ? instant(endAt) : null, lastErrorCode: dead?.code ?? null, lastErrorMessage: dead?.message ?? null,
      createdAt: instant(at), updatedAt: instant(outcome.status === 'pending' ? at : endAt),
    };
    if (channel === 'in_app' && ok && tpl) {
      const rendered = render({ notification: n, delivery: { channel, recipient }, version: tpl.version, mandatory: false, appUrl });
      const itemId = demoId(62, ++counters.i);
      row.inboxItemId = itemId;
      row.providerMessageId = itemId;
      rows.inbox.push({
        id: itemId, userId: demoUserId(nn), notificationId: n.id, deliveryId: id, type: n.type, category: n.category, priority: n.priority,
        title: rendered.subject ?? '', body: rendered.text, actionUrl: n.actionUrl, entityType: n.entityType, entityId: n.entityId, createdAt: instant(doneAt),
        readAt: outcome.readAt ?? null,
      });
    }
    let started = doneAt - 1_000;
    for (let k = 1; k <= attemptsMade; k++) {
      const last = k === attemptsMade;
      rows.attempts.push({
        id: demoId(63, ++counters.a), deliveryId: id, attemptNo: k, provider: row.provider, startedAt: instant(started), finishedAt: instant(started + 400), durationMs: 400,
        outcome: ok ? 'sent' : last ? dead!.outcome : 'transient_error', errorCode: ok ? null : dead!.code, errorMessage: ok ? null : dead!.message,
        httpStatus: ok ? null : (dead!.httpStatus ?? null), providerMessageId: ok ? row.providerMessageId : null, deviceResults: last && dead?.deviceResults ? dead.deviceResults : null,
      });
      started += gaps[k - 1] ?? 0;
    }
    rows.deliveries.push(row);
  }

  const sent = (channel: Channel, readAt?: Date | null): Outcome => (channel === 'in_app' ? { status: 'delivered', readAt } : { status: 'sent' });
  const person = (role: string, source: string, id: string) => ({ id, role, source });
  const service = (name: string) => ({ id: SERVICE_REQUESTER[name], role: 'service', source: name });
  const readLater = (n: NotificationRow, hours: number) => new Date(n.createdAt.getTime() + hours * HOUR);

  // 1. The induction announcement: 34 active recipients, in_app (20 read) and e-mail.
  const announced = [...activeApprentices, ...instructors].sort((a, b) => a - b);
  const n1 = addNotification({
    type: 'manual.announcement', at: T.getTime() - 5 * DAY, requester: person('coordinador', 'person', demoUserId(2)), targets: { roles: ['aprendiz', 'instructor'] },
    channels: ['in_app', 'email'], title: 'Jornada de inducción del trimestre',
    message: 'El lunes a las 7:00 a. m. nos reunimos en el auditorio de la sede para presentar el calendario del trimestre y las novedades de SICORA.',
  });
  announced.forEach((nn, i) => {
    addDelivery(n1, nn, 'in_app', sent('in_app', i < 20 ? readLater(n1, 1 + i) : null));
    addDelivery(n1, nn, 'email', sent('email'));
  });

  // 2. The active evalin period opened for ficha 2826503 (9 of 14 read); no demo apprentice has a device.
  const periodStart = new Date(T.getTime() - 7 * DAY);
  const year = periodStart.getUTCFullYear();
  const quarter = Math.floor(periodStart.getUTCMonth() / 3) + 1;
  const n2 = addNotification({
    type: 'evalin.period_started', at: T.getTime() - 7 * DAY, requester: service('evalin'), targets: { group_ids: [FICHA_2826503] },
    data: { period_name: `Evaluación de instructores ${year}-T${quarter}`, end_date: iso(T.getTime() + 14 * DAY) },
  });
  fichaApprentices.forEach((nn, i) => {
    addDelivery(n2, nn, 'in_app', sent('in_app', i < 9 ? readLater(n2, 2 + i) : null));
    addDelivery(n2, nn, 'email', sent('email'));
    addDelivery(n2, nn, 'push', { status: 'skipped', reason: 'no_destination' });
  });

  // 3. Attendance alerts of the attendance demo, to the apprentice and to the ficha's staff; all unread.
  const alerts: Array<[number, string]> = [[22, '3 inasistencias consecutivas sin justificar'], [26, 'Asistencia del 55 % en los últimos 30 días']];
  for (const [nn, title] of alerts) {
    const at = T.getTime() - DAY - (nn === 22 ? 60_000 : 0);
    const student = addNotification({
      type: 'attendance.alert_for_student', priority: 'high', at, requester: service('attendance'), targets: { user_ids: [demoUserId(nn)] },
      data: { title, alert_url: `${appUrl}/asistencia/alertas` }, entity: ['attendance_alert', `${nn}`],
    });
    addDelivery(student, nn, 'in_app', sent('in_app'));
    addDelivery(student, nn, 'email', sent('email'));
    addDelivery(student, nn, 'push', { status: 'skipped', reason: 'no_destination' });
    addDelivery(student, nn, 'sms', { status: 'skipped', reason: 'no_destination' });
    const staff = addNotification({
      type: 'attendance.alert_for_staff', priority: 'high', at: at + 1_000, requester: service('attendance'), targets: { user_ids: instructors.map(demoUserId), roles: ['coordinador'] },
      data: { title, student_name: `${P(nn).first} ${P(nn).last}`, group_number: '2826503' }, entity: ['attendance_alert', `${nn}`],
    });
    for (const s of [2, 3, ...instructors]) {
      addDelivery(staff, s, 'in_app', sent('in_app'));
      addDelivery(staff, s, 'email', sent('email'));
      // Carlos's phones are registered, but push has no provider in the embedded default.
      addDelivery(staff, s, 'push', { status: 'skipped', reason: s === 10 ? 'channel_not_configured' : 'no_destination' });
    }
  }

  // 4. Reviewed justifications 01 (approved, read) and 03 (rejected, unread) of the attendance demo.
  for (const [nn, label, just, read] of [[23, 'Aprobada', 1, true], [22, 'Rechazada', 3, false]] as const) {
    const n = addNotification({
      type: 'attendance.justification_reviewed', at: T.getTime() - 2 * DAY, requester: service('attendance'), targets: { user_ids: [demoUserId(nn)] },
      data: { decision_label: label, sessions: [{ session_date: iso(T.getTime() - 9 * DAY).slice(0, 10) }] }, entity: ['justification', `5eed0008-0000-4000-8000-${String(just).padStart(12, '0')}`],
    });
    addDelivery(n, nn, 'in_app', sent('in_app', read ? readLater(n, 3) : null));
    addDelivery(n, nn, 'email', sent('email'));
    addDelivery(n, nn, 'push', { status: 'skipped', reason: 'no_destination' });
  }

  // 5. A low-priority kb article: in_app to the 28 apprentices, e-mails digested into digests since sent.
  const n5 = addNotification({
    type: 'kb.item.published', at: T.getTime() - 4 * DAY, requester: service('kb'), targets: { roles: ['aprendiz'] },
    data: { item_title: '¿Por qué mi código QR cambia cada 15 segundos?' },
  });
  const digestRows: Array<typeof digests.$inferInsert> = [];
  activeApprentices.forEach((nn, i) => {
    addDelivery(n5, nn, 'in_app', sent('in_app'));
    const digestId = demoId(65, i + 1);
    addDelivery(n5, nn, 'email', { status: 'digested' });
    Object.assign(rows.deliveries.at(-1)!, { digestId, destination: P(nn).email });
    const frequency = nn === 21 ? 'hourly' : 'daily';
    digestRows.push({
      id: digestId, userId: demoUserId(nn), frequency, windowStart: n5.createdAt, scheduledFor: digestDue(n5.createdAt, frequency, 7, zone),
      status: 'sent', itemCount: 1, deliveryId: null, createdAt: n5.createdAt,
    });
  });

  // 6. The published result of the requirements document, to Equipo Innovadores and its advisor.
  const n6 = addNotification({
    type: 'projecteval.result_published', at: T.getTime() - 15 * DAY, requester: service('projecteval'), targets: { user_ids: [21, 22, 23, 24, 10].map(demoUserId) },
    data: { deliverable_title: 'Documento de requisitos y casos de uso', score: 82.3, band: 'B', team_name: 'Equipo Innovadores' },
  });
  for (const nn of [21, 22, 23, 24, 10]) {
    addDelivery(n6, nn, 'in_app', sent('in_app', readLater(n6, 6)));
    addDelivery(n6, nn, 'email', sent('email'));
    addDelivery(n6, nn, 'push', { status: 'skipped', reason: nn === 10 ? 'channel_not_configured' : 'no_destination' });
  }

  // Dashboard history: 320 deliveries of 40 notifications over the last 7 days, exact shares, seeded order.
  const rng = seeded(HISTORY_RANDOM_SEED);
  const slots: Array<[Channel, DeliveryStatus, string | null]> = [];
  const push = (n: number, c: Channel, s: DeliveryStatus, r: string | null = null) => { for (let k = 0; k < n; k++) slots.push([c, s, r]); };
  push(160, 'in_app', 'delivered');
  push(117, 'email', 'sent'); push(8, 'email', 'skipped', 'opted_out'); push(3, 'email', 'expired', 'expired');
  push(24, 'push', 'sent'); push(5, 'push', 'skipped', 'no_destination'); push(3, 'push', 'expired', 'expired');
  for (let k = slots.length - 1; k > 0; k--) {
    const j = Math.floor(rng() * (k + 1));
    [slots[k], slots[j]] = [slots[j], slots[k]];
  }
  const deadUsers = new Set([29, 33, 44, 52, 47, 10]);
  const pool = [...activeApprentices, ...instructors].filter((nn) => !deadUsers.has(nn));
  const historyStart = T.getTime() - 7 * DAY;
  const step = (7 * DAY - HOUR) / 40;
  const history: NotificationRow[] = [];
  for (let k = 0; k < 40; k++) {
    const type = HISTORY_TYPES[k % HISTORY_TYPES.length];
    const at = Math.round(historyStart + (k + 0.05 + rng() * 0.9) * step);
    const mine = slots.slice(k * 8, k * 8 + 8);
    const offset = Math.floor(rng() * pool.length);
    const recipients = Array.from({ length: 8 }, (_, j) => pool[(offset + j) % pool.length]);
    const n = addNotification({
      type, at, requester: service(type.startsWith('schedule.') ? 'schedules' : type.split('.')[0]), targets: { user_ids: recipients.map(demoUserId) }, data: sampleData(type),
      expiresAt: mine.some(([, s]) => s === 'expired') ? at + 2 * HOUR : undefined,
    });
    history.push(n);
    const used: Record<string, number> = {};
    for (const [channel, status, reason] of mine) {
      const nn = recipients[(used[channel] = (used[channel] ?? -1) + 1)];
      const readAt = channel === 'in_app' && rng() < 0.6 ? new Date(Math.min(T.getTime() - 60_000, at + Math.round(rng() * 36 * HOUR))) : null;
      addDelivery(n, nn, channel, status === 'delivered' || status === 'sent' ? sent(channel, readAt) : { status, reason });
    }
  }

  // Exactly six dead letters, on history notifications (which thereby end partially_failed).
  const bounced = { code: 'SMTP_550', message: '550 5.1.1 Buzón no disponible', provider: 'smtp', attempts: 1, outcome: 'permanent_error' as const, httpStatus: 550 };
  [29, 33, 44, 52].forEach((nn, i) => addDelivery(history[5 + i * 8], nn, 'email', { status: 'dead', reason: 'permanent_provider_error', dead: bounced }));
  addDelivery(history[2], 47, 'email', {
    status: 'dead', reason: 'max_attempts_exhausted',
    dead: { code: 'ECONNREFUSED', message: 'Error de conexión SMTP (ECONNREFUSED): conexión rechazada', provider: 'smtp', attempts: RETRY.email.maxAttempts, outcome: 'transient_error' },
  });
  const oldToken = 'demo-fcm-carlos-android-0000';
  addDelivery(history[30], 10, 'push', {
    status: 'dead', reason: 'permanent_provider_error',
    dead: { code: 'UNREGISTERED', message: 'FCM: el token del dispositivo ya no está registrado', provider: 'fcm', attempts: 1, outcome: 'permanent_error', httpStatus: 404, deviceResults: [{ token_suffix: oldToken.slice(-8), result: 'UNREGISTERED' }] },
  });
  const carlosDead = rows.deliveries.at(-1)!;

  // Every notification's end state follows R32 from its deliveries.
  for (const n of rows.notifications) {
    const mine = rows.deliveries.filter((d) => d.notificationId === n.id);
    const counts: Partial<Record<DeliveryStatus, number>> = {};
    for (const d of mine) counts[d.status as DeliveryStatus] = (counts[d.status as DeliveryStatus] ?? 0) + 1;
    n.status = derivedStatus(counts) ?? 'dispatching';
    n.recipientCount = new Set(mine.map((d) => d.userId)).size;
    const last = Math.max(...mine.map((d) => d.updatedAt!.getTime()));
    n.completedAt = instant(last);
    n.updatedAt = instant(last);
    // A history notification named its recipients, the dead letters' included.
    if (history.includes(n)) n.targets = { ...n.targets, user_ids: [...new Set(mine.map((d) => d.userId))] };
  }

  const at = T;
  const deadAt = carlosDead.deadAt!;
  await db.transaction(async (tx) => {
    await tx.insert(userPreferences).values([
      { userId: demoUserId(21), digest: 'hourly', updatedAt: at },
      { userId: demoUserId(10), quietStart: '22:00', quietEnd: '05:30', categoryOverrides: { kb: { email: false } }, updatedAt: at },
      { userId: demoUserId(2), smsEnabled: false, updatedAt: at },
    ]).onConflictDoNothing();
    await tx.insert(deviceTokens).values([
      { id: demoId(64, 1), userId: demoUserId(10), token: 'demo-fcm-carlos-android-0001', platform: 'android', appVersion: 'demo', deviceName: 'Moto G52', createdAt: instant(T.getTime() - 20 * DAY), lastSeenAt: at },
      { id: demoId(64, 2), userId: demoUserId(10), token: 'demo-fcm-carlos-web-0001', platform: 'web', appVersion: 'demo', deviceName: 'Chrome en portátil', createdAt: instant(T.getTime() - 10 * DAY), lastSeenAt: at },
      { id: demoId(64, 3), userId: demoUserId(10), token: oldToken, platform: 'android', appVersion: 'demo', deviceName: 'Moto G7', createdAt: instant(T.getTime() - 200 * DAY), lastSeenAt: deadAt, disabledAt: deadAt, disabledReason: 'unregistered' },
    ]).onConflictDoNothing();
    // Multi-row inserts in chunks, well below the 65 535 parameters of one statement.
    for (const part of chunks(rows.notifications)) await tx.insert(notifications).values(part).onConflictDoNothing();
    await tx.insert(digests).values(digestRows).onConflictDoNothing();
    for (const part of chunks(rows.deliveries)) await tx.insert(deliveries).values(part).onConflictDoNothing();
    for (const part of chunks(rows.inbox)) await tx.insert(inboxItems).values(part).onConflictDoNothing();
    for (const part of chunks(rows.attempts)) await tx.insert(deliveryAttempts).values(part).onConflictDoNothing();
    await tx.insert(seedRuns).values({ name: DEMO_SEED, completedAt: T }).onConflictDoNothing();
  });
}
