/**
 * CSV import of apprentices and instructors (B1, §6.1): every check and look-up before the write, then
 * one transaction of chunked inserts (R7: no hashing), one USERS_IMPORTED event and one welcome per user.
 */
import type { AuthUser } from '@sicora/platform/auth';
import { AppError } from '@sicora/platform/errors';
import { normalizeRole } from '@sicora/platform/roles';
import { readCsv, type CsvRow, type ImportColumn } from '../domain/csv.rules.ts';
import { searchTextOf } from '../domain/identity.rules.ts';
import { manageableRoles } from '../domain/permissions.ts';
import { normalizeUserInput, type NormalizedInput } from '../domain/user.input.ts';
import { truncSeconds } from '../domain/time.ts';
import { assertCapacity } from './groups.rules.ts';
import type { Group, RequestContext, UsersDeps } from './ports.ts';
import { welcomeData } from './users.service.ts';

export interface ImportOptions {
  dry_run: boolean;
  role?: string;
  on_existing: 'error' | 'skip';
}

interface RowError {
  line: number;
  column: string | null;
  code: string;
  message: string;
  value: string | null;
}

interface Candidate {
  row: CsvRow;
  values: NormalizedInput & { role: 'aprendiz' | 'instructor' };
  group?: Group;
  skipped?: boolean;
}

const MAX_ERRORS = 1000;

export function createImportService(deps: UsersDeps) {
  const { repos, now } = deps;

  return {
    async run(actor: AuthUser, bytes: Buffer, opts: ImportOptions, ctx: RequestContext) {
      const queryRole = opts.role ? normalizeRole(opts.role) : undefined;
      const { columns, rows } = readCsv(bytes, !queryRole);
      const errors: RowError[] = [];
      const fail = (row: CsvRow, column: ImportColumn | null, code: string, message: string) =>
        errors.push({ line: row.line, column, code, message, value: column ? (row.values[column] ?? null) : null });
      const candidates: Candidate[] = [];
      const seenEmail = new Map<string, number>();
      const seenDoc = new Map<string, number>();

      for (const row of rows) {
        const v = row.values;
        const before = errors.length;
        const role = normalizeRole(v.role || queryRole || '');
        if (role !== 'aprendiz' && role !== 'instructor') {
          fail(row, 'role', 'ROLE_NOT_ALLOWED', 'El rol debe ser aprendiz o instructor');
        } else if (!manageableRoles(actor.role).includes(role)) {
          fail(row, 'role', 'ROLE_NOT_ALLOWED', 'No puede registrar usuarios con ese rol');
        }
        const { values, errors: fieldErrors } = normalizeUserInput({
          first_name: v.first_name ?? '', last_name: v.last_name ?? '', email: v.email ?? '', document_type: v.document_type ?? '',
          document_number: v.document_number ?? '', phone: v.phone || null, area: v.area || null,
        });
        for (const e of fieldErrors) fail(row, e.field as ImportColumn, 'VALIDATION_ERROR', e.message ?? 'Valor no válido');
        if (role === 'aprendiz' && !columns.includes('group_number')) {
          throw new AppError('CSV_HEADER_INVALID', 'invalid_input', 'Falta la columna group_number (ficha) para los aprendices', {
            expected: ['first_name', 'last_name', 'email', 'document_type', 'document_number', 'role', 'group_number', 'phone', 'area'], missing: ['group_number'], unknown: [], repeated: [],
          });
        }
        if (role === 'aprendiz' && !v.group_number) fail(row, 'group_number', 'GROUP_REQUIRED', 'Un aprendiz debe tener ficha');
        if (role === 'aprendiz' && v.group_number && !/^\d{4,10}$/.test(v.group_number)) fail(row, 'group_number', 'VALIDATION_ERROR', 'La ficha tiene de 4 a 10 dígitos');
        if (role === 'instructor' && v.group_number) fail(row, 'group_number', 'GROUP_NOT_ALLOWED', 'Un instructor no pertenece a una ficha');
        const earlierEmail = values.email ? seenEmail.get(values.email) : undefined;
        const earlierDoc = values.documentNumber ? seenDoc.get(values.documentNumber) : undefined;
        if (earlierEmail) fail(row, 'email', 'DUPLICATE_IN_FILE', `El correo ya aparece en la línea ${earlierEmail}`);
        if (earlierDoc) fail(row, 'document_number', 'DUPLICATE_IN_FILE', `El documento ya aparece en la línea ${earlierDoc}`);
        if (values.email && !earlierEmail) seenEmail.set(values.email, row.line);
        if (values.documentNumber && !earlierDoc) seenDoc.set(values.documentNumber, row.line);
        if (errors.length === before) {
          candidates.push({ row, values: { ...values, role: role as 'aprendiz' | 'instructor', groupNumber: role === 'aprendiz' ? v.group_number! : null } });
        }
      }

      // Set-based look-ups, all before any write: fichas (≤ 100 numbers per call), existing e-mails and documents.
      const numbers = [...new Set(candidates.filter((c) => c.values.role === 'aprendiz').map((c) => c.values.groupNumber!))];
      const groups = numbers.length ? await deps.groups.byNumbers(numbers, actor.token) : [];
      const byNumber = new Map(groups.map((g) => [g.number, g]));
      const existingEmails = await repos.users.liveByEmails(candidates.map((c) => c.values.email!));
      const existingDocs = await repos.users.liveByDocuments(candidates.map((c) => c.values.documentNumber!));
      const emailOwner = new Map(existingEmails.map((u) => [u.email, u]));
      const docOwner = new Map(existingDocs.map((u) => [u.documentNumber, u]));
      const valid: Candidate[] = [];
      for (const c of candidates) {
        const before = errors.length;
        const byEmail = emailOwner.get(c.values.email!);
        const byDoc = docOwner.get(c.values.documentNumber!);
        if (opts.on_existing === 'skip' && byEmail && byDoc && byEmail.id === byDoc.id) {
          c.skipped = true;
          continue;
        }
        if (byEmail) fail(c.row, 'email', 'EMAIL_ALREADY_EXISTS', 'El correo ya está registrado');
        if (byDoc) fail(c.row, 'document_number', 'DOCUMENT_ALREADY_EXISTS', 'El número de documento ya está registrado');
        if (c.values.role === 'aprendiz') {
          const g = byNumber.get(c.values.groupNumber!);
          if (!g) fail(c.row, 'group_number', 'GROUP_NOT_FOUND', 'La ficha no existe');
          else if (!g.is_active) fail(c.row, 'group_number', 'GROUP_INACTIVE', 'La ficha no está activa');
          c.group = g;
        }
        if (errors.length === before) valid.push(c);
      }
      await checkCapacity(valid, fail);

      const skipped = candidates.filter((c) => c.skipped).length;
      const report = {
        dry_run: opts.dry_run,
        total_rows: rows.length,
        valid_rows: valid.length,
        error_rows: new Set(errors.map((e) => e.line)).size,
        created: 0,
        skipped,
        errors: errors.sort((a, b) => a.line - b.line).slice(0, MAX_ERRORS),
        ...(errors.length > MAX_ERRORS ? { errors_truncated: true } : {}),
        created_users: [] as Array<{ line: number; id: string; email: string; document_number: string; role: 'aprendiz' | 'instructor'; group_number: string | null }>,
      };
      if (errors.length > 0) {
        throw new AppError('CSV_VALIDATION_FAILED', 'invalid', 'El archivo tiene errores; no se registró ningún usuario', report);
      }
      if (opts.dry_run || valid.length === 0) return { status: (opts.dry_run ? 200 : 201) as 200 | 201, report };

      const at = now();
      const created = await repos.transaction(async (tx) => {
        const perGroup = new Map<string, { group: Group; n: number }>();
        for (const c of valid) if (c.group) perGroup.set(c.group.id, { group: c.group, n: (perGroup.get(c.group.id)?.n ?? 0) + 1 });
        for (const { group, n } of perGroup.values()) await assertCapacity(tx, group, n);
        const inserted = await tx.users.insertMany(valid.map((c) => ({
          firstName: c.values.firstName!, lastName: c.values.lastName!, email: c.values.email!, documentType: c.values.documentType!,
          documentNumber: c.values.documentNumber!, phone: c.values.phone ?? null, area: c.values.area ?? null, role: c.values.role,
          groupId: c.group?.id ?? null, groupNumber: c.group?.number ?? null, passwordHash: null, mustChangePassword: true, isActive: true,
          tokensValidAfter: truncSeconds(at), searchText: searchTextOf({ firstName: c.values.firstName!, lastName: c.values.lastName!, email: c.values.email! }),
          createdBy: actor.sub, updatedBy: actor.sub, createdAt: at, updatedAt: at,
        })));
        const eventId = await tx.events.record({ ...ctx, at }, 'USERS_IMPORTED', null, {
          created: inserted.length, skipped, total_rows: rows.length, aprendiz: valid.filter((c) => c.values.role === 'aprendiz').length,
        });
        await tx.notifications.many(inserted.map((u) => ({
          type: 'user.welcome' as const, userId: u.id, data: welcomeData(u, deps.publicAppUrl, 'document_number'), priority: 'normal' as const, eventId,
        })));
        return inserted;
      });
      const lineOf = new Map(valid.map((c) => [c.values.documentNumber!, c.row.line]));
      report.created = created.length;
      report.created_users = created.map((u) => ({
        line: lineOf.get(u.documentNumber)!, id: u.id, email: u.email, document_number: u.documentNumber,
        role: u.role as 'aprendiz' | 'instructor', // only these two are imported (the row check above)
        group_number: u.groupNumber,
      })).sort((a, b) => a.line - b.line);
      return { status: 201 as const, report };
    },
  };

  /** R4 across the file: rows beyond a ficha's free places are errors (counted before writing; re-checked under lock). */
  async function checkCapacity(valid: Candidate[], fail: (row: CsvRow, column: ImportColumn | null, code: string, message: string) => void) {
    const byGroup = new Map<string, Candidate[]>();
    for (const c of valid) if (c.group?.max_apprentices != null) byGroup.set(c.group.id, [...(byGroup.get(c.group.id) ?? []), c]);
    for (const list of byGroup.values()) {
      const group = list[0].group!;
      const free = Math.max(0, group.max_apprentices! - (await repos.users.countActiveApprentices(group.id)));
      const over = list.slice(free);
      for (const c of over) fail(c.row, 'group_number', 'GROUP_FULL', `La ficha ${group.number} no tiene cupo (${group.max_apprentices})`);
      if (over.length) valid.splice(0, valid.length, ...valid.filter((v) => !over.includes(v)));
    }
  }
}

