/**
 * The nightly purges of R46 (23:00 Bogotá): QR codes older than 7 days (R21; records keep their scan, the
 * FK sets `qr_code_id` null) and the content of evidence files 730 days after their justification's review
 * (R28; name, type, size and sha256 stay, J8 answers 404 after it).
 */
import type { JobDefinition } from '@sicora/platform/jobs';
import type { Deps } from './context.ts';

const DAY_MS = 86_400_000;
export const QR_KEEP_DAYS = 7;
export const EVIDENCE_KEEP_DAYS = 730;

export async function purgeExpired(deps: Deps, at: Date = deps.now()) {
  const codes = await deps.repos.qr.purgeIssuedBefore(new Date(at.getTime() - QR_KEEP_DAYS * DAY_MS));
  const files = await deps.repos.evidence.purgeReviewedBefore(new Date(at.getTime() - EVIDENCE_KEEP_DAYS * DAY_MS), at);
  return { codes, files };
}

export function purgeJob(deps: Deps): JobDefinition {
  return { name: 'nightly-purge', cron: '0 23 * * *', timeZone: deps.timeZone, run: ({ slot }) => purgeExpired(deps, slot) };
}
