/**
 * Code-based TanStack Router: every screen is its own chunk (route-level code splitting, web.md §5), so the
 * sign-in and the apprentice's screens load only what they use. Search params are state (`?record_id=`).
 * Each area of the app declares its routes and menu entries in `areas/<area>.routes.tsx`; this file only
 * assembles them, in the order the menu shows them.
 */
import { createRoute, createRouter, lazyRouteComponent, type RouterHistory } from '@tanstack/react-router';
import type { Session } from '../lib/session.ts';
import { appRoute, child, rootRoute, text } from './route-base.tsx';
import * as attendance from './areas/attendance.routes.tsx';
import * as evaluations from './areas/evaluations.routes.tsx';
import * as kb from './areas/kb.routes.tsx';
import * as notifications from './areas/notifications.routes.tsx';
import * as people from './areas/people.routes.tsx';
import * as programming from './areas/programming.routes.tsx';
import * as projects from './areas/projects.routes.tsx';
import * as review from './areas/review.routes.tsx';
import * as roll from './areas/roll.routes.tsx';
import * as schedule from './areas/schedule.routes.tsx';
import * as system from './areas/system.routes.tsx';

export type { RouterContext } from './route-base.tsx';

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => ({ redirect: text(s.redirect) }),
  component: lazyRouteComponent(() => import('../features/session/routes/login.tsx')),
});
const changeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/cambiar-contrasena', component: lazyRouteComponent(() => import('../features/session/routes/change-password.tsx')) });
const forgotRoute = createRoute({ getParentRoute: () => rootRoute, path: '/olvide-contrasena', component: lazyRouteComponent(() => import('../features/session/routes/forgot-password.tsx')) });
const resetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: (s: Record<string, unknown>): { token?: string } => ({ token: text(s.token) }),
  component: lazyRouteComponent(() => import('../features/session/routes/reset-password.tsx')),
});



const routeTree = rootRoute.addChildren([
  loginRoute,
  changeRoute,
  forgotRoute,
  resetRoute,
  appRoute.addChildren([
    child('/', lazyRouteComponent(() => import('./home.tsx'))),
    ...attendance.routes,
    ...schedule.routes,
    ...roll.routes,
    ...review.routes,
    ...people.routes,
    ...programming.routes,
    ...evaluations.routes,
    ...projects.routes,
    ...kb.routes,
    ...system.routes,
    ...notifications.routes,
  ]),
]);

/** `history` is the browser's by default; tests pass a memory history. */
export function createAppRouter(session: Session, history?: RouterHistory) {
  return createRouter({ routeTree, context: { session }, history, defaultPreload: 'intent', scrollRestoration: true });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
