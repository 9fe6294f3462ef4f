/**
 * The two routes every screen hangs from, and the helpers each area's route file uses. Kept apart from
 * `router.tsx` so an area (`areas/<area>.routes.tsx`) can build its routes without importing the tree.
 */
import { createRootRouteWithContext, createRoute, lazyRouteComponent, Outlet, redirect, type RouteComponent } from '@tanstack/react-router';
import type { Session } from '../lib/session.ts';
import { Shell } from './shell.tsx';
import { RoleGate } from './role-gate.tsx';
import { ALL, STAFF, type Role } from './roles.ts';
import { NotFound } from './not-found.tsx';

export interface RouterContext {
  session: Session;
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet, notFoundComponent: NotFound });

/** Everything behind sign-in shares the shell (header, bell, navigation by role). */
export const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  component: Shell,
  beforeLoad: ({ context, location }) => {
    const claims = context.session.getState().claims;
    if (!claims) throw redirect({ to: '/login', search: { redirect: location.href === '/' ? undefined : location.href } });
    if (claims.must_change_password) throw redirect({ to: '/cambiar-contrasena' });
  },
});

export { ALL, STAFF };

/** A non-empty string search param, or undefined. */
export const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
/** A positive integer search param (page numbers), or undefined. */
export const positive = (value: unknown) => {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/** A lazily loaded screen (its own chunk) behind the role gate. */
export function gated(roles: Role[], load: () => Promise<{ default: RouteComponent }>): RouteComponent {
  const Lazy = lazyRouteComponent(load);
  const Gated: RouteComponent = () => (
    <RoleGate roles={roles}>
      <Lazy />
    </RoleGate>
  );
  Gated.preload = Lazy.preload;
  return Gated;
}

/** A screen under the shell at `path`. */
export const child = <P extends string>(path: P, component: RouteComponent) => createRoute({ getParentRoute: () => appRoute, path, component });
