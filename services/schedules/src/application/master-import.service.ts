/**
 * P6, V7, G6: programs, venues and fichas from CSV with the single-record rules, references resolved in
 * one query per kind, duplicates reported on the later line, all rows in one transaction or none.
 */
import { randomUUID } from 'node:crypto';
import { daysBetween } from '../domain/calendar.ts';
import { parseCsvDate, parseCsvEnum, readCsv, type CsvColumn, type CsvRow } from '../domain/csv.ts';
import { normalizeCode, searchText } from '../domain/text.ts';
import { callAs, type Actor, type Deps } from './context.ts';
import { createReport, validationFailed } from './import-report.ts';
import type { CampusRow, GroupInsert, ProgramInsert, ProgramRow, VenueInsert } from './ports.ts';

export type MasterKind = 'programs' | 'venues' | 'groups';

const col = (name: string, aliases: string[], required = false): CsvColumn => ({ name, aliases, required });
export const MASTER_COLUMNS: Record<MasterKind, { columns: CsvColumn[]; maxRows: number; key: string }> = {
  programs: { maxRows: 500, key: 'code', columns: [col('code', ['codigo'], true), col('name', ['nombre'], true), col('level', ['nivel', 'tipo'], true), col('duration_months', ['duracion_meses'], true), col('quarters', ['trimestres']), col('description', ['descripcion'])] },
  venues: { maxRows: 1000, key: 'code', columns: [col('code', ['codigo', 'ambiente'], true), col('name', ['nombre'], true), col('campus_code', ['sede'], true), col('type', ['tipo'], true), col('capacity', ['capacidad'], true), col('floor', ['piso']), col('building', ['bloque', 'edificio']), col('equipment', ['equipamiento'])] },
  groups: { maxRows: 2000, key: 'number', columns: [col('number', ['ficha', 'numero_ficha'], true), col('program_code', ['programa'], true), col('campus_code', ['sede'], true), col('shift', ['jornada'], true), col('start_date', ['fecha_inicio'], true), col('end_date', ['fecha_fin'], true), col('current_quarter', ['trimestre']), col('max_apprentices', ['cupo']), col('director_document', ['documento_director'])] },
};

const EXISTS_CODE = { programs: 'PROGRAM_CODE_EXISTS', venues: 'VENUE_CODE_EXISTS', groups: 'GROUP_NUMBER_EXISTS' } as const;
const LEVELS = ['TECNICO', 'TECNOLOGO', 'ESPECIALIZACION', 'COMPLEMENTARIO', 'CURSO_CORTO'] as const;
const TYPES = ['AULA', 'LABORATORIO', 'TALLER', 'AUDITORIO', 'BIBLIOTECA'] as const;
const SHIFTS = ['MANANA', 'TARDE', 'NOCHE'] as const;

function int(v: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(v)) return null;
  const n = Number(v);
  return n >= min && n <= max ? n : null;
}

export function createMasterImportService(deps: Pick<Deps, 'repos' | 'withTransaction' | 'users'>) {
  const { campuses, programs, venues, groups } = deps.repos;
  return {
    async run(kind: MasterKind, bytes: Uint8Array, opts: { dry_run: boolean; on_existing: 'error' | 'skip' }, actor: Actor) {
      const spec = MASTER_COLUMNS[kind];
      const { rows } = readCsv(bytes, spec.columns, spec.maxRows);
      const report = createReport(opts.dry_run, rows.length);
      const err = (line: number, column: string | null, code: string, message: string, value: string | null = null) => report.add({ line, column, code, message, value });
      const keyOf = (r: CsvRow) => (kind === 'groups' ? r.values.number : normalizeCode(r.values.code ?? ''));
      const keys = [...new Set(rows.map(keyOf))];
      const existing = new Set(
        kind === 'programs' ? await programs.existingCodes(keys) : kind === 'venues' ? await venues.existingCodes(keys) : await groups.existingNumbers(keys),
      );
      const campusByCode = new Map<string, CampusRow>((await campuses.all()).map((c) => [c.code, c]));
      const programByCode = new Map<string, ProgramRow>(kind === 'groups' ? (await programs.all()).map((p) => [p.code, p]) : []);
      const docs = kind === 'groups' ? [...new Set(rows.map((r) => r.values.director_document).filter(Boolean))] : [];
      const directors = docs.length ? await deps.users.lookup({ document_numbers: docs }, callAs(actor)) : [];
      const directorByDoc = new Map(directors.filter((u) => u.role === 'instructor' && u.is_active && !u.is_deleted).map((u) => [u.document_number!, u.id]));

      const seen = new Map<string, number>();
      const inserts: Array<{ line: number; values: Record<string, unknown>; director?: string }> = [];
      let skipped = 0;
      for (const r of rows) {
        const v = r.values;
        const key = keyOf(r);
        if (seen.has(key)) {
          err(r.line, spec.key, 'DUPLICATE_IN_FILE', `Repite la línea ${seen.get(key)}`, key);
          continue;
        }
        seen.set(key, r.line);
        if (existing.has(key)) {
          if (opts.on_existing === 'skip') skipped++;
          else err(r.line, spec.key, EXISTS_CODE[kind], `Ya existe ${key}`, key);
          continue;
        }
        const before = report.errors.length;
        if (kind === 'programs') {
          if (!/^[A-Z0-9_-]{2,20}$/.test(key)) err(r.line, 'code', 'VALIDATION_ERROR', 'Código no válido', v.code);
          if (v.name.length < 3 || v.name.length > 200) err(r.line, 'name', 'VALIDATION_ERROR', 'Nombre de 3 a 200 caracteres', v.name);
          const level = parseCsvEnum(v.level, LEVELS);
          if (!level) err(r.line, 'level', 'VALIDATION_ERROR', 'Nivel no válido', v.level);
          const months = int(v.duration_months, 1, 60);
          if (months === null) err(r.line, 'duration_months', 'VALIDATION_ERROR', 'Duración de 1 a 60 meses', v.duration_months);
          const quarters = v.quarters ? int(v.quarters, 1, 12) : null;
          if (v.quarters && quarters === null) err(r.line, 'quarters', 'VALIDATION_ERROR', 'Trimestres de 1 a 12', v.quarters);
          if (report.errors.length === before) inserts.push({ line: r.line, values: { id: randomUUID(), code: key, name: v.name, level, durationMonths: months, quarters, description: v.description || null, searchText: searchText(key, v.name), createdBy: actor.sub, updatedBy: actor.sub } });
        } else if (kind === 'venues') {
          if (!/^[A-Z0-9_-]{1,20}$/.test(key)) err(r.line, 'code', 'VALIDATION_ERROR', 'Código no válido', v.code);
          if (v.name.length < 2 || v.name.length > 100) err(r.line, 'name', 'VALIDATION_ERROR', 'Nombre de 2 a 100 caracteres', v.name);
          const campus = campusByCode.get(normalizeCode(v.campus_code));
          if (!campus) err(r.line, 'campus_code', 'REFERENCE_NOT_FOUND', `La sede ${v.campus_code} no existe`, v.campus_code);
          else if (!campus.isActive) err(r.line, 'campus_code', 'REFERENCE_INACTIVE', `La sede ${v.campus_code} está inactiva`, v.campus_code);
          const type = parseCsvEnum(v.type, TYPES);
          if (!type) err(r.line, 'type', 'VALIDATION_ERROR', 'Tipo no válido', v.type);
          const capacity = int(v.capacity, 1, 500);
          if (capacity === null) err(r.line, 'capacity', 'VALIDATION_ERROR', 'Capacidad de 1 a 500', v.capacity);
          if (report.errors.length === before) inserts.push({ line: r.line, values: { id: randomUUID(), campusId: campus!.id, code: key, name: v.name, type, capacity, floor: v.floor || null, building: v.building || null, equipment: v.equipment || null, searchText: searchText(key, v.name), createdBy: actor.sub, updatedBy: actor.sub } });
        } else {
          if (!/^\d{4,10}$/.test(key)) err(r.line, 'number', 'VALIDATION_ERROR', 'Número de ficha no válido', v.number);
          const program = programByCode.get(normalizeCode(v.program_code));
          if (!program) err(r.line, 'program_code', 'REFERENCE_NOT_FOUND', `El programa ${v.program_code} no existe`, v.program_code);
          else if (!program.isActive) err(r.line, 'program_code', 'REFERENCE_INACTIVE', `El programa ${v.program_code} está inactivo`, v.program_code);
          const campus = campusByCode.get(normalizeCode(v.campus_code));
          if (!campus) err(r.line, 'campus_code', 'REFERENCE_NOT_FOUND', `La sede ${v.campus_code} no existe`, v.campus_code);
          else if (!campus.isActive) err(r.line, 'campus_code', 'REFERENCE_INACTIVE', `La sede ${v.campus_code} está inactiva`, v.campus_code);
          const shift = parseCsvEnum(v.shift, SHIFTS);
          if (!shift) err(r.line, 'shift', 'VALIDATION_ERROR', 'Jornada no válida', v.shift);
          const start = parseCsvDate(v.start_date);
          const end = parseCsvDate(v.end_date);
          if (!start) err(r.line, 'start_date', 'VALIDATION_ERROR', 'Fecha no válida', v.start_date);
          if (!end) err(r.line, 'end_date', 'VALIDATION_ERROR', 'Fecha no válida', v.end_date);
          if (start && end && (start >= end || daysBetween(start, end) > 1461)) err(r.line, 'end_date', 'VALIDATION_ERROR', 'Periodo no válido', v.end_date);
          const quarter = v.current_quarter ? int(v.current_quarter, 1, 12) : 1;
          if (quarter === null) err(r.line, 'current_quarter', 'VALIDATION_ERROR', 'Trimestre de 1 a 12', v.current_quarter);
          const max = v.max_apprentices ? int(v.max_apprentices, 1, 100) : null;
          if (v.max_apprentices && max === null) err(r.line, 'max_apprentices', 'VALIDATION_ERROR', 'Cupo de 1 a 100', v.max_apprentices);
          const director = v.director_document ? directorByDoc.get(v.director_document) : undefined;
          if (v.director_document && !director) err(r.line, 'director_document', 'INVALID_INSTRUCTOR', 'El documento no corresponde a un instructor activo', null);
          if (report.errors.length === before) {
            inserts.push({ line: r.line, director, values: { id: randomUUID(), number: key, programId: program!.id, campusId: campus!.id, shift, startDate: start, endDate: end, currentQuarter: quarter, maxApprentices: max, searchText: searchText(key), createdBy: actor.sub, updatedBy: actor.sub } });
          }
        }
      }
      if (report.hasErrors()) throw validationFailed(report.build({ created: 0, skipped: 0, created_ids: [] }));
      const built = report.build({ created: opts.dry_run ? 0 : inserts.length, skipped, created_ids: opts.dry_run ? [] : inserts.map((i) => ({ line: i.line, id: i.values.id as string })) });
      if (opts.dry_run) return { status: 200 as const, report: built };
      const values = inserts.map((x) => x.values);
      await deps.withTransaction(async (tx) => {
        if (kind === 'programs') await tx.programs.insertMany(values as ProgramInsert[]);
        else if (kind === 'venues') await tx.venues.insertMany(values as VenueInsert[]);
        else await tx.groups.insertMany(values as GroupInsert[]);
        const withDirector = inserts.filter((x) => x.director);
        // Director for the whole period; no notification for bulk loads beyond the data itself.
        await tx.assignments.insertMany(withDirector.map((x) => ({ groupId: x.values.id as string, instructorId: x.director!, role: 'director' as const, startDate: x.values.startDate as string, endDate: null, createdBy: actor.sub, updatedBy: actor.sub })));
      });
      return { status: 201 as const, report: built };
    },
  };
}

export type MasterImportService = ReturnType<typeof createMasterImportService>;
