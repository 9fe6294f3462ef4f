import type { Claims } from '../lib/session.ts';

export type Role = Claims['role'];

export const ALL: Role[] = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz'];
/** The roles that run the centre (web.md §4 coordinator, administrative staff, admin). */
export const STAFF: Role[] = ['admin', 'coordinador', 'administrativo'];
