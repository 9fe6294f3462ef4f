import { createRoute } from '@tanstack/react-router';
import { appRoute, gated, positive, STAFF, text } from '../route-base.tsx';
import type { Role } from '../roles.ts';

/** Programación (web.md §4 coordinator; administrativo reads): fichas, the weekly editor, CSV, copy, non-teaching days, master data. */
const WRITERS: Role[] = ['admin', 'coordinador'];

/** A search value as text: the router parses `?search=2826503` as a number. */
const str = (value: unknown) => (typeof value === 'number' ? String(value) : text(value));
const VIEWS = ['group', 'instructor', 'venue'] as const;
const KINDS = ['schedules', 'groups', 'programs', 'venues'] as const;
const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined => (values.includes(value as T) ? (value as T) : undefined);
const isoDate = (value: unknown) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined);

const page = (path: string, roles: Role[], load: Parameters<typeof gated>[1]) => ({ getParentRoute: () => appRoute, path, component: gated(roles, load) }) as const;

const groupsRoute = createRoute({
  ...page('/programacion', STAFF, () => import('../../features/programming/routes/groups.tsx')),
  validateSearch: (s: Record<string, unknown>): { search?: string; program_id?: string; campus_id?: string; shift?: string; is_active?: string; page?: number } => ({
    search: str(s.search),
    program_id: text(s.program_id),
    campus_id: text(s.campus_id),
    shift: oneOf(['MANANA', 'TARDE', 'NOCHE'], s.shift),
    is_active: s.is_active === true || s.is_active === 'true' ? 'true' : s.is_active === false || s.is_active === 'false' ? 'false' : undefined,
    page: positive(s.page),
  }),
});
const groupRoute = createRoute({
  ...page('/programacion/fichas/$id', STAFF, () => import('../../features/programming/routes/group-detail.tsx')),
  validateSearch: (s: Record<string, unknown>): { page?: number } => ({ page: positive(s.page) }),
});
const timetableRoute = createRoute({
  ...page('/programacion/horario', STAFF, () => import('../../features/programming/routes/timetable.tsx')),
  validateSearch: (s: Record<string, unknown>): { view?: (typeof VIEWS)[number]; id?: string; week?: string } => ({ view: oneOf(VIEWS, s.view), id: text(s.id), week: isoDate(s.week) }),
});
const importRoute = createRoute({
  ...page('/programacion/importar', WRITERS, () => import('../../features/programming/routes/import.tsx')),
  validateSearch: (s: Record<string, unknown>): { kind?: (typeof KINDS)[number] } => ({ kind: oneOf(KINDS, s.kind) }),
});
const copyRoute = createRoute(page('/programacion/copiar', WRITERS, () => import('../../features/programming/routes/copy.tsx')));
const holidaysRoute = createRoute({
  ...page('/programacion/festivos', STAFF, () => import('../../features/programming/routes/holidays.tsx')),
  validateSearch: (s: Record<string, unknown>): { year?: number } => ({ year: positive(s.year) }),
});
const campusesRoute = createRoute({
  ...page('/programacion/sedes', STAFF, () => import('../../features/programming/routes/campuses.tsx')),
  validateSearch: (s: Record<string, unknown>): { search?: string; campus_id?: string; type?: string; page?: number } => ({
    search: str(s.search),
    campus_id: text(s.campus_id),
    type: text(s.type),
    page: positive(s.page),
  }),
});
const programsRoute = createRoute({
  ...page('/programacion/programas', STAFF, () => import('../../features/programming/routes/programs.tsx')),
  validateSearch: (s: Record<string, unknown>): { search?: string; level?: string; page?: number } => ({ search: str(s.search), level: text(s.level), page: positive(s.page) }),
});

export const routes = [groupsRoute, groupRoute, timetableRoute, importRoute, copyRoute, holidaysRoute, campusesRoute, programsRoute] as const;
