/**
 * R60, the time path: a notification's sensitive values (flag S and `sensitive_keys`) leave its `data`
 * 24 h after it was accepted (or after its scheduled time) even when some delivery is still in progress;
 * the other path, all deliveries terminal, is deliveries.repo's recompute. A delivery rendered later
 * misses the variable and goes `dead` (`render_error`) rather than sending an old secret.
 */
import type { RetentionRepo } from '../infrastructure/retention.repo.ts';

export const ERASE_AFTER_MS = 24 * 3_600_000;

export function createErasure(d: { retention: RetentionRepo }) {
  /** Returns the ids of the notifications erased now. */
  async function erase(now: Date): Promise<string[]> {
    return d.retention.eraseSensitive(new Date(now.getTime() - ERASE_AFTER_MS), now);
  }
  return { erase };
}

export type Erasure = ReturnType<typeof createErasure>;
