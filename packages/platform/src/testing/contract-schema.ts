/**
 * JSON Schema → fast-check arbitraries for the contract suite (docs/api-contract.md): values a document
 * declares valid, values on its edges, and values it declares invalid, for any schema a TypeBox route
 * emits (objects, arrays, unions, enums, string formats and patterns, numeric bounds). Nothing here knows
 * an endpoint: everything is read from the schema, so a new operation is fuzzed with no new code.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export type JsonSchema = boolean | SchemaObject;
// Schemas are read keyword by keyword from untyped JSON: `any` spares a cast at every keyword.
export type SchemaObject = Record<string, any>;

/** `valid`: anything the schema accepts; `boundary`: mostly edge values the schema still accepts. */
export type GenMode = 'valid' | 'boundary';

export interface SchemaContext {
  /** Resolves a `$ref` (`#/components/schemas/…`) of the document the schema comes from. */
  resolveRef(ref: string): JsonSchema | undefined;
  /** Whether a value satisfies a schema (ajv over the same document). */
  accepts(schema: JsonSchema, value: unknown): boolean;
  /** Why a value does not satisfy a schema (ajv's messages with their paths); empty when it does. */
  errors(schema: JsonSchema, value: unknown): string[];
  /** Why ajv cannot compile a schema (such a schema accepts everything above); undefined when it can. */
  compileError(schema: JsonSchema): string | undefined;
}

/** An ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses) that knows the formats; `strict: false` ignores OpenAPI's own keywords and x-*. */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true, allowUnionTypes: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv;
}

/** A context over a document's components (refs `#/components/schemas/X`), validators compiled once. */
export function schemaContext(doc: SchemaObject = {}, ajv: Ajv2020 = createAjv()): SchemaContext {
  const compiled = new WeakMap<object, ValidateFunction | null>();
  const compileErrors = new WeakMap<object, string>();
  const docId = 'contract:document';
  if (!ajv.getSchema(docId)) ajv.addSchema({ $id: docId, components: doc.components ?? {} } as SchemaObject);
  const resolveRef = (ref: string): JsonSchema | undefined => {
    if (!ref.startsWith('#/')) return undefined;
    let node: unknown = doc;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!node || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node as JsonSchema | undefined;
  };
  const validatorOf = (schema: SchemaObject): ValidateFunction | null => {
    let fn = compiled.get(schema);
    if (fn === undefined) {
      try {
        fn = ajv.compile(rebaseRefs(schema, docId) as SchemaObject);
      } catch (err) {
        // A schema ajv cannot compile cannot judge anything: every value passes it (and compileError says so).
        fn = null;
        compileErrors.set(schema, (err as Error).message.split('\n')[0]);
      }
      compiled.set(schema, fn);
    }
    return fn;
  };
  return {
    resolveRef,
    accepts(schema, value) {
      if (typeof schema === 'boolean') return schema;
      const fn = validatorOf(schema);
      return fn ? (fn(value) as boolean) : true;
    },
    compileError(schema) {
      if (typeof schema === 'boolean') return undefined;
      validatorOf(schema);
      return compileErrors.get(schema);
    },
    errors(schema, value) {
      if (typeof schema === 'boolean') return schema ? [] : ['false schema'];
      const fn = validatorOf(schema);
      if (!fn || fn(value)) return [];
      return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}`);
    },
  };
}

/** Local refs of a document made absolute, so a sub-schema compiles on its own against the document. */
export function rebaseRefs(schema: unknown, docId: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => rebaseRefs(s, docId));
  if (!schema || typeof schema !== 'object') return schema;
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) out[k] = `${docId}${v}`;
    else if (k === '$id') continue;
    else out[k] = rebaseRefs(v, docId);
  }
  return out;
}

const MAX_DEPTH = 6;
/** Upper bounds the generator keeps to, so one request stays small when the schema sets none. */
const DEFAULT_MAX_STRING = 40;
const DEFAULT_MAX_ITEMS = 4;
/** The longest array a boundary value builds (a `maxItems: 5000` list is tried at 1 000). */
const BOUNDARY_MAX_ITEMS = 1000;
/** The longest string a boundary value builds when the schema sets no maximum. */
const BOUNDARY_LONG_STRING = 5000;

function deref(schema: JsonSchema, ctx: SchemaContext, depth = 0): JsonSchema {
  if (typeof schema === 'object' && typeof schema.$ref === 'string' && depth < 20) {
    const target = ctx.resolveRef(schema.$ref);
    if (target !== undefined) return deref(target, ctx, depth + 1);
  }
  return schema;
}

/** The JSON types a schema allows (inferred from its keywords when `type` is absent). */
export function schemaTypes(schema: SchemaObject): string[] {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if (schema.properties || schema.additionalProperties !== undefined || schema.required) return ['object'];
  if (schema.items) return ['array'];
  if (schema.pattern !== undefined || schema.format !== undefined || schema.minLength !== undefined || schema.maxLength !== undefined) return ['string'];
  if (schema.minimum !== undefined || schema.maximum !== undefined) return ['number'];
  return [];
}

function codePoints(s: string): number {
  return [...s].length;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** An instant written at a given offset (minutes east of UTC), RFC 3339. */
export function formatAtOffset(date: Date, offsetMinutes: number, fraction = ''): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const y = String(local.getUTCFullYear()).padStart(4, '0');
  const base = `${y}-${pad2(local.getUTCMonth() + 1)}-${pad2(local.getUTCDate())}T${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())}${fraction}`;
  if (offsetMinutes === 0) return `${base}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${base}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

const dateArb = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });

const dateTimeArb = fc
  .tuple(dateArb, fc.constantFrom(0, 0, -300, 330, 60, -180), fc.constantFrom('', '', '.000', '.5', '.123456'))
  .map(([d, off, frac]) => formatAtOffset(d, off, frac));

const localDateArb = dateArb.map((d) => d.toISOString().slice(0, 10));

/** Edge instants: every one is RFC 3339; the last ones are what a parser takes and PostgreSQL may not. */
export const DATE_TIME_EDGES = [
  '1970-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2024-02-29T23:59:59.999999+15:59',
  '2026-01-01T00:00:00-15:59',
  '2026-03-08T05:00:00.123456789Z',
  '2026-01-01t00:00:00z',
  '2026-01-01T00:00:00-16:16',
  '2026-12-31T23:59:60Z',
  '2026-01-01T00:00:00+23:59',
];
export const DATE_EDGES = ['0001-01-01', '9999-12-31', '2024-02-29', '1970-01-01'];
/** Strings on the edge of every textual field: control characters, NUL, scripts, quotes, whitespace. */
export const STRING_EDGES = ['a\u0000b', '\u0000', ' ', '   ', 'ñandú ÁÉÍÓÚ', '😀👩‍👩‍👧', 'ﷺ\u202e', "'; DROP TABLE x;--", '%00', '\\', '\r\n', '<script>'];

function formatArb(format: string): fc.Arbitrary<string> | undefined {
  switch (format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return dateTimeArb;
    case 'date':
      return localDateArb;
    case 'time':
      return fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map(([h, m, s]) => `${pad2(h)}:${pad2(m)}:${pad2(s)}Z`);
    case 'email':
      return fc.oneof(
        fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._]{0,20}[a-z0-9]$/), fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/)).map(([l, d]) => `${l}@${d}.test`),
        fc.emailAddress(),
      );
    case 'uri':
    case 'url':
      return fc.webUrl();
    case 'ipv4':
      return fc.ipV4();
    case 'ipv6':
      return fc.ipV6();
    case 'hostname':
      return fc.domain();
    case 'byte':
      return fc.base64String({ maxLength: 64 });
    default:
      return undefined;
  }
}

function formatEdges(format: string | undefined): string[] {
  switch (format) {
    case 'date-time':
      return DATE_TIME_EDGES;
    case 'date':
      return DATE_EDGES;
    case 'uuid':
      return ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF'];
    case 'email':
      return [`${'a'.repeat(64)}@${'b'.repeat(60)}.test`, 'a@b.co', 'Nombre.Apellido+tag@sena.edu.co'];
    default:
      return [];
  }
}

/** A regular expression fast-check can generate from, or undefined. */
function patternArb(pattern: string): fc.Arbitrary<string> | undefined {
  // JSON Schema patterns are ECMA-262 with Unicode semantics (ajv compiles them with `u`): `\p{L}` is a
  // letter class only with the flag. A pattern the `u` mode refuses is tried without it.
  for (const flags of ['u', '']) {
    try {
      return fc.stringMatching(new RegExp(pattern, flags));
    } catch {
      // next
    }
  }
  return undefined;
}

/** Keeps values the predicate accepts; others are replaced by a fallback (never loops like `.filter`). */
function keepOr<T>(arb: fc.Arbitrary<T>, ok: (v: T) => boolean, fallback: fc.Arbitrary<T> | undefined): fc.Arbitrary<T> {
  if (!fallback) return arb;
  return fc.tuple(arb, fallback).map(([v, f]) => (ok(v) ? v : f));
}

function stringArb(schema: SchemaObject, mode: GenMode, ctx: SchemaContext): fc.Arbitrary<string> {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const declaredMax = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  const max = Math.max(min, Math.min(declaredMax ?? DEFAULT_MAX_STRING, Math.max(min, 200)));
  const lengthOk = (s: string) => codePoints(s) >= min && (declaredMax === undefined || codePoints(s) <= declaredMax);
  const accepts = (s: string) => ctx.accepts(schema, s);
  const plain = fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme-ascii' }) },
    { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'grapheme' }) },
  );
  const safePlain = keepOr(plain, lengthOk, fc.string({ minLength: min, maxLength: max, unit: 'grapheme-ascii' }));
  let base: fc.Arbitrary<string>;
  const format = typeof schema.format === 'string' ? formatArb(schema.format) : undefined;
  const pattern = typeof schema.pattern === 'string' ? patternArb(schema.pattern) : undefined;
  if (format) base = keepOr(format, accepts, pattern ? keepOr(pattern, accepts, undefined) : format);
  else if (pattern) base = keepOr(pattern, accepts, pattern);
  else base = safePlain;
  if (mode === 'valid') return base;
  const edges = [
    ...formatEdges(schema.format),
    ...STRING_EDGES,
    'x'.repeat(Math.max(1, min)),
    declaredMax !== undefined ? 'x'.repeat(declaredMax) : 'x'.repeat(BOUNDARY_LONG_STRING),
    declaredMax !== undefined ? 'ñ'.repeat(declaredMax) : 'ñ'.repeat(300),
    '',
  ].filter(accepts);
  return edges.length > 0 ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...edges) }, { weight: 1, arbitrary: base }) : base;
}

function numericBounds(schema: SchemaObject, integer: boolean): { min?: number; max?: number } {
  let min: number | undefined = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  let max: number | undefined = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if (typeof schema.exclusiveMinimum === 'number') min = integer ? Math.floor(schema.exclusiveMinimum) + 1 : schema.exclusiveMinimum;
  if (typeof schema.exclusiveMaximum === 'number') max = integer ? Math.ceil(schema.exclusiveMaximum) - 1 : schema.exclusiveMaximum;
  return { min, max };
}

/** Numbers on the edge of every numeric field: the declared bounds, the int4/int8/double limits. */
export const NUMBER_EDGES = [0, -1, 1, 2147483647, 2147483648, -2147483649, 9007199254740991, 1e21, -1e21, 1e300, 0.5, -0.5, 5e-324];

function integerArb(schema: SchemaObject, mode: GenMode, ctx: SchemaContext): fc.Arbitrary<number> {
  const { min, max } = numericBounds(schema, true);
  const lo = min ?? (max !== undefined ? max - 1000 : -1000);
  const hi = max ?? (min !== undefined ? min + 1000 : 1000);
  const safe = (n: number) => Math.max(Number.MIN_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
  let base = fc.integer({ min: safe(Math.ceil(lo)), max: safe(Math.floor(Math.max(lo, hi))) });
  if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) base = base.map((n) => Math.round(n / schema.multipleOf) * schema.multipleOf);
  if (mode === 'valid') return base;
  const edges = [...new Set([min, max, min !== undefined ? min + 1 : undefined, max !== undefined ? max - 1 : undefined, ...NUMBER_EDGES])]
    .filter((n): n is number => n !== undefined && Number.isInteger(n))
    .filter((n) => ctx.accepts(schema, n));
  return edges.length > 0 ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...edges) }, { weight: 1, arbitrary: base }) : base;
}

function numberArb(schema: SchemaObject, mode: GenMode, ctx: SchemaContext): fc.Arbitrary<number> {
  const { min, max } = numericBounds(schema, false);
  const base = fc.double({ min: min ?? -1e6, max: max ?? 1e6, noNaN: true, noDefaultInfinity: true });
  if (mode === 'valid') return base;
  const edges = [...new Set([min, max, ...NUMBER_EDGES])].filter((n): n is number => n !== undefined).filter((n) => ctx.accepts(schema, n));
  return edges.length > 0 ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...edges) }, { weight: 1, arbitrary: base }) : base;
}

function arrayArb(schema: SchemaObject, mode: GenMode, ctx: SchemaContext, depth: number): fc.Arbitrary<unknown[]> {
  const itemSchema: JsonSchema = Array.isArray(schema.prefixItems) ? (schema.items ?? true) : (schema.items ?? true);
  const item = schemaArbitrary(itemSchema, mode, ctx, depth + 1);
  const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const declaredMax = typeof schema.maxItems === 'number' ? schema.maxItems : undefined;
  const maxLength = Math.max(minItems, Math.min(declaredMax ?? DEFAULT_MAX_ITEMS, DEFAULT_MAX_ITEMS));
  const build = (minLength: number, maxLen: number) =>
    schema.uniqueItems
      ? fc.uniqueArray(item, { minLength, maxLength: maxLen, selector: (v) => JSON.stringify(v) })
      : fc.array(item, { minLength, maxLength: maxLen });
  const base = build(minItems, maxLength);
  if (mode === 'valid') return base;
  const top = Math.min(declaredMax ?? 50, BOUNDARY_MAX_ITEMS);
  // The longest list uses the valid item generator: a 1 000-item list of edge strings is all noise.
  const longest = schema.uniqueItems
    ? fc.uniqueArray(schemaArbitrary(itemSchema, 'valid', ctx, depth + 1), { minLength: Math.min(top, minItems), maxLength: top, selector: (v) => JSON.stringify(v) })
    : fc.array(schemaArbitrary(itemSchema, 'valid', ctx, depth + 1), { minLength: top, maxLength: top });
  return fc.oneof(base, build(minItems, minItems), longest);
}

function objectArb(schema: SchemaObject, mode: GenMode, ctx: SchemaContext, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, sub] of Object.entries(props)) model[key] = schemaArbitrary(sub, mode, ctx, depth + 1);
  // A required key the schema does not describe still has to be there.
  for (const key of required) model[key] ??= fc.jsonValue({ maxDepth: 1 });
  const record = fc.record(model, { requiredKeys: [...required] });
  const extra = schema.additionalProperties;
  const patterns = schema.patternProperties as Record<string, JsonSchema> | undefined;
  let extras: fc.Arbitrary<Record<string, unknown>> | undefined;
  if (patterns && Object.keys(patterns).length > 0) {
    const [pattern, sub] = Object.entries(patterns)[0];
    const key = patternArb(pattern) ?? fc.string({ minLength: 1, maxLength: 10 });
    extras = fc.dictionary(key.filter((k) => !(k in props)), schemaArbitrary(sub, mode, ctx, depth + 1), { maxKeys: 3 });
  } else if (extra && typeof extra === 'object' && Object.keys(props).length === 0) {
    extras = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/), schemaArbitrary(extra, mode, ctx, depth + 1), { maxKeys: 3 });
  }
  if (!extras) return record as fc.Arbitrary<Record<string, unknown>>;
  return fc.tuple(record, extras).map(([r, e]) => ({ ...e, ...(r as Record<string, unknown>) }));
}

function mergeAllOf(schema: SchemaObject, ctx: SchemaContext): SchemaObject {
  const parts = (schema.allOf as JsonSchema[]).map((p) => deref(p, ctx)).filter((p): p is SchemaObject => typeof p === 'object');
  const { allOf: _ignored, ...rest } = schema;
  const merged: SchemaObject = { ...rest };
  for (const p of parts) {
    for (const [k, v] of Object.entries(p)) {
      if (k === 'properties') merged.properties = { ...(merged.properties ?? {}), ...v };
      else if (k === 'required') merged.required = [...new Set([...(merged.required ?? []), ...v])];
      else merged[k] ??= v;
    }
  }
  return merged;
}

/** Values the schema accepts (`valid`), or mostly its edge values (`boundary`). */
export function schemaArbitrary(schema: JsonSchema, mode: GenMode, ctx: SchemaContext, depth = 0): fc.Arbitrary<unknown> {
  if (depth > MAX_DEPTH) return fc.constant(null);
  const s = deref(schema, ctx);
  if (s === true || (typeof s === 'object' && Object.keys(s).filter((k) => !/^(description|title|x-|default|examples?)/.test(k)).length === 0)) {
    return fc.jsonValue({ maxDepth: 2 });
  }
  if (s === false) return fc.constant(undefined);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum) && s.enum.length > 0) return fc.constantFrom(...(s.enum as unknown[]));
  if (Array.isArray(s.allOf)) return schemaArbitrary(mergeAllOf(s, ctx), mode, ctx, depth);
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(union) && union.length > 0) {
    const { anyOf: _a, oneOf: _o, ...shared } = s;
    const branches = union.map((b) => {
      const d = deref(b, ctx);
      return schemaArbitrary(typeof d === 'object' ? { ...shared, ...d } : d, mode, ctx, depth + 1);
    });
    return fc.oneof(...branches);
  }
  const types = schemaTypes(s);
  if (types.length > 1) return fc.oneof(...types.map((t) => schemaArbitrary({ ...s, type: t }, mode, ctx, depth)));
  switch (types[0]) {
    case 'string':
      return stringArb(s, mode, ctx);
    case 'integer':
      return integerArb(s, mode, ctx);
    case 'number':
      return numberArb(s, mode, ctx);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayArb(s, mode, ctx, depth);
    case 'object':
      return objectArb(s, mode, ctx, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * Values the schema refuses, each picked because ajv says the schema refuses it: wrong types, one past
 * each bound, broken formats and patterns, values outside an enum, a missing required key, an unknown key
 * where `additionalProperties` is false. Empty when the schema accepts anything.
 */
export function invalidCandidates(schema: JsonSchema, ctx: SchemaContext): unknown[] {
  const s = deref(schema, ctx);
  if (typeof s !== 'object') return s === false ? [null, 'x'] : [];
  const out: unknown[] = [null, 'x', '', 12345, -1, 1.5, true, false, {}, [], 'true', 'null', '1'];
  const types = schemaTypes(s);
  const num = numericBounds(s, types.includes('integer'));
  if (num.min !== undefined) out.push(num.min - 1, num.min - 0.5, String(num.min - 1));
  if (num.max !== undefined) out.push(num.max + 1, num.max + 0.5, String(num.max + 1));
  // 2^63 (past int8) as the double it becomes in JSON.
  out.push(1e21, -1e21, 2147483648, 2 ** 63, '1e+21', '2e21', '9'.repeat(30), 'NaN', 'Infinity', '-0');
  if (typeof s.maxLength === 'number') out.push('x'.repeat(s.maxLength + 1), 'ñ'.repeat(s.maxLength + 1));
  if (typeof s.minLength === 'number' && s.minLength > 0) out.push('x'.repeat(s.minLength - 1));
  out.push(...STRING_EDGES, 'x'.repeat(BOUNDARY_LONG_STRING));
  out.push('not-a-uuid', '00000000-0000-0000-0000-00000000000g', '2026-02-30', '10000-01-01', '2026-1-1', '2026-13-01T00:00:00Z', '2026-01-01', '24:00', '9:99');
  out.push(...DATE_TIME_EDGES, '10000-01-01T00:00:00Z', '2026-01-01T00:00:00', 'no-at-sign', 'a@', '@b.co');
  if (Array.isArray(s.enum)) out.push(...s.enum.map((e: unknown) => (typeof e === 'string' ? `${e}x` : String(e))), ...s.enum.map((e: unknown) => (typeof e === 'string' ? e.toUpperCase() : e)));
  if (typeof s.maxItems === 'number') out.push(Array.from({ length: s.maxItems + 1 }, () => 'x'));
  if (types.includes('array')) out.push(['x'], [null], [{}], [1e21]);
  if (types.includes('object') || s.properties) {
    const props = (s.properties ?? {}) as Record<string, JsonSchema>;
    const required: string[] = Array.isArray(s.required) ? s.required : [];
    const sample: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(props)) {
      const v = firstValid(sub, ctx);
      if (v !== undefined) sample[k] = v;
    }
    for (const key of required) {
      const { [key]: _drop, ...rest } = sample;
      out.push(rest);
    }
    out.push({ ...sample, unexpected_field: 'x' });
  }
  return dedupe(out).filter((v) => !ctx.accepts(s, v));
}

function dedupe(values: unknown[]): unknown[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = JSON.stringify(v) ?? String(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One deterministic value the schema accepts (default, enum, first example, or a sample), if any. */
export function firstValid(schema: JsonSchema, ctx: SchemaContext): unknown {
  const s = deref(schema, ctx);
  if (typeof s !== 'object') return s ? null : undefined;
  for (const candidate of [s.default, s.const, Array.isArray(s.enum) ? s.enum[0] : undefined, Array.isArray(s.examples) ? s.examples[0] : undefined]) {
    if (candidate !== undefined && ctx.accepts(s, candidate)) return candidate;
  }
  const samples = fc.sample(schemaArbitrary(s, 'valid', ctx), { seed: 1, numRuns: 20 });
  return samples.find((v) => ctx.accepts(s, v)) ?? samples[0];
}

/** Values the schema refuses, as an arbitrary (undefined when it refuses nothing we can build). */
export function invalidArbitrary(schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown> | undefined {
  const candidates = invalidCandidates(schema, ctx);
  return candidates.length > 0 ? fc.constantFrom(...candidates) : undefined;
}

export { deref as dereference };
