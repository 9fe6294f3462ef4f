import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectOk } from '@sicora/platform/testing/http';
import { createHarness, multipart, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const upload = async (url: string, csv: string, query = '', role = 'admin') => {
  const m = multipart(csv);
  return h.app.inject({ method: 'POST', url: `${url}${query}`, headers: { ...(await h.as(role)), ...m.headers }, payload: m.payload });
};
const count = async (t: string) => (await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM schedules.${t}`))[0].n;

const PROGRAMS = `codigo,nombre,nivel,duracion_meses,trimestres
ADSO,Análisis y Desarrollo de Software,Tecnólogo,24,7
GRD,Gestión de Redes de Datos,TECNOLOGO,24,
SIS,Sistemas,técnico,18,
PROGSOFT,Programación de Software,TECNICO,18,
CIBER,Seguridad Informática,especialización,12,
INGTEC,Inglés Técnico para TI,COMPLEMENTARIO,6,
SCRUM,Fundamentos de Scrum,curso corto,3,
`;

describe('US-SCH-13 master data by CSV', () => {
  it('when a programs CSV with 7 rows is uploaded, then 201 created=7; again with on_existing=skip, 201 skipped=7', async () => {
    expect(expectOk(await upload('/api/v1/programs/import', PROGRAMS), 201)).toMatchObject({ created: 7, total_rows: 7 });
    expect(await count('programs')).toBe(7);
    expect(expectOk(await upload('/api/v1/programs/import', PROGRAMS, '?on_existing=skip'), 201)).toMatchObject({ created: 0, skipped: 7 });
    const err = expectError(await upload('/api/v1/programs/import', PROGRAMS), 422, 'CSV_VALIDATION_FAILED');
    expect((err.details as { errors: Array<{ code: string }> }).errors[0].code).toBe('PROGRAM_CODE_EXISTS');
    expectError(await upload('/api/v1/programs/import', PROGRAMS, '', 'administrativo'), 403, 'INSUFFICIENT_PERMISSIONS');
  });

  it('when venues are uploaded with campus codes, then they are created; an unknown campus is a row error', async () => {
    expectOk(await h.app.inject({ method: 'POST', url: '/api/v1/campuses', headers: await h.as('admin'), payload: { code: 'CALLE52', name: 'Sede Calle 52' } }), 201);
    const ok = expectOk(await upload('/api/v1/venues/import', 'ambiente;nombre;sede;tipo;capacidad;piso\n205;Laboratorio de software;calle52;laboratorio;30;2\n412;Aula 412;CALLE52;AULA;35;4\n'), 201);
    expect(ok.created).toBe(2);
    const err = expectError(await upload('/api/v1/venues/import', 'code,name,campus_code,type,capacity\n999,Aula,NOPE,AULA,20\n'), 422, 'CSV_VALIDATION_FAILED');
    expect((err.details as { errors: Array<{ line: number; code: string }> }).errors).toMatchObject([{ line: 2, code: 'REFERENCE_NOT_FOUND' }]);
  });

  it('when a groups CSV names an unknown program on line 3, then 422 with line 3 REFERENCE_NOT_FOUND and no ficha stored', async () => {
    const csv = 'ficha,programa,sede,jornada,fecha_inicio,fecha_fin\n2826503,ADSO,CALLE52,MAÑANA,2026-01-19,2027-06-30\n2901817,NOPE,CALLE52,TARDE,2026-01-19,2027-06-30\n';
    const err = expectError(await upload('/api/v1/groups/import', csv), 422, 'CSV_VALIDATION_FAILED');
    expect((err.details as { errors: Array<{ line: number; code: string }> }).errors).toMatchObject([{ line: 3, code: 'REFERENCE_NOT_FOUND' }]);
    expect(await count('groups')).toBe(0);
  });

  it('when a groups CSV has director_document, then each ficha gets a director assignment for its whole period', async () => {
    const dir = h.users.add({ role: 'instructor', document_number: '79845123' });
    const csv = 'number,program_code,campus_code,shift,start_date,end_date,max_apprentices,director_document\n2826503,ADSO,CALLE52,MANANA,19/01/2026,30/06/2027,35,79845123\n2901817,PROGSOFT,CALLE52,TARDE,2026-02-09,2027-06-29,30,\n';
    const report = expectOk(await upload('/api/v1/groups/import', csv), 201);
    expect(report.created).toBe(2);
    const rows = await h.db.query<{ instructor_id: string; role: string; start_date: string; end_date: string | null }>("SELECT a.instructor_id, a.role, a.start_date::text, a.end_date::text FROM schedules.group_assignments a JOIN schedules.groups g ON g.id = a.group_id WHERE g.number = '2826503'");
    expect(rows).toEqual([{ instructor_id: dir.id, role: 'director', start_date: '2026-01-19', end_date: null }]);
    const g = report.created_ids[0].id;
    expect(expectOk(await h.app.inject({ method: 'GET', url: `/api/v1/groups/${g}`, headers: await h.as('admin') })).director_id).toBe(dir.id);
  });
});
