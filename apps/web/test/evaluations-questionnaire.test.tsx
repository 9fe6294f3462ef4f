import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryHistory } from '@tanstack/react-router';
import { createSicoraClient } from '@sicora/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, createQueryClient } from '../src/app/app.tsx';
import { authedFetch } from '../src/lib/api.ts';
import { createSession } from '../src/lib/session.ts';
import { envelope, failure, fakeJwt, memoryStorage } from './helpers.tsx';

afterEach(cleanup);

const exp = Math.floor(Date.now() / 1000) + 3600;
const claims = { sub: 'a1', role: 'aprendiz', name: 'Ana Alba Primera', group_number: '2826503', group_id: 'g1', exp };
const LIKERT = [
  { value: 1, label: 'Totalmente en desacuerdo' },
  { value: 2, label: 'En desacuerdo' },
  { value: 3, label: 'Ni de acuerdo ni en desacuerdo' },
  { value: 4, label: 'De acuerdo' },
  { value: 5, label: 'Totalmente de acuerdo' },
];
const question = (id: string, position: number, text: string, type: string, required: boolean) => ({
  id, position, text, description: null, question_type: type, category: 'Dominio del Tema', options: null, is_required: required,
});
const FORM = {
  period: { id: 'p1', name: 'Evaluación de instructores 2026-T4', start_date: '2026-11-30T05:00:00Z', end_date: '2026-12-21T04:59:59Z', days_remaining: 14 },
  instructor: { id: 'i1', name: 'Carlos Andrés Rodríguez Peña' },
  questionnaire: { id: 'q', name: 'Evaluación de instructores SENA', description: null },
  questions: [
    question('q1', 1, 'El instructor explica los temas con claridad.', 'likert', true),
    question('q2', 2, 'El instructor resuelve con seguridad las dudas técnicas.', 'likert', true),
    question('q3', 3, '¿Qué fortalezas destaca del instructor?', 'text', false),
  ],
  likert_scale: LIKERT,
  small_group_warning: true,
  evaluation: null,
};
const CONFIG = { settings: { min_responses_for_results: 4, min_participation_percent_for_average: 20 }, limits: { general_comment_max: 1000, text_answer_max: 1000 }, version: 1 };

function renderApp(server: (req: Request, body: unknown) => Response | Promise<Response>) {
  const session = createSession({ storage: memoryStorage(), refresh: vi.fn() });
  session.establish({ access_token: fakeJwt(claims), refresh_token: 'r' });
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  const fetcher = authedFetch(session, (async (req: Request) => {
    const text = req.method === 'GET' ? '' : await req.text();
    const body = text ? JSON.parse(text) : undefined;
    const path = new URL(req.url).pathname;
    calls.push({ method: req.method, path, body });
    if (path === '/api/v1/evalin/config') return envelope(CONFIG);
    if (path === '/api/v1/notifications/inbox/unread-count') return envelope({ unread: 0 });
    return server(req, body);
  }) as never);
  const api = createSicoraClient({ baseUrl: 'http://sicora.test', fetch: fetcher });
  render(
    <App
      services={{ session, api, baseUrl: 'http://sicora.test', authedFetch: fetcher }}
      queryClient={createQueryClient()}
      history={createMemoryHistory({ initialEntries: ['/evaluaciones/i1?periodo=p1'] })}
    />,
  );
  return calls;
}

const questionBox = (id: string) => within(document.querySelector(`[data-question="${id}"]`) as HTMLElement);
const writes = (calls: Array<{ method: string; path: string }>) => calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);

describe('the questionnaire for one instructor (evalin E31–E35) at /evaluaciones/:instructor', () => {
  it('when required answers are missing, then nothing is sent and each is marked; a partial draft is saved with E32 submit=false; once complete it is sent with E34 then E35 after confirmation', async () => {
    const calls = renderApp((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/evalin/questionnaires/for-instructor/i1') return envelope(FORM);
      if (path === '/api/v1/evalin/evaluations' && req.method === 'POST') return envelope({ id: 'e1', status: 'draft' }, 201);
      if (path === '/api/v1/evalin/evaluations/e1' && req.method === 'PUT') return envelope({ id: 'e1', status: 'draft' });
      if (path === '/api/v1/evalin/evaluations/e1/submit') return envelope({ id: 'e1', status: 'submitted' });
      if (path === '/api/v1/evalin/instructors-to-evaluate') return envelope({ periods: [] });
      return failure(404, 'NOT_FOUND');
    });

    expect(await screen.findByRole('heading', { name: 'Evaluar a Carlos Andrés Rodríguez Peña' }, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByText('Su evaluación es anónima')).toBeTruthy();
    expect(screen.getByText(/si al menos 4 aprendices respondieron/)).toBeTruthy();
    expect(screen.getByText('Grupo pequeño')).toBeTruthy();
    expect(calls.find((c) => c.path.endsWith('/for-instructor/i1'))).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Enviar evaluación' }));
    expect(await screen.findByText('Faltan 2 respuestas obligatorias.')).toBeTruthy();
    expect(questionBox('q1').getByText('Esta pregunta es obligatoria.')).toBeTruthy();
    expect(questionBox('q2').getByText('Esta pregunta es obligatoria.')).toBeTruthy();
    expect(questionBox('q3').queryByText('Esta pregunta es obligatoria.')).toBeNull();
    expect(writes(calls)).toEqual([]);

    fireEvent.click(questionBox('q1').getByLabelText('4 · De acuerdo'));
    expect(questionBox('q1').queryByText('Esta pregunta es obligatoria.')).toBeNull();
    expect(screen.getByText('Obligatorias respondidas: 1 de 2')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    expect(await screen.findByText(/Borrador guardado a las/)).toBeTruthy();
    expect(calls.filter((c) => c.method !== 'GET').at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/evalin/evaluations', body: { period_id: 'p1', instructor_id: 'i1', answers: [{ question_id: 'q1', value: 4 }], submit: false } });

    fireEvent.click(questionBox('q2').getByLabelText('5 · Totalmente de acuerdo'));
    fireEvent.change(questionBox('q3').getByRole('textbox'), { target: { value: '  Explica con ejemplos del sector.  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Enviar evaluación' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/no se puede modificar/)).toBeTruthy();
    expect(writes(calls)).toEqual(['POST /api/v1/evalin/evaluations']);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Enviar' }));

    expect(await screen.findByRole('heading', { name: 'Evaluación enviada' }, { timeout: 5_000 })).toBeTruthy();
    expect(writes(calls)).toEqual(['POST /api/v1/evalin/evaluations', 'PUT /api/v1/evalin/evaluations/e1', 'POST /api/v1/evalin/evaluations/e1/submit']);
    expect(calls.find((c) => c.method === 'PUT')!.body).toEqual({
      answers: [
        { question_id: 'q1', value: 4 },
        { question_id: 'q2', value: 5 },
        { question_id: 'q3', value: 'Explica con ejemplos del sector.' },
      ],
    });
  });

  it('when a draft exists, then its answers are marked; when the server refuses the submission as incomplete, then the question it names is marked and what was typed stays', async () => {
    const calls = renderApp((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/evalin/questionnaires/for-instructor/i1')
        return envelope({ ...FORM, small_group_warning: false, evaluation: { id: 'e9', status: 'draft', answers: [{ question_id: 'q1', value: 2 }, { question_id: 'q2', value: 3 }], general_comment: 'Buen curso' } });
      if (path === '/api/v1/evalin/evaluations/e9' && req.method === 'PUT') return envelope({ id: 'e9', status: 'draft' });
      if (path === '/api/v1/evalin/evaluations/e9/submit') return failure(422, 'INCOMPLETE_EVALUATION', 'Faltan respuestas obligatorias', { missing_question_ids: ['q2'] });
      return failure(404, 'NOT_FOUND');
    });
    await screen.findByRole('heading', { name: 'Evaluar a Carlos Andrés Rodríguez Peña' }, { timeout: 10_000 });
    expect(screen.queryByText('Grupo pequeño')).toBeNull();
    expect((questionBox('q1').getByLabelText('2 · En desacuerdo') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText(/^Comentario general/) as HTMLTextAreaElement).value).toBe('Buen curso');

    fireEvent.click(screen.getByRole('button', { name: 'Enviar evaluación' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Enviar' }));
    expect(await screen.findByText('Faltan respuestas obligatorias')).toBeTruthy();
    await waitFor(() => expect(questionBox('q2').getByText('Esta pregunta es obligatoria.')).toBeTruthy());
    expect(questionBox('q1').queryByText('Esta pregunta es obligatoria.')).toBeNull();
    expect(writes(calls)).toEqual(['PUT /api/v1/evalin/evaluations/e9', 'POST /api/v1/evalin/evaluations/e9/submit']);
    expect((screen.getByLabelText(/^Comentario general/) as HTMLTextAreaElement).value).toBe('Buen curso');
    expect(screen.queryByRole('heading', { name: 'Evaluación enviada' })).toBeNull();
  });
});
