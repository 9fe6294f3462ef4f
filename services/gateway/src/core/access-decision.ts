/**
 * The coarse access decision of one request against its rule (gateway.md R12–R14): public rules pass,
 * protected ones need a verified identity, the password-change gate and the rule's roles.
 */
import type { RouteRule } from './gateway-config.ts';

export type AccessDecision = 'allow' | 'unauthenticated' | 'forbidden' | 'password_change_required';

export interface Identity {
  role: string;
  must_change_password: boolean;
}

/** R14: what a user who must change the password can still do. */
const PASSWORD_CHANGE_EXEMPT = new Set(['POST /api/v1/auth/change-password', 'POST /api/v1/auth/logout', 'GET /api/v1/users/me']);

export function decideAccess(rule: RouteRule, method: string, path: string, identity: Identity | null): AccessDecision {
  if (rule.access === 'public') return 'allow';
  if (!identity) return 'unauthenticated';
  if (identity.must_change_password && !PASSWORD_CHANGE_EXEMPT.has(`${method} ${path}`)) return 'password_change_required';
  if (rule.roles && !rule.roles.includes(identity.role)) return 'forbidden';
  return 'allow';
}
