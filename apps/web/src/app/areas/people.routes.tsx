import { createRoute } from '@tanstack/react-router';
import { parsePeopleSearch } from '../../features/people/components/url-state.ts';
import { appRoute, child, gated } from '../route-base.tsx';
import { STAFF } from '../roles.ts';

/**
 * Personas (web.md §4 coordinator, administrative staff, admin): users U1 with its filters, page and
 * page size in the URL, and the CSV import (B1, B2). What each role may do inside is users §2's matrix.
 */
const peopleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/personas',
  validateSearch: parsePeopleSearch,
  component: gated(STAFF, () => import('../../features/people/routes/people.tsx')),
});

export const routes = [peopleRoute, child('/personas/importar', gated(STAFF, () => import('../../features/people/routes/import.tsx')))] as const;
