/** E9–E17: questionnaires and their ordered question lists (R8–R12). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import { toIso } from '@sicora/platform/schemas';
import { evalinErrors } from '../domain/errors.ts';
import { collapse, keyOf } from '../domain/text.ts';
import type { Actor, Deps } from './context.ts';
import { questionView } from './questions.service.ts';
import type { QuestionnaireListRow, QuestionnaireSortField, Repositories } from './ports.ts';

const MAX_QUESTIONS = 50;

export function questionnaireView(r: QuestionnaireListRow) {
  return {
    id: r.q.id,
    name: r.q.name,
    description: r.q.description,
    is_active: r.q.isActive,
    created_by: r.q.createdBy,
    created_at: toIso(r.q.createdAt),
    updated_at: toIso(r.q.updatedAt),
    question_count: r.questionCount,
    period_count: r.periodCount,
    locked: r.locked,
  };
}

function checkName(name: string) {
  const n = collapse(name);
  if (n.length < 3 || n.length > 200) throw evalinErrors.field('name', 'length', 'El nombre debe tener entre 3 y 200 caracteres');
  return n;
}

const uniqueName = { questionnaires_name_uq: () => evalinErrors.questionnaireExists() };

export function createQuestionnairesService(deps: Deps) {
  const { repos } = deps;
  async function detail(id: string, r: Repositories = repos) {
    const row = await r.questionnaires.get(id);
    if (!row) throw evalinErrors.questionnaireNotFound();
    const qs = await r.questionnaires.questions(id);
    return { ...questionnaireView(row), questions: qs.map((x) => ({ ...questionView(x.question), position: x.position })) };
  }
  /** Questions to add: every id known, active, not already there (R7, R9). */
  async function checkAddable(ids: string[], current: string[], r: Repositories = repos) {
    const found = await r.questions.byIds(ids);
    const live = new Map(found.filter((q) => q.deletedAt === null).map((q) => [q.id, q]));
    const missing = ids.filter((id) => !live.has(id));
    if (missing.length) throw evalinErrors.questionNotFound({ question_ids: missing });
    const inactive = ids.filter((id) => !live.get(id)!.isActive);
    if (inactive.length) throw evalinErrors.questionInactive(inactive);
    const present = ids.filter((id) => current.includes(id));
    const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (present.length || dup.length) throw evalinErrors.alreadyInQuestionnaire([...new Set([...present, ...dup])]);
    if (current.length + ids.length > MAX_QUESTIONS) throw evalinErrors.questionnaireFull();
  }
  /** Locks the row, refuses a locked list (R10), then rewrites it. */
  async function changeList(id: string, change: (current: string[], tx: Repositories) => Promise<string[]> | string[]) {
    await deps.withTransaction(async (tx) => {
      const q = await tx.questionnaires.getForUpdate(id);
      if (!q) throw evalinErrors.questionnaireNotFound();
      const row = await tx.questionnaires.get(id);
      if (row!.locked) throw evalinErrors.questionnaireLocked();
      const next = await change(await tx.questionnaires.questionIds(id), tx);
      await tx.questionnaires.setQuestions(id, next);
      await tx.questionnaires.touch(id, deps.now());
    });
    return detail(id);
  }

  return {
    detail,
    async list(f: { is_active?: boolean; search?: string; has_questions?: boolean }, sort: { field: QuestionnaireSortField; direction: 'asc' | 'desc' }, limit: number, offset: number) {
      const { rows, total } = await repos.questionnaires.list({ isActive: f.is_active, search: f.search?.trim(), hasQuestions: f.has_questions }, sort, limit, offset);
      return { items: rows.map(questionnaireView), total };
    },
    async create(input: { name: string; description?: string | null; question_ids?: string[] }, actor: Actor) {
      const name = checkName(input.name);
      if (await repos.questionnaires.byNameKey(keyOf(name))) throw evalinErrors.questionnaireExists();
      const ids = input.question_ids ?? [];
      if (ids.length) await checkAddable(ids, []);
      const at = deps.now();
      const id = await onUniqueViolation(
        () =>
          deps.withTransaction(async (tx) => {
            const row = await tx.questionnaires.insert({ name, nameKey: keyOf(name), description: input.description ?? null, createdBy: actor.sub, createdAt: at, updatedAt: at });
            await tx.questionnaires.setQuestions(row.id, ids);
            return row.id;
          }),
        uniqueName,
      );
      return detail(id);
    },
    async update(id: string, patch: { name?: string; description?: string | null; is_active?: boolean }) {
      const row = await repos.questionnaires.get(id);
      if (!row) throw evalinErrors.questionnaireNotFound();
      const name = patch.name !== undefined ? checkName(patch.name) : row.q.name;
      if (keyOf(name) !== row.q.nameKey && (await repos.questionnaires.byNameKey(keyOf(name), id))) throw evalinErrors.questionnaireExists();
      await onUniqueViolation(
        () => repos.questionnaires.update(id, { name, nameKey: keyOf(name), ...(patch.description !== undefined ? { description: patch.description } : {}), ...(patch.is_active !== undefined ? { isActive: patch.is_active } : {}), updatedAt: deps.now() }),
        uniqueName,
      );
      return questionnaireView((await repos.questionnaires.get(id))!);
    },
    async remove(id: string) {
      const row = await repos.questionnaires.get(id);
      if (!row) throw evalinErrors.questionnaireNotFound();
      const names = await repos.questionnaires.periodNames(id);
      if (names.length) throw evalinErrors.questionnaireInUse(names);
      await repos.questionnaires.remove(id);
    },
    async addQuestions(id: string, ids: string[], position?: number) {
      if (!(await repos.questionnaires.get(id))) throw evalinErrors.questionnaireNotFound();
      return changeList(id, async (current, tx) => {
        await checkAddable(ids, current, tx);
        const at = position === undefined ? current.length : position - 1;
        if (at < 0 || at > current.length) throw evalinErrors.field('position', 'out_of_range', `La posición va de 1 a ${current.length + 1}`);
        return [...current.slice(0, at), ...ids, ...current.slice(at)];
      });
    },
    async removeQuestion(id: string, questionId: string) {
      if (!(await repos.questionnaires.get(id))) throw evalinErrors.questionnaireNotFound();
      return changeList(id, (current) => {
        if (!current.includes(questionId)) throw evalinErrors.notInQuestionnaire();
        return current.filter((q) => q !== questionId);
      });
    },
    async reorder(id: string, ids: string[]) {
      if (!(await repos.questionnaires.get(id))) throw evalinErrors.questionnaireNotFound();
      return changeList(id, (current) => {
        const missing = current.filter((q) => !ids.includes(q));
        const unexpected = [...new Set(ids.filter((q) => !current.includes(q)))];
        const duplicated = [...new Set(ids.filter((q, i) => ids.indexOf(q) !== i))];
        if (missing.length || unexpected.length || duplicated.length) throw evalinErrors.orderMismatch({ missing, unexpected, duplicated });
        return ids;
      });
    },
    async duplicate(id: string, name: string | undefined, actor: Actor) {
      const source = await repos.questionnaires.get(id);
      if (!source) throw evalinErrors.questionnaireNotFound();
      let newName: string;
      if (name !== undefined) {
        newName = checkName(name);
        if (await repos.questionnaires.byNameKey(keyOf(newName))) throw evalinErrors.questionnaireExists();
      } else {
        // "‹name› (copia)", then "(copia 2)", … — the first free one.
        const taken = new Set(await repos.questionnaires.nameKeysLike(keyOf(`${source.q.name} (copia`)));
        newName = `${source.q.name} (copia)`;
        for (let n = 2; taken.has(keyOf(newName)); n += 1) newName = `${source.q.name} (copia ${n})`;
        newName = newName.slice(0, 200);
      }
      const ids = await repos.questionnaires.questionIds(id);
      const at = deps.now();
      const newId = await onUniqueViolation(
        () =>
          deps.withTransaction(async (tx) => {
            const row = await tx.questionnaires.insert({ name: newName, nameKey: keyOf(newName), description: source.q.description, createdBy: actor.sub, createdAt: at, updatedAt: at });
            await tx.questionnaires.setQuestions(row.id, ids);
            return row.id;
          }),
        uniqueName,
      );
      return detail(newId);
    },
  };
}

export type QuestionnairesService = ReturnType<typeof createQuestionnairesService>;
