/**
 * The risk side's use cases (§4.2–§4.4, handed to app.ts for its routes) and the service's scheduled
 * jobs, kept apart from app.ts so the assistant's wiring stays readable: nightly run (R30), startup run, overdue alerts (R33), conversation
 * auto-archive (R2) and retention (R36), each slot once across replicas (the platform scheduler).
 */
import { createScheduler } from '@sicora/platform/jobs';
import type { Database } from '@sicora/platform/db';
import type { App } from '@sicora/platform/server';
import type { AiConfig } from './config.ts';
import { createAccess } from './application/access.ts';
import { createAlertsService } from './application/alerts.service.ts';
import { createAnalyticsService } from './application/analytics.service.ts';
import { createAssessor } from './application/assessment.ts';
import type { Deps } from './application/context.ts';
import type { ConversationsService } from './application/conversations.service.ts';
import { createReportService } from './application/report.service.ts';
import { createRunsService } from './application/runs.service.ts';
import { createRiskSettingsService } from './application/settings.service.ts';
import type { AiMetrics } from './infrastructure/metrics.ts';

export interface RiskWiring {
  deps: Deps;
  database: Database;
  config: AiConfig;
  metrics: AiMetrics;
  conversations: ConversationsService;
  startJobs: boolean;
}

const DAY = 86_400_000;
/** R30: the startup run waits for the step-6 seeds (attendance's demo) and never starts before 60 s. */
const STARTUP_DELAY_MS = 60_000;

export async function registerRisk(app: App, w: RiskWiring) {
  const { deps } = w;
  const settings = createRiskSettingsService(deps);
  await settings.ensure();
  const access = createAccess(deps);
  const assessor = createAssessor(deps);
  const runs = createRunsService(deps, access, settings, assessor, { assessed: w.metrics.assessed, log: app.log });
  const alerts = createAlertsService(deps, access, assessor);
  const routes = { reports: createReportService(deps, access, settings), runs, settings, alerts, analytics: createAnalyticsService(deps), timeZone: deps.timeZone };
  app.addHook('onClose', async () => runs.idle());

  const tz = deps.timeZone;
  const jobs = createScheduler({ database: w.database, schema: w.config.service, now: deps.now, logger: app.log, timers: w.startJobs }, [
    { name: 'risk-nightly', cron: w.config.settings.AI_RISK_CRON, timeZone: tz, run: async () => void (await runs.startAll(null, 'scheduled').catch(() => undefined)) },
    { name: 'risk-alerts-overdue', cron: '0 8 * * *', timeZone: tz, run: async () => void (await alerts.notifyOverdue()) },
    { name: 'conversations-archive', cron: '30 3 * * *', timeZone: tz, run: async () => void (await w.conversations.archiveIdle()) },
    {
      name: 'retention',
      cron: '0 3 * * *',
      timeZone: tz,
      run: async () => {
        const now = deps.now();
        await deps.repos.usage.purgeBefore(new Date(now.getTime() - 365 * DAY));
        await deps.repos.usage.purgeKeys(now);
        await deps.repos.risk.purgeAssessments(new Date(now.getTime() - 400 * DAY));
        await deps.repos.risk.purgeRuns(new Date(now.getTime() - 90 * DAY));
      },
    },
  ]);
  if (w.startJobs) {
    await jobs.start();
    app.addHook('onClose', async () => jobs.stop());
    const runOnStart = w.config.settings.AI_RISK_RUN_ON_START ?? !w.config.databaseUrl;
    if (runOnStart) {
      const timer = setTimeout(() => void runs.startupRun(), STARTUP_DELAY_MS);
      timer.unref();
      app.addHook('onClose', async () => clearTimeout(timer));
    }
  }
  return { jobs, runs, alerts, routes };
}
