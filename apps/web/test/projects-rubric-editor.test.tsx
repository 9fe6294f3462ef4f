import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Rubric } from '../src/features/projects/api/types.ts';
import { weightCheck } from '../src/features/projects/components/grading.ts';
import { DEFAULT_BANDS, RubricEditor } from '../src/features/projects/components/rubric-editor.tsx';
import { ApiError } from '../src/lib/errors.ts';
import { renderUi } from './helpers.tsx';

afterEach(cleanup);
// happy-dom has no FontFaceSet; Mantine's autosizing textarea listens to it.
if (!('fonts' in document)) Object.defineProperty(document, 'fonts', { value: { addEventListener: () => undefined, removeEventListener: () => undefined } });

const input = (label: string) => screen.getByLabelText(new RegExp(`^${label}`)) as HTMLInputElement;
const set = (label: string, value: string) => fireEvent.change(input(label), { target: { value } });
const total = () => screen.getByTestId('weight-total').textContent;
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('weightCheck (projecteval R16)', () => {
  it('says what is missing or left over, and accepts exactly 100 with 2–20 criteria', () => {
    expect(weightCheck([30, 30, 30])).toEqual({ total: 90, ok: false, message: 'Los pesos suman 90: faltan 10 para llegar a 100.' });
    expect(weightCheck([60, 50])).toMatchObject({ total: 110, ok: false, message: 'Los pesos suman 110: sobran 10 para llegar a 100.' });
    expect(weightCheck([100])).toMatchObject({ ok: false, message: 'Para activarla necesita entre 2 y 20 criterios.' });
    expect(weightCheck(Array.from({ length: 21 }, () => 5)).ok).toBe(false);
    expect(weightCheck([30, 30, 40])).toMatchObject({ total: 100, ok: true });
  });
});

describe('RubricEditor', () => {
  it('when weights 30, 30, 30 are typed, then the sum reads 90 and Activar waits; with 40 instead of one 30 it activates with the whole body (US-PEV-04)', async () => {
    const onActivate = vi.fn(async () => undefined);
    const onSave = vi.fn(async () => undefined);
    renderUi(<RubricEditor rubric={null} onSave={onSave} onActivate={onActivate} />);
    expect(total()).toBe('Suma de pesos: 0 de 100');
    set('Nombre', 'Rúbrica de prueba web');
    fireEvent.click(button('Agregar criterio'));
    ['Producto', 'Código', 'Sustentación'].forEach((name, i) => set(`Criterio ${i + 1}`, name));
    set('Peso del criterio 1', '30');
    expect(total()).toBe('Suma de pesos: 30 de 100');
    set('Peso del criterio 2', '30');
    set('Peso del criterio 3', '30');
    expect(total()).toBe('Suma de pesos: 90 de 100');
    expect(screen.getByText('Los pesos suman 90: faltan 10 para llegar a 100.')).toBeTruthy();
    expect(button('Activar').disabled).toBe(true);
    // A draft may be saved with any weights (R16).
    expect(button('Guardar borrador').disabled).toBe(false);
    set('Peso del criterio 3', '40');
    expect(total()).toBe('Suma de pesos: 100 de 100');
    expect(button('Activar').disabled).toBe(false);
    fireEvent.click(button('Activar'));
    await waitFor(() => expect(onActivate).toHaveBeenCalledTimes(1));
    expect(onActivate).toHaveBeenCalledWith({
      name: 'Rúbrica de prueba web',
      description: null,
      program_code: null,
      trimester: null,
      criteria: [
        { name: 'Producto', description: null, weight: 30 },
        { name: 'Código', description: null, weight: 30 },
        { name: 'Sustentación', description: null, weight: 40 },
      ],
    });
    expect(await screen.findByText('Rúbrica activada.')).toBeTruthy();
    expect(onSave).not.toHaveBeenCalled();
  });

  it('when a criterion is removed or the weights pass 100, then the sum follows and says what is left over', () => {
    renderUi(<RubricEditor rubric={null} onSave={vi.fn()} onActivate={vi.fn()} />);
    set('Peso del criterio 1', '70');
    set('Peso del criterio 2', '50');
    expect(total()).toBe('Suma de pesos: 120 de 100');
    expect(screen.getByText('Los pesos suman 120: sobran 20 para llegar a 100.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Quitar el criterio 2' }));
    expect(total()).toBe('Suma de pesos: 70 de 100');
    expect(screen.getByText('Para activarla necesita entre 2 y 20 criterios.')).toBeTruthy();
  });

  it('when the server refuses the activation with RUBRIC_WEIGHTS_INVALID, then its message and total are shown', async () => {
    const draft: Rubric = {
      id: 'r9',
      name: 'Rúbrica de entrega final',
      description: null,
      program_code: 'ADSO',
      trimester: 6,
      status: 'draft',
      version: 1,
      weight_total: 100,
      usage_count: 0,
      criteria: [
        { id: 'a', position: 1, name: 'Producto', description: null, weight: 50, levels: [] },
        { id: 'b', position: 2, name: 'Defensa', description: null, weight: 50, levels: [] },
      ],
      grade_bands: DEFAULT_BANDS,
    };
    const onActivate = vi.fn(async () => {
      throw new ApiError({ code: 'RUBRIC_WEIGHTS_INVALID', status: 422, message: 'Los pesos de los criterios deben sumar 100', details: { total: 90 } });
    });
    renderUi(<RubricEditor rubric={draft} onSave={vi.fn()} onActivate={onActivate} />);
    expect(input('Programa').value).toBe('ADSO');
    expect(total()).toBe('Suma de pesos: 100 de 100');
    fireEvent.click(button('Activar'));
    expect((await screen.findByRole('alert')).textContent).toContain('Los pesos de los criterios deben sumar 100 (suman 90)');
    // The stored bands go back with the draft.
    expect(onActivate.mock.calls[0]).toEqual([expect.objectContaining({ program_code: 'ADSO', trimester: 6, grade_bands: DEFAULT_BANDS })]);
  });

  it('when the rubric is active, then nothing is editable and there is no save or activate', () => {
    const active: Rubric = {
      id: 'r1',
      name: 'Rúbrica activa',
      description: null,
      program_code: null,
      trimester: null,
      status: 'active',
      version: 1,
      weight_total: 100,
      usage_count: 3,
      criteria: [
        { id: 'a', position: 1, name: 'Producto', description: null, weight: 60, levels: [] },
        { id: 'b', position: 2, name: 'Defensa', description: null, weight: 40, levels: [] },
      ],
      grade_bands: DEFAULT_BANDS,
    };
    renderUi(<RubricEditor rubric={active} onSave={vi.fn()} onActivate={vi.fn()} />);
    expect(screen.getByText('Activa')).toBeTruthy();
    expect(input('Peso del criterio 1').disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Activar' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Guardar borrador' })).toBeNull();
    expect(screen.getByText('Solo las rúbricas en borrador se editan; duplíquela para cambiarla.')).toBeTruthy();
  });
});
