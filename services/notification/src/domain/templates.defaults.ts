/**
 * The seeded Spanish templates (§7, §11): one per (type, channel) of the catalogue, built from its
 * subject and sentence. Types with flag S get no in_app template (R60).
 */
import { CATALOGUE } from './catalogue.ts';
import type { Channel } from './enums.ts';

export interface TemplateText { type: string; channel: Channel; subject: string | null; bodyText: string; bodyHtml: string | null; description: string }

const ACTION_TEXT = '{% if action_url %}\n\nVer detalle: {{ action_url }}{% endif %}';

export function defaultTemplates(): TemplateText[] {
  const out: TemplateText[] = [];
  for (const e of CATALOGUE.values()) {
    for (const channel of e.channels) {
      if (channel === 'in_app' && e.sensitive.length > 0) continue;
      const description = `Plantilla del sistema: ${e.type} (${channel})`;
      if (channel === 'email') {
        out.push({ type: e.type, channel, subject: e.subject, bodyText: `Hola {{ recipient.first_name }}:\n\n${e.body}${ACTION_TEXT}`, bodyHtml: null, description });
      } else if (channel === 'sms') {
        out.push({ type: e.type, channel, subject: null, bodyText: e.sms ?? `SICORA: ${e.body}`, bodyHtml: null, description });
      } else {
        out.push({ type: e.type, channel, subject: e.subject, bodyText: e.body, bodyHtml: null, description });
      }
    }
  }
  return out;
}
