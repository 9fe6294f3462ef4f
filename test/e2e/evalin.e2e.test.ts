import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, gatewayClient } from './attendance.support.ts';
import { portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

// Issue #13: one evaluation period end to end through the gateway of a real `sicora start` (embedded back
// ends, schedules and users real): the admin builds a questionnaire and opens a period for a new ficha;
// one apprentice evaluates both instructors of the ficha (E30 → E32), two more evaluate the first; the
// admin closes and publishes; the first instructor reads their results (E41, E42) and learns nothing of
// who answered; the second, with one response, gets results withheld; results_published reaches the
// instructor's inbox through the outbox.

const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'E2e#Evalin-2026x', next: 'Pasarela#Evalin-2027' };
const PEOPLE_PASSWORD = 'Evalin#Sede-2027q';

let gateway = '';
const api = gatewayClient(() => gateway);
let dataDir: string | undefined;
let child: Child | undefined;

interface Person { id: string; token: string }
const world = { groupId: '', admin: '', instructors: [] as Person[], apprentices: [] as Person[] };

const localToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Bogota' }).format(new Date());

describe('evalin journey', () => {
  beforeAll(async () => {
    const { env, urls } = await portEnv();
    gateway = urls.gateway;
    dataDir = tempDataDir();
    child = runSicora(['start'], { ...env, SICORA_DATA_DIR: dataDir, SICORA_ADMIN_EMAIL: ADMIN.email, SICORA_ADMIN_PASSWORD: ADMIN.password, DATABASE_URL: '', REDIS_URL: '' });
    await waitFor(`${gateway}/health`, child, { timeoutMs: 90_000 });

    const admin = await api.signIn(ADMIN.email, ADMIN.password, ADMIN.next);
    world.admin = admin;
    const as = { token: admin };
    const today = localToday();
    const tag = String(Date.now()).slice(-6);
    const campus = await api.must<{ id: string }>(201, 'POST', '/api/v1/campuses', { ...as, json: { code: `EV${tag}`, name: `Sede evalin ${tag}` } });
    const venue = await api.must<{ id: string }>(201, 'POST', '/api/v1/venues', { ...as, json: { campus_id: campus.id, code: `E${tag}`, name: `Aula ${tag}`, type: 'AULA', capacity: 30 } });
    const program = await api.must<{ id: string }>(201, 'POST', '/api/v1/programs', { ...as, json: { code: `V${tag}`, name: 'Programa evalin', level: 'TECNICO', duration_months: 12 } });
    const fichaNumber = `8${tag}`;
    const group = await api.must<{ id: string }>(201, 'POST', '/api/v1/groups', { ...as, json: { number: fichaNumber, program_id: program.id, campus_id: campus.id, shift: 'MANANA', start_date: addDays(today, -30), end_date: addDays(today, 180) } });
    world.groupId = group.id;

    const docs = { i1: `72${tag}`, i2: `73${tag}`, a1: `11${tag}1`, a2: `11${tag}2`, a3: `11${tag}3` };
    const csv = [
      'first_name,last_name,email,document_type,document_number,role,group_number',
      `Irene,Primera Docente,irene.${tag}@e2e.sicora.test,CC,${docs.i1},instructor,`,
      `Iván,Segundo Docente,ivan.${tag}@e2e.sicora.test,CC,${docs.i2},instructor,`,
      `Ana,Alba,ana.ev.${tag}@e2e.sicora.test,CC,${docs.a1},aprendiz,${fichaNumber}`,
      `Bruno,Beltrán,bruno.ev.${tag}@e2e.sicora.test,CC,${docs.a2},aprendiz,${fichaNumber}`,
      `Carla,Castro,carla.ev.${tag}@e2e.sicora.test,CC,${docs.a3},aprendiz,${fichaNumber}`,
    ].join('\n');
    const form = new FormData();
    form.append('file', new Blob([`${csv}\n`], { type: 'text/csv' }), 'personas.csv');
    const imported = await api.must<{ created_users: Array<{ id: string; document_number: string }> }>(201, 'POST', '/api/v1/users/import', { ...as, form });
    const idOf = (doc: string) => imported.created_users.find((u) => u.document_number === doc)!.id;

    // One weekly entry per instructor overlapping the period's dates (G8 `via: schedule`).
    for (const [i, doc] of [docs.i1, docs.i2].entries()) {
      await api.must(201, 'POST', '/api/v1/schedules', {
        ...as,
        json: { group_id: group.id, instructor_id: idOf(doc), venue_id: venue.id, subject: `Competencia ${i + 1}`, day_of_week: 2 + i, start_time: '07:00', end_time: '09:00', start_date: addDays(today, -14), end_date: addDays(today, 60) },
      });
    }
    for (const doc of [docs.i1, docs.i2]) world.instructors.push({ id: idOf(doc), token: await api.signIn(doc, doc, PEOPLE_PASSWORD) });
    for (const doc of [docs.a1, docs.a2, docs.a3]) world.apprentices.push({ id: idOf(doc), token: await api.signIn(doc, doc, PEOPLE_PASSWORD) });
  }, 180_000);

  afterAll(async () => {
    await child?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a period opens, an apprentice evaluates two instructors, and it is closed and published, then the instructor reads results without learning who answered', async () => {
    const as = { token: world.admin };
    const [irene, ivan] = world.instructors;
    const [ana, bruno, carla] = world.apprentices;
    const today = localToday();

    // The demo seed (§11) ran at start: the standard questionnaire exists with its 17 questions.
    const demo = await api.must<Array<{ name: string; question_count: number }>>(200, 'GET', '/api/v1/evalin/questionnaires?search=SENA', as);
    expect(demo.find((q) => q.name === 'Evaluación de instructores SENA')?.question_count).toBe(17);

    // A two-question questionnaire and a period for the new ficha, open from yesterday.
    const q1 = await api.must<{ id: string }>(201, 'POST', '/api/v1/evalin/questions', { ...as, json: { text: `Explica con claridad (prueba ${today})`, question_type: 'likert', category: 'Metodología' } });
    const q2 = await api.must<{ id: string }>(201, 'POST', '/api/v1/evalin/questions', { ...as, json: { text: `¿Qué destacas del instructor? (${today})`, question_type: 'texto', category: 'Abiertas' } });
    const qn = await api.must<{ id: string }>(201, 'POST', '/api/v1/evalin/questionnaires', { ...as, json: { name: `Cuestionario e2e ${Date.now()}`, question_ids: [q1.id, q2.id] } });
    const period = await api.must<{ id: string; status: string }>(201, 'POST', '/api/v1/evalin/periods', { ...as, json: { name: 'Evaluación e2e', start_date: addDays(today, -1), end_date: addDays(today, 14), questionnaire_id: qn.id, group_ids: [world.groupId] } });
    const active = await api.must<{ status: string; is_open: boolean }>(200, 'POST', `/api/v1/evalin/periods/${period.id}/activate`, as);
    expect(active).toMatchObject({ status: 'active', is_open: true });

    // E30: Ana sees both instructors pending; she evaluates both.
    type ToEvaluate = { periods: Array<{ period_id: string; total: number; instructors: Array<{ instructor_id: string; status: string }> }> };
    const list = await api.must<ToEvaluate>(200, 'GET', '/api/v1/evalin/instructors-to-evaluate', { token: ana.token });
    const mine = list.periods.find((p) => p.period_id === period.id)!;
    expect(mine.instructors.map((i) => i.instructor_id).sort()).toEqual([irene.id, ivan.id].sort());
    expect(mine.instructors.every((i) => i.status === 'pending')).toBe(true);
    for (const [who, instructor, value, text] of [[ana, irene, 5, 'Muy clara'], [ana, ivan, 4, 'Puntual'], [bruno, irene, 4, 'Buenas guías'], [carla, irene, 3, 'Paciente']] as const) {
      const form = await api.must<{ questions: Array<{ id: string }>; small_group_warning: boolean }>(200, 'GET', `/api/v1/evalin/questionnaires/for-instructor/${instructor.id}?period_id=${period.id}`, { token: who.token });
      expect(form.small_group_warning).toBe(true);
      await api.must(201, 'POST', '/api/v1/evalin/evaluations', { token: who.token, json: { period_id: period.id, instructor_id: instructor.id, answers: [{ question_id: q1.id, value }, { question_id: q2.id, value: text }] } });
    }
    const progress = await api.must<{ summary: Record<string, number> }>(200, 'GET', `/api/v1/evalin/my-evaluations?period_id=${period.id}`, { token: ana.token });
    expect(progress.summary).toEqual({ total_instructors: 2, submitted: 2, draft: 0, pending: 0 });

    // Close, approve the comments, publish.
    expect((await api.must<{ status: string }>(200, 'POST', `/api/v1/evalin/periods/${period.id}/close`, as)).status).toBe('closed');
    const pending = await api.must<Array<{ id: string }>>(200, 'GET', `/api/v1/evalin/periods/${period.id}/comments`, as);
    expect(pending).toHaveLength(3);
    await api.must(200, 'POST', '/api/v1/evalin/comments/moderate', { ...as, json: { comment_ids: pending.map((c) => c.id), status: 'approved' } });
    expect((await api.must<{ status: string }>(200, 'POST', `/api/v1/evalin/periods/${period.id}/publish-results`, as)).status).toBe('published');

    // Irene reads her own results: 3 of 3 expected, averages (5+4+3)/3 = 4.00; nothing names who answered.
    const report = await api.must<Record<string, unknown>>(200, 'GET', `/api/v1/evalin/reports/periods/${period.id}/instructors/${irene.id}`, { token: irene.token });
    expect(report).toMatchObject({ response_count: 3, expected_count: 3, response_rate: 100, results_shown: true, overall_average: 4, approved_comment_count: 3 });
    const comments = await api.must<Array<{ text: string }>>(200, 'GET', `/api/v1/evalin/reports/periods/${period.id}/instructors/${irene.id}/comments`, { token: irene.token });
    expect(comments.map((c) => c.text).sort()).toEqual(['Buenas guías', 'Muy clara', 'Paciente']);
    const seen = JSON.stringify([report, comments]);
    for (const a of world.apprentices) expect(seen).not.toContain(a.id);
    expect(seen).not.toMatch(/Ana|Bruno|Carla/);
    // Iván has one response: withheld for him too; and he cannot read Irene.
    expect(await api.must(200, 'GET', `/api/v1/evalin/reports/periods/${period.id}/instructors/${ivan.id}`, { token: ivan.token })).toMatchObject({ response_count: 1, results_shown: false, withheld_reason: 'insufficient_responses', overall_average: null });
    expect((await api.call('GET', `/api/v1/evalin/reports/periods/${period.id}/instructors/${irene.id}`, { token: ivan.token })).status).toBe(403);

    // results_published reaches Irene's inbox through the outbox.
    const inbox = async () => {
      const res = await api.call<Array<{ type: string; entity_id: string | null }>>('GET', '/api/v1/notifications/inbox?page_size=100', { token: irene.token });
      return res.status === 200 ? res.body.data.map((i) => `${i.type}:${i.entity_id}`) : [`HTTP ${res.status}`];
    };
    await expect.poll(inbox, { timeout: 20_000, interval: 250 }).toContain(`evalin.results_published:${period.id}`);
  }, 90_000);
});
