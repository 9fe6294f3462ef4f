import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportReport } from '../src/features/people/api/files.ts';
import { UsersImportReport } from '../src/features/people/components/import-report.tsx';
import { envelope, failure, renderUi } from './helpers.tsx';
import { listPage, renderApp } from './people-support.tsx';

afterEach(cleanup);
// The machine is shared: give the app's first render (lazy route chunks) time.
configure({ asyncUtilTimeout: 5000 });

const BAD: ImportReport = {
  dry_run: false, total_rows: 3, valid_rows: 2, error_rows: 1, created: 0, skipped: 0,
  errors: [{ line: 3, column: 'email', code: 'VALIDATION_ERROR', message: 'El correo no es válido', value: 'kevin.arias@@demo' }],
  created_users: [],
};
const GOOD: ImportReport = {
  dry_run: false, total_rows: 3, valid_rows: 3, error_rows: 0, created: 3, skipped: 0, errors: [],
  created_users: [
    { line: 2, id: 'a1', email: 'ana.rojas@e2e.test', document_number: '1100000001', role: 'aprendiz', group_number: '2826503' },
    { line: 3, id: 'a2', email: 'kevin.arias@e2e.test', document_number: '1100000002', role: 'aprendiz', group_number: '2826503' },
    { line: 4, id: 'a3', email: 'luz.pena@e2e.test', document_number: '1100000003', role: 'aprendiz', group_number: '2826503' },
  ],
};

describe('import report (users §6.1)', () => {
  it('when a file has a row error, then the report says nothing was saved and lists the line, the column in Spanish, the value and the message', () => {
    renderUi(<UsersImportReport report={BAD} message="El archivo tiene errores; no se registró ningún usuario" />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('El archivo tiene errores: no se guardó nada');
    expect(alert.textContent).toContain('no se registró ningún usuario');
    expect(alert.textContent).toContain('Con error: 1');
    const table = screen.getByRole('table', { name: 'Errores por fila' });
    const row = within(table).getAllByRole('row')[1];
    expect(within(row).getAllByRole('cell').map((c) => c.textContent)).toEqual(['3', 'Correo', 'kevin.arias@@demo', 'El correo no es válido']);
    expect(screen.queryByRole('table', { name: 'Personas creadas' })).toBeNull();
  });

  it('when a dry run passes, then it says nothing was saved yet and lists no one as created', () => {
    renderUi(<UsersImportReport report={{ ...GOOD, dry_run: true, created: 0, created_users: [] }} />);
    expect(screen.getByRole('status').textContent).toContain('Validación correcta: no se guardó nada todavía');
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('when an import is written, then it counts and lists the people created with their document, e-mail and ficha', () => {
    renderUi(<UsersImportReport report={GOOD} />);
    expect(screen.getByRole('status').textContent).toContain('Importación terminada: 3 personas creadas');
    const rows = within(screen.getByRole('table', { name: 'Personas creadas' })).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(within(rows[2]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['3', '1100000002', 'kevin.arias@e2e.test', 'Aprendiz', '2826503']);
  });
});

describe('/personas/importar (users B1, B2)', () => {
  it('when the first file has a bad row, then the 422 report shows it; the fixed file imports and links to the ficha in Personas; the template comes with the token as a blob', async () => {
    let imports = 0;
    const saved: string[] = [];
    const { calls } = renderApp('/personas/importar', 'coordinador', (req, call) => {
      if (call.path === '/api/v1/users/import') {
        imports += 1;
        return imports === 1
          ? failure(422, 'CSV_VALIDATION_FAILED', 'El archivo tiene errores; no se registró ningún usuario', BAD)
          : envelope(GOOD, 201);
      }
      if (call.path === '/api/v1/users/import/template') {
        return new Response('\uFEFFfirst_name,last_name\r\n', { status: 200, headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="plantilla_usuarios.csv"' } });
      }
      if (call.path === '/api/v1/users') return listPage([]);
      return undefined;
    });
    expect(await screen.findByRole('heading', { name: 'Importar personas' })).toBeTruthy();

    const create = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob) => {
      saved.push(blob.type);
      return 'blob:plantilla';
    };
    try {
      fireEvent.click(screen.getByRole('button', { name: 'Descargar plantilla' }));
      await waitFor(() => expect(saved).toHaveLength(1));
    } finally {
      URL.createObjectURL = create;
    }
    const templateCall = calls.find((c) => c.path === '/api/v1/users/import/template')!;
    expect(templateCall.method).toBe('GET');
    expect(templateCall.authorization).toMatch(/^Bearer /);
    expect(saved).toEqual(['text/csv']);

    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    const file = (text: string) => new File([text], 'ficha.csv', { type: 'text/csv' });
    fireEvent.change(input, { target: { files: [file('con error')] } });
    fireEvent.click(await screen.findByRole('button', { name: 'Importar' }));
    const table = await screen.findByRole('table', { name: 'Errores por fila' });
    expect(within(table).getByText('kevin.arias@@demo')).toBeTruthy();
    const first = calls.find((c) => c.path === '/api/v1/users/import')!;
    expect(first.query.get('dry_run')).toBe('false');
    expect(first.query.get('on_existing')).toBe('error');
    expect(((first.body as FormData).get('file') as File).name).toBe('ficha.csv');

    fireEvent.change(input, { target: { files: [file('corregido')] } });
    expect(screen.queryByRole('table', { name: 'Errores por fila' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Importar' }));
    expect(await screen.findByText('Importación terminada: 3 personas creadas')).toBeTruthy();
    const link = screen.getByRole('link', { name: 'Ver los aprendices de la ficha 2826503' });
    fireEvent.click(link);
    expect(await screen.findByRole('heading', { name: 'Personas' })).toBeTruthy();
    await waitFor(() => expect(calls.some((c) => c.path === '/api/v1/users' && c.query.get('group_number') === '2826503' && c.query.get('role') === 'aprendiz')).toBe(true));
  });
});
