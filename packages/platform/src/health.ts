/**
 * Readiness: named checks; a required check that fails makes `/health/ready` answer 503.
 */
export type CheckStatus = 'ok' | 'error' | 'not_configured';

export interface ReadinessCheck {
  /** Resolves when healthy; throws (or resolves false) when not. */
  run: () => Promise<boolean | void> | boolean | void;
  required: boolean;
  timeoutMs?: number;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, CheckStatus>;
}

export class HealthRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly notConfigured = new Set<string>();
  shuttingDown = false;

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
    this.notConfigured.delete(name);
  }

  /** Lists a check that does not apply in this deployment (e.g. Redis without `REDIS_URL`). */
  markNotConfigured(name: string): void {
    // A check that does not apply must not run either, or its failure would still make the service not ready.
    this.checks.delete(name);
    this.notConfigured.add(name);
  }

  async report(): Promise<ReadinessReport> {
    const out: Record<string, CheckStatus> = {};
    let ready = !this.shuttingDown;
    await Promise.all(
      [...this.checks.entries()].map(async ([name, check]) => {
        const ok = await runWithTimeout(check);
        out[name] = ok ? 'ok' : 'error';
        if (!ok && check.required) ready = false;
      }),
    );
    for (const name of this.notConfigured) out[name] = 'not_configured';
    return { status: ready ? 'ready' : 'not_ready', checks: out };
  }
}

async function runWithTimeout(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      Promise.resolve().then(check.run),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), check.timeoutMs ?? 2000);
      }),
    ]);
    return result !== false;
  } catch {
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
