/**
 * evalin's demo data (evalin.md §11), step 6 of the embedded start: the demo fichas are read with the
 * service token through schedules (G1 `numbers`, G7, G8); then evalin's own tables are written directly,
 * with fixed `5eed…` ids, insert-if-absent, no outbox entry, and the completion recorded in seed_runs so an
 * interrupted first start finishes on the next one. Dates are relative to the local date of first start.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '@sicora/platform/db';
import { createServiceClient } from '@sicora/platform/http-client';
import { addDays, localDateOf, localToInstant } from '@sicora/platform/local-time';
import { createServiceTokenProvider } from '@sicora/platform/service-token';
import type { EvalinConfig } from '../config.ts';
import { DEFAULT_SETTINGS } from '../domain/config.ts';
import { fold, keyOf } from '../domain/text.ts';
import { comments, config as configTable, evaluations, periodGroups, periodGroupSnapshots, periodEvents, periods, questionnaireQuestions, questionnaires, questions, responseAnswers, responses, seedRuns } from '../infrastructure/db/schema.ts';
import { createSchedulesClient } from '../infrastructure/schedules.client.ts';

const DEMO_SEED = 'evalin-demo';
export const demoId = (kk: number, nn: number) => `5eed00${String(kk).padStart(2, '0')}-0000-4000-8000-${String(nn).padStart(12, '0')}`;
const DEMO_NUMBERS = ['2826503', '2901817'];

const STANDARD: Array<[string, string]> = [
  ['Metodología y Didáctica', 'El instructor explica los temas con claridad y con ejemplos del programa de formación.'],
  ['Metodología y Didáctica', 'Usa estrategias variadas (talleres, casos, proyectos) que facilitan el aprendizaje.'],
  ['Metodología y Didáctica', 'Relaciona las actividades con el proyecto formativo.'],
  ['Metodología y Didáctica', 'Promueve el trabajo autónomo y la investigación.'],
  ['Dominio del Tema', 'Demuestra dominio de la competencia que orienta.'],
  ['Dominio del Tema', 'Resuelve con seguridad las dudas técnicas.'],
  ['Dominio del Tema', 'Actualiza los contenidos con prácticas vigentes del sector productivo.'],
  ['Comunicación y Relación', 'Trata a los aprendices con respeto y cordialidad.'],
  ['Comunicación y Relación', 'Escucha y tiene en cuenta las opiniones del grupo.'],
  ['Comunicación y Relación', 'Atiende consultas en los espacios acordados.'],
  ['Organización y Puntualidad', 'Inicia y termina las sesiones a la hora programada.'],
  ['Organización y Puntualidad', 'Da a conocer desde el inicio la planeación y los criterios de evaluación.'],
  ['Organización y Puntualidad', 'Cumple lo planeado para el trimestre.'],
  ['Evaluación y Seguimiento', 'Evalúa según los criterios dados a conocer.'],
  ['Evaluación y Seguimiento', 'Entrega retroalimentación oportuna sobre las evidencias.'],
  ['Preguntas abiertas', '¿Qué aspectos de la formación con este instructor podrían mejorar?'],
  ['Preguntas abiertas', '¿Qué fortalezas destaca del instructor?'],
];

const SAMPLE_COMMENTS = [
  'Explica con mucha paciencia y siempre trae ejemplos del sector.',
  'Sería bueno tener más talleres prácticos en el ambiente de formación.',
  'Las guías de aprendizaje están muy bien organizadas.',
  'A veces la retroalimentación de las evidencias llega tarde.',
  'Motiva al grupo a investigar por cuenta propia.',
  'Las clases empiezan puntuales y se aprovecha bien el tiempo.',
  'Podría usar más la plataforma virtual para compartir material.',
  'Domina el tema y resuelve las dudas con seguridad.',
];

/** Deterministic pseudo-random numbers (mulberry32), so the demo is the same on every machine. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const quarterOf = (date: string) => Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;

export async function seedEvalinDemo(database: Database, config: EvalinConfig): Promise<void> {
  const db = database.db;
  if ((await db.select().from(seedRuns).where(eq(seedRuns.name, DEMO_SEED))).length) return;
  if (!config.serviceClientSecret) return;
  const tz = config.timezone;
  const now = new Date();
  const T = localDateOf(now, tz);
  const at = (days: number, edge: 'start' | 'end') => (edge === 'start' ? localToInstant(addDays(T, days), '00:00', tz) : new Date(localToInstant(addDays(T, days + 1), '00:00', tz).getTime() - 1));

  // Remote reads first (01-architecture §4): the demo fichas, their rosters and instructors.
  const tokens = createServiceTokenProvider({ usersUrl: config.serviceUrls.users, clientId: 'evalin', clientSecret: config.serviceClientSecret });
  const client = createServiceClient({ target: 'schedules', baseUrl: config.serviceUrls.schedules, tokenProvider: tokens, timeoutMs: 5000 });
  let fichas: Array<{ id: string; number: string; students: string[]; instructors: string[] }>;
  try {
    const found = await client.listAll<{ id: string; number: string }>('/api/v1/groups', { token: 'service', query: { numbers: DEMO_NUMBERS.join(',') } });
    const port = createSchedulesClient(client);
    fichas = await Promise.all(
      found.filter((g) => DEMO_NUMBERS.includes(g.number)).map(async (g) => ({
        id: g.id,
        number: g.number,
        students: (await port.apprentices(g.id)).map((a) => a.id),
        instructors: (await port.instructors(g.id, addDays(T, -7), addDays(T, 14))).map((i) => i.instructor_id),
      })),
    );
  } finally {
    await client.close();
  }
  if (fichas.length === 0) return;

  const rnd = random(20260310);
  const qIds = [...STANDARD.map((_, i) => demoId(1, i + 1)), demoId(1, 18), demoId(1, 19)];
  const questionRows = [
    ...STANDARD.map(([category, text], i) => {
      const stored = i >= 1 && i <= 14 ? `El instructor ${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
      const likert = i < 15;
      return { id: qIds[i], text: stored, textKey: keyOf(stored), searchText: fold(stored), questionType: likert ? ('likert' as const) : ('text' as const), category, options: null, isRequired: likert, orderIndex: STANDARD.slice(0, i).filter(([c]) => c === category).length + 1 };
    }),
    { id: qIds[17], text: '¿Con qué frecuencia el instructor usa la plataforma virtual de aprendizaje?', questionType: 'single_choice' as const, category: 'Recursos', options: ['Siempre', 'Casi siempre', 'A veces', 'Nunca'], isRequired: true, orderIndex: 1 },
    { id: qIds[18], text: '¿Qué recursos usa el instructor con mayor frecuencia?', questionType: 'multiple_choice' as const, category: 'Recursos', options: ['Guías de aprendizaje', 'Videos', 'Plataforma virtual', 'Laboratorios o ambientes especializados', 'Material impreso'], isRequired: true, orderIndex: 2 },
  ].map((q) => ({ ...q, textKey: keyOf(q.text), searchText: fold(q.text), createdAt: now, updatedAt: now }));
  const standardId = demoId(2, 1);
  const shortId = demoId(2, 2);
  const shortList = [0, 4, 7, 10, 17, 18, 15].map((i) => qIds[i]);

  const periodRows = [
    { id: demoId(3, 1), start: at(-120, 'start'), end: at(-91, 'end'), status: 'published' as const, questionnaireId: standardId, prefix: 'Evaluación de instructores' },
    { id: demoId(3, 2), start: at(-7, 'start'), end: at(13, 'end'), status: 'active' as const, questionnaireId: standardId, prefix: 'Evaluación de instructores' },
    { id: demoId(3, 3), start: at(30, 'start'), end: at(43, 'end'), status: 'draft' as const, questionnaireId: shortId, prefix: 'Seguimiento corto' },
  ].map((p) => {
    const startLocal = localDateOf(p.start, tz);
    return { ...p, name: `${p.prefix} ${startLocal.slice(0, 4)}-T${quarterOf(startLocal)}` };
  });

  await db.transaction(async (tx) => {
    await tx.insert(configTable).values({ id: 1, values: DEFAULT_SETTINGS, version: 1, updatedAt: now }).onConflictDoNothing();
    await tx.insert(questions).values(questionRows).onConflictDoNothing();
    await tx.insert(questionnaires).values([
      { id: standardId, name: 'Evaluación de instructores SENA', nameKey: keyOf('Evaluación de instructores SENA'), description: 'Cuestionario estándar de evaluación de instructores por los aprendices.', createdAt: now, updatedAt: now },
      { id: shortId, name: 'Seguimiento corto de la formación', nameKey: keyOf('Seguimiento corto de la formación'), description: 'Siete preguntas para un seguimiento intermedio.', createdAt: now, updatedAt: now },
    ]).onConflictDoNothing();
    await tx.insert(questionnaireQuestions).values([...qIds.slice(0, 17).map((questionId, i) => ({ questionnaireId: standardId, questionId, position: i + 1 })), ...shortList.map((questionId, i) => ({ questionnaireId: shortId, questionId, position: i + 1 }))]).onConflictDoNothing();
    for (const p of periodRows) {
      const closed = p.status === 'published';
      await tx.insert(periods).values({
        id: p.id, name: p.name, startDate: p.start, endDate: p.end, questionnaireId: p.questionnaireId, status: p.status,
        activatedAt: p.status === 'draft' ? null : p.start, closedAt: closed ? p.end : null, closedReason: closed ? 'end_date' : null, resultsPublishedAt: closed ? new Date(p.end.getTime() + 3 * 86_400_000) : null, createdAt: now, updatedAt: now,
      }).onConflictDoNothing();
      await tx.insert(periodGroups).values(fichas.map((f) => ({ periodId: p.id, groupId: f.id, groupNumber: f.number }))).onConflictDoNothing();
      await tx.insert(periodEvents).values({ id: demoId(4, periodRows.indexOf(p) + 1), periodId: p.id, action: 'create', toStatus: 'draft', createdAt: now }).onConflictDoNothing();
    }
    // The published period: its snapshot from today's rosters, ≈ 70 % of the pairs answered.
    const published = periodRows[0];
    await tx.insert(periodGroupSnapshots).values(fichas.map((f) => ({ periodId: published.id, groupId: f.id, studentIds: f.students, instructorIds: f.instructors, takenAt: published.end }))).onConflictDoNothing();
    let pendingLeft = 2;
    let n = 0;
    for (const f of fichas) {
      for (const s of f.students) {
        for (const i of f.instructors) {
          n += 1;
          const answer = rnd() < 0.7;
          if (!answer) continue;
          const submittedAt = new Date(published.start.getTime() + Math.floor(rnd() * (published.end.getTime() - published.start.getTime())));
          await tx.insert(evaluations).values({ id: demoId(5, n), periodId: published.id, instructorId: i, studentId: s, groupId: f.id, status: 'submitted', submittedAt, createdAt: submittedAt, updatedAt: submittedAt }).onConflictDoNothing();
          const [r] = await tx.insert(responses).values({ periodId: published.id, instructorId: i, groupId: f.id, questionnaireId: standardId }).returning({ id: responses.id });
          await tx.insert(responseAnswers).values(qIds.slice(0, 15).map((questionId, k) => ({ responseId: r.id, questionId, likertValue: k === 7 || k === 10 ? 4 + Math.floor(rnd() * 2) : 3 + Math.floor(rnd() * 3) })));
          if (rnd() < 0.3) {
            const status = pendingLeft > 0 ? 'pending' : 'approved';
            pendingLeft -= 1;
            await tx.insert(comments).values({ responseId: r.id, periodId: published.id, instructorId: i, groupId: f.id, questionId: qIds[16], text: SAMPLE_COMMENTS[Math.floor(rnd() * SAMPLE_COMMENTS.length)], status, flagged: false, moderatedAt: status === 'approved' ? published.end : null });
          }
        }
      }
    }
    // The active period: ≈ 40 % of the pairs submitted and 3 drafts.
    const active = periodRows[1];
    let drafts = 3;
    for (const f of fichas) {
      for (const s of f.students) {
        for (const i of f.instructors) {
          n += 1;
          const roll = rnd();
          if (roll < 0.4) {
            const submittedAt = new Date(active.start.getTime() + Math.floor(rnd() * (now.getTime() - active.start.getTime())));
            await tx.insert(evaluations).values({ id: demoId(5, n), periodId: active.id, instructorId: i, studentId: s, groupId: f.id, status: 'submitted', submittedAt, createdAt: submittedAt, updatedAt: submittedAt }).onConflictDoNothing();
            const [r] = await tx.insert(responses).values({ periodId: active.id, instructorId: i, groupId: f.id, questionnaireId: standardId }).returning({ id: responses.id });
            await tx.insert(responseAnswers).values(qIds.slice(0, 15).map((questionId) => ({ responseId: r.id, questionId, likertValue: 3 + Math.floor(rnd() * 3) })));
          } else if (drafts > 0) {
            drafts -= 1;
            await tx.insert(evaluations).values({ id: demoId(5, n), periodId: active.id, instructorId: i, studentId: s, groupId: f.id, status: 'draft', draftAnswers: qIds.slice(0, 5).map((question_id) => ({ question_id, value: 4 })), createdAt: now, updatedAt: now }).onConflictDoNothing();
          }
        }
      }
    }
    await tx.insert(seedRuns).values({ name: DEMO_SEED }).onConflictDoNothing();
  });
}
