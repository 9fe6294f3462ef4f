/**
 * R1 before anything else, on every request including the gateway's own routes: the raw target is
 * checked because Fastify's router would otherwise hand `..` or `%2F` paths to a wildcard route.
 */
import type { App } from '@sicora/platform/server';
import { checkRequestTarget, isAllowedMethod } from '../core/path-hygiene.ts';
import { proxyErrors } from '../core/proxy-errors.ts';

export function registerPathGuard(app: App): void {
  app.addHook('onRequest', async (request) => {
    const problem = checkRequestTarget(request.raw.url ?? '/');
    if (problem === 'uri_too_long') throw proxyErrors.uriTooLong();
    if (problem) throw proxyErrors.badPath(problem);
    if (!isAllowedMethod(request.method)) throw proxyErrors.methodNotAllowed(request.method);
  });
}
