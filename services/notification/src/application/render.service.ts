/**
 * Renders one delivery's message from its pinned template version (R12, R43–R45, §6).
 */
import type { TemplateEngine } from '../infrastructure/template-engine.ts';
import type { DeliveryRow } from '../infrastructure/deliveries.repo.ts';
import type { NotificationRow } from '../infrastructure/notifications.repo.ts';
import type { TemplateVersionRow } from '../infrastructure/templates.repo.ts';
import type { Channel } from '../domain/enums.ts';

export interface Rendered { subject: string | null; text: string; html: string | null }

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const FOOTER = 'Recibes este mensaje porque tienes una cuenta en SICORA.';

/** Escaped paragraphs with clickable links, for templates without `body_html`. */
export function textToHtml(text: string): string {
  return text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>').replace(/\n/g, '<br>')}</p>`).join('\n');
}

/** R45: the platform layout around every HTML e-mail. */
export function layout(content: string, preferencesUrl: string | null): string {
  const prefs = preferencesUrl ? `<p><a href="${escapeHtml(preferencesUrl)}">Administrar mis preferencias de notificación</a></p>` : '';
  return `<!doctype html><html lang="es"><head><meta charset="utf-8"></head><body style="font-family:Arial,sans-serif">`
    + `<div style="background:#39A900;color:#fff;padding:12px 16px;font-weight:bold">SICORA · SENA</div>`
    + `<div style="padding:16px">${content}</div>`
    + `<div style="padding:12px 16px;color:#666;font-size:12px"><p>${FOOTER}</p>${prefs}</div></body></html>`;
}

export interface RenderInput {
  notification: NotificationRow;
  delivery: Pick<DeliveryRow, 'channel' | 'recipient'>;
  version: Pick<TemplateVersionRow, 'subject' | 'bodyText' | 'bodyHtml'>;
  mandatory: boolean;
  appUrl: string;
}

export function renderContext(n: NotificationRow, recipient: DeliveryRow['recipient'], appUrl: string): Record<string, unknown> {
  const ctx: Record<string, unknown> = { ...n.data };
  if (n.title !== null) ctx.title = n.title;
  if (n.message !== null) ctx.message = n.message;
  if (n.actionUrl !== null) ctx.action_url = n.actionUrl;
  ctx.recipient = recipient;
  ctx.app = { name: 'SICORA', url: appUrl, inbox_url: `${appUrl}/notificaciones`, preferences_url: `${appUrl}/notificaciones/preferencias` };
  ctx.notification = { id: n.id, type: n.type, priority: n.priority, created_at: n.createdAt.toISOString() };
  return ctx;
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

export function createRenderer(engine: TemplateEngine) {
  return function render(i: RenderInput): Rendered {
    const ctx = renderContext(i.notification, i.delivery.recipient, i.appUrl);
    const channel = i.delivery.channel as Channel;
    const subject = i.version.subject ? engine.render(i.version.subject, ctx, false).trim() : null;
    const text = engine.render(i.version.bodyText, ctx, false).trim();
    if (channel === 'email') {
      const prefsUrl = i.mandatory ? null : `${i.appUrl}/notificaciones/preferencias`;
      const content = i.version.bodyHtml ? engine.render(i.version.bodyHtml, ctx, true) : textToHtml(text);
      const footer = `\n\n--\n${FOOTER}${prefsUrl ? `\nPreferencias: ${prefsUrl}` : ''}`;
      return { subject: cut(subject ?? '', 200), text: text + footer, html: layout(content, prefsUrl) };
    }
    if (channel === 'push') return { subject: cut(subject ?? '', 65), text: cut(text, 240), html: null };
    if (channel === 'in_app') return { subject: cut(subject ?? '', 200), text: cut(text, 2000), html: null };
    return { subject: null, text, html: null };
  };
}
