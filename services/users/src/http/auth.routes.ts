/**
 * Authentication routes A1–A9 (`/api/v1/auth`).
 */
import { Type } from 'typebox';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { currentUser } from '@sicora/platform/auth';
import { PEOPLE } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import { FORBIDDEN_WORDS, MAX_LENGTH, MIN_LENGTH } from '../domain/password.policy.ts';
import type { createLoginService } from '../application/login.service.ts';
import type { createSessionsService } from '../application/sessions.service.ts';
import type { createPasswordsService } from '../application/passwords.service.ts';
import type { createClientsService } from '../application/clients.service.ts';
import type { createDemoAccountsService } from '../application/demo-accounts.service.ts';
import type { UsersMetrics } from '../infrastructure/users.metrics.ts';
import {
  ChangePasswordBody, DemoAccountSchema, ForgotBody, LoginBody, LogoutBody, LogoutResult, PasswordPolicySchema, RefreshBody, ResetBody, ServiceTokenBody, ServiceTokenSchema,
} from './auth.schemas.ts';
import { EmptyObject, TokenPairSchema } from './common.schemas.ts';
import { optionalBody, type HttpKit } from './context.ts';
import type { Guard } from './guard.ts';
import type { RouteLimits } from './rate-limits.ts';

export interface AuthRoutesOptions {
  login: ReturnType<typeof createLoginService>;
  sessions: ReturnType<typeof createSessionsService>;
  passwords: ReturnType<typeof createPasswordsService>;
  clients: ReturnType<typeof createClientsService>;
  demoAccounts: ReturnType<typeof createDemoAccountsService>;
  guard: Guard;
  kit: HttpKit;
  /** R14, counted by @fastify/rate-limit before the handler (after validation). */
  limits: RouteLimits;
  metrics: UsersMetrics;
}

/** Counts the outcome (`ok` or the error code) of `work`. */
async function counted<T>(counter: { inc(labels: { outcome: string }): void }, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    counter.inc({ outcome: 'ok' });
    return result;
  } catch (err) {
    counter.inc({ outcome: (err as { code?: string }).code ?? 'error' });
    throw err;
  }
}

const tags = ['auth'];
const changeLink = { change_password: { href: '/api/v1/auth/change-password', method: 'POST' } };

export const authRoutes: RoutesPlugin<AuthRoutesOptions> = async (app, d) => {
  app.post('/api/v1/auth/login', {
    config: { rateLimit: d.limits.login },
    schema: {
      summary: 'Iniciar sesión (A1)', description: 'Con correo o número de documento (`email` se acepta como alias de `identifier`). Bloqueo tras 5 fallos (R13).', tags,
      // A refused login counts towards the lockout (R13) and is a security event: written by design.
      'x-refusal-writes': ['login_throttle', 'security_events'],
      body: LoginBody,
      response: { 200: Envelope(TokenPairSchema), ...errorResponses(400, 401, 403, 422, 429) },
    },
  }, async (request) => {
    const identifier = 'identifier' in request.body ? request.body.identifier : request.body.email;
    const pair = await counted(d.metrics.logins, () => d.login.login({ identifier, password: request.body.password }, d.kit.context(request)));
    return ok(request, pair, { message: 'Sesión iniciada', links: pair.must_change_password ? changeLink : undefined });
  });

  app.post('/api/v1/auth/refresh', {
    config: { rateLimit: d.limits.refresh },
    schema: {
      summary: 'Renovar la sesión (A2)', description: 'Intercambia el refresh token por uno nuevo (rotación); reusar uno rotado revoca la sesión (R17).', tags,
      body: RefreshBody,
      response: { 200: Envelope(TokenPairSchema), ...errorResponses(401, 403, 422, 429) },
    },
  }, async (request) => {
    const pair = await counted(d.metrics.refreshes, () => d.sessions.refresh(request.body.refresh_token, d.kit.context(request)));
    return ok(request, pair, { message: 'Sesión renovada', links: pair.must_change_password ? changeLink : undefined });
  });

  app.post('/api/v1/auth/logout', {
    preValidation: optionalBody,
    preHandler: d.guard({ allowPasswordChange: true, roles: PEOPLE }),
    schema: {
      summary: 'Cerrar sesión (A3)', description: 'Con `refresh_token` cierra esa sesión; sin él, todas. El token de acceso queda revocado.', tags,
      security: [{ bearer: [] }],
      body: LogoutBody,
      response: { 200: Envelope(LogoutResult), ...errorResponses(401, 403, 422) },
    },
  }, async (request) => {
    const result = await d.sessions.logout(currentUser(request), request.body?.refresh_token, d.kit.context(request));
    return ok(request, result, { message: 'Sesión cerrada' });
  });

  app.post('/api/v1/auth/forgot-password', {
    config: { rateLimit: d.limits.forgot },
    schema: {
      summary: 'Solicitar restablecimiento (A4)', description: 'Siempre responde lo mismo, exista o no la cuenta (R24).', tags,
      body: ForgotBody,
      response: { 200: Envelope(EmptyObject), ...errorResponses(422, 429) },
    },
  }, async (request) => {
    await d.passwords.forgot(request.body.identifier, d.kit.context(request));
    return ok(request, {}, { message: 'Si la cuenta existe, enviaremos un enlace de restablecimiento' });
  });

  app.post('/api/v1/auth/reset-password', {
    config: { rateLimit: d.limits.reset },
    schema: {
      summary: 'Restablecer la contraseña (A5)', description: 'Con el token de un solo uso del enlace (R25). No inicia sesión.', tags,
      body: ResetBody,
      response: { 200: Envelope(EmptyObject), ...errorResponses(400, 422, 429) },
    },
  }, async (request) => {
    await d.passwords.reset(request.body, d.kit.context(request));
    return ok(request, {}, { message: 'Contraseña restablecida; ya puede iniciar sesión' });
  });

  app.post('/api/v1/auth/change-password', {
    preHandler: d.guard({ allowPasswordChange: true, roles: PEOPLE }),
    schema: {
      summary: 'Cambiar la contraseña (A6)', description: 'Aplica la política R5; cierra las demás sesiones y devuelve una sesión nueva (R20).', tags,
      security: [{ bearer: [] }],
      body: ChangePasswordBody,
      response: { 200: Envelope(TokenPairSchema), ...errorResponses(400, 401, 403, 422) },
    },
  }, async (request) => {
    const pair = await d.passwords.change(currentUser(request).sub, request.body, d.kit.context(request));
    return ok(request, pair, { message: 'Contraseña actualizada' });
  });

  app.post('/api/v1/auth/service-token', {
    config: { rateLimit: d.limits.service_token },
    schema: {
      summary: 'Token de servicio (A7)', description: 'Credenciales de cliente de otro servicio SICORA (R22); token de 15 minutos con rol `service`.', tags,
      // Refused client credentials are a security event: written by design.
      'x-refusal-writes': ['security_events'],
      body: ServiceTokenBody,
      response: { 200: Envelope(ServiceTokenSchema), ...errorResponses(401, 422, 429) },
    },
  }, async (request) => {
    const token = await d.clients.token(request.body.client_id, request.body.client_secret, d.kit.context(request));
    d.metrics.serviceTokens.inc({ client: request.body.client_id });
    return ok(request, token, { message: 'Token de servicio emitido' });
  });

  app.get('/api/v1/auth/password-policy', {
    schema: {
      summary: 'Política de contraseñas (A8)', description: 'Las reglas de R5 para mostrarlas en formularios.', tags,
      response: { 200: Envelope(PasswordPolicySchema) },
    },
  }, async (request) =>
    ok(request, {
      min_length: MIN_LENGTH, max_length: MAX_LENGTH, require_lower: true, require_upper: true, require_digit: true, require_symbol: true,
      forbidden_words: [...FORBIDDEN_WORDS],
    }));

  app.get('/api/v1/auth/demo-accounts', {
    schema: {
      summary: 'Cuentas de demostración (A9)',
      description: 'Una cuenta por rol (coordinador, administrativo, instructor, aprendiz) de los datos demo (§11), con la regla de su primera contraseña. '
        + 'Solo con `SICORA_DEMO=true` (el valor por defecto embebido) y la semilla demo completada; si no, 404 `NOT_FOUND`.',
      tags,
      response: { 200: Envelope(Type.Array(DemoAccountSchema)), ...errorResponses(404) },
    },
  }, async (request) => ok(request, await d.demoAccounts.list()));
};
