import { createRoute } from '@tanstack/react-router';
import { appRoute, child, gated, text } from '../route-base.tsx';

/** The apprentice's attendance: Mi código, Mi asistencia, Justificar (web.md §4 apprentice). */
const justifyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/asistencia/justificar',
  validateSearch: (s: Record<string, unknown>): { record_id?: string } => ({ record_id: text(s.record_id) }),
  component: gated(['aprendiz'], () => import('../../features/attendance/routes/justify.tsx')),
});

export const routes = [
  child('/mi-codigo', gated(['aprendiz'], () => import('../../features/attendance/routes/my-code.tsx'))),
  child('/asistencia', gated(['aprendiz'], () => import('../../features/attendance/routes/my-records.tsx'))),
  justifyRoute,
] as const;
