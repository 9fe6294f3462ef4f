/** Programs (P1–P5): unique codes (R1), deactivation and deletion only without fichas (R3, R4). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import type { SortSpec } from '@sicora/platform/pagination';
import { scheduleErrors } from '../domain/errors.ts';
import { normalizeCode, searchText } from '../domain/text.ts';
import type { Actor, Deps } from './context.ts';
import type { ProgramFilter, ProgramRow } from './ports.ts';
import { programView } from './views.ts';

export interface ProgramInput {
  code?: string;
  name?: string;
  level?: ProgramRow['level'];
  duration_months?: number;
  quarters?: number | null;
  description?: string | null;
  is_active?: boolean;
}

const codeExists = () => scheduleErrors.codeExists('PROGRAM_CODE_EXISTS', 'Ya existe un programa con ese código');
const notFound = () => scheduleErrors.notFound('PROGRAM_NOT_FOUND', 'Programa no encontrado');

export function createProgramsService(deps: Pick<Deps, 'repos' | 'now'>) {
  const repo = deps.repos.programs;
  // The code check before a write races a concurrent writer; the unique index settles it with the same 409.
  const guard = <T>(work: () => Promise<T>) => onUniqueViolation(work, { programs_code_unique: codeExists });
  async function load(id: string) {
    const row = await repo.get(id);
    if (!row) throw notFound();
    return row;
  }
  return {
    async list(f: ProgramFilter, sort: SortSpec<'code' | 'name'>, page: { limit: number; offset: number }) {
      const { rows, total } = await repo.list(f, sort, page.limit, page.offset);
      return { items: rows.map(programView), total };
    },
    async get(id: string) {
      const row = await load(id);
      const counts = await repo.groupCounts(id);
      return { ...programView(row), active_group_count: counts.active };
    },
    async create(input: Required<Pick<ProgramInput, 'code' | 'name' | 'level' | 'duration_months'>> & ProgramInput, actor: Actor) {
      const code = normalizeCode(input.code);
      if (await repo.byCode(code)) throw codeExists();
      const row = await guard(() =>
        repo.insert({
          code,
          name: input.name.trim(),
          level: input.level,
          durationMonths: input.duration_months,
          quarters: input.quarters ?? null,
          description: input.description ?? null,
          searchText: searchText(code, input.name),
          createdBy: actor.sub,
          updatedBy: actor.sub,
        }),
      );
      return programView(row);
    },
    async update(id: string, input: ProgramInput, actor: Actor) {
      const current = await load(id);
      const code = input.code !== undefined ? normalizeCode(input.code) : current.code;
      if (code !== current.code && (await repo.byCode(code))) throw codeExists();
      if (input.is_active === false && current.isActive) {
        const counts = await repo.groupCounts(id);
        if (counts.active > 0) throw scheduleErrors.inUse('PROGRAM_IN_USE', 'El programa tiene fichas activas', { active_groups: counts.active });
      }
      const name = input.name?.trim() ?? current.name;
      const row = await guard(() =>
        repo.update(id, {
          code,
          name,
          level: input.level ?? current.level,
          durationMonths: input.duration_months ?? current.durationMonths,
          quarters: input.quarters !== undefined ? input.quarters : current.quarters,
          description: input.description !== undefined ? input.description : current.description,
          isActive: input.is_active ?? current.isActive,
          searchText: searchText(code, name),
          updatedBy: actor.sub,
          updatedAt: deps.now(),
        }),
      );
      return programView(row);
    },
    async remove(id: string) {
      await load(id);
      const counts = await repo.groupCounts(id);
      if (counts.total > 0) throw scheduleErrors.inUse('PROGRAM_IN_USE', 'El programa tiene fichas; desactívelo en su lugar', { groups: counts.total, active_groups: counts.active });
      await repo.remove(id);
    },
  };
}

export type ProgramsService = ReturnType<typeof createProgramsService>;
