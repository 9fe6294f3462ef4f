/**
 * Template administration (T1–T8): lists with the current version inline, versions, new versions.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import { templates, templateVersions, type TemplateRow, type TemplateVersionRow } from './db/schema.ts';

export interface TemplateFilter { type?: string; channel?: string; locale?: string; types?: string[]; is_active?: boolean; is_system?: boolean }
export interface VersionInput { subject: string | null; bodyText: string; bodyHtml: string | null; changeNote: string | null }

export function createTemplateAdminRepo(db: Db) {
  const current = () => db.select({ template: templates, version: templateVersions }).from(templates)
    .innerJoin(templateVersions, and(eq(templateVersions.templateId, templates.id), eq(templateVersions.version, templates.currentVersion)));
  return {
    async list(f: TemplateFilter, page: { offset: number; limit: number }) {
      const c: SQL[] = [];
      if (f.type) c.push(eq(templates.type, f.type));
      if (f.channel) c.push(eq(templates.channel, f.channel));
      if (f.locale) c.push(eq(templates.locale, f.locale));
      if (f.types) c.push(f.types.length ? inArray(templates.type, f.types) : sql`false`);
      if (f.is_active !== undefined) c.push(eq(templates.isActive, f.is_active));
      if (f.is_system !== undefined) c.push(eq(templates.isSystem, f.is_system));
      const where = c.length ? and(...c) : undefined;
      const rows = await current().where(where).orderBy(asc(templates.type), asc(templates.channel), asc(templates.locale)).limit(page.limit).offset(page.offset);
      const [t] = await db.select({ n: sql<number>`count(*)::int` }).from(templates).where(where);
      return { rows, total: t.n };
    },
    async get(id: string): Promise<{ template: TemplateRow; version: TemplateVersionRow } | undefined> {
      const [row] = await current().where(eq(templates.id, id));
      return row;
    },
    async versions(id: string) {
      return db.select().from(templateVersions).where(eq(templateVersions.templateId, id)).orderBy(asc(templateVersions.version));
    },
    async version(id: string, version: number) {
      const [row] = await db.select().from(templateVersions).where(and(eq(templateVersions.templateId, id), eq(templateVersions.version, version)));
      return row;
    },
    async exists(type: string, channel: string, locale: string) {
      const [row] = await db.select({ id: templates.id }).from(templates).where(and(eq(templates.type, type), eq(templates.channel, channel), eq(templates.locale, locale)));
      return Boolean(row);
    },
    async create(t: { type: string; channel: string; locale: string; description: string | null }, v: VersionInput, by: string, at: Date): Promise<string> {
      const id = randomUUID();
      await db.transaction(async (tx) => {
        await tx.insert(templates).values({ id, ...t, isActive: true, isSystem: false, currentVersion: 1, createdAt: at, updatedAt: at, updatedBy: by });
        await tx.insert(templateVersions).values({ id: randomUUID(), templateId: id, version: 1, ...v, createdBy: by, createdAt: at });
      });
      return id;
    },
    /** New version n+1 only if the current one is still `expected` (optimistic lock). */
    async addVersion(id: string, expected: number, v: VersionInput, by: string, at: Date): Promise<boolean> {
      return db.transaction(async (tx) => {
        const bumped = await tx.update(templates).set({ currentVersion: expected + 1, updatedAt: at, updatedBy: by })
          .where(and(eq(templates.id, id), eq(templates.currentVersion, expected))).returning({ id: templates.id });
        if (bumped.length === 0) return false;
        await tx.insert(templateVersions).values({ id: randomUUID(), templateId: id, version: expected + 1, ...v, createdBy: by, createdAt: at });
        return true;
      });
    },
    async patch(id: string, values: { isActive?: boolean; description?: string }, by: string, at: Date) {
      await db.update(templates).set({ ...values, updatedAt: at, updatedBy: by }).where(eq(templates.id, id));
    },
    async remove(id: string) {
      await db.delete(templates).where(eq(templates.id, id));
    },
  };
}

export type TemplateAdminRepo = ReturnType<typeof createTemplateAdminRepo>;
