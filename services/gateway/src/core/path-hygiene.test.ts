import { describe, expect, it } from 'vitest';
import { checkRequestTarget, isAllowedMethod } from './path-hygiene.ts';

describe('checkRequestTarget (R1)', () => {
  it.each([
    ['/api/v1/users/../x', 'dot_segment'],
    ['/api/v1/users/..', 'dot_segment'],
    ['/./api', 'dot_segment'],
    ['/api//v1', 'empty_segment'],
    ['/api/v1/a%2Fb', 'encoded_character'],
    ['/api/v1/a%2e', 'encoded_character'],
    ['/api/v1/a%5c', 'encoded_character'],
    ['/api/v1/a%00', 'encoded_character'],
    ['/api/v1/a\\b', 'backslash'],
    ['/api/v1/a\0b', 'nul'],
  ])('when the target is %s, then it is refused as %s', (target, problem) => {
    expect(checkRequestTarget(target)).toBe(problem);
  });

  it('when dots are only part of a segment or the query holds encoded slashes, then the target is fine', () => {
    expect(checkRequestTarget('/.well-known/jwks.json')).toBeUndefined();
    expect(checkRequestTarget('/api/v1/kb/articles/v1.2..3')).toBeUndefined();
    expect(checkRequestTarget('/api/v1/users?next=%2Fa%2F..%2F&p=a//b')).toBeUndefined();
    expect(checkRequestTarget('/api/v1/users/')).toBeUndefined();
  });

  it('when path and query pass 8 192 bytes (multi-byte characters counted in bytes), then it is too long', () => {
    expect(checkRequestTarget(`/a?${'x'.repeat(8_189)}`)).toBeUndefined();
    expect(checkRequestTarget(`/a?${'x'.repeat(8_190)}`)).toBe('uri_too_long');
    expect(checkRequestTarget(`/a?${'ñ'.repeat(4_095)}`)).toBe('uri_too_long');
  });

  it('when the method is one of the seven, then it is allowed; others are not', () => {
    for (const m of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) expect(isAllowedMethod(m)).toBe(true);
    for (const m of ['TRACE', 'CONNECT', 'PROPFIND', 'get']) expect(isAllowedMethod(m)).toBe(false);
  });
});
