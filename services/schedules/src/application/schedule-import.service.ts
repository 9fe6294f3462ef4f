/**
 * S8: a schedules CSV validated row by row with references resolved in batches and conflicts checked in
 * memory against entries loaded once for the file's dates and against the other rows; all rows written
 * in one transaction with chunked multi-row inserts, or nothing.
 */
import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '@sicora/platform/errors';
import { validateEntry } from '../domain/candidate.ts';
import { createSlotIndex, type Candidate } from '../domain/conflicts.ts';
import { parseCsvDate, parseCsvDay, parseCsvTime, readCsv, type CsvColumn } from '../domain/csv.ts';
import { dayName } from '../domain/shifts.ts';
import { normalizeCode } from '../domain/text.ts';
import { conflictMessage } from './conflict-check.ts';
import { callAs, type Actor, type Deps } from './context.ts';
import { notify, type ScheduleEvent } from './events.ts';
import { createReport, validationFailed } from './import-report.ts';
import type { EntryValues } from './ports.ts';

export const SCHEDULE_COLUMNS: CsvColumn[] = [
  { name: 'group_number', aliases: ['ficha'], required: true },
  { name: 'instructor_document', aliases: ['documento_instructor'], required: true },
  { name: 'venue_code', aliases: ['ambiente'], required: true },
  { name: 'subject', aliases: ['competencia', 'actividad', 'asignatura'], required: true },
  { name: 'start_date', aliases: ['fecha_inicio'], required: true },
  { name: 'end_date', aliases: ['fecha_fin'], required: true },
  { name: 'day_of_week', aliases: ['dia'] },
  { name: 'start_time', aliases: ['hora_inicio'] },
  { name: 'end_time', aliases: ['hora_fin'] },
  { name: 'blocks', aliases: ['bloques'] },
  { name: 'notes', aliases: ['observaciones'] },
];

export function createScheduleImportService(deps: Pick<Deps, 'repos' | 'withTransaction' | 'users' | 'now'>) {
  const { entries, groups, venues } = deps.repos;
  return {
    async run(bytes: Uint8Array, opts: { dry_run: boolean; on_existing: 'error' | 'skip' }, actor: Actor) {
      const { header, rows } = readCsv(bytes, SCHEDULE_COLUMNS, 5000);
      const hasTimes = ['day_of_week', 'start_time', 'end_time'].every((c) => header.includes(c));
      if (!hasTimes && !header.includes('blocks')) {
        throw new AppError('CSV_HEADER_INVALID', 'invalid_input', 'Se requieren day_of_week, start_time y end_time, o blocks', { expected: SCHEDULE_COLUMNS.map((c) => c.name) });
      }
      const report = createReport(opts.dry_run, rows.length);
      const err = (line: number, column: string | null, code: string, message: string, value: string | null = null) => report.add({ line, column, code, message, value });

      // References in batches: fichas and venues in one query each, instructors through users U12 (≤ 500 per call).
      const groupRows = await groups.byNumbers([...new Set(rows.map((r) => r.values.group_number))]);
      const groupsByNumber = new Map(groupRows.map((g) => [g.number, g]));
      const venueRows = await venues.byCodes([...new Set(rows.map((r) => normalizeCode(r.values.venue_code)))]);
      const venuesByCode = new Map(venueRows.map((v) => [v.code, v]));
      const docs = [...new Set(rows.map((r) => r.values.instructor_document).filter(Boolean))];
      const people = await deps.users.lookup({ document_numbers: docs }, callAs(actor));
      const instructorsByDoc = new Map(people.filter((u) => u.role === 'instructor' && u.is_active && !u.is_deleted && u.document_number).map((u) => [u.document_number!, u]));

      const valid: Array<{ line: number; values: EntryValues }> = [];
      for (const { line, values: v } of rows) {
        const group = groupsByNumber.get(v.group_number);
        if (!group) err(line, 'group_number', 'REFERENCE_NOT_FOUND', `La ficha ${v.group_number} no existe`, v.group_number);
        else if (!group.isActive) err(line, 'group_number', 'REFERENCE_INACTIVE', `La ficha ${v.group_number} está inactiva`, v.group_number);
        const venue = venuesByCode.get(normalizeCode(v.venue_code));
        if (!venue) err(line, 'venue_code', 'REFERENCE_NOT_FOUND', `El ambiente ${v.venue_code} no existe`, v.venue_code);
        else if (!venue.isActive) err(line, 'venue_code', 'REFERENCE_INACTIVE', `El ambiente ${v.venue_code} está inactivo`, v.venue_code);
        const instructor = instructorsByDoc.get(v.instructor_document);
        if (!instructor) err(line, 'instructor_document', 'INVALID_INSTRUCTOR', 'El documento no corresponde a un instructor activo', null);
        if (v.subject.length < 3 || v.subject.length > 200) err(line, 'subject', 'VALIDATION_ERROR', 'La competencia debe tener entre 3 y 200 caracteres', v.subject);
        const start = parseCsvDate(v.start_date);
        const end = parseCsvDate(v.end_date);
        if (!start) err(line, 'start_date', 'VALIDATION_ERROR', 'Fecha no válida (YYYY-MM-DD o DD/MM/YYYY)', v.start_date);
        if (!end) err(line, 'end_date', 'VALIDATION_ERROR', 'Fecha no válida (YYYY-MM-DD o DD/MM/YYYY)', v.end_date);
        const hasSlotTimes = Boolean(v.day_of_week || v.start_time || v.end_time);
        const day = v.day_of_week ? parseCsvDay(v.day_of_week) : undefined;
        const startTime = v.start_time ? parseCsvTime(v.start_time) : undefined;
        const endTime = v.end_time ? parseCsvTime(v.end_time) : undefined;
        if (day === null) err(line, 'day_of_week', 'VALIDATION_ERROR', 'Día no válido', v.day_of_week);
        if (startTime === null) err(line, 'start_time', 'VALIDATION_ERROR', 'Hora no válida', v.start_time);
        if (endTime === null) err(line, 'end_time', 'VALIDATION_ERROR', 'Hora no válida', v.end_time);
        if (!v.blocks && !(day && startTime && endTime)) {
          if (!report.isBad(line) || !hasSlotTimes) err(line, 'blocks', 'VALIDATION_ERROR', 'Indique día y horas, o bloques', v.blocks || null);
        }
        if (report.isBad(line) || !group || !venue || !instructor || !start || !end) continue;
        try {
          const slot = validateEntry(group, { day_of_week: day ?? undefined, start_time: startTime ?? undefined, end_time: endTime ?? undefined, blocks: v.blocks || undefined, start_date: start, end_date: end });
          valid.push({ line, values: { group_id: group.id, instructor_id: instructor.id, venue_id: venue.id, ...slot, subject: v.subject, notes: v.notes || null } });
        } catch (e) {
          if (!isAppError(e)) throw e;
          const column = e.code.includes('BLOCK') ? 'blocks' : e.code === 'OUTSIDE_SHIFT' ? (v.blocks ? 'blocks' : 'start_time') : e.code === 'VALIDATION_ERROR' ? 'start_time' : 'start_date';
          err(line, column, e.code, e.message, null);
        }
      }

      // Existing identical ACTIVE entries (on_existing) and duplicates inside the file.
      const key = (x: EntryValues) => [x.group_id, x.instructor_id, x.venue_id, x.subject, x.day_of_week, x.start_time, x.end_time, x.start_date, x.end_date].join('|');
      const groupIds = [...new Set(valid.map((r) => r.values.group_id))];
      const existing = await entries.activeOfGroups(groupIds);
      const existingKeys = new Set(existing.map((e) => key({ group_id: e.groupId, instructor_id: e.instructorId, venue_id: e.venueId, subject: e.subject, day_of_week: e.dayOfWeek, start_time: e.startTime.slice(0, 5), end_time: e.endTime.slice(0, 5), start_date: e.startDate, end_date: e.endDate, notes: null })));
      const seen = new Map<string, number>();
      let skipped = 0;
      const toCheck: typeof valid = [];
      for (const r of valid) {
        const k = key(r.values);
        if (seen.has(k)) {
          err(r.line, null, 'DUPLICATE_IN_FILE', `La fila repite la línea ${seen.get(k)}`);
          continue;
        }
        seen.set(k, r.line);
        if (existingKeys.has(k)) {
          if (opts.on_existing === 'skip') skipped++;
          else err(r.line, null, 'SCHEDULE_CONFLICT', 'Ya existe un horario activo idéntico (use on_existing=skip para omitirlo)');
          continue;
        }
        toCheck.push(r);
      }

      // Conflicts: slots of the database for the file's window loaded once, then every row against them and the earlier rows.
      const fresh: Array<{ line: number; values: EntryValues }> = [];
      if (toCheck.length) {
        const index = createSlotIndex();
        const slots = await entries.slots({
          dows: [...new Set(toCheck.map((r) => r.values.day_of_week))],
          from: toCheck.reduce((m, r) => (r.values.start_date < m ? r.values.start_date : m), toCheck[0].values.start_date),
          to: toCheck.reduce((m, r) => (r.values.end_date > m ? r.values.end_date : m), toCheck[0].values.end_date),
          instructorIds: [...new Set(toCheck.map((r) => r.values.instructor_id))],
          venueIds: [...new Set(toCheck.map((r) => r.values.venue_id))],
          groupIds: [...new Set(toCheck.map((r) => r.values.group_id))],
        });
        for (const s of slots) index.add(s);
        const numberOf = new Map(groupRows.map((g) => [g.id, g.number]));
        const codeOf = new Map(venueRows.map((v) => [v.id, v.code]));
        for (const r of toCheck) {
          const c: Candidate = r.values;
          const conflicts = index.check(c, 1);
          if (conflicts.length) {
            const first = conflicts[0];
            const message = first.line !== undefined ? `${conflictMessage(first)} (línea ${first.line})` : conflictMessage(first);
            err(r.line, null, 'SCHEDULE_CONFLICT', message, first.kind);
            continue;
          }
          index.add({ schedule_id: `line-${r.line}`, line: r.line, ...r.values, group_number: numberOf.get(r.values.group_id)!, venue_code: codeOf.get(r.values.venue_id)!, kinds: ['INSTRUCTOR', 'VENUE', 'GROUP'] });
          fresh.push(r);
        }
      }

      if (report.hasErrors()) throw validationFailed(report.build({ created: 0, skipped: 0, created_ids: [] }));
      if (opts.dry_run) return { status: 200 as const, report: report.build({ created: 0, skipped, created_ids: [] }) };

      const ids = fresh.map(() => randomUUID());
      const now = deps.now();
      // R28: one schedule.published per affected ficha and one per affected instructor (§7: both carry group_number).
      const byGroup = new Map<string, typeof fresh>();
      const byInstructor = new Map<string, typeof fresh>();
      for (const r of fresh) {
        byGroup.set(r.values.group_id, [...(byGroup.get(r.values.group_id) ?? []), r]);
        byInstructor.set(r.values.instructor_id, [...(byInstructor.get(r.values.instructor_id) ?? []), r]);
      }
      const summary = (list: typeof fresh) => list.map((r) => ({ subject: r.values.subject, day_name: dayName(r.values.day_of_week), start_time: r.values.start_time, end_time: r.values.end_time, start_date: r.values.start_date, end_date: r.values.end_date }));
      // An instructor's event covers every ficha of theirs in the batch: their numbers, as §7's group_number.
      const numbersOf = (groupIds: string[]) => [...new Set(groupIds)].map((id) => groupRows.find((g) => g.id === id)!.number).sort().join(', ');
      const batch = ids[0] ?? 'empty';
      const events: ScheduleEvent[] = [
        ...[...byGroup].map(([groupId, list]): ScheduleEvent => ({ type: 'schedule.published', entityId: `${groupId}:${batch}`, stamp: now, groups: [groupId], data: { group_number: groupRows.find((g) => g.id === groupId)!.number, count: list.length, entries: summary(list) } })),
        ...[...byInstructor].map(([instructorId, list]): ScheduleEvent => ({ type: 'schedule.published', entityId: `${instructorId}:${batch}`, stamp: now, users: [instructorId], data: { group_number: numbersOf(list.map((r) => r.values.group_id)), count: list.length, entries: summary(list) } })),
      ];
      await deps.withTransaction(async (tx) => {
        await tx.entries.insertMany(fresh.map((r, i) => ({ id: ids[i], values: { ...r.values, subject: r.values.subject.trim() } })), actor.sub);
        if (events.length) await notify(tx, events);
      });
      return { status: 201 as const, report: report.build({ created: fresh.length, skipped, created_ids: fresh.map((r, i) => ({ line: r.line, id: ids[i] })) }) };
    },
  };
}

export type ScheduleImportService = ReturnType<typeof createScheduleImportService>;
