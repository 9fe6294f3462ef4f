/** ST1–ST2: the centre's attendance settings (R47). */
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { ADMINS, COORDINATION } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { SettingsService } from '../application/settings.service.ts';
import type { SettingsPatch } from '../domain/settings.ts';
import { Security } from './common.schemas.ts';
import { actorOf } from './common.ts';
import { SettingsPatchBody, SettingsSchema } from './settings.schemas.ts';

export interface SettingsRoutesOptions {
  settings: SettingsService;
}

const tags = ['settings'];

export const settingsRoutes: RoutesPlugin<SettingsRoutesOptions> = async (app, { settings }) => {
  app.get(
    '/api/v1/attendance/settings',
    { preHandler: requireAuth({ roles: COORDINATION }), schema: { summary: 'ST1 Read settings', description: 'The R47 document with its version.', tags, security: Security, response: { 200: Envelope(SettingsSchema), ...errorResponses(401, 403) } } },
    async (request) => ok(request, await settings.get()),
  );
  app.patch(
    '/api/v1/attendance/settings',
    {
      preHandler: requireAuth({ roles: ADMINS }),
      schema: { summary: 'ST2 Change settings', description: 'Any subset of R47 keys; nested objects merge key by key; the merged document is validated (422 naming the key) and nothing is stored on a violation.', tags, security: Security, body: SettingsPatchBody, response: { 200: Envelope(SettingsSchema), ...errorResponses(401, 403, 422) } },
    },
    async (request) => ok(request, await settings.update(request.body as SettingsPatch, actorOf(request)), { message: 'Configuración actualizada' }),
  );
};
