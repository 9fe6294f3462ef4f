/**
 * E52–E53 (R45): one settings document with its version. `current()` reads it fresh; `recent()` (the
 * submission path, E32/E35) may answer from a copy at most RECENT_MS old (R45: every instance re-reads within
 * 10 s), and a change through this instance (E53) drops the copy at once.
 */
import { toIso } from '@sicora/platform/schemas';
import { DEFAULT_SETTINGS, LIMITS, validateSettings, withDefaults, type EvalinSettings } from '../domain/config.ts';
import { evalinErrors } from '../domain/errors.ts';
import type { Actor, Deps } from './context.ts';

/** How long `recent()` may reuse a read: well within R45's 10 s. */
export const RECENT_MS = 5_000;

export function createConfigService(deps: Pick<Deps, 'repos' | 'now'>, o: { recentMs?: number; clock?: () => number } = {}) {
  const repo = deps.repos.config;
  const recentMs = o.recentMs ?? RECENT_MS;
  // Real elapsed time, not the injected business clock: the bound is about staleness across instances.
  const clock = o.clock ?? (() => performance.now());
  let copy: { at: number; settings: Promise<EvalinSettings> } | null = null;
  async function row() {
    let current = await repo.get();
    if (!current) {
      await repo.ensure(DEFAULT_SETTINGS, deps.now());
      current = await repo.get();
    }
    return current!;
  }
  const view = (r: Awaited<ReturnType<typeof row>>) => ({ settings: withDefaults(r.values), limits: LIMITS, version: r.version, updated_by: r.updatedBy, updated_at: toIso(r.updatedAt) });
  return {
    ensure: () => repo.ensure(DEFAULT_SETTINGS, deps.now()),
    async current(): Promise<EvalinSettings> {
      return withDefaults((await row()).values);
    },
    /** The settings as read at most `recentMs` ago (a failed read is not kept). */
    recent(): Promise<EvalinSettings> {
      const t = clock();
      if (copy && t - copy.at < recentMs) return copy.settings;
      const settings = row().then((r) => withDefaults(r.values));
      const mine = { at: t, settings };
      copy = mine;
      settings.catch(() => {
        if (copy === mine) copy = null;
      });
      return settings;
    },
    async get() {
      return view(await row());
    },
    async update(patch: Partial<EvalinSettings> & { version: number }, actor: Actor) {
      const { version, ...changes } = patch;
      const current = await row();
      if (current.version !== version) throw evalinErrors.configVersionConflict(current.version);
      const merged = validateSettings({ ...withDefaults(current.values), ...changes });
      const written = await repo.replace(merged, version, actor.sub, deps.now());
      copy = null;
      if (!written) throw evalinErrors.configVersionConflict((await row()).version);
      return view(written);
    },
  };
}

export type ConfigService = ReturnType<typeof createConfigService>;
