/**
 * Item rules: kind requirements (R2), unsafe markup and quality warnings (R3), the status machine (§3.4)
 * and V1 visibility for a role.
 */
import type { FieldError } from '@sicora/platform/errors';

export const KINDS = ['article', 'faq', 'guide', 'procedure', 'regulation'] as const;
export type Kind = (typeof KINDS)[number];
export const STATUSES = ['draft', 'in_review', 'published', 'archived'] as const;
export type Status = (typeof STATUSES)[number];
export const AUDIENCE_ROLES = ['aprendiz', 'instructor', 'administrativo', 'coordinador'] as const;
export const EDITORS = ['admin', 'coordinador'] as const;

export const isEditor = (role: string) => role === 'admin' || role === 'coordinador';

const UNSAFE = [/<script/i, /<iframe/i, /<object/i, /<embed/i, /\bon[a-z]+\s*=/i, /javascript:/i];

export interface ItemFields {
  kind: Kind;
  title: string;
  summary: string | null;
  content: string;
  source_reference: string | null;
}

/** R2 and R3 blocking rules on the resulting item. */
export function itemFieldErrors(item: ItemFields, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  if (item.kind === 'faq' && !item.summary) out.push({ field: `${prefix}summary`, reason: 'required_for_faq', message: 'Una pregunta frecuente requiere la respuesta corta' });
  if (item.kind === 'regulation' && !item.source_reference) out.push({ field: `${prefix}source_reference`, reason: 'required_for_regulation', message: 'Un reglamento requiere la referencia a su fuente' });
  if (UNSAFE.some((re) => re.test(item.content))) out.push({ field: `${prefix}content`, reason: 'unsafe_markup', message: 'El contenido tiene marcado no permitido' });
  return out;
}

/** R3: non-blocking advice for authors (B6). */
export function qualityWarnings(item: { content: string; tags: string[] }): string[] {
  const out: string[] = [];
  if (item.content.length < 100) out.push('content_short');
  if (item.content.length > 1500 && !/^#{1,6}\s/m.test(item.content) && !/\n\s*\n/.test(item.content)) out.push('no_structure');
  if (item.tags.length === 0) out.push('no_tags');
  return out;
}

/** R1: trimmed text; empty after trimming is an error on the field. */
export function trimmed(value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  return value.trim();
}

export interface TransitionActor {
  role: string;
  isAuthor: boolean;
}

/** §3.4: the targets open to this actor from `from`. */
export function allowedTransitions(from: Status, actor: TransitionActor): Status[] {
  const editor = isEditor(actor.role);
  const author = actor.role === 'instructor' && actor.isAuthor;
  switch (from) {
    case 'draft':
      return editor ? ['in_review', 'published'] : author ? ['in_review'] : [];
    case 'in_review':
      return editor ? ['published', 'draft'] : author ? ['draft'] : [];
    case 'published':
      return editor ? ['archived'] : [];
    case 'archived':
      return editor ? ['draft', 'published'] : [];
  }
}

/** V1 in code (for single reads; lists apply the same in SQL). */
export function audienceAllows(audience: string[], role: string): boolean {
  if (role === 'service') return audience.includes('all');
  if (isEditor(role)) return true;
  return audience.includes('all') || audience.includes(role);
}

/** `all` expands to every person role for notifications (§7). */
export function audienceRoles(audience: string[]): string[] {
  return audience.includes('all') ? [...AUDIENCE_ROLES] : audience;
}
