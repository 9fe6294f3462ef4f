/** E52–E53: the module's configuration (R45). */
import { Type } from 'typebox';
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { ADMINS, EVERYONE } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { ConfigService } from '../application/config.service.ts';
import { Instant, Nullable, Security, Uuid } from './common.schemas.ts';
import { actorOf } from './common.ts';

export interface ConfigRoutesOptions {
  config: ConfigService;
}

const tags = ['config'];

const Settings = {
  min_responses_for_results: Type.Integer({ minimum: 2, maximum: 50 }),
  min_participation_percent_for_average: Type.Integer({ minimum: 0, maximum: 100 }),
  enable_qualitative_comments: Type.Boolean(),
  comments_require_review: Type.Boolean(),
  blocked_terms: Type.Array(Type.String({ minLength: 2, maxLength: 50 }), { maxItems: 500 }),
  auto_reminder_days_before_end: Type.Array(Type.Integer({ minimum: 0, maximum: 14 }), { maxItems: 3, uniqueItems: true }),
  manual_reminder_min_interval_hours: Type.Integer({ minimum: 1, maximum: 168 }),
  allow_overlapping_periods: Type.Boolean(),
  notifications_enabled: Type.Boolean(),
};
const Pair = Type.Array(Type.Integer(), { minItems: 2, maxItems: 2 });
const ConfigSchema = Type.Object({
  settings: Type.Object(Settings),
  limits: Type.Object({
    question_text: Pair, options: Pair, questionnaire_questions: Pair, period_days: Pair, period_groups: Pair,
    text_answer_max: Type.Integer(), general_comment_max: Type.Integer(), bulk_upload_max_rows: Type.Integer(), bulk_upload_max_bytes: Type.Integer(),
  }),
  version: Type.Integer({ minimum: 1 }),
  updated_by: Nullable(Uuid),
  updated_at: Instant,
});
const PatchBody = Type.Object(
  { ...Object.fromEntries(Object.entries(Settings).map(([k, v]) => [k, Type.Optional(v)])), version: Type.Integer({ minimum: 1, maximum: 2_147_483_647, description: 'La versión leída (409 CONFIG_VERSION_CONFLICT si cambió)' }) } as Record<string, ReturnType<typeof Type.Optional>> & { version: ReturnType<typeof Type.Integer> },
  { additionalProperties: false },
);

export const configRoutes: RoutesPlugin<ConfigRoutesOptions> = async (app, { config }) => {
  app.get(
    '/api/v1/evalin/config',
    { preHandler: requireAuth({ roles: EVERYONE }), schema: { summary: 'E52 Read the configuration', description: 'Settings (R45), fixed limits and the version.', tags, security: Security, response: { 200: Envelope(ConfigSchema), ...errorResponses(401, 403) } } },
    async (request) => ok(request, await config.get()),
  );
  app.patch(
    '/api/v1/evalin/config',
    { preHandler: requireAuth({ roles: ADMINS }), schema: { summary: 'E53 Change the configuration', description: 'Any subset of the settings plus the version read; a stale version → 409 CONFIG_VERSION_CONFLICT.', tags, security: Security, body: PatchBody, response: { 200: Envelope(ConfigSchema), ...errorResponses(401, 403, 409, 422) } } },
    async (request) => ok(request, await config.update(request.body as never, actorOf(request)), { message: 'Configuración actualizada' }),
  );
};
