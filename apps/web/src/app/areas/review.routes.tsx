import { createRoute } from '@tanstack/react-router';
import { appRoute, child, gated, positive, text } from '../route-base.tsx';
import type { Role } from '../roles.ts';

/**
 * The staff's attendance follow-up (web.md §4 instructor and coordinator): justifications to review
 * (J2, J8, J9), alerts (AL1–AL7), the instructor's fichas (G1, G7, RP2) and the coordinator's reports (RP2–RP5). Filters live in the URL so a view can be shared. Attendance grants administrativo nothing.
 */
const REVIEWERS: Role[] = ['instructor', 'coordinador', 'admin'];

const justificationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/asistencia/justificaciones',
  validateSearch: (s: Record<string, unknown>): { estado?: string; page?: number } => ({ estado: text(s.estado), page: positive(s.page) }),
  component: gated(REVIEWERS, () => import('../../features/review/routes/justifications.tsx')),
});

const COORDINATION: Role[] = ['coordinador', 'admin'];

const reportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/asistencia/reportes',
  validateSearch: (s: Record<string, unknown>): { vista?: string; desde?: string; hasta?: string; ficha?: string; instructor?: string } => ({
    vista: text(s.vista),
    desde: text(s.desde),
    hasta: text(s.hasta),
    ficha: text(s.ficha),
    instructor: text(s.instructor),
  }),
  component: gated(COORDINATION, () => import('../../features/review/routes/reports.tsx')),
});

const missingRollsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/asistencia/reportes/tomas-pendientes',
  validateSearch: (s: Record<string, unknown>): { fecha?: string; en_curso?: string; page?: number } => ({ fecha: text(s.fecha), en_curso: text(s.en_curso), page: positive(s.page) }),
  component: gated(COORDINATION, () => import('../../features/review/routes/missing-rolls.tsx')),
});

const alertsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/asistencia/alertas',
  validateSearch: (s: Record<string, unknown>): { estado?: string; nivel?: string; page?: number } => ({ estado: text(s.estado), nivel: text(s.nivel), page: positive(s.page) }),
  component: gated(REVIEWERS, () => import('../../features/review/routes/alerts.tsx')),
});

const fichasRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/fichas',
  validateSearch: (s: Record<string, unknown>): { ficha?: string; vista?: string; desde?: string; hasta?: string } => ({
    ficha: text(s.ficha),
    vista: text(s.vista),
    desde: text(s.desde),
    hasta: text(s.hasta),
  }),
  component: gated(['instructor'], () => import('../../features/review/routes/my-fichas.tsx')),
});

export const routes = [
  fichasRoute,
  alertsRoute,
  child('/asistencia/alertas/$id', gated(REVIEWERS, () => import('../../features/review/routes/alert.tsx'))),
  reportsRoute,
  missingRollsRoute,
  justificationsRoute,
  child('/asistencia/justificaciones/$id', gated(REVIEWERS, () => import('../../features/review/routes/justification.tsx'))),
] as const;
