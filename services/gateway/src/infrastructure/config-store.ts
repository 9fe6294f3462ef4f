/**
 * The process's live configuration (gateway.md R40–R42): an immutable compiled snapshot swapped
 * atomically; every instance polls the highest config version every 5 s and reloads when it moved.
 * When the database is unreachable at start, the compiled-in seed serves until it returns.
 */
import type { ConfigSnapshot, Policy, ServiceSetting } from '../core/gateway-config.ts';
import { createRouteMatcher, type RouteMatcher } from '../core/route-matching.ts';
import { seedSnapshot } from '../core/seed-config.ts';
import type { ConfigRepo } from './config.repo.ts';

export interface CompiledConfig {
  snapshot: ConfigSnapshot;
  source: 'database' | 'seed';
  loadedAt: Date;
  match: RouteMatcher;
  services: Map<string, ServiceSetting>;
  policies: Map<string, Policy>;
}

export function compile(snapshot: ConfigSnapshot, source: CompiledConfig['source'], loadedAt: Date): CompiledConfig {
  return {
    snapshot,
    source,
    loadedAt,
    match: createRouteMatcher(snapshot.routes),
    services: new Map(snapshot.services.map((s) => [s.name, s])),
    policies: new Map(snapshot.policies.map((p) => [p.name, p])),
  };
}

export interface ConfigStoreDeps {
  repo: ConfigRepo;
  baseUrls: Record<string, string>;
  pollMs?: number;
  now: () => Date;
  /** Applied to every loaded snapshot (the environment's blanket timing overrides). */
  transform?: (snapshot: ConfigSnapshot) => ConfigSnapshot;
  onChange?: (next: CompiledConfig, previous: CompiledConfig) => void;
  onError?: (err: unknown) => void;
}

export function createConfigStore(deps: ConfigStoreDeps) {
  const transform = deps.transform ?? ((x: ConfigSnapshot) => x);
  let current = compile(transform(seedSnapshot(deps.baseUrls)), 'seed', deps.now());
  let timer: NodeJS.Timeout | undefined;
  let seeded = false;

  function swap(next: CompiledConfig) {
    const previous = current;
    current = next;
    deps.onChange?.(next, previous);
  }

  async function load(): Promise<CompiledConfig> {
    if (!seeded) {
      await deps.repo.ensureSeed(deps.baseUrls);
      seeded = true;
    }
    swap(compile(transform(await deps.repo.load()), 'database', deps.now()));
    return current;
  }

  async function poll(): Promise<void> {
    try {
      if (current.source === 'seed' || (await deps.repo.currentVersion()) !== current.snapshot.version) await load();
    } catch (err) {
      deps.onError?.(err);
    }
  }

  return {
    current: () => current,
    load,
    poll,
    /** Loads at start; an unreachable database leaves the seed in force until a later poll succeeds. */
    async init(): Promise<void> {
      try {
        await load();
      } catch (err) {
        deps.onError?.(err);
      }
    },
    start() {
      timer ??= setInterval(() => void poll(), deps.pollMs ?? 5_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

export type ConfigStore = ReturnType<typeof createConfigStore>;
