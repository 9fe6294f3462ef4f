/** P27–P33: rubrics, weighted criteria, grade bands, activation and archive (R16–R18). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import type { PageRequest } from '@sicora/platform/pagination';
import { pe } from '../domain/errors.ts';
import { checkActivation, checkBands, DEFAULT_BANDS, levelsValid, type Band } from '../domain/grading.ts';
import type { Access } from './access.ts';
import { isApprentice, type Actor, type Deps } from './context.ts';
import type { RubricRow } from './ports.ts';
import { rubricDetailView, rubricView } from './views.ts';

export interface RubricInput {
  name: string;
  description?: string | null;
  program_code?: string | null;
  trimester?: number | null;
  criteria: Array<{ name: string; description?: string | null; weight: number; levels?: Array<{ label: string; description?: string; min_score: number; max_score: number }> }>;
  grade_bands?: Band[];
}

export function createRubricsService(deps: Deps, access: Access) {
  const { repos } = deps;

  async function view(r: RubricRow) {
    const [weights, usage] = await Promise.all([repos.rubrics.weightTotals([r.id]), repos.rubrics.usage([r.id])]);
    const content = { criteria: await repos.rubrics.criteria(r.id), bands: await repos.rubrics.bands(r.id) };
    return rubricDetailView(r, { weightTotal: weights.get(r.id) ?? 0, usage: usage.get(r.id) ?? 0 }, content);
  }

  /** R36: apprentices read only rubrics used by their own deliverables. */
  async function visibleIds(actor: Actor): Promise<string[] | undefined> {
    if (!isApprentice(actor)) return undefined;
    const teamIds = (await access.scope(actor)) ?? [];
    const projects = (await repos.projects.list({ teamIds }, 'title', 'asc', 1000, 0)).rows.map((p) => p.id);
    return repos.rubrics.idsUsedByProjects(projects);
  }

  async function load(actor: Actor, id: string) {
    const r = await repos.rubrics.byId(id);
    const ids = await visibleIds(actor);
    if (!r || (ids && !ids.includes(r.id))) throw pe.rubricNotFound();
    return r;
  }

  /** R16, R17 on every save. */
  function validate(body: RubricInput): Band[] {
    const names = body.criteria.map((c) => c.name.trim().toLowerCase());
    if (new Set(names).size !== names.length) throw pe.field('criteria', 'duplicate_name', 'Los nombres de los criterios deben ser únicos');
    body.criteria.forEach((c, i) => {
      if (c.levels && !levelsValid(c.levels)) throw pe.field(`criteria/${i}/levels`, 'invalid_levels', 'Los niveles deben estar entre 0 y 100 sin superponerse');
    });
    const bands = body.grade_bands ?? DEFAULT_BANDS;
    checkBands(bands);
    return bands;
  }

  const content = (body: RubricInput) => body.criteria.map((c, i) => ({ position: i + 1, name: c.name.trim(), description: c.description ?? null, weight: c.weight, levels: c.levels ?? [] }));

  return {
    async list(actor: Actor, q: { status?: RubricRow['status']; program_code?: string; trimester?: number; search?: string }, page: PageRequest) {
      const ids = await visibleIds(actor);
      const { rows, total } = await repos.rubrics.list({ status: q.status, programCode: q.program_code, trimester: q.trimester, search: q.search, ids }, page.limit, page.offset);
      const [weights, usage] = await Promise.all([repos.rubrics.weightTotals(rows.map((r) => r.id)), repos.rubrics.usage(rows.map((r) => r.id))]);
      return { items: rows.map((r) => rubricView(r, { weightTotal: weights.get(r.id) ?? 0, usage: usage.get(r.id) ?? 0 })), total };
    },

    async get(actor: Actor, id: string) {
      return view(await load(actor, id));
    },

    async create(actor: Actor, body: RubricInput) {
      const bands = validate(body);
      if (await repos.rubrics.nameTaken(body.name.trim())) throw pe.rubricExists();
      const at = deps.now();
      const row = await onUniqueViolation(
        () =>
          deps.withTransaction(async (tx) => {
            const r = await tx.rubrics.insert({ name: body.name.trim(), description: body.description ?? null, programCode: body.program_code ?? null, trimester: body.trimester ?? null, createdBy: actor.sub, createdAt: at, updatedAt: at });
            await tx.rubrics.replaceContent(r.id, content(body), bands);
            return r;
          }),
        { rubrics_name_uq: pe.rubricExists },
      );
      return view(row);
    },

    async replace(actor: Actor, id: string, body: RubricInput) {
      const r = await load(actor, id);
      if (r.status !== 'draft') throw pe.invalidState('rubric', r.status, 'replace');
      const bands = validate(body);
      if (await repos.rubrics.nameTaken(body.name.trim(), r.id)) throw pe.rubricExists();
      const at = deps.now();
      const row = await onUniqueViolation(
        () =>
          deps.withTransaction(async (tx) => {
            const u = await tx.rubrics.update(r.id, { name: body.name.trim(), description: body.description ?? null, programCode: body.program_code ?? null, trimester: body.trimester ?? null, updatedAt: at });
            await tx.rubrics.replaceContent(r.id, content(body), bands);
            return u;
          }),
        { rubrics_name_uq: pe.rubricExists },
      );
      return view(row);
    },

    async activate(actor: Actor, id: string) {
      const r = await load(actor, id);
      if (r.status !== 'draft') throw pe.invalidState('rubric', r.status, 'activate');
      checkActivation(await repos.rubrics.criteria(r.id));
      checkBands(await repos.rubrics.bands(r.id));
      const at = deps.now();
      return view(await repos.rubrics.update(r.id, { status: 'active', activatedAt: at, updatedAt: at }));
    },

    async archive(actor: Actor, id: string) {
      const r = await load(actor, id);
      if (r.status === 'archived') throw pe.invalidState('rubric', r.status, 'archive');
      const at = deps.now();
      return view(await repos.rubrics.update(r.id, { status: 'archived', archivedAt: at, updatedAt: at }));
    },

    async duplicate(actor: Actor, id: string, name?: string) {
      const r = await load(actor, id);
      const version = r.version + 1;
      const newName = (name ?? `${r.name} v${version}`).trim();
      if (await repos.rubrics.nameTaken(newName)) throw pe.rubricExists();
      const [criteria, bands] = await Promise.all([repos.rubrics.criteria(r.id), repos.rubrics.bands(r.id)]);
      const at = deps.now();
      const row = await onUniqueViolation(
        () =>
          deps.withTransaction(async (tx) => {
            const copy = await tx.rubrics.insert({ name: newName, description: r.description, programCode: r.programCode, trimester: r.trimester, version, derivedFromId: r.id, createdBy: actor.sub, createdAt: at, updatedAt: at });
            await tx.rubrics.replaceContent(copy.id, criteria.map((c) => ({ position: c.position, name: c.name, description: c.description, weight: c.weight, levels: c.levels })), bands);
            return copy;
          }),
        { rubrics_name_uq: pe.rubricExists },
      );
      return view(row);
    },
  };
}

export type RubricsService = ReturnType<typeof createRubricsService>;
