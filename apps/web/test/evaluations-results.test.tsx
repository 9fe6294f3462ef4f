import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstructorReport } from '../src/features/evaluations/api/evalin.ts';
import { InstructorResults } from '../src/features/evaluations/routes/my-results.tsx';
import { renderUi } from './helpers.tsx';

afterEach(cleanup);

const base: InstructorReport = {
  period: { id: 'p1', name: 'Evaluación de instructores 2026-T3' } as InstructorReport['period'],
  instructor: { id: 'i1', name: 'Carlos Andrés Rodríguez Peña' },
  response_count: 12,
  expected_count: 15,
  response_rate: 80,
  results_shown: true,
  withheld_reason: null,
  overall_average: 4.25,
  median: 4,
  std_dev: 0.61,
  period_overall_average: 4.1,
  categories: [
    { category: 'Dominio del Tema', average: 4.5, answer_count: 36 },
    { category: 'Comunicación y Relación', average: 3.2, answer_count: 36 },
  ],
  strengths: ['Dominio del Tema'],
  improvement_areas: ['Comunicación y Relación'],
  questions: [
    {
      question_id: 'q1', position: 1, text: 'Demuestra dominio de la competencia que orienta.', category: 'Dominio del Tema', question_type: 'likert', answer_count: 12,
      likert: { average: 4.5, median: 5, std_dev: 0.5, min: 4, max: 5, distribution: { 1: 0, 2: 0, 3: 0, 4: 6, 5: 6 }, percentages: { 1: 0, 2: 0, 3: 0, 4: 50, 5: 50 } }, choices: null,
    },
  ],
  approved_comment_count: 1,
};

describe('an instructor\'s results (evalin E41) with the publication thresholds explained (R33, R34)', () => {
  it('when results pass both thresholds, then the averages, categories, strengths and approved comments are shown and nothing says they are withheld', () => {
    renderUi(<InstructorResults report={base} minResponses={3} minParticipation={20} comments={[{ id: 'c1', text: 'Explica muy bien.', question_text: null, group_number: '2826503' }]} />);
    expect(screen.getByText('4,25')).toBeTruthy();
    expect(screen.getByText('Por categoría')).toBeTruthy();
    expect(screen.getByText('Fortaleza: Dominio del Tema')).toBeTruthy();
    expect(screen.getByText('Por mejorar: Comunicación y Relación')).toBeTruthy();
    expect(screen.getByText('“Explica muy bien.”')).toBeTruthy();
    expect(screen.getByText('Comentario general · Ficha 2826503')).toBeTruthy();
    expect(document.querySelector('[data-withheld]')).toBeNull();
  });

  it('when fewer apprentices answered than the threshold, then only the count is shown with the reason and the threshold, and no figure, question or comment', () => {
    const report: InstructorReport = {
      ...base, response_count: 2, response_rate: 13.3, results_shown: false, withheld_reason: 'insufficient_responses', overall_average: null, median: null, std_dev: null,
      categories: [], strengths: [], improvement_areas: [], questions: [],
    };
    renderUi(<InstructorResults report={report} minResponses={3} minParticipation={20} />);
    expect(screen.getByText('Resultados reservados: pocas respuestas')).toBeTruthy();
    expect(screen.getByText(/respondieron 2 aprendices de 15 esperados/).textContent).toContain('al menos 3');
    expect(screen.queryByText('Por pregunta')).toBeNull();
    expect(screen.queryByText('Comentarios aprobados')).toBeNull();
    expect(screen.getByText('2 de 15')).toBeTruthy();
  });

  it('when participation is below the minimum for averages, then the averages are withheld with the percentage and the minimum, and the per-question figures stay', () => {
    const report: InstructorReport = {
      ...base, response_count: 4, expected_count: 30, response_rate: 13.3, withheld_reason: 'low_participation', overall_average: null, median: null, std_dev: null,
      categories: base.categories.map((c) => ({ ...c, average: null })), strengths: [], improvement_areas: [],
    };
    renderUi(<InstructorResults report={report} minResponses={3} minParticipation={20} />);
    expect(screen.getByText('Promedios reservados: participación baja')).toBeTruthy();
    const text = screen.getByText(/de los aprendices esperados/).textContent!;
    expect(text).toContain('13,3 %');
    expect(text).toContain('al menos el 20 %');
    expect(screen.queryByText('Por categoría')).toBeNull();
    expect(screen.getByText('Por pregunta')).toBeTruthy();
    expect(screen.getByText('1. Demuestra dominio de la competencia que orienta.')).toBeTruthy();
  });
});
