/** Venues (V1–V6): unique codes (R1), references (R2), deactivation/deletion only when unused (R3, R4). */
import { onUniqueViolation } from '@sicora/platform/db-errors';
import type { SortSpec } from '@sicora/platform/pagination';
import { daysBetween } from '../domain/calendar.ts';
import { scheduleErrors } from '../domain/errors.ts';
import { resolveSlot, SHIFTS } from '../domain/shifts.ts';
import { normalizeCode, searchText } from '../domain/text.ts';
import { today, type Actor, type Deps } from './context.ts';
import type { VenueFilter, VenueRow } from './ports.ts';
import { venueView } from './views.ts';

export interface VenueInput {
  campus_id?: string;
  code?: string;
  name?: string;
  type?: VenueRow['type'];
  capacity?: number;
  floor?: string | null;
  building?: string | null;
  equipment?: string | null;
  is_active?: boolean;
}

const codeExists = () => scheduleErrors.codeExists('VENUE_CODE_EXISTS', 'Ya existe un ambiente con ese código');
const notFound = () => scheduleErrors.notFound('VENUE_NOT_FOUND', 'Ambiente no encontrado');

export interface AvailabilityQuery {
  day_of_week?: number;
  start_time?: string;
  end_time?: string;
  blocks?: string;
  date_from: string;
  date_to: string;
  campus_id?: string;
  type?: string;
  min_capacity?: number;
}

export function createVenuesService(deps: Pick<Deps, 'repos' | 'now' | 'timeZone'>) {
  const repo = deps.repos.venues;
  const campusesRepo = deps.repos.campuses;
  // The code check before a write races a concurrent writer; the unique index settles it with the same 409.
  const guard = <T>(work: () => Promise<T>) => onUniqueViolation(work, { venues_code_unique: codeExists });

  async function checkCampus(id: string) {
    const c = await campusesRepo.get(id);
    if (!c) throw scheduleErrors.referenceNotFound('campus_id', id);
    if (!c.isActive) throw scheduleErrors.referenceInactive('campus_id', id);
  }

  async function load(id: string) {
    const row = await repo.get(id);
    if (!row) throw notFound();
    return row;
  }

  return {
    async list(f: VenueFilter, sort: SortSpec<'code' | 'name' | 'capacity'>, page: { limit: number; offset: number }) {
      const { rows, total } = await repo.list(f, sort, page.limit, page.offset);
      return { items: rows.map(venueView), total };
    },
    async get(id: string) {
      return venueView(await load(id));
    },
    async create(input: Required<Pick<VenueInput, 'campus_id' | 'code' | 'name' | 'type' | 'capacity'>> & VenueInput, actor: Actor) {
      const code = normalizeCode(input.code);
      await checkCampus(input.campus_id);
      if ((await repo.byCodes([code])).length) throw codeExists();
      const row = await guard(() =>
        repo.insert({
          campusId: input.campus_id,
          code,
          name: input.name.trim(),
          type: input.type,
          capacity: input.capacity,
          floor: input.floor ?? null,
          building: input.building ?? null,
          equipment: input.equipment ?? null,
          searchText: searchText(code, input.name),
          createdBy: actor.sub,
          updatedBy: actor.sub,
        }),
      );
      return this.get(row.id);
    },
    async update(id: string, input: VenueInput, actor: Actor) {
      const { v: current } = await load(id);
      const code = input.code !== undefined ? normalizeCode(input.code) : current.code;
      if (code !== current.code && (await repo.byCodes([code])).length) throw codeExists();
      if (input.campus_id !== undefined && input.campus_id !== current.campusId) await checkCampus(input.campus_id);
      if (input.is_active === false && current.isActive) {
        const entries = await repo.activeEntriesFrom(id, today(deps));
        if (entries.length) throw scheduleErrors.inUse('VENUE_IN_USE', 'El ambiente tiene horarios activos vigentes', { entries });
      }
      const name = input.name?.trim() ?? current.name;
      await guard(() =>
        repo.update(id, {
          campusId: input.campus_id ?? current.campusId,
          code,
          name,
          type: input.type ?? current.type,
          capacity: input.capacity ?? current.capacity,
          floor: input.floor !== undefined ? input.floor : current.floor,
          building: input.building !== undefined ? input.building : current.building,
          equipment: input.equipment !== undefined ? input.equipment : current.equipment,
          isActive: input.is_active ?? current.isActive,
          searchText: searchText(code, name),
          updatedBy: actor.sub,
          updatedAt: deps.now(),
        }),
      );
      return this.get(id);
    },
    async remove(id: string) {
      await load(id);
      const usage = await repo.usage(id);
      if (usage.entries > 0 || usage.exceptions > 0) {
        throw scheduleErrors.inUse('VENUE_IN_USE', 'El ambiente se ha usado en horarios; desactívelo en su lugar', usage);
      }
      await repo.remove(id);
    },
    /** V6: active venues with no VENUE conflict for the weekly slot between the dates. */
    async availability(q: AvailabilityQuery) {
      if (q.date_to < q.date_from) throw scheduleErrors.datesOrder('date_to');
      if (daysBetween(q.date_from, q.date_to) + 1 > 366) throw scheduleErrors.windowTooLong(366, 'date_to');
      let slot: { day_of_week: number; start_time: string; end_time: string } | undefined;
      // The slot is checked against every shift: availability is not tied to one ficha's jornada.
      let lastErr: unknown;
      for (const shift of SHIFTS) {
        try {
          slot = resolveSlot({ shift, ...q });
          break;
        } catch (err) {
          lastErr = err;
          if ((err as { code?: string }).code === 'INVALID_BLOCK' || (err as { code?: string }).code === 'BLOCK_MISMATCH' || (err as { code?: string }).code === 'VALIDATION_ERROR') throw err;
        }
      }
      if (!slot) throw lastErr;
      const busy = await repo.busyIds(slot.day_of_week, slot.start_time, slot.end_time, q.date_from, q.date_to);
      const { rows } = await repo.list(
        { campus_id: q.campus_id, type: q.type, min_capacity: q.min_capacity, is_active: true },
        { field: 'code', direction: 'asc' },
      );
      return rows.filter((r) => !busy.has(r.v.id)).map(venueView);
    },
  };
}

export type VenuesService = ReturnType<typeof createVenuesService>;
