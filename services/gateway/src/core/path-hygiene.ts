/**
 * Path hygiene (gateway.md R1), checked on the raw request target before anything else: upstreams
 * resolve paths their own way, so anything that could resolve differently there than here is refused.
 */
export const ALLOWED_METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
export const MAX_URL_BYTES = 8_192;

export type PathProblem = 'uri_too_long' | 'dot_segment' | 'empty_segment' | 'encoded_character' | 'backslash' | 'nul';

const ENCODED_FORBIDDEN = /%(2f|5c|2e|00)/i;

export function checkRequestTarget(rawUrl: string): PathProblem | undefined {
  if (Buffer.byteLength(rawUrl, 'utf8') > MAX_URL_BYTES) return 'uri_too_long';
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  if (path.includes('\\')) return 'backslash';
  if (path.includes('\0')) return 'nul';
  if (ENCODED_FORBIDDEN.test(path)) return 'encoded_character';
  if (path.includes('//')) return 'empty_segment';
  if (path.split('/').some((segment) => segment === '.' || segment === '..')) return 'dot_segment';
  return undefined;
}

export function isAllowedMethod(method: string): boolean {
  return ALLOWED_METHODS.includes(method);
}
