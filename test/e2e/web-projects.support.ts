/**
 * What the projects journey needs beside web.support.ts: a plain sign-in through the UI (the passwords
 * were already changed through the API), and a training project built through the API as the admin and
 * the advisor, as test/e2e/projecteval.e2e.test.ts does, up to a deliverable waiting for a submission.
 */
import type { Page } from 'playwright-core';
import { addDays, type gatewayClient } from './attendance.support.ts';

type Api = ReturnType<typeof gatewayClient>;
export const P = '/api/v1/projecteval';
export const PEOPLE_PASSWORD = 'Proyecto#Web-2027q';

export interface Person {
  id: string;
  doc: string;
  token: string;
}

export interface ProjectWorld {
  advisor: Person;
  juror: Person;
  apprentices: Person[];
  teamName: string;
  projectTitle: string;
  deliverable: { id: string; title: string };
  rubric: { id: string; criteria: Array<{ id: string; name: string }> };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Login and the forced first change (users A1, A6), patient with a loaded machine: a 502/503/504 (a password
 * hash that outlived the gateway's timeout) is tried again, and a change that went through although its
 * answer was lost (a 504, or a socket closed under load) is recognised by the new password working.
 */
export async function patientSignIn(api: Api, identifier: string, password: string, next: string): Promise<string> {
  let last = '';
  // A socket the loaded gateway closed is an answer that never came: the same as a 503 here.
  const call = <T,>(path: string, opts: Parameters<Api['call']>[2]) => api.call<T>('POST', path, opts).catch((err: Error) => ({ status: 0, body: { success: false, data: undefined as T, error: { code: 'NETWORK', message: err.message } } }));
  for (let attempt = 0; attempt < 8; attempt++) {
    for (const candidate of [password, next]) {
      const login = await call<{ access_token: string; must_change_password: boolean }>('/api/v1/auth/login', { json: { identifier, password: candidate } });
      last = `login ${login.status} ${JSON.stringify(login.body).slice(0, 300)}`;
      if (login.status === 401) continue;
      if (login.status !== 200) break;
      if (!login.body.data.must_change_password) return login.body.data.access_token;
      const changed = await call<{ access_token: string }>('/api/v1/auth/change-password', { token: login.body.data.access_token, json: { current_password: candidate, new_password: next } });
      last = `change-password ${changed.status} ${JSON.stringify(changed.body).slice(0, 300)}`;
      if (changed.status === 200) return changed.body.data.access_token;
      break;
    }
    await sleep(2000);
  }
  throw new Error(`sign-in of ${identifier} failed: ${last}`);
}

/** Signs in with the login form and waits until the app left /login. */
export async function signInUi(page: Page, gateway: string, path: string, identifier: string, password: string): Promise<void> {
  await page.goto(`${gateway}${path}`);
  await page.getByRole('heading', { name: 'Ingresar' }).waitFor();
  await page.getByLabel(/^Documento o correo/).fill(identifier);
  await page.getByLabel(/^Contraseña/).fill(password);
  await page.getByRole('button', { name: 'Ingresar' }).click();
  await page.waitForURL((url) => url.pathname === path, { timeout: 15_000 });
}

/** A ficha, two instructors and three apprentices (users B1), a team, three ideas, the approved project, a rubric, a deliverable. */
export async function buildProject(api: Api, admin: string): Promise<ProjectWorld> {
  const as = { token: admin };
  const tag = String(Date.now()).slice(-6);
  const today = new Date().toISOString().slice(0, 10);
  const campus = await api.must<{ id: string }>(201, 'POST', '/api/v1/campuses', { ...as, json: { code: `PW${tag}`, name: `Sede proyectos web ${tag}` } });
  const program = await api.must<{ id: string }>(201, 'POST', '/api/v1/programs', { ...as, json: { code: `PWP${tag}`, name: 'Programa proyectos web', level: 'TECNICO', duration_months: 12 } });
  const fichaNumber = `9${tag}`;
  const group = await api.must<{ id: string }>(201, 'POST', '/api/v1/groups', { ...as, json: { number: fichaNumber, program_id: program.id, campus_id: campus.id, shift: 'MANANA', start_date: addDays(today, -30), end_date: addDays(today, 180) } });

  const docs = { advisor: `74${tag}`, juror: `75${tag}`, a1: `12${tag}1`, a2: `12${tag}2`, a3: `12${tag}3` };
  const csv = [
    'first_name,last_name,email,document_type,document_number,role,group_number',
    `Amparo,Asesora Web,asesora.web.${tag}@e2e.sicora.test,CC,${docs.advisor},instructor,`,
    `Julián,Jurado Web,jurado.web.${tag}@e2e.sicora.test,CC,${docs.juror},instructor,`,
    `Ana,Alba Primera,ana.web.${tag}@e2e.sicora.test,CC,${docs.a1},aprendiz,${fichaNumber}`,
    `Bruno,Beltrán Segundo,bruno.web.${tag}@e2e.sicora.test,CC,${docs.a2},aprendiz,${fichaNumber}`,
    `Carla,Castro Tercera,carla.web.${tag}@e2e.sicora.test,CC,${docs.a3},aprendiz,${fichaNumber}`,
  ].join('\n');
  const form = new FormData();
  form.append('file', new Blob([`${csv}\n`], { type: 'text/csv' }), 'personas.csv');
  const imported = await api.must<{ created_users: Array<{ id: string; document_number: string }> }>(201, 'POST', '/api/v1/users/import', { ...as, form });
  const person = async (doc: string): Promise<Person> => ({ id: imported.created_users.find((u) => u.document_number === doc)!.id, doc, token: await patientSignIn(api, doc, doc, PEOPLE_PASSWORD) });
  const advisor = await person(docs.advisor);
  const juror = await person(docs.juror);
  const apprentices = [await person(docs.a1), await person(docs.a2), await person(docs.a3)];

  const teamName = `Equipo Web ${tag}`;
  const team = await api.must<{ id: string }>(201, 'POST', `${P}/teams`, { ...as, json: { name: teamName, group_id: group.id, advisor_id: advisor.id, members: apprentices.map((a) => ({ student_id: a.id })), leader_id: apprentices[0].id } });
  await api.must(200, 'POST', `${P}/teams/${team.id}/activate`, { token: advisor.token });
  const ideas: Array<{ id: string }> = [];
  const titles = ['Inventario de la panadería escolar', 'Agenda de tutorías', 'Préstamo de equipos del ambiente'];
  for (const [i, title] of titles.entries()) ideas.push(await api.must(201, 'POST', `${P}/teams/${team.id}/ideas`, { token: apprentices[i].token, json: { title, description: 'Una descripción suficientemente larga de la idea del equipo.', objectives: 'Objetivos medibles del proyecto' } }));
  await api.must(200, 'POST', `${P}/ideas/${ideas[0].id}/decision`, { token: advisor.token, json: { decision: 'approve', viability_score: 88 } });
  const project = await api.must<{ id: string; title: string }>(201, 'POST', `${P}/projects`, { token: advisor.token, json: { idea_id: ideas[0].id, project_type: 'web_application', scope: 'Un sistema web de inventario para la panadería escolar.', expected_end_date: addDays(today, 120) } });
  const rubric = await api.must<{ id: string; criteria: Array<{ id: string; name: string }> }>(201, 'POST', `${P}/rubrics`, { ...as, json: { name: `Rúbrica web ${tag}`, criteria: [{ name: 'Producto', weight: 60 }, { name: 'Sustentación', weight: 40 }] } });
  await api.must(200, 'POST', `${P}/rubrics/${rubric.id}/activate`, as);
  const deliverable = await api.must<{ id: string; title: string }>(201, 'POST', `${P}/projects/${project.id}/deliverables`, { token: advisor.token, json: { title: 'Prototipo funcional', deliverable_type: 'source_code', due_at: new Date(Date.now() + 2 * 86_400_000).toISOString(), rubric_id: rubric.id } });
  return { advisor, juror, apprentices, teamName, projectTitle: project.title, deliverable, rubric };
}
