/**
 * The daily purge of archived notes at 03:00 in the service's zone, on the platform scheduler: one replica
 * runs each day's slot (the others lose the claim). A missed night is not caught up: the next one deletes
 * the same notes, since the cutoff is measured from the slot.
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { Deps } from './context.ts';
import { purgeArchivedNotes } from './notes.service.ts';

export const PURGE_JOB = 'notes-purge';

export function purgeArchivedNotesJob(deps: Pick<Deps, 'repos' | 'timeZone'>, retentionDays: number): JobDefinition {
  return {
    name: PURGE_JOB,
    cron: '0 3 * * *',
    timeZone: deps.timeZone,
    run: ({ slot }) => purgeArchivedNotes(deps, slot, retentionDays),
  };
}
