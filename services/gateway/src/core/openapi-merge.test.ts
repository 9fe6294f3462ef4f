import { describe, expect, it } from 'vitest';
import { isReservedPattern } from './config-validation.ts';
import { duplicatePaths, mergeOpenApi, type MergeInput, type ServiceDocument } from './openapi-merge.ts';
import { createRouteMatcher } from './route-matching.ts';
import { SEED_ROUTES } from './seed-config.ts';

type Json = Record<string, any>;

const op = (summary: string, params: Json[] = []) => ({ summary, tags: ['t'], parameters: params, responses: { 200: { description: 'ok' } } });
/** What every service's own document holds besides its API: the platform's liveness and readiness. */
const platformPaths = { '/health': { get: op('Liveness') }, '/health/ready': { get: op('Readiness') } };
const doc = (paths: Json): Json => ({ openapi: '3.1.0', paths: { ...platformPaths, ...paths } });
const service = (name: string, paths: Json): ServiceDocument => ({ service: name, displayName: name.toUpperCase(), document: doc(paths) });

const match = createRouteMatcher(SEED_ROUTES);
function merge(docs: ServiceDocument[], own: Json = { paths: { '/health': { get: op('Plataforma') }, '/api/v1/gateway/status': { get: op('S1') } } }) {
  const conflicts: Array<{ path: string; method: string; kept: string; dropped: string }> = [];
  const input: MergeInput = {
    own,
    docs,
    missing: [],
    publicBaseUrl: 'http://localhost:8000',
    ownerOf: (path, method) => match(path.replace(/\{[^}]*\}/g, 'x'), method)?.service,
    isGatewayPath: isReservedPattern,
    version: '1',
    onConflict: (c) => conflicts.push(c),
  };
  const merged = mergeOpenApi(input) as Json;
  return { merged, conflicts };
}

describe('merged OpenAPI document (R52, US-GW-18)', () => {
  it('when all eight services publish their platform paths, then those are the gateway’s once and nothing conflicts', () => {
    const names = ['users', 'schedules', 'attendance', 'evalin', 'kb', 'ai', 'projecteval', 'notification'];
    const { merged, conflicts } = merge(names.map((n) => service(n, {})));
    expect(conflicts).toEqual([]);
    expect(merged.paths['/health'].get.summary).toBe('Plataforma');
    expect(merged.paths['/health/ready']).toBeUndefined();
    expect(duplicatePaths(merged)).toEqual([]);
  });

  it('when a service operation is merged, then the gateway\'s own answers (429, 502, 503, 504; 401 if secured; 413 with a body) are documented on it, the service\'s kept', () => {
    const envelope = { type: 'object', properties: { success: { const: false } } };
    const secured = { ...op('crear'), security: [{ bearer: [] }], requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { 201: { description: 'ok' }, 503: { description: 'del servicio' } } };
    const { merged } = merge([service('kb', { '/api/v1/kb/articles': { post: secured, get: op('listar') } })], {
      paths: { '/api/v1/gateway/status': { get: op('S1') } },
      components: { schemas: { ErrorEnvelope: envelope } },
    });
    const post = merged.paths['/api/v1/kb/articles'].post.responses;
    expect(Object.keys(post)).toEqual(['201', '401', '413', '429', '502', '503', '504']);
    expect(post['503'].description).toBe('del servicio');
    expect(post['502'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/gateway_ErrorEnvelope' });
    expect(post['429'].description).toMatch(/^RATE_LIMITED \(gateway\)/);
    expect(Object.keys(merged.paths['/api/v1/kb/articles'].get.responses)).toEqual(['200', '429', '502', '503', '504']);
    // The gateway's own routes document their own answers only.
    expect(Object.keys(merged.paths['/api/v1/gateway/status'].get.responses)).toEqual(['200']);
  });

  it('when two services document one path with different methods, then the path appears once with both', () => {
    const { merged, conflicts } = merge([
      service('attendance', { '/api/v1/compartida': { get: op('listar') } }),
      service('kb', { '/api/v1/compartida': { post: op('crear') } }),
    ]);
    expect(Object.keys(merged.paths['/api/v1/compartida']).sort()).toEqual(['get', 'post']);
    expect(conflicts).toEqual([]);
  });

  it('when two services claim one method of one path, then the rules’ owner keeps it and the other is reported', () => {
    const { merged, conflicts } = merge([
      service('kb', { '/api/v1/users/{id}': { get: op('kb') } }),
      service('users', { '/api/v1/users/{id}': { get: op('users'), patch: op('users') } }),
    ]);
    expect(merged.paths['/api/v1/users/{id}'].get.summary).toBe('users');
    expect(merged.paths['/api/v1/users/{id}'].patch.summary).toBe('users');
    expect(conflicts).toEqual([{ path: '/api/v1/users/{id}', method: 'get', kept: 'users', dropped: 'kb' }]);
  });

  it('when one path is spelled with two template names, then it appears once and the moved operation’s path parameter is renamed', () => {
    const param = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
    const { merged } = merge([
      service('schedules', { '/api/v1/groups/{id}': { get: op('leer', [param('id')]) } }),
      service('attendance', { '/api/v1/groups/{group_id}': { delete: op('borrar', [param('group_id'), { name: 'q', in: 'query' }]) } }),
    ]);
    expect(duplicatePaths(merged)).toEqual([]);
    expect(merged.paths['/api/v1/groups/{group_id}']).toBeUndefined();
    const item = merged.paths['/api/v1/groups/{id}'];
    expect(Object.keys(item).sort()).toEqual(['delete', 'get']);
    expect(item.delete.parameters.map((p: Json) => `${p.in}:${p.name}`)).toEqual(['path:id', 'query:q']);
  });

  it('when a path item declares path-level parameters, then they move into its operations', () => {
    const { merged } = merge([service('kb', { '/api/v1/kb/items/{id}': { parameters: [{ name: 'id', in: 'path', required: true }], get: op('leer') } })]);
    const item = merged.paths['/api/v1/kb/items/{id}'];
    expect(item.parameters).toBeUndefined();
    expect(item.get.parameters).toEqual([{ name: 'id', in: 'path', required: true }]);
  });

  it('when a service documents a path under the gateway’s own (/docs, /metrics, /api/v1/gateway), then it is left out', () => {
    const { merged, conflicts } = merge([service('kb', { '/docs/json': { get: op('x') }, '/metrics': { get: op('x') }, '/api/v1/gateway/status': { get: op('x') } })]);
    expect(merged.paths['/docs/json']).toBeUndefined();
    expect(merged.paths['/metrics']).toBeUndefined();
    expect(merged.paths['/api/v1/gateway/status'].get.summary).toBe('S1');
    expect(conflicts).toEqual([]);
  });

  it('duplicatePaths finds one path spelled twice', () => {
    expect(duplicatePaths({ paths: { '/a/{id}': {}, '/a/{x}': {}, '/b': {} } })).toEqual([['/a/{id}', '/a/{x}']]);
  });
});
