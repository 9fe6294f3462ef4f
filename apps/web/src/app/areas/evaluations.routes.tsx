import { createRoute } from '@tanstack/react-router';
import { appRoute, child, gated, positive, text } from '../route-base.tsx';

/** Evaluation of instructors (web.md §4, evalin): the apprentice evaluates, the instructor reads results, staff run periods. */
const evaluateRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/evaluaciones/$instructor',
  validateSearch: (s: Record<string, unknown>): { periodo?: string } => ({ periodo: text(s.periodo) }),
  component: gated(['aprendiz'], () => import('../../features/evaluations/routes/evaluate-form.tsx')),
});

const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/evaluaciones/admin',
  validateSearch: (s: Record<string, unknown>): { vista?: string; estado?: string; pagina?: number } => ({ vista: text(s.vista), estado: text(s.estado), pagina: positive(s.pagina) }),
  component: gated(['admin', 'coordinador', 'administrativo'], () => import('../../features/evaluations/routes/admin-periods.tsx')),
});

const resultsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/resultados',
  validateSearch: (s: Record<string, unknown>): { periodo?: string } => ({ periodo: text(s.periodo) }),
  component: gated(['instructor'], () => import('../../features/evaluations/routes/my-results.tsx')),
});

export const routes = [
  child('/evaluaciones', gated(['aprendiz'], () => import('../../features/evaluations/routes/evaluate-list.tsx'))),
  evaluateRoute,
  resultsRoute,
  adminRoute,
  child('/evaluaciones/admin/$period', gated(['admin', 'coordinador', 'administrativo'], () => import('../../features/evaluations/routes/admin-period.tsx'))),
] as const;
