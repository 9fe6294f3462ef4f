/** E1–E8: the question bank (R1–R7) and its CSV bulk upload (§6.1, all or nothing). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import { toIso } from '@sicora/platform/schemas';
import { readQuestionCsv, parseBool, type CsvRow } from '../domain/csv.ts';
import { evalinErrors } from '../domain/errors.ts';
import { canonicalType, categoryProblem, checkOptions, defaultRequired, optionsProblem, textProblem, type QuestionType } from '../domain/questions.ts';
import { collapse, fold, keyOf } from '../domain/text.ts';
import type { Actor, Deps } from './context.ts';
import type { QuestionRow, QuestionSortField } from './ports.ts';

export interface QuestionInput {
  text: string;
  question_type: string;
  category: string;
  description?: string | null;
  options?: string[] | null;
  is_required?: boolean;
  order_index?: number;
  is_active?: boolean;
}

type Membership = { questionId: string; id: string; name: string; locked: boolean };

export function questionView(q: QuestionRow, memberships: Membership[] = []) {
  const mine = memberships.filter((m) => m.questionId === q.id);
  return {
    id: q.id,
    text: q.text,
    description: q.description,
    question_type: q.questionType,
    category: q.category,
    options: q.options,
    is_required: q.isRequired,
    order_index: q.orderIndex,
    is_active: q.isActive,
    created_by: q.createdBy,
    created_at: toIso(q.createdAt),
    updated_at: toIso(q.updatedAt),
    locked: mine.some((m) => m.locked),
    questionnaire_count: mine.length,
  };
}

const typeOf = (input: string): QuestionType => {
  const t = canonicalType(input);
  if (!t) throw evalinErrors.field('question_type', 'enum', 'Tipo de pregunta no válido');
  return t;
};

function checkText(text: string) {
  const p = textProblem(text);
  if (p) throw evalinErrors.field('text', p, 'El texto debe tener entre 10 y 500 caracteres');
  return collapse(text);
}

function checkCategory(category: string) {
  const p = categoryProblem(category);
  if (p) throw evalinErrors.field('category', p, 'La categoría debe tener entre 2 y 100 caracteres');
  return category.trim();
}

export function createQuestionsService(deps: Deps) {
  const { repos } = deps;
  const withMemberships = async (rows: QuestionRow[]) => {
    const m = await repos.questions.memberships(rows.map((r) => r.id));
    return rows.map((r) => questionView(r, m));
  };
  const load = async (id: string) => {
    const q = await repos.questions.get(id);
    if (!q) throw evalinErrors.questionNotFound();
    return q;
  };
  const uniqueText = { questions_text_live_uq: () => evalinErrors.questionExists('') };

  return {
    async list(f: { question_type?: string; category?: string; is_active?: boolean; search?: string }, sort: { field: QuestionSortField; direction: 'asc' | 'desc' }, limit: number, offset: number) {
      const type = f.question_type ? typeOf(f.question_type) : undefined;
      const { rows, total } = await repos.questions.list({ questionType: type, category: f.category, isActive: f.is_active, search: f.search ? fold(f.search.trim()) : undefined }, sort, limit, offset);
      return { items: await withMemberships(rows), total };
    },
    async get(id: string) {
      const q = await load(id);
      const m = await repos.questions.memberships([id]);
      return { ...questionView(q, m), questionnaires: m.map((x) => ({ id: x.id, name: x.name })) };
    },
    async create(input: QuestionInput, actor: Actor) {
      const type = typeOf(input.question_type);
      const text = checkText(input.text);
      const category = checkCategory(input.category);
      const options = checkOptions(type, input.options);
      const existing = await repos.questions.byTextKeys([keyOf(text)]);
      if (existing.length) throw evalinErrors.questionExists(existing[0].id);
      const orderIndex = input.order_index ?? (await repos.questions.maxOrderIndex(category)) + 1;
      const at = deps.now();
      const [row] = await onUniqueViolation(
        () => repos.questions.insert([{ text, textKey: keyOf(text), searchText: fold(text), description: input.description ?? null, questionType: type, category, options, isRequired: input.is_required ?? defaultRequired(type), orderIndex, isActive: input.is_active ?? true, createdBy: actor.sub, createdAt: at, updatedAt: at }]),
        uniqueText,
      );
      return questionView(row);
    },
    async update(id: string, patch: Partial<QuestionInput>) {
      const q = await load(id);
      const m = await repos.questions.memberships([id]);
      // R5: a locked question keeps everything but description, order_index and is_active.
      if (m.some((x) => x.locked)) {
        const changed = (['text', 'question_type', 'category', 'options', 'is_required'] as const).filter((k) => patch[k] !== undefined);
        if (changed.length) throw evalinErrors.questionLocked([...changed]);
      }
      const type = patch.question_type !== undefined ? typeOf(patch.question_type) : q.questionType;
      const text = patch.text !== undefined ? checkText(patch.text) : q.text;
      const category = patch.category !== undefined ? checkCategory(patch.category) : q.category;
      const options = patch.options !== undefined || patch.question_type !== undefined ? checkOptions(type, patch.options !== undefined ? patch.options : q.options) : q.options;
      if (keyOf(text) !== q.textKey) {
        const other = await repos.questions.otherWithKey(keyOf(text), id);
        if (other) throw evalinErrors.questionExists(other.id);
      }
      const row = await onUniqueViolation(
        () =>
          repos.questions.update(id, {
            text, textKey: keyOf(text), searchText: fold(text), questionType: type, category, options,
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...(patch.is_required !== undefined ? { isRequired: patch.is_required } : {}),
            ...(patch.order_index !== undefined ? { orderIndex: patch.order_index } : {}),
            ...(patch.is_active !== undefined ? { isActive: patch.is_active } : {}),
            updatedAt: deps.now(),
          }),
        uniqueText,
      );
      return questionView(row, m);
    },
    async remove(id: string) {
      await load(id);
      const m = await repos.questions.memberships([id]);
      if (m.length) throw evalinErrors.questionInUse(m.map((x) => ({ id: x.id, name: x.name })));
      await repos.questions.softDelete(id, deps.now());
    },
    categories: () => repos.questions.categories(),
    bulkUpload: (bytes: Buffer, opts: { on_duplicate: 'error' | 'skip' | 'update'; dry_run: boolean; maxRows: number }, actor: Actor) => bulkUpload(deps, bytes, opts, actor),
  };
}

type RowError = { row: number; column: string | null; code: string; message: string };
type Planned = { row: number; action: 'create' | 'update' | 'skip'; existing?: QuestionRow; values?: Omit<QuestionInput, 'question_type'> & { question_type: QuestionType } };

async function bulkUpload(deps: Deps, bytes: Buffer, opts: { on_duplicate: 'error' | 'skip' | 'update'; dry_run: boolean; maxRows: number }, actor: Actor) {
  const rows = readQuestionCsv(bytes, opts.maxRows);
  const errs: RowError[] = [];
  const parsed = rows.map((r) => parseRow(r, errs));
  const keys = parsed.filter((p) => p.values).map((p) => keyOf(p.values!.text));
  const existing = new Map((await deps.repos.questions.byTextKeys(keys)).map((q) => [q.textKey, q]));
  const locked = new Set((await deps.repos.questions.memberships([...existing.values()].map((q) => q.id))).filter((m) => m.locked).map((m) => m.questionId));
  const seen = new Set<string>();
  const plan: Planned[] = [];
  for (const p of parsed) {
    if (!p.values) continue;
    const key = keyOf(p.values.text);
    if (seen.has(key)) {
      errs.push({ row: p.row, column: 'text', code: 'duplicate_in_file', message: 'El texto se repite en el archivo' });
      continue;
    }
    seen.add(key);
    const found = existing.get(key);
    if (!found) plan.push({ row: p.row, action: 'create', values: p.values });
    else if (opts.on_duplicate === 'error') errs.push({ row: p.row, column: 'text', code: 'already_exists', message: 'Ya existe una pregunta con ese texto' });
    else if (opts.on_duplicate === 'skip') plan.push({ row: p.row, action: 'skip', existing: found });
    else if (locked.has(found.id)) errs.push({ row: p.row, column: 'text', code: 'question_locked', message: 'La pregunta ya se usa en un período y no puede cambiar' });
    else plan.push({ row: p.row, action: 'update', existing: found, values: p.values });
  }
  if (errs.length) throw evalinErrors.csvFailed(errs.sort((a, b) => a.row - b.row));
  const at = deps.now();
  const report = { total_rows: rows.length, created: 0, updated: 0, skipped: 0, dry_run: opts.dry_run, rows: [] as Array<{ row: number; question_id: string | null; action: 'created' | 'updated' | 'skipped' }> };
  const nextIndex = new Map<string, number>();
  const indexFor = async (category: string) => {
    const k = category.toLowerCase();
    if (!nextIndex.has(k)) nextIndex.set(k, await deps.repos.questions.maxOrderIndex(category));
    const n = nextIndex.get(k)! + 1;
    nextIndex.set(k, n);
    return n;
  };
  const inserts: Array<{ row: number; values: Parameters<Deps['repos']['questions']['insert']>[0][number] }> = [];
  for (const p of plan) {
    if (p.action !== 'create') continue;
    const v = p.values!;
    inserts.push({ row: p.row, values: { text: v.text, textKey: keyOf(v.text), searchText: fold(v.text), description: v.description ?? null, questionType: v.question_type, category: v.category, options: v.options ?? null, isRequired: v.is_required ?? defaultRequired(v.question_type), orderIndex: v.order_index ?? (await indexFor(v.category)), isActive: true, createdBy: actor.sub, createdAt: at, updatedAt: at } });
  }
  const write = async () => {
    if (opts.dry_run) return new Map<number, string>();
    return deps.withTransaction(async (tx) => {
      const ids = new Map<number, string>();
      const created = await tx.questions.insert(inserts.map((i) => i.values));
      created.forEach((q, i) => ids.set(inserts[i].row, q.id));
      for (const p of plan.filter((x) => x.action === 'update')) {
        const v = p.values!;
        await tx.questions.update(p.existing!.id, { text: v.text, textKey: keyOf(v.text), searchText: fold(v.text), questionType: v.question_type, category: v.category, options: v.options ?? null, isRequired: v.is_required ?? defaultRequired(v.question_type), ...(v.order_index !== undefined ? { orderIndex: v.order_index } : {}), ...(v.description !== undefined ? { description: v.description } : {}), updatedAt: at });
      }
      return ids;
    });
  };
  const ids = await write();
  for (const p of plan) {
    if (p.action === 'create') report.created += 1;
    if (p.action === 'update') report.updated += 1;
    if (p.action === 'skip') report.skipped += 1;
    report.rows.push({ row: p.row, question_id: p.action === 'create' ? (ids.get(p.row) ?? null) : p.existing!.id, action: p.action === 'create' ? 'created' : p.action === 'update' ? 'updated' : 'skipped' });
  }
  return report;
}

function parseRow(r: CsvRow, errs: RowError[]): { row: number; values?: Planned['values'] } {
  const v = r.values;
  const before = errs.length;
  const err = (column: string, code: string, message: string) => errs.push({ row: r.row, column, code, message });
  const type = canonicalType(v.question_type ?? '');
  if (!type) err('question_type', 'invalid_type', 'Tipo de pregunta no válido');
  const tp = textProblem(v.text ?? '');
  if (tp) err('text', tp, 'El texto debe tener entre 10 y 500 caracteres');
  const cp = categoryProblem(v.category ?? '');
  if (cp) err('category', cp, 'La categoría debe tener entre 2 y 100 caracteres');
  const options = (v.options ?? '').split('|').map((o) => o.trim()).filter((o) => o.length > 0);
  if (type) {
    const op = optionsProblem(type, options);
    if (op) err('options', `options_${op}`, 'Las opciones de la pregunta no son válidas');
  }
  const required = parseBool(v.is_required ?? '');
  if (required === null) err('is_required', 'invalid_boolean', 'Use true/false, si/no o 1/0');
  const oi = (v.order_index ?? '').trim();
  let orderIndex: number | undefined;
  if (oi !== '') {
    if (!/^\d{1,9}$/.test(oi)) err('order_index', 'invalid_integer', 'Debe ser un entero mayor o igual a 0');
    else orderIndex = Number(oi);
  }
  const description = (v.description ?? '').trim();
  if (description.length > 1000) err('description', 'too_long', 'La descripción supera 1000 caracteres');
  if (errs.length > before || !type) return { row: r.row };
  return {
    row: r.row,
    values: {
      text: collapse(v.text),
      question_type: type,
      category: v.category.trim(),
      options: options.length ? options.map((o) => collapse(o)) : null,
      is_required: required ?? undefined,
      order_index: orderIndex,
      description: description || undefined,
    },
  };
}

export type QuestionsService = ReturnType<typeof createQuestionsService>;
