import { cleanup, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { actionsFor, capabilitiesOf } from '../src/features/people/api/permissions.ts';
import { envelope, failure } from './helpers.tsx';
import { listPage, person, renderApp } from './people-support.tsx';

afterEach(cleanup);
// The machine is shared: give the app's first render (lazy route chunks) time.
configure({ asyncUtilTimeout: 5000 });

const NOW = new Date('2026-12-07T15:00:00Z');
const later = '2026-12-07T15:10:00Z';

describe('users §2 and O1/O2 as the screen applies them', () => {
  it('when each staff role looks at each kind of person, then it is offered exactly what the matrix allows', () => {
    const target = (role: string, extra: Record<string, unknown> = {}) => ({ id: 't', role: role as 'aprendiz', is_active: true, locked_until: null, ...extra });
    const admin = { sub: 'a', role: 'admin' as const };
    const coord = { sub: 'c', role: 'coordinador' as const };
    const staff = { sub: 's', role: 'administrativo' as const };
    expect(actionsFor(coord, target('aprendiz', { locked_until: later }), NOW)).toEqual(['edit', 'deactivate', 'unlock', 'reset_password']);
    expect(actionsFor(coord, target('instructor', { is_active: false }), NOW)).toEqual(['edit', 'activate']);
    expect(actionsFor(coord, target('administrativo'), NOW)).toEqual(['edit', 'deactivate', 'reset_password']);
    expect(actionsFor(coord, target('coordinador'), NOW)).toEqual([]);
    expect(actionsFor(coord, target('admin'), NOW)).toEqual([]);
    expect(actionsFor(staff, target('aprendiz', { locked_until: later }), NOW)).toEqual(['edit']);
    expect(actionsFor(staff, target('administrativo'), NOW)).toEqual([]);
    expect(actionsFor(admin, target('coordinador', { locked_until: '2026-12-07T14:00:00Z' }), NOW)).toEqual(['edit', 'deactivate', 'reset_password']);
    expect(actionsFor(admin, { ...target('aprendiz'), id: 'a' }, NOW)).toEqual([]);
    expect(actionsFor(admin, target('aprendiz', { deleted_at: '2026-12-01T00:00:00Z' }), NOW)).toEqual([]);
    expect(capabilitiesOf('administrativo')).toMatchObject({ bulkUpdate: false, bulkDelete: false, import: true, export: true, create: true });
    expect(capabilitiesOf('coordinador')).toMatchObject({ bulkUpdate: true, bulkDelete: false });
    expect(capabilitiesOf('admin')).toMatchObject({ bulkUpdate: true, bulkDelete: true, seeDeleted: true });
  });
});

const APPRENTICE = person({ full_name: 'Laura Valentina Gómez Ruiz', locked_until: '2999-01-01T00:00:00Z' });
const COORDINATOR = person({ full_name: 'Jorge Enrique Salazar Múnera', first_name: 'Jorge Enrique', last_name: 'Salazar Múnera', role: 'coordinador', group_id: null, group_number: null, area: 'Coordinación de Formación' });

/** The items of a person's action menu (Mantine shows the dropdown after a 150 ms transition). */
async function openMenu(name: string) {
  fireEvent.click(await screen.findByRole('button', { name: `Acciones para ${name}` }));
  return waitFor(() => within(screen.getByRole('menu')).getAllByRole('menuitem'));
}
const menuOf = async (name: string) => (await openMenu(name)).map((i) => i.textContent);

describe('/personas by role', () => {
  it('when a coordinador lists people, then filters go to U1, an apprentice has every action, a coordinator none, and deactivating asks first', async () => {
    const { calls } = renderApp('/personas?role=aprendiz&is_active=true&page_size=50', 'coordinador', (_req, call) => {
      if (call.path === '/api/v1/users' && call.method === 'GET') return listPage([APPRENTICE, COORDINATOR], 2);
      if (call.path.endsWith('/deactivate')) return envelope({ ...APPRENTICE, is_active: false });
      return undefined;
    });
    expect(await screen.findByText('2 personas')).toBeTruthy();
    const list = calls.find((c) => c.path === '/api/v1/users')!;
    expect(Object.fromEntries(list.query)).toEqual({ role: 'aprendiz', is_active: 'true', page: '1', page_size: '50' });
    expect(screen.queryByRole('button', { name: `Acciones para ${COORDINATOR.full_name}` })).toBeNull();
    expect(screen.getByRole('checkbox', { name: `Elegir a ${COORDINATOR.full_name}` }).hasAttribute('disabled')).toBe(true);
    const items = await openMenu(APPRENTICE.full_name);
    expect(items.map((i) => i.textContent)).toEqual(['Editar', 'Desactivar', 'Desbloquear', 'Restablecer contraseña']);
    fireEvent.click(items[1]);
    const dialog = await screen.findByRole('dialog', { name: 'Desactivar persona' });
    expect(calls.some((c) => c.path.endsWith('/deactivate'))).toBe(false);
    fireEvent.change(within(dialog).getByLabelText('Motivo (opcional)'), { target: { value: 'Retiro voluntario' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Desactivar' }));
    await waitFor(() => expect(calls.find((c) => c.path.endsWith('/deactivate'))?.body).toEqual({ reason: 'Retiro voluntario' }));
    expect(calls.find((c) => c.path.endsWith('/deactivate'))!.path).toBe(`/api/v1/users/${APPRENTICE.id}/deactivate`);
    expect(await screen.findByText(`${APPRENTICE.full_name} quedó inactivo.`)).toBeTruthy();
  });

  it('when an administrativo lists people, then only Editar is offered, there is no choosing for bulk changes, and import and export stay', async () => {
    renderApp('/personas', 'administrativo', (_req, call) => (call.path === '/api/v1/users' ? listPage([APPRENTICE]) : undefined));
    expect(await menuOf(APPRENTICE.full_name)).toEqual(['Editar']);
    expect(screen.queryByRole('checkbox', { name: /^Elegir/ })).toBeNull();
    expect(screen.getByRole('link', { name: 'Importar CSV' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Exportar CSV' })).toBeTruthy();
  });

  it('when the admin chooses people, then the bulk bar offers Eliminar, which asks and sends B4 with the ids; a coordinador has no Eliminar', async () => {
    const other = person({ full_name: 'Juan Sebastián Martínez López' });
    const { calls } = renderApp('/personas', 'admin', (_req, call) => {
      if (call.path === '/api/v1/users') return listPage([APPRENTICE, other]);
      if (call.path === '/api/v1/users/bulk/delete') return envelope({ deleted: 2 });
      return undefined;
    });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Elegir todas las de esta página' }));
    const bar = screen.getByRole('region', { name: 'Acciones sobre las personas elegidas' });
    expect(bar.textContent).toContain('2 personas elegidas');
    fireEvent.click(within(bar).getByRole('button', { name: 'Eliminar' }));
    const dialog = await screen.findByRole('dialog', { name: 'Eliminar personas' });
    expect(calls.some((c) => c.path === '/api/v1/users/bulk/delete')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Eliminar 2 personas' }));
    await waitFor(() => expect(calls.find((c) => c.path === '/api/v1/users/bulk/delete')?.body).toEqual({ ids: [APPRENTICE.id, other.id] }));
    expect(await screen.findByText('2 personas eliminadas.')).toBeTruthy();
    cleanup();

    renderApp('/personas', 'coordinador', (_req, call) => (call.path === '/api/v1/users' ? listPage([APPRENTICE]) : undefined));
    fireEvent.click(await screen.findByRole('checkbox', { name: `Elegir a ${APPRENTICE.full_name}` }));
    const coordBar = screen.getByRole('region', { name: 'Acciones sobre las personas elegidas' });
    expect(within(coordBar).queryByRole('button', { name: 'Eliminar' })).toBeNull();
    expect(within(coordBar).getByRole('button', { name: 'Mover a ficha' })).toBeTruthy();
  });

  it('when B3 refuses one item, then the dialog names that person and nothing changes', async () => {
    const other = person({ full_name: 'Kevin Alexander Muñoz Pineda' });
    renderApp('/personas', 'coordinador', (_req, call) => {
      if (call.path === '/api/v1/users') return listPage([APPRENTICE, other]);
      if (call.path === '/api/v1/users/bulk') {
        return failure(422, 'BULK_VALIDATION_FAILED', 'Algunos elementos no son válidos', { items: [{ index: 1, id: other.id, field: 'group_number', code: 'GROUP_FULL', message: 'La ficha está llena' }] });
      }
      return undefined;
    });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Elegir todas las de esta página' }));
    fireEvent.click(screen.getByRole('button', { name: 'Mover a ficha' }));
    const dialog = await screen.findByRole('dialog', { name: 'Mover a otra ficha' });
    fireEvent.change(within(dialog).getByLabelText(/Número de la ficha/), { target: { value: '2901817' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Confirmar' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('No se guardó ningún cambio');
    expect(alert.textContent).toContain('Kevin Alexander Muñoz Pineda: La ficha está llena');
  });

  it('when creating a person fails with VALIDATION_ERROR and a taken document, then the fields are marked and what was typed stays', async () => {
    let posts = 0;
    const { calls } = renderApp('/personas', 'administrativo', (_req, call) => {
      if (call.path === '/api/v1/users' && call.method === 'GET') return listPage([]);
      if (call.path === '/api/v1/users' && call.method === 'POST') {
        posts += 1;
        return posts === 1
          ? failure(422, 'VALIDATION_ERROR', 'Datos no válidos', { fields: [{ field: '/email', reason: 'format', message: 'El correo no es válido' }] })
          : failure(409, 'DOCUMENT_ALREADY_EXISTS', 'Ya existe un usuario con ese documento');
      }
      return undefined;
    });
    expect(await screen.findByText('Aún no hay personas registradas.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Nueva persona' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nueva persona' });
    const roleInput = within(dialog).getAllByLabelText(/^Rol/).find((el) => el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'hidden') as HTMLInputElement;
    // The roles offered are those an administrativo may assign (O1); aprendiz is chosen by default.
    expect(roleInput.value).toBe('Aprendiz');
    const listbox = document.querySelector(`[role="listbox"][aria-labelledby="${roleInput.id}-label"]`) as HTMLElement;
    expect(within(listbox).getAllByRole('option', { hidden: true }).map((o) => o.textContent)).toEqual(['Instructor', 'Aprendiz']);
    fireEvent.change(within(dialog).getByLabelText(/^Nombres/), { target: { value: 'Sara Lucía' } });
    fireEvent.change(within(dialog).getByLabelText(/^Apellidos/), { target: { value: 'Méndez Rivera' } });
    fireEvent.change(within(dialog).getByLabelText(/^Número de documento/), { target: { value: '1023999001' } });
    fireEvent.change(within(dialog).getByLabelText(/^Correo/), { target: { value: 'sara@mendez' } });
    fireEvent.change(within(dialog).getByLabelText(/^Ficha/), { target: { value: '2826503' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Crear persona' }));
    expect(await within(dialog).findByText('El correo no es válido')).toBeTruthy();
    expect((within(dialog).getByLabelText(/^Correo/) as HTMLInputElement).getAttribute('aria-invalid')).toBe('true');
    expect((within(dialog).getByLabelText(/^Nombres/) as HTMLInputElement).value).toBe('Sara Lucía');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      first_name: 'Sara Lucía', last_name: 'Méndez Rivera', email: 'sara@mendez', document_type: 'CC', document_number: '1023999001', role: 'aprendiz', group_number: '2826503',
    });

    fireEvent.change(within(dialog).getByLabelText(/^Correo/), { target: { value: 'sara.mendez@demo.sicora.test' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Crear persona' }));
    expect(await within(dialog).findByText('Ya existe un usuario con ese documento', { selector: '.mantine-InputWrapper-error, [id$="-error"]' })).toBeTruthy();
    expect((within(dialog).getByLabelText(/^Número de documento/) as HTMLInputElement).getAttribute('aria-invalid')).toBe('true');
  });
});
