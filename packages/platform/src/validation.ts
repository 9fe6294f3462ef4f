/**
 * Input validation every service gets from `createServer` (00-conventions §2, "The contract every
 * operation keeps"):
 * - request bodies are validated without coercion (`false` is not `"false"`, `""` is not a UUID); the
 *   query string, path parameters and headers keep `coerceTypes: 'array'`, since they only carry text;
 * - `date-time` is RFC 3339 and only what PostgreSQL can hold: no leap second, offsets within ±15:59, the
 *   instant between 0001-01-01 and 9999-12-31 UTC; `date` is a real calendar date in 0001–9999;
 * - no string of the body, the query or the path holds a NUL character (PostgreSQL text cannot).
 */
import { Ajv, type Options, type SchemaObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldError } from './errors.ts';

// ajv-formats is CommonJS with `module.exports = formatsPlugin` and a `default` beside it.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/**
 * The instants PostgreSQL's timestamptz and a JS Date's ISO form both hold as four-digit years (UTC), in
 * ms since the epoch: the bounds of every `date-time` input, and the floor of a window computed from one
 * (`to` minus 92 days must not fall in year 0).
 */
export const MIN_INSTANT = utc(1, 1, 1);
export const MAX_INSTANT = utc(9999, 12, 31, 23, 59, 59, 999);

function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function validDate(year: number, month: number, day: number): boolean {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

/** A calendar date `YYYY-MM-DD` that exists, in years 0001–9999 (PostgreSQL has no year 0). */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * An RFC 3339 date-time that PostgreSQL's timestamptz and a JS Date hold alike: a real date, hours 00–23,
 * no leap second (`:60`), an offset (`Z` or ±hh:mm up to ±15:59) and an instant within years 0001–9999
 * in UTC (`0001-01-01T00:00:00+15:59` falls in year 0, `9999-12-31T23:59:59-01:00` in 10000).
 */
export function isRfc3339DateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return false;
  let offsetMinutes = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 15 || om > 59) return false;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
  const instant = utc(year, month, day, hour, minute, second, Math.floor(ms)) - offsetMinutes * 60_000;
  return instant >= MIN_INSTANT && instant <= MAX_INSTANT;
}

/** The ajv options of every part: all errors (one 422 names every field), no stripping, defaults applied. */
const BASE_OPTIONS: Options = { removeAdditional: false, allErrors: true, useDefaults: true, addUsedSchema: false };

/** One ajv with the formats of ajv-formats, `date-time` and `date` replaced by the checks above. */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ ...BASE_OPTIONS, ...options });
  addFormats(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: isRfc3339DateTime });
  ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
  return ajv;
}

type HttpPart = 'body' | 'querystring' | 'params' | 'headers' | string;

/**
 * Fastify's `schemaController.compilersFactory.buildValidator`: two ajv instances over the same shared
 * schemas, the body's without type coercion, the others with `coerceTypes: 'array'` (a query string or a
 * path only carries text, read as the type it declares).
 */
export function buildValidator(externalSchemas: Record<string, unknown> = {}) {
  const body = createAjv({ coerceTypes: false });
  const text = createAjv({ coerceTypes: 'array' });
  for (const schema of Object.values(externalSchemas)) {
    body.addSchema(schema as SchemaObject);
    text.addSchema(schema as SchemaObject);
  }
  return function compile({ schema, httpPart }: { schema: unknown; httpPart?: HttpPart }): ValidateFunction {
    const ajv = httpPart === 'body' ? body : text;
    const id = (schema as { $id?: string } | null)?.$id;
    if (id) {
      const stored = ajv.getSchema(id);
      if (stored) return stored;
    }
    const validate = ajv.compile(schema as SchemaObject);
    return httpPart === 'body' ? validate : finiteOnly(validate);
  };
}

/**
 * Coercion reads the text `Infinity` (or `-Infinity`) as a number, which ajv then takes for an integer
 * past any bound it checks; a query or path value must be a finite number.
 */
function finiteOnly(validate: ValidateFunction): ValidateFunction {
  const wrapped = ((data: unknown) => {
    if (!validate(data)) {
      wrapped.errors = validate.errors;
      return false;
    }
    if (data && typeof data === 'object') {
      for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
        for (const item of Array.isArray(value) ? value : [value]) {
          if (typeof item === 'number' && !Number.isFinite(item)) {
            wrapped.errors = [{ instancePath: `/${key}`, schemaPath: '#/type', keyword: 'type', params: { type: 'number' }, message: 'must be a finite number' }];
            return false;
          }
        }
      }
    }
    wrapped.errors = null;
    return true;
  }) as ValidateFunction;
  return Object.assign(wrapped, { schema: validate.schema, schemaEnv: validate.schemaEnv });
}

const MAX_NUL_DEPTH = 32;

/**
 * The fields of `value` (a parsed body, query or path parameters) whose strings hold a NUL character,
 * with paths in the 422 form (`items.0.name`; `fallback` for a bare string). Keys are checked too.
 */
export function nulFields(value: unknown, fallback: string): FieldError[] {
  const out: FieldError[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (typeof v === 'string') {
      if (v.includes('\u0000')) out.push({ field: path || fallback, reason: 'nul_character', message: 'El texto contiene el carácter NUL (U+0000), que no se admite' });
      return;
    }
    if (depth > MAX_NUL_DEPTH || typeof v !== 'object' || v === null || Buffer.isBuffer(v)) return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, path ? `${path}.${i}` : String(i), depth + 1));
      return;
    }
    for (const [k, item] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (k.includes('\u0000')) out.push({ field: p.replaceAll('\u0000', '\\u0000'), reason: 'nul_character', message: 'El nombre del campo contiene el carácter NUL (U+0000)' });
      else walk(item, p, depth + 1);
    }
  };
  walk(value, '', 0);
  return out;
}
