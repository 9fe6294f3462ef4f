/**
 * schedules' notification events against notification's own templates: every event a schedules change
 * writes to its outbox renders, on every channel of its type, with the seeded template and the real
 * renderer (nunjucks with throwOnUndefined, as the dispatcher runs it). A variable the template reads
 * but the producer does not send is the delivery's RENDER_ERROR ("delivery dead"); the per-instructor
 * `schedule.published` of a CSV import carried no `group_number` and died so, on both channels.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, multipart, setupBasics, type Harness } from '../../services/schedules/test/harness.ts';
import { createRenderer } from '../../services/notification/src/application/render.service.ts';
import { catalogueEntry } from '../../services/notification/src/domain/catalogue.ts';
import { defaultTemplates } from '../../services/notification/src/domain/templates.defaults.ts';
import { createTemplateEngine } from '../../services/notification/src/infrastructure/template-engine.ts';

let h: Harness;
let b: Awaited<ReturnType<typeof setupBasics>>;
const render = createRenderer(createTemplateEngine('America/Bogota'));
const templates = defaultTemplates();

beforeAll(async () => {
  h = await createHarness();
  b = await setupBasics(h);
  for (const d of ['1019023456', '52345678']) h.users.add({ role: 'instructor', document_number: d });
});
afterAll(async () => h.close());

interface OutboxBody {
  type: string;
  priority?: string;
  data?: Record<string, unknown>;
  title?: string;
  message?: string;
  action_url?: string;
}

/** Renders one outbox request on every channel of its type; resolves the failures as `type/channel: error`. */
function renderFailures(body: OutboxBody): string[] {
  const entry = catalogueEntry(body.type);
  if (!entry) return [`${body.type}: not in the catalogue`];
  const notification = {
    id: randomUUID(), type: body.type, priority: body.priority ?? entry.priority, data: body.data ?? {},
    title: body.title ?? null, message: body.message ?? null, actionUrl: body.action_url ?? null, createdAt: new Date(),
  } as unknown as Parameters<typeof render>[0]['notification'];
  const failures: string[] = [];
  for (const t of templates.filter((x) => x.type === body.type)) {
    try {
      render({ notification, delivery: { channel: t.channel, recipient: { first_name: 'Ana', full_name: 'Ana Pérez' } } as never, version: t, mandatory: entry.mandatory, appUrl: 'https://sicora.test' });
    } catch (err) {
      failures.push(`${body.type}/${t.channel}: ${String((err as Error).message).split('\n').pop()!.trim()}`);
    }
  }
  return failures;
}

const outbox = async (type: string) => (await h.db.query<{ body: OutboxBody }>(`SELECT body FROM schedules.outbox WHERE body->>'type' = $1`, [type])).map((r) => r.body);

describe('schedules events render with the notification templates', () => {
  it('when a trimester is imported by CSV, then every schedule.published (per ficha and per instructor) renders on every channel', async () => {
    const csv = [
      'group_number,instructor_document,venue_code,subject,day_of_week,start_time,end_time,blocks,start_date,end_date,notes',
      `${b.groupA.number},1019023456,205,Backend,1,06:00,08:00,,2026-04-06,2026-06-28,`,
      `${b.groupB.number},1019023456,412,Bases,2,06:00,08:00,,2026-04-06,2026-06-28,`,
      `${b.groupB.number},52345678,412,Inglés,3,06:00,08:00,,2026-04-06,2026-06-28,`,
    ].join('\r\n');
    const m = multipart(csv);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/schedules/import', headers: { ...(await h.as('coordinador')), ...m.headers }, payload: m.payload });
    expect(res.statusCode, res.body).toBe(201);
    const events = await outbox('schedule.published');
    // 2 fichas + 2 instructors (R28).
    expect(events).toHaveLength(4);
    expect(events.flatMap(renderFailures)).toEqual([]);
  });
});
