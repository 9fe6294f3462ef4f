/**
 * P1–P3 (§4.4, R16, R20, R22): the effective preferences of a person and their changes. in_app cannot
 * be disabled, the time zone is the platform's and mandatory types cannot be opted out of.
 */
import { toIsoOrNull } from '@sicora/platform/schemas';
import { notificationErrors as E } from '../domain/notification.errors.ts';
import { CATALOGUE } from '../domain/catalogue.ts';
import { CATEGORIES } from '../domain/enums.ts';
import type { Preferences } from '../domain/decide.ts';
import type { PreferencesRepo } from '../infrastructure/preferences.repo.ts';

type Toggle = { email?: boolean; sms?: boolean; push?: boolean };

export interface PreferencesInput {
  locale?: string;
  channels?: { in_app?: boolean; email?: boolean; sms?: boolean; push?: boolean };
  categories?: Record<string, Toggle>;
  mandatory_types?: string[];
  quiet_hours?: { enabled?: boolean; start?: string; end?: string; timezone?: string };
  digest?: 'off' | 'hourly' | 'daily';
  digest_hour?: number;
}

export const MANDATORY_TYPES = [...CATALOGUE.values()].filter((e) => e.mandatory).map((e) => e.type);

export function createPreferencesService(d: { preferences: PreferencesRepo; now: () => Date; timezone: string }) {
  function view(p: Preferences, updatedAt: Date | null) {
    const categories = Object.fromEntries(CATEGORIES.map((c) => {
      const o = p.category_overrides[c] ?? {};
      return [c, { email: p.email_enabled && o.email !== false, sms: p.sms_enabled && o.sms !== false, push: p.push_enabled && o.push !== false }];
    }));
    return {
      locale: p.locale, channels: { in_app: true, email: p.email_enabled, sms: p.sms_enabled, push: p.push_enabled }, categories,
      mandatory_types: MANDATORY_TYPES, quiet_hours: { enabled: p.quiet_hours_enabled, start: p.quiet_start, end: p.quiet_end, timezone: d.timezone },
      digest: p.digest, digest_hour: p.digest_hour, updated_at: toIsoOrNull(updatedAt),
    };
  }

  return {
    async get(userId: string) {
      const { prefs, updatedAt } = await d.preferences.get(userId);
      return view(prefs, updatedAt);
    },
    async update(userId: string, input: PreferencesInput) {
      const fields = [];
      if (input.channels?.in_app === false) fields.push({ field: 'channels.in_app', reason: 'immutable', message: 'La bandeja de SICORA no se puede desactivar' });
      if (input.quiet_hours?.timezone !== undefined && input.quiet_hours.timezone !== d.timezone) fields.push({ field: 'quiet_hours.timezone', reason: 'immutable', message: `La zona horaria es ${d.timezone}` });
      if (input.mandatory_types !== undefined && [...input.mandatory_types].sort().join() !== [...MANDATORY_TYPES].sort().join()) {
        fields.push({ field: 'mandatory_types', reason: 'immutable', message: 'Los mensajes obligatorios no se pueden cambiar' });
      }
      const { prefs } = await d.preferences.get(userId);
      const next: Preferences = { ...prefs, category_overrides: { ...prefs.category_overrides } };
      if (input.locale) next.locale = input.locale;
      for (const ch of ['email', 'sms', 'push'] as const) {
        const v = input.channels?.[ch];
        if (v !== undefined) next[`${ch}_enabled`] = v;
      }
      for (const [category, toggle] of Object.entries(input.categories ?? {})) next.category_overrides[category] = { ...next.category_overrides[category], ...toggle };
      if (input.quiet_hours?.enabled !== undefined) next.quiet_hours_enabled = input.quiet_hours.enabled;
      if (input.quiet_hours?.start) next.quiet_start = input.quiet_hours.start;
      if (input.quiet_hours?.end) next.quiet_end = input.quiet_hours.end;
      if (next.quiet_start === next.quiet_end) fields.push({ field: 'quiet_hours', reason: 'empty_window', message: 'El inicio y el fin de las horas de silencio deben ser distintos' });
      if (input.digest) next.digest = input.digest;
      if (input.digest_hour !== undefined) next.digest_hour = input.digest_hour;
      if (fields.length > 0) throw E.validation(fields);
      const now = d.now();
      await d.preferences.upsert(userId, next, now);
      return view(next, now);
    },
  };
}

export type PreferencesService = ReturnType<typeof createPreferencesService>;
