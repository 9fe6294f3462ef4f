import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, bogotaToday, buildProject, buildWorld, formulaCells, must, parseCsv, raw, startPlatform, step, type Platform, type World } from './security.support.ts';

// Issue #18 item 2, CSV formula injection in every export, through the gateway of a real `sicora start`:
// text that starts with `=`, `+`, `-` or `@` is put into the data each export writes — people's e-mails
// (users allows `=`/`+`/`-` at the start of an e-mail's local part; it refuses such names), a class's
// subject, a team's name, a project's and a deliverable's titles, an evaluation period's name, questions,
// categories and comments, search queries, a client's User-Agent —
// and every exported file must hold it only neutralised with a leading `'` (attendance §6.2, evalin §6.2,
// projecteval §6, ai §6, kb §6.3, gateway §6.1: "cells starting with = + - @ prefixed with '"), with no cell
// left that a spreadsheet would run as a formula.
//
// Not reached here: attendance RC6 `/records/export` holds only records, which need a roll taken in a class's
// marking window (time-gated, attendance R2/R13, as the attendance journey shows); it writes its file with
// the same platform `csvExport` as RP2 below.

let p: Platform;
let w: World;
const tag = String(Date.now()).slice(-5);
const HOSTILE = {
  subject: `=HYPERLINK("http://evil.example/${tag}","clic")`,
  team: `=Equipo ${tag}`,
  project: `+Proyecto ${tag}`,
  deliverable: `@Entrega ${tag}`,
  /** Refused by users at input (names start with a letter, users §3.1), so never in any export. */
  names: ['-Ana', '=Ana', '+Ana', '@Ana'],
  locals: [`=cmd.${tag}`, `+suma.${tag}`, `-resta.${tag}`],
  queries: [`=HYPERLINK("http://evil.example/${tag}")`, `+cmd${tag} calc`, `-2+3 cmd${tag}`, `@SUM(A${tag})`],
  agents: [`=cmd|' /C calc'!A${tag}`, `+agente${tag}`, `-agente${tag}`, `@agente${tag}`],
};

/** Downloads a CSV through the gateway as the admin and checks the §6.1 frame and that no cell is a live formula. */
async function exportOf(path: string): Promise<string[][]> {
  const res = await raw(p.gateway, 'GET', path, { token: p.admin });
  expect(res.status, `${path} → ${res.text.slice(0, 500)}`).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
  expect(res.text.startsWith('\uFEFF'), 'UTF-8 BOM').toBe(true);
  expect(formulaCells(res.text), `${path}: cells a spreadsheet would run`).toEqual([]);
  return parseCsv(res.text);
}

/** Every hostile value is in the file, each exactly once per cell as `'<value>` (so the data did get in). */
function expectNeutralised(rows: string[][], values: string[]) {
  const cells = new Set(rows.flat());
  for (const v of values) expect(cells.has(`'${v}`), `'${v} among the cells`).toBe(true);
}

describe('security: CSV formula injection in every export', () => {
  beforeAll(async () => {
    p = await startPlatform();
    w = await step(p, 'the world', () => buildWorld(p, {
      apprentices: HOSTILE.locals.map((local) => ({ local })),
      subject: HOSTILE.subject,
    }));
  }, 240_000);

  afterAll(async () => {
    await p?.stop();
  });

  it('when people have e-mails starting with = + -, then the users export (B5) neutralises them; names that start so are refused at input', async () => {
    const rows = await exportOf(`/api/v1/users/export?group_id=${w.groupId}`);
    expect(rows.length - 1).toBe(w.apprentices.length);
    expectNeutralised(rows, w.apprentices.map((a) => a.email));
    for (const name of HOSTILE.names) {
      const res = await raw(p.gateway, 'PATCH', '/api/v1/users/me', { token: w.apprentices[0].token, json: { first_name: name } });
      expect(`${res.status} ${res.body?.error?.code}`, name).toBe('422 VALIDATION_ERROR');
    }
  });

  it('when a class subject starts with =, then the schedules export (format=csv) neutralises them', async () => {
    const from = w.sessionDates[0];
    const rows = await exportOf(`/api/v1/schedules/export?format=csv&from=${from}&to=${addDays(from, 20)}&group_id=${w.groupId}`);
    expect(rows.length - 1).toBe(3);
    expectNeutralised(rows, [HOSTILE.subject]);
  });

  // Their text cells come from users (names, documents), which refuses formula-looking names at input: what
  // is checked is that every apprentice's row is there and no cell of either file is live.
  it('when the attendance ficha report (RP2) is asked as CSV by students and as a matrix, then no cell is a live formula', async () => {
    const period = `start_date=${addDays(bogotaToday(), -7)}&end_date=${bogotaToday()}`;
    for (const layout of ['students', 'matrix']) {
      const rows = await exportOf(`/api/v1/attendance/reports/groups/${w.groupId}?format=csv&layout=${layout}&${period}`);
      for (const a of w.apprentices) expect(rows.flat().join('|'), layout).toContain(a.document);
    }
  });

  it('when the ai ficha risk report is asked as CSV, then every apprentice has a row and no cell is a live formula', async () => {
    const rows = await exportOf(`/api/v1/ai/risk/groups/${w.groupId}/report?format=csv`);
    expect(rows.length - 1, JSON.stringify(rows).slice(0, 600)).toBe(w.apprentices.length);
  });

  it('when a team, its project and a deliverable are named with = + @, then the projecteval grades CSV (P80) neutralises them', async () => {
    await buildProject(p, w, { teamName: HOSTILE.team, projectTitle: HOSTILE.project, deliverableTitle: HOSTILE.deliverable });
    const rows = await exportOf(`/api/v1/projecteval/reports/groups/${w.groupId}/grades.csv`);
    // One row per member and deliverable, plus each member's total.
    expect(rows.length - 1).toBe(w.apprentices.length * 2);
    expectNeutralised(rows, [HOSTILE.team, HOSTILE.project, HOSTILE.deliverable]);
  });

  it('when searches start with = + - @, then the kb search-log and no-results CSVs neutralise them', async () => {
    for (const q of HOSTILE.queries) {
      const res = await raw(p.gateway, 'GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}`, { token: w.apprentices[0].token });
      expect(res.status, res.text.slice(0, 300)).toBe(200);
    }
    const today = bogotaToday();
    await expect.poll(async () => (await raw(p.gateway, 'GET', `/api/v1/kb/admin/search-logs?q=${tag}`, { token: p.admin })).body?.data?.length ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    expectNeutralised(await exportOf(`/api/v1/kb/admin/search-logs?format=csv&from=${today}&to=${today}`), HOSTILE.queries);
    const noResults = await exportOf(`/api/v1/kb/admin/reports/no-results?format=csv&from=${today}&to=${today}`);
    // The no-results report folds queries (lower case, no accents); what matters is that none stays live.
    expect(noResults.flat().filter((c) => c.includes(tag)).length).toBeGreaterThan(0);
  });

  it('when clients send User-Agents starting with = + - @, then the gateway request-log export (L2) neutralises them', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    for (const agent of HOSTILE.agents) {
      const res = await raw(p.gateway, 'GET', '/api/v1/kb/categories', { token: w.apprentices[1].token, headers: { 'user-agent': agent } });
      expect(res.status).toBe(200);
    }
    const path = `/api/v1/gateway/request-logs/export?from=${encodeURIComponent(from)}&user_id=${w.apprentices[1].id}`;
    // The request log is written in batches: wait until the four requests are in.
    await expect.poll(async () => {
      const res = await raw(p.gateway, 'GET', path, { token: p.admin });
      return HOSTILE.agents.filter((a) => res.text.includes(a.replace(/"/g, '""'))).length;
    }, { timeout: 15_000, interval: 500 }).toBe(4);
    expectNeutralised(await exportOf(path), HOSTILE.agents);
  });

  it('when the welcome e-mails went to addresses starting with = + -, then the notification deliveries export neutralises every cell', async () => {
    const user = w.apprentices[0].id;
    await expect.poll(async () => parseCsv((await raw(p.gateway, 'GET', `/api/v1/notifications/admin/deliveries/export?user_id=${user}`, { token: p.admin })).text).length, { timeout: 20_000, interval: 500 }).toBeGreaterThan(1);
    for (const a of w.apprentices) {
      const rows = await exportOf(`/api/v1/notifications/admin/deliveries/export?user_id=${a.id}`);
      expect(rows.length).toBeGreaterThan(1);
    }
  });

  it('when a period, a question, its category and the apprentices\' comments start with @ - + =, then the evalin summary.csv and answers.csv (E45, E46) neutralise them', async () => {
    const as = { token: p.admin };
    const today = bogotaToday();
    const E = {
      period: `@Periodo ${tag}`,
      question: `-Explica con claridad ${tag}`,
      category: `+Metodología ${tag}`,
      open: `=Qué destacas ${tag}`,
      comments: [`=HYPERLINK("http://evil.example/${tag}")`, `+cmd${tag}`, `-resta${tag}`],
    };
    const q1 = await must(201, p.gateway, 'POST', '/api/v1/evalin/questions', { ...as, json: { text: E.question, question_type: 'likert', category: E.category } });
    const q2 = await must(201, p.gateway, 'POST', '/api/v1/evalin/questions', { ...as, json: { text: E.open, question_type: 'texto', category: E.category } });
    const qn = await must(201, p.gateway, 'POST', '/api/v1/evalin/questionnaires', { ...as, json: { name: `Cuestionario ${tag}`, question_ids: [q1.id, q2.id] } });
    const period = await must(201, p.gateway, 'POST', '/api/v1/evalin/periods', { ...as, json: { name: E.period, start_date: addDays(today, -1), end_date: addDays(today, 20), questionnaire_id: qn.id, group_ids: [w.groupId] } });
    await must(200, p.gateway, 'POST', `/api/v1/evalin/periods/${period.id}/activate`, as);
    for (const [i, a] of w.apprentices.entries()) {
      await must(201, p.gateway, 'POST', '/api/v1/evalin/evaluations', { token: a.token, json: { period_id: period.id, instructor_id: w.instructor.id, answers: [{ question_id: q1.id, value: 5 - i }, { question_id: q2.id, value: E.comments[i] }] } });
    }
    await must(200, p.gateway, 'POST', `/api/v1/evalin/periods/${period.id}/close`, as);
    const pending = await must(200, p.gateway, 'GET', `/api/v1/evalin/periods/${period.id}/comments`, as);
    await must(200, p.gateway, 'POST', '/api/v1/evalin/comments/moderate', { ...as, json: { comment_ids: (pending as Array<{ id: string }>).map((c) => c.id), status: 'approved' } });
    await must(200, p.gateway, 'POST', `/api/v1/evalin/periods/${period.id}/publish-results`, as);
    expectNeutralised(await exportOf(`/api/v1/evalin/reports/periods/${period.id}/export/summary.csv`), [E.period]);
    expectNeutralised(await exportOf(`/api/v1/evalin/reports/periods/${period.id}/export/answers.csv`), [E.period, E.question, E.open, E.category, ...E.comments]);
  }, 60_000);

  it('when the import templates are downloaded, then none of their cells is a live formula', async () => {
    await exportOf('/api/v1/users/import/template');
    for (const kind of ['venues', 'programs', 'groups', 'schedules']) await exportOf(`/api/v1/schedules/import/templates/${kind}`);
    await exportOf('/api/v1/evalin/questions/bulk-upload/template');
  });
});
