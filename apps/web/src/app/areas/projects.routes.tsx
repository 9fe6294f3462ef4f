import { child, gated } from '../route-base.tsx';

/** Proyectos (web.md §4): the apprentice's Mis proyectos, the instructor's Jurado and scoring, coordination's admin. */
export const routes = [
  child('/proyectos', gated(['aprendiz'], () => import('../../features/projects/routes/my-projects.tsx'))),
  child('/jurado', gated(['instructor'], () => import('../../features/projects/routes/jury.tsx'))),
  child('/jurado/evaluar/$session/$submission', gated(['instructor'], () => import('../../features/projects/routes/score.tsx'))),
  child('/proyectos/admin', gated(['admin', 'coordinador', 'administrativo'], () => import('../../features/projects/routes/admin.tsx'))),
] as const;
