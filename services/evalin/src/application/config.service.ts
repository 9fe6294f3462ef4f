/** E52–E53 (R45): one settings document with its version; read fresh on every use (R45's 10 s). */
import { toIso } from '@sicora/platform/schemas';
import { DEFAULT_SETTINGS, LIMITS, validateSettings, withDefaults, type EvalinSettings } from '../domain/config.ts';
import { evalinErrors } from '../domain/errors.ts';
import type { Actor, Deps } from './context.ts';

export function createConfigService(deps: Pick<Deps, 'repos' | 'now'>) {
  const repo = deps.repos.config;
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
    async get() {
      return view(await row());
    },
    async update(patch: Partial<EvalinSettings> & { version: number }, actor: Actor) {
      const { version, ...changes } = patch;
      const current = await row();
      if (current.version !== version) throw evalinErrors.configVersionConflict(current.version);
      const merged = validateSettings({ ...withDefaults(current.values), ...changes });
      const written = await repo.replace(merged, version, actor.sub, deps.now());
      if (!written) throw evalinErrors.configVersionConflict((await row()).version);
      return view(written);
    },
  };
}

export type ConfigService = ReturnType<typeof createConfigService>;
