/** S10: copy a trimester (R29). */
import { requireAuth } from '@sicora/platform/auth';
import { Envelope, errorResponses } from '@sicora/platform/envelope';
import { ok } from '@sicora/platform/reply';
import { COORDINATION } from '@sicora/platform/roles';
import type { RoutesPlugin } from '@sicora/platform/server';
import type { CopyService } from '../application/copy.service.ts';
import { Security } from './common.schemas.ts';
import { actorOf } from './common.ts';
import { CopyBody, CopyResultSchema } from './schedules.schemas.ts';

export interface CopyRoutesOptions {
  copy: CopyService;
}

export const copyRoutes: RoutesPlugin<CopyRoutesOptions> = async (app, { copy }) => {
  app.post(
    '/api/v1/schedules/copy',
    {
      preHandler: requireAuth({ roles: COORDINATION }),
      schema: {
        summary: 'S10 Copy a trimester',
        description: 'ACTIVE entries overlapping the source window (≤ 184 days) copied into the target dates (R29); all or nothing; dry_run answers 200.',
        tags: ['schedules'],
        security: Security,
        body: CopyBody,
        response: { 200: Envelope(CopyResultSchema), 201: Envelope(CopyResultSchema), ...errorResponses(401, 403, 422, 503) },
      },
    },
    async (request, reply) => {
      const { status, result } = await copy.run(request.body, actorOf(request));
      // Counts only: no personal data in logs (R27).
      request.log.info({ copy: true, created: result.created, skipped: result.skipped, dry_run: result.dry_run }, 'schedule copy');
      return reply.code(status).send(ok(request, result, { message: status === 201 ? 'Horarios copiados' : 'Validación sin cambios' }));
    },
  );
};
