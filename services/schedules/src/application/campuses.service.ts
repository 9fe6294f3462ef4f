/** Campuses (C1–C5): codes upper-cased and unique (R1), deactivation and deletion only when unused (R3, R4). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import type { SortSpec } from '@sicora/platform/pagination';
import { normalizeCode, searchText } from '../domain/text.ts';
import { scheduleErrors } from '../domain/errors.ts';
import type { Actor, Deps } from './context.ts';
import type { CampusFilter } from './ports.ts';
import { campusView } from './views.ts';

export interface CampusInput {
  code?: string;
  name?: string;
  address?: string | null;
  city?: string;
  is_active?: boolean;
}

const codeExists = () => scheduleErrors.codeExists('CAMPUS_CODE_EXISTS', 'Ya existe una sede con ese código');
const notFound = () => scheduleErrors.notFound('CAMPUS_NOT_FOUND', 'Sede no encontrada');

export function createCampusesService(deps: Pick<Deps, 'repos' | 'now'>) {
  const repo = deps.repos.campuses;
  // The code check before a write races a concurrent writer; the unique index settles it with the same 409.
  const write = <T>(work: () => Promise<T>) => onUniqueViolation(work, { campuses_code_unique: codeExists });

  async function load(id: string) {
    const row = await repo.get(id);
    if (!row) throw notFound();
    return row;
  }

  return {
    async list(f: CampusFilter, sort: SortSpec<'code' | 'name' | 'created_at'>, page: { limit: number; offset: number }) {
      const { rows, total } = await repo.list(f, sort, page.limit, page.offset);
      return { items: rows.map(campusView), total };
    },
    async get(id: string) {
      const row = await load(id);
      const usage = await repo.usage(id);
      return { ...campusView(row), venue_count: usage.venues, group_count: usage.groups };
    },
    async create(input: Required<Pick<CampusInput, 'code' | 'name'>> & CampusInput, actor: Actor) {
      const code = normalizeCode(input.code);
      if (await repo.byCode(code)) throw codeExists();
      const row = await write(() =>
        repo.insert({
          code,
          name: input.name.trim(),
          address: input.address ?? null,
          city: input.city ?? 'Bogotá D.C.',
          searchText: searchText(code, input.name),
          createdBy: actor.sub,
          updatedBy: actor.sub,
        }),
      );
      return campusView(row);
    },
    async update(id: string, input: CampusInput, actor: Actor) {
      const current = await load(id);
      const code = input.code !== undefined ? normalizeCode(input.code) : current.code;
      if (code !== current.code && (await repo.byCode(code))) throw codeExists();
      if (input.is_active === false && current.isActive) {
        const usage = await repo.usage(id);
        if (usage.active_venues > 0 || usage.active_groups > 0) {
          throw scheduleErrors.inUse('CAMPUS_IN_USE', 'La sede tiene ambientes o fichas activas', {
            active_venues: usage.active_venues,
            active_groups: usage.active_groups,
          });
        }
      }
      const name = input.name?.trim() ?? current.name;
      const row = await write(() =>
        repo.update(id, {
          code,
          name,
          address: input.address !== undefined ? input.address : current.address,
          city: input.city ?? current.city,
          isActive: input.is_active ?? current.isActive,
          searchText: searchText(code, name),
          updatedBy: actor.sub,
          updatedAt: deps.now(),
        }),
      );
      return campusView(row);
    },
    async remove(id: string) {
      await load(id);
      const usage = await repo.usage(id);
      if (usage.venues > 0 || usage.groups > 0) {
        throw scheduleErrors.inUse('CAMPUS_IN_USE', 'La sede tiene ambientes o fichas; desactívela en su lugar', { venues: usage.venues, groups: usage.groups });
      }
      await repo.remove(id);
    },
  };
}

export type CampusesService = ReturnType<typeof createCampusesService>;
