/**
 * A13–A14: the delivery dashboard (R62), a public shell holding no data: one Spanish page with its own
 * script and stylesheet, no external assets, no inline script; the data comes from A1–A3 and A7–A9
 * with the admin's token.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '@sicora/platform/errors';
import { errorResponses } from '@sicora/platform/envelope';
import { AssetParams, AssetSchema, HtmlSchema } from './dashboard.schemas.ts';

const dir = (file: string) => fileURLToPath(new URL(`./dashboard/${file}`, import.meta.url));
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const ASSETS: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };

export const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const files = Object.fromEntries(['index.html', ...Object.keys(ASSETS)].map((f) => [f, readFileSync(dir(f))]));
  app.get('/api/v1/notifications/admin/dashboard', {
    schema: { summary: 'Tablero de entregas (A13)', description: 'Página HTML sin datos; pide un token de administrador.', tags: ['admin'], response: { 200: HtmlSchema } },
  }, async (_request, reply) => reply.type('text/html; charset=utf-8').header('Content-Security-Policy', CSP).send(files['index.html']));

  app.get('/api/v1/notifications/admin/dashboard/assets/:file', {
    schema: { summary: 'Recursos del tablero (A14)', description: '`app.js` y `app.css`.', tags: ['admin'], params: AssetParams, response: { 200: AssetSchema, ...errorResponses(404) } },
  }, async (request, reply) => {
    const type = ASSETS[request.params.file];
    if (!type) throw errors.notFound('NOT_FOUND', 'Recurso no encontrado');
    return reply.type(type).header('Cache-Control', 'no-cache').send(files[request.params.file]);
  });
};
