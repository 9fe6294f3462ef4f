/** Daily jobs in America/Bogota: search logs older than 365 days deleted (R21, 03:00), popularity (R19, 03:15). */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { Deps } from './context.ts';

export function maintenanceJobs(deps: Deps): JobDefinition[] {
  return [
    { name: 'kb.purge-search-logs', cron: '0 3 * * *', run: async () => void (await deps.repos.admin.purgeLogs(new Date(deps.now().getTime() - 365 * 86_400_000))) },
    { name: 'kb.popularity', cron: '15 3 * * *', run: async () => void (await deps.repos.admin.recomputePopularity(deps.now())) },
  ];
}
