/**
 * Validation of a send request (§4.1, R2–R6) that needs no database or other service.
 */
import { createHash } from 'node:crypto';
import type { FieldError } from '@sicora/platform/errors';
import { normalizeRole } from '@sicora/platform/roles';
import { notificationErrors as E } from './notification.errors.ts';
import type { Channel } from './enums.ts';

export interface SendRequest {
  type: string;
  target_users?: string[];
  target_roles?: string[];
  target_groups?: string[];
  target_group_numbers?: string[];
  include_group_instructors?: boolean;
  exclude_users?: string[];
  channels?: Channel[];
  priority?: string;
  title?: string;
  message?: string;
  action_url?: string;
  data?: Record<string, unknown>;
  sensitive_keys?: string[];
  entity_type?: string;
  entity_id?: string;
  idempotency_key?: string;
  scheduled_at?: string;
  expires_at?: string;
  locale?: string;
}

/** The patterns of R2 and R6, shared with the request schema so the document states what is enforced. */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:-]{1,200}$';
export const DATA_KEY_PATTERN = '^[a-z][a-z0-9_]{0,63}$';
export const BCP47_PATTERN = '^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$';
/** `target_roles`: the person roles and their English aliases (00-conventions §4). */
export const TARGET_ROLES = ['admin', 'coordinador', 'administrativo', 'instructor', 'aprendiz', 'apprentice', 'coordinator', 'administrative'] as const;

const KEY_PATTERN = new RegExp(IDEMPOTENCY_KEY_PATTERN);
const DATA_KEY = new RegExp(DATA_KEY_PATTERN);
const RESERVED = new Set(['recipient', 'app', 'notification']);
const BCP47 = new RegExp(BCP47_PATTERN);
const DAY = 86_400_000;

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

/** R5 limits (after de-duplication) and at least one target. */
export function checkTargets(req: SendRequest): void {
  const limits: Array<[keyof SendRequest, number]> = [['target_users', 1000], ['target_groups', 50], ['target_group_numbers', 50], ['exclude_users', 1000]];
  for (const [field, max] of limits) {
    if (new Set((req[field] as string[] | undefined) ?? []).size > max) throw E.tooManyTargets(field, max);
  }
  const any = ['target_users', 'target_roles', 'target_groups', 'target_group_numbers'].some((f) => ((req[f as keyof SendRequest] as unknown[] | undefined) ?? []).length > 0);
  if (!any) throw E.noTargets();
}

/** R2, R6 and the reserved keys of R12; returns the idempotency key in force. */
export function checkRequest(req: SendRequest, headerKey: string | undefined, now: Date): { key: string | null } {
  const fields: FieldError[] = [];
  if (headerKey !== undefined && req.idempotency_key !== undefined && headerKey !== req.idempotency_key) {
    fields.push({ field: 'idempotency_key', reason: 'mismatch', message: 'La clave del encabezado y la del cuerpo difieren' });
  }
  const key = headerKey ?? req.idempotency_key ?? null;
  if (key !== null && !KEY_PATTERN.test(key)) fields.push({ field: 'idempotency_key', reason: 'pattern', message: 'Clave de idempotencia no válida' });
  const data = req.data ?? {};
  if (Buffer.byteLength(JSON.stringify(data)) > 16 * 1024) fields.push({ field: 'data', reason: 'too_large', message: 'data supera 16 KiB' });
  if (depthOf(data) > 6) fields.push({ field: 'data', reason: 'too_deep', message: 'data supera 6 niveles' });
  for (const k of Object.keys(data)) {
    if (RESERVED.has(k)) fields.push({ field: `data.${k}`, reason: 'reserved', message: `La clave ${k} está reservada` });
    else if (!DATA_KEY.test(k)) fields.push({ field: `data.${k}`, reason: 'pattern', message: 'Clave de data no válida' });
  }
  for (const k of req.sensitive_keys ?? []) {
    if (!(k in data)) fields.push({ field: 'sensitive_keys', reason: 'unknown_key', message: `${k} no está en data` });
  }
  if (req.action_url !== undefined && !/^(https?:\/\/[^\s]+|\/[^\s]*)$/.test(req.action_url)) {
    fields.push({ field: 'action_url', reason: 'format', message: 'Debe ser una URL http(s) o una ruta que empiece por /' });
  }
  if (req.locale !== undefined && !BCP47.test(req.locale)) fields.push({ field: 'locale', reason: 'format', message: 'Idioma no válido' });
  for (const role of req.target_roles ?? []) {
    const r = normalizeRole(role);
    if (!r || r === 'service') fields.push({ field: 'target_roles', reason: 'enum', message: `Rol no válido: ${role}` });
  }
  if (req.type === 'manual.announcement') {
    if (!req.title) fields.push({ field: 'title', reason: 'required', message: 'El anuncio necesita título' });
    if (!req.message) fields.push({ field: 'message', reason: 'required', message: 'El anuncio necesita mensaje' });
  }
  const scheduled = req.scheduled_at ? Date.parse(req.scheduled_at) : null;
  const expires = req.expires_at ? Date.parse(req.expires_at) : null;
  if (expires !== null && (expires <= now.getTime() || (scheduled !== null && expires <= scheduled))) {
    fields.push({ field: 'expires_at', reason: 'too_early', message: 'Debe ser posterior a ahora y a la fecha programada' });
  }
  if (fields.length > 0) throw E.validation(fields);
  if (scheduled !== null && scheduled > now.getTime() + 90 * DAY) throw E.scheduleTooFar();
  return { key };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** SHA-256 of the body with sorted keys, the key excluded (R2). */
export function requestHash(req: SendRequest): string {
  const { idempotency_key: _ignored, ...rest } = req;
  return createHash('sha256').update(JSON.stringify(canonical(rest))).digest('hex');
}
