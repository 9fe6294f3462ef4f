import { createRoute } from '@tanstack/react-router';
import { ALL, appRoute, child, gated, positive, text } from '../route-base.tsx';

/** Ayuda (kb search and reading) for every role (web.md §4); the API applies the audience rules. */
const helpRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/ayuda',
  validateSearch: (s: Record<string, unknown>): { q?: string; categoria?: string; pagina?: number } => ({ q: text(s.q), categoria: text(s.categoria), pagina: positive(s.pagina) }),
  component: gated(ALL, () => import('../../features/kb/routes/help.tsx')),
});

/** Asistente (ai conversations) for every role; `?c=` is the open conversation. */
const assistantRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/asistente',
  validateSearch: (s: Record<string, unknown>): { c?: string } => ({ c: text(s.c) }),
  component: gated(ALL, () => import('../../features/assistant/routes/assistant.tsx')),
});

const VIEWS = ['articulos', 'pdf', 'busquedas'];
/** Base de conocimiento for coordinación and admin (kb editors); `?vista=` is the tab. */
const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/kb/admin',
  validateSearch: (s: Record<string, unknown>): { vista?: string } => ({ vista: typeof s.vista === 'string' && VIEWS.includes(s.vista) ? s.vista : undefined }),
  component: gated(['coordinador', 'admin'], () => import('../../features/kb/routes/admin.tsx')),
});

export const routes = [
  helpRoute,
  child('/ayuda/$slug', gated(ALL, () => import('../../features/kb/routes/article.tsx'))),
  assistantRoute,
  adminRoute,
  child('/kb/borradores', gated(['instructor'], () => import('../../features/kb/routes/drafts.tsx'))),
  child('/kb/articulos/$id', gated(['coordinador', 'admin', 'instructor'], () => import('../../features/kb/routes/editor.tsx'))),
] as const;
