import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSicoraClient, type SicoraClient } from '@sicora/client';
import { startSmtpFake, type SmtpFake } from '../../services/notification/test/smtp-fake.ts';
import { startSystem, SYSTEM_MODE, type RunningSystem } from './system.support.ts';

// Issue #18 item 1, "a new trimester", through the gateway of SICORA running as one system: in production
// mode (CI's PostgreSQL run: `sicora serve` per service, the notification worker apart, PostgreSQL and
// Redis) or embedded (`sicora start`), with e-mail going to a real SMTP server started here. The admin
// loads programs, a campus's venues, fichas, instructors, apprentices and the weekly schedule by CSV; every
// new person receives the welcome e-mail (users §7 `user.welcome`) at the SMTP server; the apprentices
// sign in with their document number, change their passwords as forced, and see their ficha's week; an
// apprentice asks the assistant about a rule the coordinator has just published and is cited it.
// Calls go through @sicora/client (the generated client); CSV uploads are multipart, sent with fetch.
const ADMIN = { email: 'admin@sicora.sena.edu.co', password: 'Sistema#Trimestre-2026', next: 'Sistema#Centro-2027q' };
const NEW_PASSWORD = 'Trimestre#Nuevo-2027w';
const tag = String(Date.now()).slice(-5);
const fichas = [`71${tag}`, `72${tag}`];
const instructors = [
  { first: 'Hernán', last: 'Quiroga Ruiz', doc: `80${tag}1` },
  { first: 'Liliana', last: 'Mora Castaño', doc: `80${tag}2` },
];
const apprentices = [0, 1, 2, 3, 4, 5].map((i) => ({ first: ['Ana', 'Bruno', 'Carla', 'Diego', 'Elena', 'Fabio'][i], last: 'Prueba Sistema', doc: `10${tag}${i}`, ficha: fichas[i % 2] }));
const emailOf = (doc: string) => `p${doc}@sistema.sicora.test`;

let system: RunningSystem;
let smtp: SmtpFake;
let admin: SicoraClient;
let adminToken = '';

function monday(date = new Date()): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A CSV import (multipart, part `file`) that must create every row. */
async function importCsv(path: string, header: string, rows: string[], name: string): Promise<{ created: number; total_rows: number }> {
  const form = new FormData();
  form.append('file', new Blob([[header, ...rows].join('\r\n') + '\r\n'], { type: 'text/csv' }), name);
  const res = await fetch(`${system.gateway}${path}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: form });
  const body = (await res.json()) as { data: { created: number; total_rows: number } };
  expect(res.status, `${path}: ${JSON.stringify(body).slice(0, 1500)}`).toBe(201);
  expect(body.data.created).toBe(rows.length);
  return body.data;
}

async function signIn(identifier: string, password: string, next: string): Promise<SicoraClient> {
  const api = createSicoraClient({ baseUrl: system.gateway });
  const login = await api.POST('/api/v1/auth/login', { body: { identifier, password } });
  expect(login.response.status, JSON.stringify(login.error)).toBe(200);
  api.setToken(login.data!.data.access_token);
  if (!login.data!.data.must_change_password) return api;
  const changed = await api.POST('/api/v1/auth/change-password', { body: { current_password: password, new_password: next } });
  expect(changed.response.status, JSON.stringify(changed.error)).toBe(200);
  api.setToken(changed.data!.data.access_token);
  return api;
}

describe(`a new trimester, SICORA as one system (${SYSTEM_MODE})`, () => {
  beforeAll(async () => {
    smtp = await startSmtpFake();
    system = await startSystem({ admin: ADMIN, env: { SMTP_URL: smtp.url, MAIL_SINK_ENABLED: 'false' } });
    admin = await signIn(ADMIN.email, ADMIN.password, ADMIN.next);
    const login = await createSicoraClient({ baseUrl: system.gateway }).POST('/api/v1/auth/login', { body: { identifier: ADMIN.email, password: ADMIN.next } });
    adminToken = login.data!.data.access_token;
  }, 300_000);

  afterAll(async () => {
    await system?.stop();
    await smtp?.close();
  }, 60_000);

  it('when the admin loads the trimester by CSV, then every person gets the welcome e-mail at the SMTP server, signs in with the forced change and sees the ficha week', async () => {
    const week = monday();
    const start = addDays(week, -7);
    const end = addDays(week, 90);
    const campus = await admin.POST('/api/v1/campuses', { body: { code: `S${tag}`, name: `Sede del sistema ${tag}` } });
    expect(campus.response.status, JSON.stringify(campus.error)).toBe(201);

    await importCsv('/api/v1/programs/import', 'code,name,level,duration_months', [`PS${tag},Programación de Software,TECNICO,12`, `GA${tag},Gestión Administrativa,TECNOLOGO,24`], 'programas.csv');
    await importCsv('/api/v1/venues/import', 'code,name,campus_code,type,capacity,floor', [`A${tag}1,Aula 101,S${tag},AULA,30,1`, `A${tag}2,Aula 102,S${tag},AULA,30,1`], 'ambientes.csv');
    await importCsv('/api/v1/groups/import', 'number,program_code,campus_code,shift,start_date,end_date,max_apprentices', [
      `${fichas[0]},PS${tag},S${tag},MANANA,${start},${end},30`,
      `${fichas[1]},GA${tag},S${tag},TARDE,${start},${end},30`,
    ], 'fichas.csv');
    await importCsv('/api/v1/users/import?role=instructor', 'first_name,last_name,email,document_type,document_number', instructors.map((p) => `${p.first},${p.last},${emailOf(p.doc)},CC,${p.doc}`), 'instructores.csv');
    await importCsv('/api/v1/users/import?role=aprendiz', 'first_name,last_name,email,document_type,document_number,group_number', apprentices.map((p) => `${p.first},${p.last},${emailOf(p.doc)},CC,${p.doc},${p.ficha}`), 'aprendices.csv');
    await importCsv('/api/v1/schedules/import', 'group_number,instructor_document,venue_code,subject,day_of_week,start_time,end_time,start_date,end_date', [
      `${fichas[0]},${instructors[0].doc},A${tag}1,Lógica de programación,1,07:00,10:00,${start},${end}`,
      `${fichas[0]},${instructors[1].doc},A${tag}1,Bases de datos,3,07:00,10:00,${start},${end}`,
      `${fichas[1]},${instructors[1].doc},A${tag}2,Contabilidad básica,2,13:00,16:00,${start},${end}`,
    ], 'horarios.csv');

    // Rosters (G7): each ficha has its three apprentices, in the users service's view of them.
    const groups = await admin.GET('/api/v1/groups', { params: { query: { numbers: fichas.join(',') } } });
    expect(groups.response.status).toBe(200);
    expect(groups.data!.data.map((g) => g.number).sort()).toEqual([...fichas].sort());
    for (const g of groups.data!.data) {
      const roster = await admin.GET('/api/v1/groups/{id}/apprentices', { params: { path: { id: g.id } } });
      expect(roster.response.status).toBe(200);
      expect(roster.data!.data.map((a) => a.document_number).sort()).toEqual(apprentices.filter((a) => a.ficha === g.number).map((a) => a.doc).sort());
    }

    // One welcome e-mail per new person (users §7 `user.welcome`), delivered by the notification worker to
    // the SMTP server; everyone also hears that their ficha's schedule was published (schedules §7).
    const people = [...instructors, ...apprentices];
    const welcomes = (p: { doc: string }) => smtp.received.filter((r) => r.rcpt.includes(emailOf(p.doc)) && r.mail.subject?.startsWith('Bienvenido a SICORA'));
    const scheduleMails = (p: { doc: string }) => smtp.received.filter((r) => r.rcpt.includes(emailOf(p.doc)) && r.mail.subject?.startsWith('Horario publicado'));
    const deadline = Date.now() + 120_000;
    const done = () => people.every((p) => welcomes(p).length > 0 && scheduleMails(p).length > 0);
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    for (const p of people) {
      const mails = welcomes(p);
      expect(mails.map((m) => m.mail.messageId), `welcome of ${emailOf(p.doc)}`).toHaveLength(1);
      expect(mails[0].mail.subject).toBe(`Bienvenido a SICORA, ${p.first}`);
      // It tells them how to sign in the first time and never carries a password.
      const text = mails[0].mail.text ?? '';
      expect(text).toContain('Tu contraseña inicial es tu número de documento');
      expect(text).not.toContain(p.doc);
      expect(text).not.toContain(NEW_PASSWORD);
    }
    expect(scheduleMails(instructors[0]).map((m) => m.mail.subject).join(' ')).toContain(fichas[0]);
    expect(scheduleMails(instructors[1]).map((m) => m.mail.subject).join(' ')).toMatch(new RegExp(`${fichas[0]}[\\s\\S]*${fichas[1]}|${fichas[1]}[\\s\\S]*${fichas[0]}`));
    // An apprentice gets exactly two: the welcome, and their own ficha's schedule (never another ficha's).
    for (const p of apprentices) {
      const subjects = smtp.received.filter((r) => r.rcpt.includes(emailOf(p.doc))).map((r) => r.mail.subject).sort();
      expect(subjects).toEqual([`Bienvenido a SICORA, ${p.first}`, `Horario publicado para la ficha ${p.ficha}`]);
    }

    // First sign-ins: the document number, the forced change, then the week of the apprentice's ficha.
    for (const p of apprentices) {
      const api = await signIn(p.doc, p.doc, NEW_PASSWORD);
      const me = await api.GET('/api/v1/users/me');
      expect(me.data!.data).toMatchObject({ document_number: p.doc, must_change_password: false });
      // A holiday in the week (8 December is one) cancels its sessions; they are still the ficha's.
      const sessions = await api.GET('/api/v1/schedules/me', { params: { query: { from: week, to: addDays(week, 6), include_cancelled: true } } });
      expect(sessions.response.status, JSON.stringify(sessions.error)).toBe(200);
      const subjects = new Set(sessions.data!.data.map((s) => s.subject));
      expect([...subjects].sort()).toEqual(p.ficha === fichas[0] ? ['Bases de datos', 'Lógica de programación'] : ['Contabilidad básica']);
    }
    // The first password no longer opens the account.
    const stale = await createSicoraClient({ baseUrl: system.gateway }).POST('/api/v1/auth/login', { body: { identifier: apprentices[0].doc, password: apprentices[0].doc } });
    expect(stale.response.status).toBe(401);
  }, 300_000);

  it('when the coordinator publishes a rule and an apprentice asks the assistant about it, then the answer cites that article first', async () => {
    const categories = await admin.GET('/api/v1/kb/categories', { params: { query: { include_empty: true } } });
    expect(categories.response.status).toBe(200);
    let categoryId = categories.data!.data[0]?.id;
    if (!categoryId) {
      const made = await admin.POST('/api/v1/kb/categories', { body: { slug: `reglamento-${tag}`, name: `Reglamento ${tag}` } });
      expect(made.response.status, JSON.stringify(made.error)).toBe(201);
      categoryId = made.data!.data.id;
    }
    const item = await admin.POST('/api/v1/kb/items', {
      body: {
        kind: 'article', title: 'Artículo 88. Apoyo de transporte Zafiro', category_id: categoryId, audience: ['all'], status: 'published',
        summary: 'Quién recibe el apoyo de transporte Zafiro y cómo se solicita.',
        content: 'El apoyo de transporte Zafiro se entrega a los aprendices con matrícula activa que vivan a más de diez kilómetros de la sede. '
          + 'Se solicita en la coordinación académica durante la primera semana del trimestre, con un recibo de servicios públicos a nombre del aprendiz o de su familia.',
      },
    });
    expect(item.response.status, JSON.stringify(item.error)).toBe(201);

    const ana = await signIn(apprentices[0].doc, NEW_PASSWORD, NEW_PASSWORD);
    const ask = await ana.POST('/api/v1/ai/ask', { body: { question: '¿Quién puede recibir el apoyo de transporte Zafiro?', context: 'reglamento' } });
    expect(ask.response.status, JSON.stringify(ask.error)).toBe(200);
    const answer = ask.data!.data;
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.citations[0]).toMatchObject({ item_id: item.data!.data.id });
    expect(answer.answer).toMatch(/diez kilómetros|Zafiro/);
  }, 120_000);
});
