/**
 * Route choice (gateway.md R2, §4.8): which enabled rule of the live configuration owns a path.
 * Prefixes match on segment boundaries.
 * Exact beats prefix, longer beats shorter, and among equals a rule with a method list wins; a method
 * outside a rule's list falls through to the next matching rule.
 */
import type { RouteRule } from './gateway-config.ts';
import { SEED_ROUTES } from './seed-config.ts';

export type { RouteRule };

const MiB = 1_048_576;
export const DEFAULT_BODY_LIMIT = MiB;
export const DEFAULT_MULTIPART_LIMIT = 6 * MiB;

function rank(a: RouteRule, b: RouteRule): number {
  if (a.match !== b.match) return a.match === 'exact' ? -1 : 1;
  if (a.pattern.length !== b.pattern.length) return b.pattern.length - a.pattern.length;
  return (a.methods ? 0 : 1) - (b.methods ? 0 : 1);
}

function pathMatches(rule: RouteRule, path: string): boolean {
  if (rule.match === 'exact') return path === rule.pattern;
  return path === rule.pattern || path.startsWith(`${rule.pattern}/`);
}

export type RouteMatcher = (path: string, method: string) => RouteRule | undefined;

export function createRouteMatcher(rules: readonly RouteRule[] = SEED_ROUTES): RouteMatcher {
  const ordered = rules.filter((r) => r.enabled).sort(rank);
  return (path, method) =>
    ordered.find((rule) => pathMatches(rule, path) && (!rule.methods || rule.methods.includes(method)));
}

export function isMultipart(contentType: string | undefined): boolean {
  return (contentType ?? '').trimStart().toLowerCase().startsWith('multipart/form-data');
}

export function bodyLimitFor(rule: RouteRule, contentType: string | undefined): number {
  if (rule.body_limit_bytes !== null) return rule.body_limit_bytes;
  return isMultipart(contentType) ? DEFAULT_MULTIPART_LIMIT : DEFAULT_BODY_LIMIT;
}

/** The path part of a raw request target, as received (no decoding, no normalisation). */
export function pathOf(rawUrl: string): string {
  const q = rawUrl.indexOf('?');
  return q === -1 ? rawUrl : rawUrl.slice(0, q);
}
