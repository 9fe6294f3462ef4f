/**
 * Every runnable service with its configuration loader, app factory and migrations, in start-up
 * order: users first (it holds the keys every other service verifies with), the gateway last.
 */
import type { BaseConfig, Env } from '@sicora/platform/config';
import type { App } from '@sicora/platform/server';
import type { ServiceOverrides } from '@sicora/platform/service';
import type { ServiceName } from '@sicora/platform/services';
import * as ai from '../../services/ai/src/app.ts';
import * as aiConfig from '../../services/ai/src/config.ts';
import * as attendance from '../../services/attendance/src/app.ts';
import * as attendanceConfig from '../../services/attendance/src/config.ts';
import * as evalin from '../../services/evalin/src/app.ts';
import * as evalinConfig from '../../services/evalin/src/config.ts';
import * as gateway from '../../services/gateway/src/app.ts';
import * as gatewayConfig from '../../services/gateway/src/config.ts';
import * as kb from '../../services/kb/src/app.ts';
import * as kbConfig from '../../services/kb/src/config.ts';
import * as notification from '../../services/notification/src/app.ts';
import * as notificationConfig from '../../services/notification/src/config.ts';
import * as projecteval from '../../services/projecteval/src/app.ts';
import * as projectevalConfig from '../../services/projecteval/src/config.ts';
import * as schedules from '../../services/schedules/src/app.ts';
import * as schedulesConfig from '../../services/schedules/src/config.ts';
import * as users from '../../services/users/src/app.ts';
import * as usersConfig from '../../services/users/src/config.ts';

export interface ServiceEntry {
  name: ServiceName;
  loadConfig: (env: Env) => BaseConfig;
  // Each service narrows its own config type; the CLI only passes back what loadConfig gave it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  buildApp: (config: any, overrides?: ServiceOverrides & Record<string, unknown>) => Promise<App>;
  migrationsFolder: string;
}

export const SERVICES: ServiceEntry[] = [
  { name: 'users', loadConfig: usersConfig.loadConfig, buildApp: users.buildApp, migrationsFolder: users.MIGRATIONS_FOLDER },
  { name: 'schedules', loadConfig: schedulesConfig.loadConfig, buildApp: schedules.buildApp, migrationsFolder: schedules.MIGRATIONS_FOLDER },
  { name: 'attendance', loadConfig: attendanceConfig.loadConfig, buildApp: attendance.buildApp, migrationsFolder: attendance.MIGRATIONS_FOLDER },
  { name: 'evalin', loadConfig: evalinConfig.loadConfig, buildApp: evalin.buildApp, migrationsFolder: evalin.MIGRATIONS_FOLDER },
  { name: 'kb', loadConfig: kbConfig.loadConfig, buildApp: kb.buildApp, migrationsFolder: kb.MIGRATIONS_FOLDER },
  { name: 'ai', loadConfig: aiConfig.loadConfig, buildApp: ai.buildApp, migrationsFolder: ai.MIGRATIONS_FOLDER },
  { name: 'projecteval', loadConfig: projectevalConfig.loadConfig, buildApp: projecteval.buildApp, migrationsFolder: projecteval.MIGRATIONS_FOLDER },
  { name: 'notification', loadConfig: notificationConfig.loadConfig, buildApp: notification.buildApp, migrationsFolder: notification.MIGRATIONS_FOLDER },
  { name: 'gateway', loadConfig: gatewayConfig.loadConfig, buildApp: gateway.buildApp, migrationsFolder: gateway.MIGRATIONS_FOLDER },
];

export function findService(name: string): ServiceEntry | undefined {
  return SERVICES.find((s) => s.name === name);
}
