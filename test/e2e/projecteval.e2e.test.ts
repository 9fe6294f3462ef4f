import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, gatewayClient, smallPdf } from './attendance.support.ts';
import { portEnv, runSicora, tempDataDir, waitFor, type Child } from './support.ts';

// Issue #14: one training project end to end through the gateway of a real `sicora start` (embedded back
// ends): a member proposes ideas, the advisor asks for a revision and approves the revised one, the team
// is active, the project and a deliverable exist, a member uploads a PDF (multipart through the gateway),
// a session with two jurors hears it, both jurors score, the chair publishes, and the projecteval outbox
// carries result_published to every apprentice's inbox by itself. Everything is made through the API by
// an admin, so no demo row is relied on.

const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'E2e#Proyectos-2026x', next: 'Pasarela#Centro-2027' };
const PEOPLE_PASSWORD = 'Proyecto#Sede-2027q';

let gateway = '';
const api = gatewayClient(() => gateway);
let dataDir: string | undefined;
let child: Child | undefined;

interface Person { id: string; token: string }
const world = { groupId: '', advisor: undefined as unknown as Person, juror: undefined as unknown as Person, apprentices: [] as Person[], admin: '' };

describe('projecteval journey', () => {
  beforeAll(async () => {
    const { env, urls } = await portEnv();
    gateway = urls.gateway;
    dataDir = tempDataDir();
    child = runSicora(['start'], { ...env, SICORA_DATA_DIR: dataDir, SICORA_ADMIN_EMAIL: ADMIN.email, SICORA_ADMIN_PASSWORD: ADMIN.password, DATABASE_URL: '', REDIS_URL: '' });
    await waitFor(`${gateway}/health`, child, { timeoutMs: 90_000 });

    world.admin = await api.signIn(ADMIN.email, ADMIN.password, ADMIN.next);
    const as = { token: world.admin };
    const tag = String(Date.now()).slice(-6);
    const today = new Date().toISOString().slice(0, 10);
    const campus = await api.must<{ id: string }>(201, 'POST', '/api/v1/campuses', { ...as, json: { code: `PE${tag}`, name: `Sede proyectos ${tag}` } });
    const program = await api.must<{ id: string }>(201, 'POST', '/api/v1/programs', { ...as, json: { code: `Q${tag}`, name: 'Programa de proyectos', level: 'TECNICO', duration_months: 12 } });
    const fichaNumber = `8${tag}`;
    const group = await api.must<{ id: string }>(201, 'POST', '/api/v1/groups', { ...as, json: { number: fichaNumber, program_id: program.id, campus_id: campus.id, shift: 'MANANA', start_date: addDays(today, -30), end_date: addDays(today, 180) } });
    world.groupId = group.id;

    const docs = { advisor: `72${tag}`, juror: `73${tag}`, a1: `11${tag}1`, a2: `11${tag}2`, a3: `11${tag}3` };
    const csv = [
      'first_name,last_name,email,document_type,document_number,role,group_number',
      `Asesora,Proyectos Uno,asesora.${tag}@e2e.sicora.test,CC,${docs.advisor},instructor,`,
      `Jurado,Proyectos Dos,jurado.${tag}@e2e.sicora.test,CC,${docs.juror},instructor,`,
      `Ana,Alba Primera,ana.${tag}@e2e.sicora.test,CC,${docs.a1},aprendiz,${fichaNumber}`,
      `Bruno,Beltrán Segundo,bruno.${tag}@e2e.sicora.test,CC,${docs.a2},aprendiz,${fichaNumber}`,
      `Carla,Castro Tercera,carla.${tag}@e2e.sicora.test,CC,${docs.a3},aprendiz,${fichaNumber}`,
    ].join('\n');
    const form = new FormData();
    form.append('file', new Blob([`${csv}\n`], { type: 'text/csv' }), 'personas.csv');
    const imported = await api.must<{ created_users: Array<{ id: string; document_number: string }> }>(201, 'POST', '/api/v1/users/import', { ...as, form });
    const idOf = (doc: string) => imported.created_users.find((u) => u.document_number === doc)!.id;
    world.advisor = { id: idOf(docs.advisor), token: await api.signIn(docs.advisor, docs.advisor, PEOPLE_PASSWORD) };
    world.juror = { id: idOf(docs.juror), token: await api.signIn(docs.juror, docs.juror, PEOPLE_PASSWORD) };
    for (const doc of [docs.a1, docs.a2, docs.a3]) world.apprentices.push({ id: idOf(doc), token: await api.signIn(doc, doc, PEOPLE_PASSWORD) });
  }, 150_000);

  afterAll(async () => {
    await child?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('idea proposed → revision requested → approved → team formed → submission uploaded → session with two jurors → both score → grade published → the apprentices\' inboxes have it', async () => {
    const P = '/api/v1/projecteval';
    const admin = { token: world.admin };
    const advisor = { token: world.advisor.token };
    const juror = { token: world.juror.token };
    const [ana] = world.apprentices;
    const tag = String(Date.now()).slice(-6);

    // The team: made by the admin with the advisor named (R3), activated by the advisor (R5).
    const team = await api.must<{ id: string; status: string }>(201, 'POST', `${P}/teams`, { ...admin, json: { name: `Equipo E2E ${tag}`, group_id: world.groupId, advisor_id: world.advisor.id, members: world.apprentices.map((a) => ({ student_id: a.id })), leader_id: ana.id } });
    expect(team.status).toBe('forming');
    expect((await api.must<{ status: string }>(200, 'POST', `${P}/teams/${team.id}/activate`, advisor)).status).toBe('active');

    // Ideas: three proposals; a revision is requested on the first and the team revises it; it is approved.
    const ideas: Array<{ id: string }> = [];
    for (const n of [1, 2, 3]) ideas.push(await api.must(201, 'POST', `${P}/teams/${team.id}/ideas`, { token: world.apprentices[n - 1].token, json: { title: `Idea de proyecto ${n}`, description: 'Una descripción suficientemente larga de la idea.', objectives: 'Objetivos medibles' } }));
    const revision = await api.must<{ status: string }>(200, 'POST', `${P}/ideas/${ideas[0].id}/decision`, { ...advisor, json: { decision: 'request_revision', feedback: 'Precise los objetivos del proyecto.' } });
    expect(revision.status).toBe('revision_requested');
    expect((await api.must<{ status: string }>(200, 'PATCH', `${P}/ideas/${ideas[0].id}`, { token: ana.token, json: { objectives: 'Objetivos precisos y medibles' } })).status).toBe('proposed');
    const approved = await api.must<{ status: string }>(200, 'POST', `${P}/ideas/${ideas[0].id}/decision`, { ...advisor, json: { decision: 'approve', viability_score: 85 } });
    expect(approved.status).toBe('approved');

    // Project, an active rubric (coordination) and a deliverable due in two days.
    const project = await api.must<{ id: string; intellectual_property_owner: string }>(201, 'POST', `${P}/projects`, { ...advisor, json: { idea_id: ideas[0].id, project_type: 'web_application', scope: 'Un sistema web de pruebas de extremo a extremo.', expected_end_date: addDays(new Date().toISOString().slice(0, 10), 120) } });
    expect(project.intellectual_property_owner).toBe('SENA');
    const rubric = await api.must<{ id: string; criteria: Array<{ id: string }> }>(201, 'POST', `${P}/rubrics`, { ...admin, json: { name: `Rúbrica E2E ${tag}`, criteria: [{ name: 'Producto', weight: 60 }, { name: 'Sustentación', weight: 40 }] } });
    await api.must(200, 'POST', `${P}/rubrics/${rubric.id}/activate`, admin);
    const deliverable = await api.must<{ id: string }>(201, 'POST', `${P}/projects/${project.id}/deliverables`, { ...advisor, json: { title: 'Prototipo', deliverable_type: 'source_code', due_at: new Date(Date.now() + 2 * 86_400_000).toISOString(), rubric_id: rubric.id } });

    // The submission: multipart through the gateway with a PDF.
    const pdf = smallPdf('Informe del prototipo');
    const form = new FormData();
    form.append('repository_url', 'https://github.com/sena/e2e');
    form.append('files', new Blob([pdf], { type: 'application/pdf' }), 'informe.pdf');
    const submission = await api.must<{ id: string; version: number; files: Array<{ id: string }> }>(201, 'POST', `${P}/deliverables/${deliverable.id}/submissions`, { token: ana.token, form });
    expect(submission.version).toBe(1);
    const download = await fetch(`${gateway}${P}/submissions/${submission.id}/files/${submission.files[0].id}`, { headers: { authorization: `Bearer ${world.advisor.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf);

    // The session: two jurors (the advisor chairs), both confirm, it starts within its 15-minute window.
    const session = await api.must<{ id: string }>(201, 'POST', `${P}/sessions`, { ...advisor, json: { title: 'Sustentación E2E', session_type: 'progress_review', starts_at: new Date(Date.now() + 5 * 60_000).toISOString(), virtual_url: 'https://meet.example/e2e', juror_ids: [world.advisor.id, world.juror.id], chair_id: world.advisor.id, submission_ids: [submission.id] } });
    for (const j of [advisor, juror]) await api.must(200, 'POST', `${P}/sessions/${session.id}/respond`, { ...j, json: { response: 'confirm' } });
    expect((await api.must<{ status: string }>(200, 'POST', `${P}/sessions/${session.id}/start`, advisor)).status).toBe('in_progress');

    // Both jurors score: 90/80 and 80/70 → totals 86.0 and 76.0 → final 81.0, band B.
    for (const [j, values] of [[advisor, [90, 80]], [juror, [80, 70]]] as const) {
      const e = await api.must<{ id: string }>(201, 'POST', `${P}/submissions/${submission.id}/evaluations`, { ...j, json: { session_id: session.id, scores: rubric.criteria.map((c, i) => ({ criterion_id: c.id, score: values[i] })) } });
      await api.must(200, 'POST', `${P}/evaluations/${e.id}/complete`, j);
    }
    await api.must(200, 'POST', `${P}/sessions/${session.id}/complete`, advisor);
    const published = await api.must<{ status: string; final_score: number; band_code: string }>(200, 'POST', `${P}/submissions/${submission.id}/publish`, advisor);
    expect(published).toMatchObject({ status: 'published', final_score: 81, band_code: 'B' });
    const seen = await api.must<{ final_score: number; evaluations: unknown[] }>(200, 'GET', `${P}/submissions/${submission.id}`, { token: ana.token });
    expect(seen.final_score).toBe(81);
    expect(seen.evaluations).toHaveLength(2);

    // The outbox relays to notification by itself: every apprentice's inbox has the result.
    const inboxTypes = async (token: string) => {
      const res = await api.call<Array<{ type: string; entity_id: string | null }>>('GET', '/api/v1/notifications/inbox?page_size=100', { token });
      return res.status === 200 ? res.body.data.map((i) => `${i.type}:${i.entity_id}`).sort() : [`HTTP ${res.status}`];
    };
    for (const a of world.apprentices) {
      await expect
        .poll(() => inboxTypes(a.token), { timeout: 20_000, interval: 250, message: 'projecteval.result_published never reached the inbox' })
        .toContain(`projecteval.result_published:${submission.id}`);
    }
    // The revision request reached the team too (idea_decided), and the advisor got the submission.
    await expect.poll(() => inboxTypes(ana.token), { timeout: 20_000, interval: 250 }).toContain(`projecteval.idea_decided:${ideas[0].id}`);
    await expect.poll(() => inboxTypes(world.advisor.token), { timeout: 20_000, interval: 250 }).toContain(`projecteval.submission_received:${submission.id}`);
  }, 90_000);
});
