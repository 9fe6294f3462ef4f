import { child, gated } from '../route-base.tsx';

/** Mi horario for apprentices and instructors (web.md §4). */
export const routes = [child('/horario', gated(['aprendiz', 'instructor'], () => import('../../features/schedule/routes/week.tsx')))] as const;
