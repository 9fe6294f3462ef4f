/**
 * Code-based TanStack Router: every screen is its own chunk (route-level code splitting, web.md §5), so the
 * sign-in and the apprentice's screens load only what they use. Search params are state (`?record_id=`).
 */
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect, type RouteComponent, type RouterHistory } from '@tanstack/react-router';
import type { Session } from '../lib/session.ts';
import { Shell } from './shell.tsx';
import { RoleGate, type Role } from './role-gate.tsx';
import { NotFound } from './not-found.tsx';

export interface RouterContext {
  session: Session;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet, notFoundComponent: NotFound });

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);

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

/** Everything behind sign-in shares the shell (header, bell, navigation by role). */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  component: Shell,
  beforeLoad: ({ context, location }) => {
    const claims = context.session.getState().claims;
    if (!claims) throw redirect({ to: '/login', search: { redirect: location.href === '/' ? undefined : location.href } });
    if (claims.must_change_password) throw redirect({ to: '/cambiar-contrasena' });
  },
});

function gated(roles: Role[], load: () => Promise<{ default: RouteComponent }>): RouteComponent {
  const Lazy = lazyRouteComponent(load);
  const Gated: RouteComponent = () => (
    <RoleGate roles={roles}>
      <Lazy />
    </RoleGate>
  );
  Gated.preload = Lazy.preload;
  return Gated;
}

const ALL: Role[] = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'];
const child = <P extends string>(path: P, component: RouteComponent) => createRoute({ getParentRoute: () => appRoute, path, component });
const justifyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/asistencia/justificar',
  validateSearch: (s: Record<string, unknown>): { record_id?: string } => ({ record_id: text(s.record_id) }),
  component: gated(['aprendiz'], () => import('../features/attendance/routes/justify.tsx')),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  changeRoute,
  forgotRoute,
  resetRoute,
  appRoute.addChildren([
    child('/', lazyRouteComponent(() => import('./home.tsx'))),
    child('/mi-codigo', gated(['aprendiz'], () => import('../features/attendance/routes/my-code.tsx'))),
    child('/horario', gated(['aprendiz', 'instructor'], () => import('../features/schedule/routes/week.tsx'))),
    child('/asistencia', gated(['aprendiz'], () => import('../features/attendance/routes/my-records.tsx'))),
    justifyRoute,
    child('/asistencia/tomas/$schedule/$date', gated(['instructor', 'coordinador', 'admin'], () => import('../features/roll/routes/take-roll.tsx'))),
    child('/notificaciones', gated(ALL, () => import('../features/notifications/routes/inbox.tsx'))),
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
