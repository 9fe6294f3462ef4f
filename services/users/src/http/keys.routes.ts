/**
 * Keys and revocation feed: K1 JWKS, K2 list, K3 rotate, K4 revocations.
 */
import type { Static } from 'typebox';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { ADMINS } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { KeysService } from '../application/keys.service.ts';
import type { HttpKit } from './context.ts';
import type { Guard } from './guard.ts';
import { Jwk, JwksSchema, KeyList, RevocationsQuery, RevocationsSchema, RotationSchema } from './keys.schemas.ts';

export interface KeysRoutesOptions {
  keys: KeysService;
  guard: Guard;
  kit: HttpKit;
}

const tags = ['keys'];
const security = [{ bearer: [] }];

export const keysRoutes: RoutesPlugin<KeysRoutesOptions> = async (app, d) => {
  app.get('/.well-known/jwks.json', {
    schema: {
      summary: 'Claves públicas (K1)', description: 'JWKS RFC 7517 con la clave activa y las que se retiran; `kid` = huella RFC 7638.', tags,
      response: { 200: JwksSchema },
    },
  }, async (_request, reply) => {
    const jwks = await d.keys.jwks();
    reply.header('Cache-Control', 'public, max-age=300');
    return jwks as { keys: Array<Static<typeof Jwk>> };
  });

  app.get('/api/v1/auth/keys', {
    preHandler: d.guard({ roles: ADMINS }),
    schema: {
      summary: 'Claves de firma (K2)', description: 'Todas las claves registradas, sin material privado.', tags, security,
      response: { 200: Envelope(KeyList), ...errorResponses(401, 403) },
    },
  }, async (request) => {
    const rows = await d.keys.list();
    return ok(request, rows.map((r) => ({
      kid: r.kid, alg: r.alg, status: r.status, source: r.source, created_at: r.createdAt.toISOString(), retire_at: r.retireAt?.toISOString() ?? null,
    })));
  });

  app.post('/api/v1/auth/keys/rotate', {
    preHandler: d.guard({ roles: ADMINS }),
    schema: {
      summary: 'Rotar la clave de firma (K3)', description: 'Una clave nueva firma; la anterior sigue verificando 2 horas (R23).', tags, security,
      response: { 201: Envelope(RotationSchema), ...errorResponses(401, 403, 409) },
    },
  }, async (request, reply) => {
    const result = await d.keys.rotate(d.kit.context(request));
    return reply.code(201).send(ok(request, { ...result, retire_at: result.retire_at.toISOString() }, { message: 'Clave rotada' }));
  });

  app.get('/api/v1/auth/revocations', {
    preHandler: d.guard({ roles: ['service'] }),
    schema: {
      summary: 'Feed de revocaciones (K4)', description: 'jti revocados y `tokens_valid_after` cambiados desde `since`; `until` es el próximo `since`.',
      tags, security,
      querystring: RevocationsQuery,
      response: { 200: Envelope(RevocationsSchema), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const { jtis, changed, until } = await d.keys.revocations(request.query.since);
    return ok(request, {
      revoked_jtis: jtis.map((j) => ({ jti: j.jti, expires_at: j.expiresAt.toISOString() })),
      users: changed.map((u) => ({ user_id: u.userId, tokens_valid_after: u.tokensValidAfter.toISOString() })),
      until: until.toISOString(),
    });
  });
};
