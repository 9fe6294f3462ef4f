/**
 * Templates T1–T9 (R44–R48): safe saving (syntax, unsafe identifiers, unknown variables), immutable
 * versions with optimistic locking, rollback as a copy, and previews that send and store nothing.
 */
import { toIso } from '@sicora/platform/schemas';
import type { AuthUser } from '@sicora/platform/auth';
import { catalogueEntry, CONTEXT_VARIABLES } from '../domain/catalogue.ts';
import { categoryOf, type Channel } from '../domain/enums.ts';
import { notificationErrors as E } from '../domain/notification.errors.ts';
import { smsInfo, toGsm7 } from '../domain/gsm.ts';
import { sampleData } from '../domain/samples.ts';
import type { TemplateAdminRepo, TemplateFilter, VersionInput } from '../infrastructure/template-admin.repo.ts';
import type { TemplateEngine } from '../infrastructure/template-engine.ts';
import type { TemplateRow, TemplateVersionRow } from '../infrastructure/templates.repo.ts';
import { CATALOGUE } from '../domain/catalogue.ts';
import { createRenderer } from './render.service.ts';

export interface TextFields { subject?: string | null; body_text?: string; body_html?: string | null }

const SAMPLE_RECIPIENT = { id: '5eed0001-0000-4000-8000-000000000021', first_name: 'Laura Valentina', last_name: 'Gómez Ruiz', full_name: 'Laura Valentina Gómez Ruiz', role: 'aprendiz' };

export function templateView(t: TemplateRow, v: TemplateVersionRow) {
  return {
    id: t.id, type: t.type, channel: t.channel, locale: t.locale, category: categoryOf(t.type), is_active: t.isActive, is_system: t.isSystem, description: t.description,
    current_version: t.currentVersion, subject: v.subject, body_text: v.bodyText, body_html: v.bodyHtml, created_at: toIso(t.createdAt), updated_at: toIso(t.updatedAt), updated_by: t.updatedBy,
  };
}

export function createTemplatesService(d: { repo: TemplateAdminRepo; engine: TemplateEngine; now: () => Date; appUrl: string }) {
  const render = createRenderer(d.engine);

  /** R44 required fields per channel and R46 checks on every field. */
  function check(type: string, channel: Channel, f: TextFields): VersionInput {
    const fields = [];
    if (!f.body_text) fields.push({ field: 'body_text', reason: 'required', message: 'El cuerpo es obligatorio' });
    if (channel !== 'sms' && !f.subject) fields.push({ field: 'subject', reason: 'required', message: 'El asunto o título es obligatorio en este canal' });
    if (channel !== 'email' && f.body_html) fields.push({ field: 'body_html', reason: 'not_allowed', message: 'Solo el correo tiene cuerpo HTML' });
    if (fields.length) throw E.validation(fields);
    const entry = catalogueEntry(type);
    const allowed = entry ? [...entry.extra, ...CONTEXT_VARIABLES] : null;
    for (const [field, src] of [['subject', f.subject], ['body_text', f.body_text], ['body_html', f.body_html]] as const) {
      if (src) d.engine.check(field, src, allowed);
    }
    return { subject: channel === 'sms' ? null : (f.subject ?? null), bodyText: f.body_text!, bodyHtml: f.body_html ?? null, changeNote: null };
  }

  async function load(id: string) {
    const row = await d.repo.get(id);
    if (!row) throw E.templateNotFound();
    return row;
  }

  return {
    async list(f: TemplateFilter & { category?: string }, page: { offset: number; limit: number }) {
      const types = f.category ? [...CATALOGUE.keys()].filter((t) => categoryOf(t) === f.category) : undefined;
      const { rows, total } = await d.repo.list({ ...f, ...(types ? { types } : {}) }, page);
      return { items: rows.map((r) => templateView(r.template, r.version)), total };
    },
    async get(id: string) {
      const { template, version } = await load(id);
      const versions = await d.repo.versions(id);
      return { ...templateView(template, version), versions: versions.map((v) => ({ version: v.version, change_note: v.changeNote, created_by: v.createdBy, created_at: toIso(v.createdAt) })) };
    },
    async create(user: AuthUser, input: TextFields & { type: string; channel: Channel; locale?: string; description?: string }) {
      const locale = input.locale ?? 'es-CO';
      const v = check(input.type, input.channel, input);
      if (await d.repo.exists(input.type, input.channel, locale)) throw E.templateExists();
      const id = await d.repo.create({ type: input.type, channel: input.channel, locale, description: input.description ?? null }, { ...v, changeNote: 'Versión inicial' }, user.sub, d.now());
      const { template, version } = await load(id);
      return templateView(template, version);
    },
    async update(user: AuthUser, id: string, input: TextFields & { change_note?: string; expected_version: number }) {
      const { template } = await load(id);
      if (input.expected_version !== template.currentVersion) throw E.templateVersionConflict(template.currentVersion);
      const v = check(template.type, template.channel as Channel, input);
      if (!(await d.repo.addVersion(id, input.expected_version, { ...v, changeNote: input.change_note ?? null }, user.sub, d.now()))) {
        throw E.templateVersionConflict((await load(id)).template.currentVersion);
      }
      const now = await load(id);
      return templateView(now.template, now.version);
    },
    async patch(user: AuthUser, id: string, input: { is_active?: boolean; description?: string }) {
      await load(id);
      await d.repo.patch(id, { ...(input.is_active !== undefined ? { isActive: input.is_active } : {}), ...(input.description !== undefined ? { description: input.description } : {}) }, user.sub, d.now());
      const { template, version } = await load(id);
      return templateView(template, version);
    },
    async remove(id: string) {
      const { template } = await load(id);
      if (template.isSystem) throw E.templateIsSystem();
      await d.repo.remove(id);
    },
    async version(id: string, n: number) {
      await load(id);
      const v = await d.repo.version(id, n);
      if (!v) throw E.templateVersionNotFound();
      return { version: v.version, subject: v.subject, body_text: v.bodyText, body_html: v.bodyHtml, change_note: v.changeNote, created_by: v.createdBy, created_at: toIso(v.createdAt) };
    },
    async rollback(user: AuthUser, id: string, n: number) {
      const { template } = await load(id);
      const old = await d.repo.version(id, n);
      if (!old) throw E.templateVersionNotFound();
      await d.repo.addVersion(id, template.currentVersion, { subject: old.subject, bodyText: old.bodyText, bodyHtml: old.bodyHtml, changeNote: `Restauración de la versión ${n}` }, user.sub, d.now());
      const now = await load(id);
      return templateView(now.template, now.version);
    },
    /** R48: renders with `data` or the type's sample data and the sample recipient; nothing is stored. */
    async preview(input: TextFields & { template_id?: string; version?: number; type?: string; channel?: Channel; data?: Record<string, unknown>; locale?: string }) {
      let type: string;
      let channel: Channel;
      let source: { subject: string | null; bodyText: string; bodyHtml: string | null };
      if (input.template_id) {
        const { template, version } = await load(input.template_id);
        const v = input.version ? await d.repo.version(input.template_id, input.version) : version;
        if (!v) throw E.templateVersionNotFound();
        type = template.type; channel = template.channel as Channel; source = v;
      } else {
        if (!input.type || !input.channel || !input.body_text) throw E.validation([{ field: 'template_id', reason: 'required', message: 'Indique template_id, o type, channel y body_text' }]);
        type = input.type; channel = input.channel;
        check(type, channel, input);
        source = { subject: input.subject ?? null, bodyText: input.body_text, bodyHtml: input.body_html ?? null };
      }
      const at = d.now();
      const notification = { id: '00000000-0000-4000-8000-000000000000', type, priority: catalogueEntry(type)?.priority ?? 'normal', createdAt: at, data: input.data ?? sampleData(type), title: null, message: null, actionUrl: null } as never;
      let out;
      try {
        out = render({ notification, delivery: { channel, recipient: SAMPLE_RECIPIENT }, version: source, mandatory: catalogueEntry(type)?.mandatory ?? false, appUrl: d.appUrl });
      } catch (err) {
        const detail = String((err as Error).message).split('\n').pop()!.trim();
        throw E.templateRender(missingVariables(source, input.data ?? sampleData(type)), detail);
      }
      const sms = channel === 'sms' ? toGsm7(out.text) : null;
      return { subject: out.subject, text: sms ? sms.text : out.text, html: out.html, sms: sms ? smsInfo(sms.text) : null, warnings: sms?.truncated ? ['truncated'] : [] };
    },
  };
}

function missingVariables(src: { subject: string | null; bodyText: string; bodyHtml: string | null }, data: Record<string, unknown>): string[] {
  const names = new Set<string>();
  for (const s of [src.subject, src.bodyText, src.bodyHtml]) {
    for (const m of (s ?? '').matchAll(/{{\s*([a-z_][a-z0-9_]*)/gi)) if (!(m[1] in data) && !CONTEXT_VARIABLES.includes(m[1])) names.add(m[1]);
  }
  return [...names];
}

export type TemplatesService = ReturnType<typeof createTemplatesService>;
