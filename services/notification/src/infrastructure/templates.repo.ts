/**
 * Templates and their immutable versions (R19, R47), and the seeding of the system templates (§11).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { defaultTemplates } from '../domain/templates.defaults.ts';
import { templates, templateVersions, type TemplateRow, type TemplateVersionRow } from './db/schema.ts';

export type { TemplateRow, TemplateVersionRow };

export interface ActiveTemplate { template: TemplateRow; version: TemplateVersionRow }

export function createTemplatesRepo(db: Db) {
  return {
    /** Inserts the missing system templates; never overwrites edited ones. */
    async seedSystemTemplates(now: Date): Promise<number> {
      const defaults = defaultTemplates();
      const existing = await db.select({ type: templates.type, channel: templates.channel }).from(templates).where(eq(templates.locale, 'es-CO'));
      const have = new Set(existing.map((e) => `${e.type}|${e.channel}`));
      const missing = defaults.filter((t) => !have.has(`${t.type}|${t.channel}`));
      if (missing.length === 0) return 0;
      const at = now;
      const rows = missing.map((t) => ({ t, id: randomUUID() }));
      await db.transaction(async (tx) => {
        await tx.insert(templates).values(rows.map(({ t, id }) => ({ id, type: t.type, channel: t.channel, locale: 'es-CO', isActive: true, isSystem: true, description: t.description, currentVersion: 1, createdAt: at, updatedAt: at }))).onConflictDoNothing();
        await tx.insert(templateVersions).values(rows.map(({ t, id }) => ({ id: randomUUID(), templateId: id, version: 1, subject: t.subject, bodyText: t.bodyText, bodyHtml: t.bodyHtml, changeNote: 'Versión inicial', createdAt: at }))).onConflictDoNothing();
      });
      return missing.length;
    },

    /** Current versions of the templates of these types, keyed `type|channel|locale`. */
    async currentFor(types: string[]): Promise<Map<string, ActiveTemplate>> {
      const rows = await db.select({ template: templates, version: templateVersions }).from(templates)
        .innerJoin(templateVersions, and(eq(templateVersions.templateId, templates.id), eq(templateVersions.version, templates.currentVersion)))
        .where(inArray(templates.type, types));
      return new Map(rows.map((r) => [`${r.template.type}|${r.template.channel}|${r.template.locale}`, r]));
    },

    async versionById(id: string): Promise<TemplateVersionRow | undefined> {
      const [row] = await db.select().from(templateVersions).where(eq(templateVersions.id, id));
      return row;
    },

    async count(): Promise<number> {
      const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(templates);
      return r.n;
    },
  };
}

export type TemplatesRepo = ReturnType<typeof createTemplatesRepo>;
