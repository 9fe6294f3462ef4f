/** Risk settings (R29): version 1 at first start, each PUT a new version; the highest is current. */
import { toIso } from '@sicora/platform/schemas';
import { DEFAULT_SETTINGS, settingsProblems, type RiskSettings } from '../domain/risk.ts';
import { errors } from '@sicora/platform/errors';
import type { Actor, Deps } from './context.ts';
import type { SettingsRow } from '../infrastructure/risk.repo.ts';

export function settingsOf(row: SettingsRow): RiskSettings {
  return { version: row.version, values: row.values as unknown as RiskSettings['values'], level_cutoffs: row.levelCutoffs, alert_min_level: row.alertMinLevel as RiskSettings['alert_min_level'] };
}

const view = (row: SettingsRow) => ({ ...settingsOf(row), created_by: row.createdBy, created_at: toIso(row.createdAt) });

export function createRiskSettingsService(deps: Deps) {
  return {
    async ensure() {
      if (!(await deps.repos.risk.currentSettings())) {
        await deps.repos.risk.insertSettings({ version: 1, values: DEFAULT_SETTINGS.values as unknown as Record<string, unknown>, levelCutoffs: DEFAULT_SETTINGS.level_cutoffs, alertMinLevel: DEFAULT_SETTINGS.alert_min_level, createdBy: null });
      }
    },
    async current(): Promise<RiskSettings> {
      const row = await deps.repos.risk.currentSettings();
      return row ? settingsOf(row) : { version: 1, ...DEFAULT_SETTINGS };
    },
    async get() {
      await this.ensure();
      return view((await deps.repos.risk.currentSettings())!);
    },
    async put(actor: Actor, doc: Omit<RiskSettings, 'version'>) {
      const problems = settingsProblems(doc);
      if (problems.length) throw errors.validation(problems);
      return deps.withTransaction(async (tx) => {
        await tx.risk.lockRuns();
        const cur = await tx.risk.currentSettings();
        const row = await tx.risk.insertSettings({ version: (cur?.version ?? 0) + 1, values: doc.values as unknown as Record<string, unknown>, levelCutoffs: doc.level_cutoffs, alertMinLevel: doc.alert_min_level, createdBy: actor.sub, createdAt: deps.now() });
        return view(row!);
      });
    },
  };
}

export type RiskSettingsService = ReturnType<typeof createRiskSettingsService>;
