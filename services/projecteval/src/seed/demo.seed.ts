/**
 * Demo data of projecteval.md §11, step 6 of the embedded start (the manifest's `httpSeed`): ficha
 * 2826503 from schedules (G3, G7) and the demo instructors from users (U12) are read first; then every
 * row is written in one transaction straight into projecteval's tables (no endpoint, so no time guard;
 * no outbox row), with fixed `5eedc0de-…` ids, and the completion is recorded in `seed_runs`. A failed run
 * writes nothing and runs again at the next start. T = the local date of the run.
 */
import { createHash } from 'node:crypto';
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { createServiceClient } from '@sicora/platform/http-client';
import { createServiceTokenProvider } from '@sicora/platform/service-token';
import type { ProjectevalConfig } from '../config.ts';
import type { Apprentice, SchedulesPort, UsersPort } from '../application/ports.ts';
import { DEFAULT_BANDS, evaluationTotal, submissionResult } from '../domain/grading.ts';
import { storageKeyFor } from '../domain/files.ts';
import { addDays, localDate, startOfLocalDay } from '../domain/time.ts';
import { seedRuns } from '../infrastructure/db/schema.ts';
import { createUnitOfWork } from '../infrastructure/repositories.ts';
import { createSchedulesClient } from '../infrastructure/schedules.client.ts';
import { createUsersClient } from '../infrastructure/users.client.ts';

export const DEMO_SEED = 'projecteval-demo';
export const DEMO_GROUP_ID = '5eed0005-0000-4000-8000-000000000001';
export const demoUserId = (nn: number) => `5eed0001-0000-4000-8000-${String(nn).padStart(12, '0')}`;
/** Fixed ids of this seed: `5eedc0de-<kind>-4000-8000-<n>`. */
export const seedId = (kind: number, n: number) => `5eedc0de-${String(kind).padStart(4, '0')}-4000-8000-${String(n).padStart(12, '0')}`;

const ADVISOR_1 = demoUserId(10);
const ADVISOR_2 = demoUserId(11);

export interface DemoSeedOptions {
  schedules: SchedulesPort;
  users: UsersPort;
  filesDir: string;
  now?: () => Date;
  timeZone: string;
}

const md = (title: string, body: string) => Buffer.from(`# ${title}\n\n${body}\n`, 'utf8');

export async function seedProjectevalDemo(database: Database, o: DemoSeedOptions): Promise<'seeded' | 'skipped'> {
  const db = database.db;
  if ((await db.select().from(seedRuns).where(eq(seedRuns.name, DEMO_SEED))).length) return 'skipped';
  const group = await o.schedules.group(DEMO_GROUP_ID);
  if (!group) return 'skipped';
  const roster: Apprentice[] = await o.schedules.apprentices(group.id);
  const people = await o.users.lookup([ADVISOR_1, ADVISOR_2, ...roster.map((a) => a.id)]);
  const active = new Set(people.filter((p) => p.is_active).map((p) => p.id));
  const apprentices = roster.filter((a) => active.has(a.id));
  if (apprentices.length < 7 || !active.has(ADVISOR_1) || !active.has(ADVISOR_2)) return 'skipped';
  const now = (o.now ?? (() => new Date()))();
  const T = localDate(now, o.timeZone);
  const day = (offset: number, time = '00:00') => new Date(startOfLocalDay(addDays(T, offset), o.timeZone).getTime() + (Number(time.slice(0, 2)) * 60 + Number(time.slice(3))) * 60_000);
  const files: Array<{ key: string; content: Buffer }> = [];
  const withTx = createUnitOfWork(db);

  await withTx(async (tx) => {
    const at = day(-60, '08:00');
    // Rubrics.
    const rubric = async (n: number, name: string, status: 'active' | 'draft', criteria: Array<[string, number]>) => {
      await tx.rubrics.insert({ id: seedId(1, n), name, programCode: 'ADSO', status, createdBy: demoUserId(2), activatedAt: status === 'active' ? at : null, createdAt: at, updatedAt: at });
      await tx.rubrics.replaceContent(seedId(1, n), criteria.map(([cname, weight], i) => ({ id: seedId(2, n * 100 + i + 1), position: i + 1, name: cname, weight, levels: [] })), DEFAULT_BANDS);
    };
    await rubric(1, 'Rúbrica de desarrollo de software ADSO', 'active', [['Funcionalidad', 20], ['Calidad del código', 15], ['Arquitectura', 15], ['Documentación', 10], ['Pruebas', 15], ['Despliegue', 10], ['Seguridad', 10], ['Rendimiento', 5]]);
    await rubric(2, 'Rúbrica de sustentación de avance', 'active', [['Dominio técnico', 30], ['Presentación y comunicación', 20], ['Documentación', 20], ['Innovación', 15], ['Trabajo en equipo', 15]]);
    await rubric(3, 'Rúbrica de entrega final', 'draft', [['Producto', 40], ['Sustentación', 30], ['Documentación', 20]]);

    // Stakeholders.
    const stake = [
      ['Panadería La Espiga S.A.S.', 'company', 'Martha Lucía Rincón', 'contacto@laespiga.example', 'Alimentos'],
      ['Fundación Huellas de Esperanza', 'ngo', 'Jorge Iván Pardo', 'contacto@huellas.example', 'Bienestar animal'],
      ['Junta de Acción Comunal Barrio Modelia', 'ngo', 'Luz Dary Castaño', 'jac@modelia.example', 'Comunitario'],
    ] as const;
    for (const [i, [name, type, contact, email, sector]] of stake.entries()) await tx.stakeholders.insert({ id: seedId(3, i + 1), name, stakeholderType: type, contactPerson: contact, email, sector, createdBy: ADVISOR_1, createdAt: at, updatedAt: at });

    // Teams.
    const team = async (n: number, name: string, advisor: string, members: Apprentice[]) => {
      await tx.teams.insert({ id: seedId(4, n), name, groupId: group.id, groupNumber: group.number, advisorId: advisor, leaderId: members[0].id, status: 'active', createdBy: advisor, createdAt: at, updatedAt: at });
      await tx.teams.addMembers(members.map((m, i) => ({ teamId: seedId(4, n), studentId: m.id, role: (['member', 'developer', 'analyst', 'tester'] as const)[i % 4], joinedAt: at })));
    };
    const innovadores = apprentices.slice(0, 4);
    const verde = apprentices.slice(4, 7);
    await team(1, 'Equipo Innovadores', ADVISOR_1, innovadores);
    await team(2, 'Equipo CódigoVerde', ADVISOR_2, verde);

    // Ideas.
    const idea = async (n: number, teamN: number, title: string, status: 'approved' | 'not_selected' | 'proposed', by: string, extra: { score?: number; stakeholder?: string } = {}) =>
      tx.ideas.insert({
        id: seedId(5, n), teamId: seedId(4, teamN), title, status, proposedBy: by,
        description: `Propuesta del equipo: ${title}. Resuelve una necesidad real de la comunidad con software.`,
        objectives: 'Construir un producto mínimo viable y validarlo con el aliado.', technologies: ['TypeScript', 'PostgreSQL'],
        stakeholderId: extra.stakeholder ?? null, viabilityScore: extra.score ?? null,
        decidedBy: status === 'proposed' ? null : ADVISOR_1, decidedAt: status === 'proposed' ? null : day(-61), createdAt: day(-70), updatedAt: day(-61),
      });
    await idea(1, 1, 'Sistema de inventario y pedidos para Panadería La Espiga', 'approved', innovadores[0].id, { score: 88, stakeholder: seedId(3, 1) });
    await idea(2, 1, 'Plataforma de adopción de mascotas', 'not_selected', innovadores[1].id);
    await idea(3, 1, 'Reservas del salón comunal', 'not_selected', innovadores[2].id);
    await idea(4, 2, 'Portal de voluntariado', 'proposed', verde[0].id);
    await idea(5, 2, 'Préstamos de la biblioteca comunitaria', 'proposed', verde[1].id);
    await idea(6, 2, 'Tablero de indicadores de reciclaje', 'proposed', verde[2].id);

    // Project, scope locked.
    const projectId = seedId(6, 1);
    await tx.projects.insert({
      id: projectId, teamId: seedId(4, 1), ideaId: seedId(5, 1), title: 'Sistema de inventario y pedidos para Panadería La Espiga',
      description: 'Aplicación web para controlar el inventario de insumos y los pedidos de la panadería.', objectives: 'Reducir pérdidas de inventario y ordenar los pedidos.',
      scope: 'Inventario de insumos, pedidos de clientes, reportes de ventas diarias y usuarios con roles.', technologies: ['TypeScript', 'React', 'PostgreSQL'],
      projectType: 'web_application', stakeholderId: seedId(3, 1), scopeLocked: true, scopeLockedAt: day(-55), scopeLockedBy: ADVISOR_1, scopeLockReason: 'Alcance acordado con el aliado en la reunión inicial.',
      startDate: addDays(T, -60), expectedEndDate: addDays(T, 120), createdBy: ADVISOR_1, createdAt: at, updatedAt: day(-55),
    });

    // Deliverables.
    const deliverable = (n: number, title: string, type: 'documentation' | 'source_code', due: number, rubricN: number, weight: number) =>
      tx.deliverables.insert({ id: seedId(7, n), projectId, title, deliverableType: type, dueAt: day(due, '23:59'), rubricId: seedId(1, rubricN), weight, createdBy: ADVISOR_1, createdAt: at, updatedAt: at });
    await deliverable(1, 'Documento de requisitos y casos de uso', 'documentation', -20, 2, 1);
    await deliverable(2, 'Prototipo funcional del módulo de inventario', 'source_code', 10, 1, 2);
    await deliverable(3, 'Entrega final y despliegue', 'source_code', 70, 1, 2);

    // A stored Markdown file.
    const stored = async (n: number, name: string, content: Buffer, when: Date, by: string) => {
      const id = seedId(8, n);
      const key = storageKeyFor(id, when);
      files.push({ key, content });
      await tx.submissions.insertFile({ id, storageKey: key, originalName: name, mimeType: 'text/markdown; charset=utf-8', sizeBytes: content.length, sha256: createHash('sha256').update(content).digest('hex'), uploadedBy: by, createdAt: when });
      return id;
    };

    // The requirements document, heard and published.
    const submittedAt = day(-21, '18:00');
    const submissionId = seedId(9, 1);
    await tx.submissions.insert({ id: submissionId, deliverableId: seedId(7, 1), projectId, teamId: seedId(4, 1), version: 1, status: 'in_evaluation', repositoryUrl: 'https://github.com/demo-sena/panaderia-la-espiga', submittedBy: innovadores[0].id, submittedAt, createdAt: submittedAt, updatedAt: submittedAt });
    const reqFile = await stored(1, 'requisitos.md', md('Documento de requisitos', 'Casos de uso: registrar insumo, registrar pedido, consultar ventas del día.'), submittedAt, innovadores[0].id);
    await tx.submissions.attach([{ id: seedId(10, 1), submissionId, storedFileId: reqFile, originalName: 'requisitos.md' }]);
    const heardAt = day(-15, '08:00');
    const sessionId = seedId(11, 1);
    await tx.sessions.insert({ id: sessionId, title: `Sustentación de requisitos – Ficha ${group.number}`, sessionType: 'progress_review', startsAt: heardAt, location: 'Ambiente 301 – Sede Calle 52', status: 'completed', organizerId: ADVISOR_1, chairId: ADVISOR_1, startedAt: heardAt, completedAt: day(-15, '09:00'), createdAt: day(-25), updatedAt: day(-15, '09:00') });
    await tx.sessions.addJurors(sessionId, [ADVISOR_1, ADVISOR_2]);
    for (const j of [ADVISOR_1, ADVISOR_2]) await tx.sessions.updateJuror(sessionId, j, { status: 'confirmed', isPanel: true, respondedAt: day(-24) });
    await tx.sessions.replaceAgenda(sessionId, [submissionId]);
    const criteria = await tx.rubrics.criteria(seedId(1, 2));
    const juror = async (n: number, evaluator: string, value: number) => {
      const scores = new Map(criteria.map((c) => [c.id, value]));
      const total = evaluationTotal(criteria, scores);
      await tx.evaluations.insert({ id: seedId(12, n), submissionId, sessionId, evaluatorId: evaluator, rubricId: seedId(1, 2), status: 'published', generalComments: 'Requisitos claros y bien priorizados.', totalScore: total.toFixed(1), bandCode: total >= 80 ? 'B' : 'C', completedAt: day(-15, '08:40'), publishedAt: day(-14), createdAt: heardAt, updatedAt: day(-14) });
      await tx.evaluations.upsertScores(seedId(12, n), criteria.map((c) => ({ criterionId: c.id, score: value, comment: null })));
      return scores;
    };
    const j1 = await juror(1, ADVISOR_1, 84.5);
    const j2 = await juror(2, ADVISOR_2, 80);
    const result = submissionResult(criteria, DEFAULT_BANDS, [j1, j2]);
    await tx.submissions.update(submissionId, {
      status: 'published', finalScore: result.final_score.toFixed(1), bandCode: result.band.code, bandLabel: result.band.label, isPassing: result.band.is_passing,
      scoreSpread: result.score_spread.toFixed(1), needsCalibration: result.needs_calibration, criterionAverages: result.criterion_averages, publishedBy: ADVISOR_1, publishedAt: day(-14), updatedAt: day(-14),
    });

    // The next session: scheduled, one juror confirmed, empty agenda.
    const next = seedId(11, 2);
    await tx.sessions.insert({ id: next, title: 'Revisión de avance – Prototipo', sessionType: 'progress_review', startsAt: day(12, '08:00'), location: 'Ambiente 301 – Sede Calle 52', organizerId: ADVISOR_1, chairId: ADVISOR_1, createdAt: at, updatedAt: at });
    await tx.sessions.addJurors(next, [ADVISOR_1, ADVISOR_2]);
    await tx.sessions.updateJuror(next, ADVISOR_1, { status: 'confirmed', respondedAt: day(-1) });

    // A stakeholder change request.
    await tx.changeRequests.insert({
      id: seedId(13, 1), projectId, origin: 'stakeholder', stakeholderId: seedId(3, 1), requestedBy: ADVISOR_1, changeType: 'scope', priority: 'medium', status: 'submitted',
      title: 'Agregar módulo de domicilios', description: 'La panadería quiere registrar y seguir los domicilios de sus clientes desde el sistema.', justification: 'Los domicilios son el 30 % de las ventas.',
      proposedChanges: { scope: 'Inventario de insumos, pedidos de clientes, domicilios, reportes de ventas diarias y usuarios con roles.' }, quarter: `${T.slice(0, 4)}-Q${Math.floor((Number(T.slice(5, 7)) - 1) / 3) + 1}`, createdAt: day(-2), updatedAt: day(-2),
    });

    // Documents.
    await tx.documents.insert({ id: seedId(14, 1), projectId, title: 'Especificación de requisitos (SRS)', documentType: 'requirements', status: 'approved', currentVersion: 2, approvedVersion: 2, reviewedBy: ADVISOR_1, reviewedAt: day(-18), createdBy: innovadores[0].id, createdAt: day(-30), updatedAt: day(-18) });
    await tx.documents.addVersion({ documentId: seedId(14, 1), version: 1, storedFileId: await stored(2, 'srs-v1.md', md('SRS', 'Versión inicial.'), day(-30), innovadores[0].id), uploadedBy: innovadores[0].id, uploadedAt: day(-30) });
    await tx.documents.addVersion({ documentId: seedId(14, 1), version: 2, storedFileId: await stored(3, 'srs-v2.md', md('SRS', 'Con casos de uso y requisitos no funcionales.'), day(-20), innovadores[1].id), changeNote: 'Casos de uso completos', uploadedBy: innovadores[1].id, uploadedAt: day(-20) });
    await tx.documents.insert({ id: seedId(14, 2), projectId, title: 'Manual de usuario', documentType: 'user_manual', createdBy: innovadores[2].id, createdAt: day(-3), updatedAt: day(-3) });
    await tx.documents.addVersion({ documentId: seedId(14, 2), version: 1, storedFileId: await stored(4, 'manual.md', md('Manual de usuario', 'Borrador: ingreso, inventario y pedidos.'), day(-3), innovadores[2].id), uploadedBy: innovadores[2].id, uploadedAt: day(-3) });

    // Files land before the completion row commits: a failure before here leaves no row behind.
    for (const f of files) {
      const path = join(o.filesDir, f.key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.content);
    }
  });
  await db.insert(seedRuns).values({ name: DEMO_SEED }).onConflictDoNothing();
  return 'seeded';
}

/** The manifest's `httpSeed`: uncached clients with this service's token, then the seed. */
export async function httpDemoSeed(database: Database, config: ProjectevalConfig): Promise<void> {
  const tokenProvider = createServiceTokenProvider({ usersUrl: config.serviceUrls.users, clientId: config.service, clientSecret: config.serviceClientSecret ?? '' });
  const schedules = createServiceClient({ target: 'schedules', baseUrl: config.serviceUrls.schedules, tokenProvider, timeoutMs: 3000 });
  const users = createServiceClient({ target: 'users', baseUrl: config.serviceUrls.users, tokenProvider, timeoutMs: 3000 });
  try {
    const filesDir = config.settings.PROJECTEVAL_FILES_DIR ?? join(resolve(config.dataDir), 'projecteval', 'files');
    await seedProjectevalDemo(database, { schedules: createSchedulesClient(schedules), users: createUsersClient(users), filesDir, timeZone: config.timezone });
  } finally {
    await schedules.close();
    await users.close();
  }
}


