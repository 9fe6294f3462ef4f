import { createRoute } from '@tanstack/react-router';
import { appRoute, gated, positive, text } from '../route-base.tsx';

/** `/sistema` for the admin (web.md §4 admin): health, security log, signing keys, settings. */
const systemRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/sistema',
  validateSearch: (s: Record<string, unknown>): { tab?: string; type?: string; from?: string; to?: string; page?: number } => ({
    tab: text(s.tab),
    type: text(s.type),
    from: text(s.from),
    to: text(s.to),
    page: positive(s.page),
  }),
  component: gated(['admin'], () => import('../../features/system/routes/system.tsx')),
});

export const routes = [systemRoute] as const;
