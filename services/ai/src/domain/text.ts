/** Text helpers of the assistant: folding (R3, R6), conversation titles (R1), word counts (R4). */

/** Lower case without diacritics: the form R3's search and R6's keywords compare. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export const DEFAULT_TITLE = 'Nueva conversación';

/** R1: the first 60 chars, cut at the last space, plus `…` when cut. */
export function titleFrom(message: string): string {
  const text = message.trim().replace(/\s+/g, ' ');
  if (text.length <= 60) return text || DEFAULT_TITLE;
  const head = text.slice(0, 60);
  const space = head.lastIndexOf(' ');
  return `${(space > 0 ? head.slice(0, space) : head).trimEnd()}…`;
}

export function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

/** Letters or digits in the text (R4: fewer than 2 skips retrieval). */
export function alnumCount(text: string): number {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
}

const REGULATORY = [
  'reglamento', 'norma', 'sancion', 'falta', 'disciplin', 'derecho', 'deber', 'prohib', 'permitid', 'comite',
  'llamado de atencion', 'plan de mejoramiento', 'cancelacion de matricula', 'condicionamiento', 'recurso de reposicion',
  'apelacion', 'debido proceso',
];

/** R6 */
export function isRegulatory(message: string): boolean {
  const f = fold(message);
  return REGULATORY.some((k) => f.includes(k));
}

export function cut(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

/** Printable ASCII, 1–100 chars (R19). */
export function validIdempotencyKey(key: string): boolean {
  return /^[\x20-\x7e]{1,100}$/.test(key);
}

export const ROLE_ES: Record<string, string> = {
  admin: 'administrador',
  coordinador: 'coordinador',
  administrativo: 'administrativo',
  instructor: 'instructor',
  aprendiz: 'aprendiz',
};
