import { child, gated } from '../route-base.tsx';

/** Tomar asistencia: reached from the instructor's Inicio and from attendance §7's link, not from the menu. */
export const routes = [child('/asistencia/tomas/$schedule/$date', gated(['instructor', 'coordinador', 'admin'], () => import('../../features/roll/routes/take-roll.tsx')))] as const;
