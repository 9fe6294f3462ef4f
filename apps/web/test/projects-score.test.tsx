import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Evaluation, Rubric } from '../src/features/projects/api/types.ts';
import { bandFor, validScore, weightedTotal } from '../src/features/projects/components/grading.ts';
import { DEFAULT_BANDS } from '../src/features/projects/components/rubric-editor.tsx';
import { ScoreForm } from '../src/features/projects/components/score-form.tsx';
import { ApiError } from '../src/lib/errors.ts';
import { renderUi } from './helpers.tsx';

afterEach(cleanup);
// happy-dom has no FontFaceSet; Mantine's autosizing textarea listens to it.
if (!('fonts' in document)) Object.defineProperty(document, 'fonts', { value: { addEventListener: () => undefined, removeEventListener: () => undefined } });

const rubric: Rubric = {
  id: 'r1',
  name: 'Rúbrica de sustentación',
  description: null,
  program_code: null,
  trimester: null,
  status: 'active',
  version: 1,
  weight_total: 100,
  usage_count: 1,
  criteria: [
    { id: 'c1', position: 1, name: 'Producto', description: 'Funciona lo prometido', weight: 60, levels: [{ label: 'Sobresaliente', description: 'Todo funciona', min_score: 90, max_score: 100 }] },
    { id: 'c2', position: 2, name: 'Sustentación', description: null, weight: 40, levels: [] },
  ],
  grade_bands: DEFAULT_BANDS,
};

const evaluation = (over: Partial<Evaluation>): Evaluation => ({
  id: 'e1',
  submission_id: 's1',
  session_id: 'x1',
  evaluator_id: 'j1',
  evaluator_name: 'Jurado Uno',
  rubric_id: 'r1',
  status: 'draft',
  general_comments: null,
  recommendations: null,
  total_score: null,
  band_code: null,
  completed_at: null,
  scores: [],
  ...over,
});

const scoreInput = (name: string) => screen.getByLabelText(`Nota de ${name}`) as HTMLInputElement;
const type = (name: string, value: string) => fireEvent.change(scoreInput(name), { target: { value } });

describe('grading arithmetic (projecteval R31, R32, R17)', () => {
  it('when the default software rubric gets 90, 85, 80, 75, 70, 65, 60, 55, then the total is 76.0, band C (US-PEV-09)', () => {
    const weights = [20, 15, 15, 10, 15, 10, 10, 5];
    const criteria = weights.map((weight, i) => ({ id: `c${i}`, weight }));
    const scores = Object.fromEntries([90, 85, 80, 75, 70, 65, 60, 55].map((s, i) => [`c${i}`, s]));
    const total = weightedTotal(criteria, scores);
    expect(total).toBe(76);
    expect(bandFor(DEFAULT_BANDS, total)?.code).toBe('C');
  });

  it('rounds half-up in tenths, is null while a criterion is missing, and refuses 100.5 and 87.25', () => {
    // 87.5 × 0.5 + 80.0 × 0.5 = 83.75 → 83.8 (binary floating point would give 83.7 with a naive round)
    expect(weightedTotal([{ id: 'a', weight: 50 }, { id: 'b', weight: 50 }], { a: 87.5, b: 80 })).toBe(83.8);
    expect(weightedTotal([{ id: 'a', weight: 50 }, { id: 'b', weight: 50 }], { a: 87.5 })).toBeNull();
    expect(validScore(100.5)).toBe(false);
    expect(validScore(87.25)).toBe(false);
    expect(validScore(87.2)).toBe(true);
    expect(bandFor(DEFAULT_BANDS, 59.9)).toMatchObject({ code: 'F', is_passing: false });
    expect(bandFor(DEFAULT_BANDS, 90)).toMatchObject({ code: 'A' });
  });
});

describe('ScoreForm', () => {
  it('when a juror types scores, then the weighted total and band follow, and completing waits until every criterion is scored', async () => {
    const onComplete = vi.fn(async () => undefined);
    renderUi(<ScoreForm rubric={rubric} evaluation={null} onSave={vi.fn()} onComplete={onComplete} onReopen={vi.fn()} />);
    expect(screen.getByText('Peso 60 %')).toBeTruthy();
    expect(screen.getByText('Peso 40 %')).toBeTruthy();
    expect(screen.getByText(/Todo funciona/)).toBeTruthy();
    const complete = screen.getByRole('button', { name: 'Completar evaluación' }) as HTMLButtonElement;
    expect(complete.disabled).toBe(true);
    type('Producto', '90');
    expect(screen.getByTestId('total').textContent).toBe('Nota ponderada: —');
    expect(screen.getByText('Falta 1 criterio por calificar.')).toBeTruthy();
    expect(complete.disabled).toBe(true);
    type('Sustentación', '80');
    // 90 × 0.6 + 80 × 0.4 = 86.0 → B
    expect(screen.getByTestId('total').textContent).toBe('Nota ponderada: 86,0 · B Bueno');
    expect(complete.disabled).toBe(false);
    fireEvent.change(screen.getByLabelText('Comentario sobre Producto'), { target: { value: 'Muy completo' } });
    fireEvent.click(complete);
    await waitFor(() => expect(onComplete).toHaveBeenCalledTimes(1));
    expect(onComplete).toHaveBeenCalledWith({
      scores: [
        { criterion_id: 'c1', score: 90, comment: 'Muy completo' },
        { criterion_id: 'c2', score: 80, comment: null },
      ],
      general_comments: null,
      recommendations: null,
    });
    expect(await screen.findByText('Evaluación completada.')).toBeTruthy();
  });

  it('when a draft is saved with one criterion left, then the unscored one is sent as null and a failing total reads "no aprueba"', async () => {
    const onSave = vi.fn(async () => undefined);
    renderUi(<ScoreForm rubric={rubric} evaluation={evaluation({ scores: [{ criterion_id: 'c2', criterion_name: 'Sustentación', weight: 40, score: 40, comment: 'Poco claro' }] })} onSave={onSave} onComplete={vi.fn()} onReopen={vi.fn()} />);
    expect(scoreInput('Sustentación').value).toBe('40');
    expect((screen.getByLabelText('Comentario sobre Sustentación') as HTMLTextAreaElement).value).toBe('Poco claro');
    fireEvent.click(screen.getByRole('button', { name: 'Guardar borrador' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]).toEqual([{ scores: [{ criterion_id: 'c1', score: null, comment: null }, { criterion_id: 'c2', score: 40, comment: 'Poco claro' }], general_comments: null, recommendations: null }]);
    expect(await screen.findByText('Borrador guardado.')).toBeTruthy();
    type('Producto', '50');
    // 50 × 0.6 + 40 × 0.4 = 46.0 → F
    expect(screen.getByTestId('total').textContent).toBe('Nota ponderada: 46,0 · F Insuficiente (no aprueba)');
  });

  it('when a juror types 100,5 or 87,25, then the field keeps the score inside 0–100 with one decimal (R31)', () => {
    renderUi(<ScoreForm rubric={rubric} evaluation={null} onSave={vi.fn()} onComplete={vi.fn()} onReopen={vi.fn()} />);
    type('Producto', '100,5');
    type('Sustentación', '87,25');
    expect(scoreInput('Producto').value).toBe('100');
    expect(scoreInput('Sustentación').value).toBe('87,2');
    // 100 × 0.6 + 87.2 × 0.4 = 94.88 → 94.9 → A
    expect(screen.getByTestId('total').textContent).toBe('Nota ponderada: 94,9 · A Excelente');
    expect(screen.queryByText('La nota debe estar entre 0 y 100 con un decimal')).toBeNull();
  });

  it('when the server answers INCOMPLETE_SCORES, then the missing criteria are named', async () => {
    const onComplete = vi.fn(async () => {
      throw new ApiError({ code: 'INCOMPLETE_SCORES', status: 422, message: 'Faltan criterios por calificar', details: { missing_criterion_ids: ['c2'] } });
    });
    renderUi(<ScoreForm rubric={rubric} evaluation={null} onSave={vi.fn()} onComplete={onComplete} onReopen={vi.fn()} />);
    type('Producto', '70');
    type('Sustentación', '70');
    fireEvent.click(screen.getByRole('button', { name: 'Completar evaluación' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Faltan criterios por calificar (Sustentación)');
    expect(screen.getByText('Falta la nota')).toBeTruthy();
  });

  it('when the evaluation is completed, then every field is read-only and only "Reabrir" acts; a published one offers nothing', async () => {
    const onReopen = vi.fn(async () => undefined);
    const done = evaluation({
      status: 'completed',
      total_score: 86,
      band_code: 'B',
      scores: [
        { criterion_id: 'c1', criterion_name: 'Producto', weight: 60, score: 90, comment: null },
        { criterion_id: 'c2', criterion_name: 'Sustentación', weight: 40, score: 80, comment: null },
      ],
    });
    renderUi(<ScoreForm rubric={rubric} evaluation={done} onSave={vi.fn()} onComplete={vi.fn()} onReopen={onReopen} />);
    expect(screen.getByText('Completada')).toBeTruthy();
    expect(scoreInput('Producto').disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Guardar borrador' })).toBeNull();
    expect(screen.getByTestId('total').textContent).toBe('Nota ponderada: 86,0 · B Bueno');
    fireEvent.click(screen.getByRole('button', { name: 'Reabrir para corregir' }));
    await waitFor(() => expect(onReopen).toHaveBeenCalledTimes(1));
    cleanup();
    renderUi(<ScoreForm rubric={rubric} evaluation={{ ...done, status: 'published' }} onSave={vi.fn()} onComplete={vi.fn()} onReopen={onReopen} />);
    expect(screen.getByText('Publicada')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Reabrir para corregir' })).toBeNull();
    expect(screen.getByText('La evaluación está publicada y ya no cambia.')).toBeTruthy();
  });
});
