/**
 * Keys and revocation feed: K1 JWKS, K2 list, K3 rotate, K4 revocations.
 */
import { Type, type Static } from 'typebox';
import { desc } from 'drizzle-orm';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { errors } from '@sicora/platform/errors';
import { ok } from '@sicora/platform/reply';
import type { App } from '@sicora/platform/server';
import type { Database } from '@sicora/platform/db';
import { userErrors } from '../domain/users.errors.ts';
import { addMs, HOUR, truncSeconds } from '../domain/time.ts';
import { revocationsSince } from '../infrastructure/auth-state.repo.ts';
import { signingKeys } from '../infrastructure/db/schema.ts';
import { recordEvent } from '../infrastructure/events.repo.ts';
import type { KeyStore } from '../infrastructure/keys.store.ts';
import { Nullable } from './common.schemas.ts';
import type { HttpKit } from './context.ts';
import type { Guard } from './guard.ts';

export interface KeysRouteDeps {
  database: Database;
  keys: KeyStore;
  guard: Guard;
  kit: HttpKit;
  now: () => Date;
}

const Jwk = Type.Object({
  kty: Type.String(), crv: Type.Optional(Type.String()), x: Type.Optional(Type.String()), n: Type.Optional(Type.String()),
  e: Type.Optional(Type.String()), kid: Type.String(), alg: Type.String(), use: Type.Literal('sig'),
});

export function keysRoutes(app: App, d: KeysRouteDeps): void {
  app.get('/.well-known/jwks.json', {
    schema: {
      summary: 'Claves públicas (K1)', description: 'JWKS RFC 7517 con la clave activa y las que se retiran; `kid` = huella RFC 7638.', tags: ['keys'],
      response: { 200: Type.Object({ keys: Type.Array(Jwk) }) },
    },
  }, async (_request, reply) => {
    await d.keys.reload();
    reply.header('Cache-Control', 'public, max-age=300');
    return d.keys.jwks() as { keys: Array<Static<typeof Jwk>> };
  });

  const KeyRow = Type.Object({
    kid: Type.String(), alg: Type.String(), status: Type.String(), source: Type.String(),
    created_at: Type.String({ format: 'date-time' }), retire_at: Nullable(Type.String({ format: 'date-time' })),
  });
  app.get('/api/v1/auth/keys', {
    preHandler: d.guard({ roles: ['admin'] }),
    schema: {
      summary: 'Claves de firma (K2)', description: 'Todas las claves registradas, sin material privado.', tags: ['keys'], security: [{ bearer: [] }],
      response: { 200: Envelope(Type.Array(KeyRow)), ...errorResponses(401, 403) },
    },
  }, async (request) => {
    await d.keys.reload();
    const rows = await d.database.db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
    return ok(request, rows.map((r) => ({
      kid: r.kid, alg: r.alg, status: r.status, source: r.source, created_at: r.createdAt.toISOString(), retire_at: r.retireAt?.toISOString() ?? null,
    })));
  });

  app.post('/api/v1/auth/keys/rotate', {
    preHandler: d.guard({ roles: ['admin'] }),
    schema: {
      summary: 'Rotar la clave de firma (K3)', description: 'Una clave nueva firma; la anterior sigue verificando 2 horas (R23).', tags: ['keys'],
      security: [{ bearer: [] }],
      response: {
        201: Envelope(Type.Object({ active_kid: Type.String(), retiring_kid: Type.String(), retire_at: Type.String({ format: 'date-time' }) })),
        ...errorResponses(401, 403, 409),
      },
    },
  }, async (request, reply) => {
    if (d.keys.managedByConfig) throw userErrors.keysManagedByConfig();
    const result = await d.keys.rotate();
    await recordEvent(d.database.db, { ...d.kit.context(request), at: d.now() }, 'KEY_ROTATED', null, {
      active_kid: result.active_kid, retiring_kid: result.retiring_kid,
    });
    return reply.code(201).send(ok(request, { ...result, retire_at: result.retire_at.toISOString() }, { message: 'Clave rotada' }));
  });

  app.get('/api/v1/auth/revocations', {
    preHandler: d.guard({ roles: ['service'] }),
    schema: {
      summary: 'Feed de revocaciones (K4)', description: 'jti revocados y `tokens_valid_after` cambiados desde `since`; `until` es el próximo `since`.',
      tags: ['keys'], security: [{ bearer: [] }],
      querystring: Type.Object({ since: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
      response: {
        200: Envelope(Type.Object({
          revoked_jtis: Type.Array(Type.Object({ jti: Type.String(), expires_at: Type.String() })),
          users: Type.Array(Type.Object({ user_id: Type.String(), tokens_valid_after: Type.String() })),
          until: Type.String(),
        })),
        ...errorResponses(401, 403, 422),
      },
    },
  }, async (request) => {
    const at = d.now();
    const asked = new Date(request.query.since);
    if (Number.isNaN(asked.getTime())) throw errors.validation([{ field: 'since', reason: 'format', message: 'Instante ISO-8601 no válido' }]);
    const floor = addMs(at, -2 * HOUR);
    const since = asked < floor ? floor : asked;
    const { jtis, changed } = await revocationsSince(d.database.db, since, at);
    return ok(request, {
      revoked_jtis: jtis.map((j) => ({ jti: j.jti, expires_at: j.expiresAt.toISOString() })),
      users: changed.map((u) => ({ user_id: u.userId, tokens_valid_after: u.tokensValidAfter.toISOString() })),
      until: truncSeconds(addMs(at, -5000)).toISOString(),
    });
  });
}
