/** ST1/ST2 (R47): one settings document; the defaults row is written at first start. */
import { toIso } from '@sicora/platform/schemas';
import { DEFAULT_SETTINGS, mergeSettings, validateSettings, withDefaults, type AttendanceSettings, type SettingsPatch } from '../domain/settings.ts';
import type { Actor, Deps } from './context.ts';

export function createSettingsService(deps: Pick<Deps, 'repos' | 'now'>) {
  const repo = deps.repos.settings;

  async function row() {
    let current = await repo.get();
    if (!current) {
      await repo.ensure(DEFAULT_SETTINGS, deps.now());
      current = await repo.get();
    }
    return current!;
  }

  const view = (r: Awaited<ReturnType<typeof row>>) => ({ ...withDefaults(r.values), version: r.version, updated_at: toIso(r.updatedAt) });

  return {
    /** At start-up: the row with the defaults, once across replicas. */
    ensure: () => repo.ensure(DEFAULT_SETTINGS, deps.now()),
    /** The values rules read; changes apply from the next request (R47). */
    async current(): Promise<AttendanceSettings> {
      return withDefaults((await row()).values);
    },
    async get() {
      return view(await row());
    },
    async update(patch: SettingsPatch, actor: Actor) {
      // Optimistic write over the version read: a concurrent ST2 makes this one merge again on fresh values.
      for (;;) {
        const current = await row();
        const merged = validateSettings(mergeSettings(withDefaults(current.values), patch));
        const written = await repo.replace(merged, current.version, actor.sub, deps.now());
        if (written) return view(written);
      }
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
