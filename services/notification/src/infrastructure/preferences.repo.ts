/**
 * User preferences (§3.3): a user without a row has the defaults.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import type { Preferences } from '../domain/decide.ts';
import { userPreferences, type PreferencesRow } from './db/schema.ts';

export function defaultPreferences(quietHours: string): Preferences {
  const [start, end] = quietHours.split('-');
  return { email_enabled: true, sms_enabled: true, push_enabled: true, category_overrides: {}, quiet_hours_enabled: true, quiet_start: start, quiet_end: end, digest: 'daily', digest_hour: 7, locale: 'es-CO' };
}

export function toPreferences(row: PreferencesRow): Preferences {
  return {
    email_enabled: row.emailEnabled, sms_enabled: row.smsEnabled, push_enabled: row.pushEnabled, category_overrides: row.categoryOverrides,
    quiet_hours_enabled: row.quietHoursEnabled, quiet_start: row.quietStart, quiet_end: row.quietEnd,
    digest: row.digest as Preferences['digest'], digest_hour: row.digestHour, locale: row.locale,
  };
}

export function createPreferencesRepo(db: Db, quietHours: string) {
  return {
    async forUsers(ids: string[]): Promise<Map<string, Preferences>> {
      const out = new Map<string, Preferences>();
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await db.select().from(userPreferences).where(inArray(userPreferences.userId, ids.slice(i, i + 1000)));
        for (const r of rows) out.set(r.userId, toPreferences(r));
      }
      for (const id of ids) if (!out.has(id)) out.set(id, defaultPreferences(quietHours));
      return out;
    },
    async get(userId: string): Promise<{ prefs: Preferences; updatedAt: Date | null }> {
      const [row] = await db.select().from(userPreferences).where(eq(userPreferences.userId, userId));
      return row ? { prefs: toPreferences(row), updatedAt: row.updatedAt } : { prefs: defaultPreferences(quietHours), updatedAt: null };
    },
    async upsert(userId: string, p: Preferences, now: Date): Promise<void> {
      const values = {
        userId, locale: p.locale, emailEnabled: p.email_enabled, smsEnabled: p.sms_enabled, pushEnabled: p.push_enabled, categoryOverrides: p.category_overrides,
        quietHoursEnabled: p.quiet_hours_enabled, quietStart: p.quiet_start, quietEnd: p.quiet_end, digest: p.digest, digestHour: p.digest_hour, updatedAt: now,
      };
      await db.insert(userPreferences).values(values).onConflictDoUpdate({ target: userPreferences.userId, set: values });
    },
  };
}

export type PreferencesRepo = ReturnType<typeof createPreferencesRepo>;
