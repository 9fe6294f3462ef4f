/**
 * The API contract suite (issue 10, 00-conventions §2–§4, docs/api-contract.md), generated from a
 * service's OpenAPI document with no per-endpoint code:
 * - a property-based fuzz of every operation (fast-check, fixed seed, bounded runs) with valid, boundary
 *   and invalid inputs built from its parameter and body schemas, asserting no 5xx, only documented
 *   statuses and media types, bodies valid against the documented schema, and a database left unchanged
 *   by every refused (4xx) request;
 * - the role matrix: every operation called with each role's token and with none answers 401/403 exactly
 *   where its `x-roles` says (operations without `x-roles` are listed, not failed), and authorization is
 *   decided before validation (a refused caller never gets a 422 for a bad input).
 * The harness talks to a target (an app's `inject`, its tokens, a fingerprint of its data), so the same
 * checks run on a real service (contract-target.ts) and on the planted defects of its self-test.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import fc from 'fast-check';
import { ROLES, type Role } from '../roles.ts';
import { checkAnswer, contractOperations, errorCode, errorDetails, type Answer, type ContractOperation, type ContractParam } from './contract-openapi.ts';
import {
  firstValid,
  invalidCandidates,
  schemaArbitrary,
  schemaContext,
  schemaTypes,
  dereference,
  type GenMode,
  type JsonSchema,
  type SchemaContext,
  type SchemaObject,
} from './contract-schema.ts';

export { contractOperations, type ContractOperation } from './contract-openapi.ts';

/** Who calls: a role's token, or no token at all. */
export type Principal = Role | 'none';
export const PRINCIPALS: readonly Principal[] = [...ROLES, 'none'];

/** A light-my-request answer, as much of it as the harness reads. */
export interface InjectResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  stream(): Readable;
}

/** What the harness needs from a running service. */
export interface ContractTarget {
  name: string;
  /** The service's OpenAPI document (`/docs/json`). */
  doc: SchemaObject;
  /** `app.inject`; the harness always asks for `payloadAsStream` so an event stream cannot hang it. */
  inject(opts: InjectOptions): Promise<InjectResponse>;
  /**
   * A fresh bearer token for a role (claims fit for the role: an aprendiz carries a ficha). Fresh per
   * request: a fuzzed logout revokes only the token it was sent with. `person` 2: another person of the
   * same role (the object-level cases); a target without a second person ignores it.
   */
  token(role: Role, person?: 1 | 2): Promise<string>;
  /** The callers' own account ids: never used as a path id, so the fuzz cannot deactivate its own caller. */
  principalIds?: readonly string[];
  /** What the service's own tables have been written so far, by table (any value that changes with a write); absent: not checked. */
  fingerprint?(): Promise<Record<string, string>>;
  /** Tables written by every request or in the background (request logs, probes): left out of the comparison. */
  ambientTables?: readonly string[];
  /** What the server logged for a request id that ended in a 5xx (the cause of a 500). */
  errorFor?(requestId: string): string | undefined;
}

export type FindingKind =
  | 'server-error'
  | 'undocumented-status'
  | 'content-type-mismatch'
  | 'schema-mismatch'
  | 'db-changed-on-refusal'
  | 'role-not-honoured'
  | 'validation-before-authorization'
  | 'object-level-leak'
  | 'no-answer';

export const FINDING_KINDS: readonly FindingKind[] = [
  'server-error',
  'undocumented-status',
  'content-type-mismatch',
  'schema-mismatch',
  'db-changed-on-refusal',
  'role-not-honoured',
  'validation-before-authorization',
  'object-level-leak',
  'no-answer',
];

export interface ContractFinding {
  operation: string;
  kind: FindingKind;
  /** What was wrong, stable across inputs (the dedupe key with `operation` and `kind`). */
  detail: string;
  status?: number;
  principal: Principal;
  /** The first request that showed it: method, URL and body. */
  input: string;
  /** What that request was built to test: the broken input of an `invalid` one, the edge of an edge request. */
  note?: string;
  /** `valid`/`boundary`/`invalid` as generated, and whether the document accepts the input. */
  mode: InputMode | 'matrix';
  documentedValid?: boolean;
  /** The server's logged reason for a 5xx, when the target captures it. */
  cause?: string;
  /** How many requests showed it. */
  count: number;
}

export interface OperationReport {
  operation: string;
  /** `x-roles` as documented; undefined when the operation does not declare it. */
  roles?: string[];
  /** The status each principal got with the same valid input. */
  matrix: Partial<Record<Principal, number>>;
  /** Who the fuzz called as (admin unless the operation refuses admin). */
  fuzzPrincipal: Principal;
  /** Fuzz answers by status. */
  statuses: Record<string, number>;
  runs: number;
  findings: ContractFinding[];
  ms: number;
}

export interface ServiceReport {
  service: string;
  operations: OperationReport[];
  /** Operations whose document has no `x-roles` (reported, not failed, until the services declare them). */
  withoutRoles: string[];
  ambientTables: string[];
  /** Why the service was not checked (it failed to build). */
  skipped?: string;
}

export interface ContractOptions {
  /** Fuzz requests per operation (default `CONTRACT_RUNS` or 25). */
  runs?: number;
  /** The seed every operation's seed derives from (default `CONTRACT_SEED` or 20260310). */
  seed?: number;
  /** Longest wait for one answer's headers and body. */
  timeoutMs?: number;
}

export const DEFAULT_SEED = 20260310;
export const DEFAULT_RUNS = 25;

export function contractOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Required<ContractOptions> {
  const runs = Number(env.CONTRACT_RUNS);
  const seed = Number(env.CONTRACT_SEED);
  return {
    runs: Number.isInteger(runs) && runs > 0 ? runs : DEFAULT_RUNS,
    seed: Number.isInteger(seed) ? seed : DEFAULT_SEED,
    timeoutMs: 10_000,
  };
}

/** A stable 31-bit seed for one operation, so adding an operation does not reshuffle the others. */
export function operationSeed(seed: number, operation: string): number {
  return createHash('sha256').update(`${seed}:${operation}`).digest().readUInt32BE(0) & 0x7fffffff;
}

// ───────────────────────────── requests ─────────────────────────────

export type InputMode = 'valid' | 'boundary' | 'invalid';

/** A path parameter resolved when the request is sent: an id a previous answer returned, if any. */
interface HarvestPick {
  harvest: number;
  fallback: unknown;
}

export interface GeneratedRequest {
  mode: InputMode;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  /** `raw` is sent as is (malformed JSON, a wrong media type). */
  body?: { contentType: string; value?: unknown; raw?: string };
  /** Which input was made invalid, for `invalid` requests. */
  mutation?: string;
}

function isHarvest(v: unknown): v is HarvestPick {
  return typeof v === 'object' && v !== null && 'harvest' in v && 'fallback' in v;
}

/** The body media type the harness sends: JSON first, then forms, then whatever is documented. */
function bodyType(op: ContractOperation): string | undefined {
  const types = Object.keys(op.body?.content ?? {});
  return types.find((t) => /json/i.test(t)) ?? types.find((t) => /multipart\/form-data/i.test(t)) ?? types.find((t) => /x-www-form-urlencoded/i.test(t)) ?? types[0];
}

function paramArb(param: ContractParam, mode: GenMode, ctx: SchemaContext): fc.Arbitrary<unknown> {
  const arb = schemaArbitrary(param.schema, mode, ctx);
  if (param.in === 'path') {
    // A path segment is never empty (the route would not match): an empty value stands for "x".
    const segment = arb.map((v) => (v === '' || v === undefined || v === null ? 'x' : v));
    return fc.oneof({ weight: 1, arbitrary: segment }, { weight: 2, arbitrary: fc.tuple(fc.nat(), segment).map(([harvest, fallback]): HarvestPick => ({ harvest, fallback })) });
  }
  if (param.in === 'header') return arb.map((v) => headerSafe(v));
  return arb;
}

function headerSafe(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  // Header values cannot carry control characters or non-Latin-1 text: light-my-request throws on them.
  return s.replace(/[^\t\x20-\x7e]/g, '?');
}

function paramsArb(op: ContractOperation, mode: GenMode, ctx: SchemaContext): fc.Arbitrary<Pick<GeneratedRequest, 'path' | 'query' | 'header'>> {
  const parts: Record<'path' | 'query' | 'header', Record<string, fc.Arbitrary<unknown>>> = { path: {}, query: {}, header: {} };
  for (const p of op.params) {
    const arb = paramArb(p, mode, ctx);
    // fc.option's nil weighs 1 against freq − 1: optional inputs present half the time, 80 % at the edges.
    parts[p.in][p.name] = p.required ? arb : fc.option(arb, { nil: undefined, freq: mode === 'boundary' ? 5 : 2 });
  }
  return fc.record({ path: fc.record(parts.path), query: fc.record(parts.query), header: fc.record(parts.header) });
}

function bodyArb(op: ContractOperation, mode: GenMode, ctx: SchemaContext): fc.Arbitrary<GeneratedRequest['body']> {
  const type = bodyType(op);
  if (!op.body || !type) return fc.constant(undefined);
  const value = schemaArbitrary(op.body.content[type], mode, ctx).map((v) => ({ contentType: type, value: v }));
  return op.body.required ? value : fc.option(value, { nil: undefined, freq: 5 });
}

/** Requests the document declares valid (`valid`), or built mostly from edge values (`boundary`). */
export function validRequestArbitrary(op: ContractOperation, mode: GenMode, ctx: SchemaContext): fc.Arbitrary<GeneratedRequest> {
  return fc.tuple(paramsArb(op, mode, ctx), bodyArb(op, mode, ctx)).map(([params, body]) => ({ mode, ...params, ...(body ? { body } : {}) }));
}

/** One input of an operation that can be made invalid, and how. */
interface MutationSite {
  label: string;
  /** Breaks the request's syntax (malformed JSON, another media type) rather than a schema. */
  syntactic?: boolean;
  values: unknown[];
  apply(req: GeneratedRequest, value: unknown): GeneratedRequest;
}

type PointerPart = string | number;

function setAt(root: unknown, pointer: PointerPart[], value: unknown): unknown {
  if (pointer.length === 0) return value;
  const [head, ...rest] = pointer;
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...root] : [];
    arr[0] = setAt(arr[0], rest, value);
    return arr;
  }
  const obj = root && typeof root === 'object' && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  obj[head] = setAt(obj[head], rest, value);
  return obj;
}

/** Body locations worth breaking: the root and each property, three levels deep (array items through [0]). */
function bodySites(schema: JsonSchema, ctx: SchemaContext, pointer: PointerPart[] = [], depth = 0, out: Array<{ pointer: PointerPart[]; schema: JsonSchema }> = []) {
  if (out.length >= 60 || depth > 3) return out;
  out.push({ pointer, schema });
  const s = dereference(schema, ctx);
  if (typeof s !== 'object') return out;
  const branch = ((s.anyOf ?? s.oneOf) as JsonSchema[] | undefined)?.map((b) => dereference(b, ctx)).find((b): b is SchemaObject => typeof b === 'object' && schemaTypes(b).some((t) => t === 'object' || t === 'array'));
  const target = branch ?? s;
  for (const [key, sub] of Object.entries((target.properties ?? {}) as Record<string, JsonSchema>)) bodySites(sub, ctx, [...pointer, key], depth + 1, out);
  if (target.items && typeof target.items === 'object') bodySites(target.items as JsonSchema, ctx, [...pointer, 0], depth + 1, out);
  return out;
}

function mutationSites(op: ContractOperation, ctx: SchemaContext): MutationSite[] {
  const sites: MutationSite[] = [];
  for (const p of op.params) {
    let values = invalidCandidates(p.schema, ctx);
    if (p.in === 'path') values = values.filter((v) => v !== '' && v !== null);
    if (p.in === 'header') values = [...new Set(values.map(headerSafe).filter((v): v is string => v !== undefined))].filter((v) => !ctx.accepts(p.schema, v));
    if (values.length > 0) {
      sites.push({ label: `${p.in} ${p.name}`, values, apply: (req, value) => ({ ...req, [p.in]: { ...req[p.in], [p.name]: value } }) });
    }
    if (p.required && p.in !== 'path') {
      sites.push({
        label: `${p.in} ${p.name} missing`,
        values: [undefined],
        apply: (req) => {
          const { [p.name]: _drop, ...rest } = req[p.in];
          return { ...req, [p.in]: rest };
        },
      });
    }
  }
  const type = bodyType(op);
  if (op.body && type) {
    for (const site of bodySites(op.body.content[type], ctx)) {
      const values = invalidCandidates(site.schema, ctx);
      if (values.length === 0) continue;
      sites.push({
        label: `body ${site.pointer.length ? `/${site.pointer.join('/')}` : '(root)'}`,
        values,
        apply: (req, value) => ({ ...req, body: { contentType: type, value: setAt(req.body?.value, site.pointer, value) } }),
      });
    }
    if (/json/i.test(type)) {
      sites.push({ label: 'body malformed JSON', syntactic: true, values: ['{"a":', '{"a":1}}', 'nul', '\u0000'], apply: (req, raw) => ({ ...req, body: { contentType: type, raw: String(raw) } }) });
    }
    sites.push({ label: 'body media type', syntactic: true, values: ['text/plain', 'application/xml'], apply: (req, ct) => ({ ...req, body: { contentType: String(ct), raw: 'x' } }) });
    if (op.body.required) sites.push({ label: 'body missing', values: [undefined], apply: (req) => ({ ...req, body: undefined }) });
  }
  return sites;
}

/**
 * Requests with exactly one input broken (undefined when the operation takes no input at all);
 * `schemaOnly` keeps to what the schemas refuse (no malformed JSON, no foreign media type).
 */
export function invalidRequestArbitrary(op: ContractOperation, ctx: SchemaContext, opts: { schemaOnly?: boolean } = {}): fc.Arbitrary<GeneratedRequest> | undefined {
  const sites = mutationSites(op, ctx).filter((site) => !opts.schemaOnly || !site.syntactic);
  if (sites.length === 0) return undefined;
  const mutation = fc.oneof(...sites.map((site) => fc.constantFrom(...site.values).map((value) => ({ site, value }))));
  return fc.tuple(validRequestArbitrary(op, 'valid', ctx), mutation).map(([req, { site, value }]) => ({
    ...site.apply(req, value),
    mode: 'invalid' as const,
    mutation: `${site.label} = ${preview(value)}`,
  }));
}

/** The most hostile numbers, largest first: past int8, past double's exact integers, past int4. */
const HOSTILE_NUMBERS = [1e21, 9007199254740991, 2147483648, -2147483649, 1e300];
/** Texts a parser takes and PostgreSQL may not: a NUL byte, an offset past ±15:59, a leap second. */
const HOSTILE_TEXTS = ['a\u0000b', '2026-01-01T00:00:00-16:16', '2026-12-31T23:59:60Z'];

/**
 * Deterministic edge requests, sent before the random ones: for each numeric input (parameter or
 * top-level body field) one request with the most hostile number its schema accepts, then one request
 * per hostile text with every input that accepts it set to it. These are the inputs that reached the
 * database unchecked before (an unbounded `page`, a 2^53 `version`, a NUL in a lookup).
 */
export function edgeRequests(op: ContractOperation, ctx: SchemaContext, seed: number): GeneratedRequest[] {
  const [base] = fc.sample(validRequestArbitrary(op, 'valid', ctx), { seed, numRuns: 1 });
  const type = bodyType(op);
  const bodySchema = op.body && type ? dereference(op.body.content[type], ctx) : undefined;
  const bodyProps = typeof bodySchema === 'object' ? ((bodySchema.properties ?? {}) as Record<string, JsonSchema>) : {};
  const sites: Array<{ label: string; schema: JsonSchema; set(req: GeneratedRequest, v: unknown): GeneratedRequest }> = [
    ...op.params
      .filter((p) => p.in !== 'header')
      .map((p) => ({ label: `${p.in} ${p.name}`, schema: p.schema, set: (req: GeneratedRequest, v: unknown) => ({ ...req, [p.in]: { ...req[p.in], [p.name]: v } }) })),
    ...Object.entries(bodyProps).map(([key, schema]) => ({
      label: `body /${key}`,
      schema,
      set: (req: GeneratedRequest, v: unknown) => ({ ...req, body: { contentType: type!, value: { ...((req.body?.value as object | undefined) ?? {}), [key]: v } } }),
    })),
  ];
  const out: GeneratedRequest[] = [];
  for (const site of sites) {
    const hostile = HOSTILE_NUMBERS.find((n) => ctx.accepts(site.schema, n));
    if (hostile !== undefined) out.push({ ...site.set(base, hostile), mode: 'boundary', mutation: `edge: ${site.label} = ${hostile}` });
  }
  for (const text of HOSTILE_TEXTS) {
    let req: GeneratedRequest = base;
    const labels: string[] = [];
    for (const site of sites) {
      if (!ctx.accepts(site.schema, text)) continue;
      req = site.set(req, text);
      labels.push(site.label);
    }
    if (labels.length > 0) out.push({ ...req, mode: 'boundary', mutation: `edge: ${labels.join(', ')} = ${JSON.stringify(text)}` });
  }
  return out;
}

/** The fuzz's mix: 40 % valid, 30 % boundary, 30 % invalid (when the operation has inputs). */
export function requestArbitrary(op: ContractOperation, ctx: SchemaContext): fc.Arbitrary<GeneratedRequest> {
  const invalid = invalidRequestArbitrary(op, ctx);
  const valid = validRequestArbitrary(op, 'valid', ctx);
  const boundary = validRequestArbitrary(op, 'boundary', ctx);
  return invalid
    ? fc.oneof({ weight: 4, arbitrary: valid }, { weight: 3, arbitrary: boundary }, { weight: 3, arbitrary: invalid })
    : fc.oneof({ weight: 1, arbitrary: valid }, { weight: 1, arbitrary: boundary });
}

function preview(v: unknown, max = 80): string {
  let s: string;
  if (v === undefined) s = '(absent)';
  else if (typeof v === 'string') s = JSON.stringify(v);
  else s = JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
}

function serializeQueryValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null) return 'null';
  return JSON.stringify(v);
}

function serializePath(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  return encodeURIComponent(s);
}

function multipart(value: unknown): { payload: Buffer; contentType: string } {
  const boundary = `----contract${createHash('sha1').update(JSON.stringify(value) ?? '').digest('hex').slice(0, 16)}`;
  const chunks: Buffer[] = [];
  const fields = value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value as Record<string, unknown>) : [['file', value]];
  for (const [name, v] of fields) {
    if (v === undefined) continue;
    const isFile = typeof v === 'string' && (name === 'file' || v.includes('\n') || v.includes(','));
    const disposition = isFile ? `form-data; name="${name}"; filename="${name}.csv"` : `form-data; name="${name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${isFile ? 'Content-Type: text/csv\r\n' : ''}\r\n`));
    chunks.push(Buffer.from(typeof v === 'string' ? v : JSON.stringify(v) ?? ''));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Ids earlier answers returned, by collection path and field, for `{id}` path parameters. */
export class HarvestPool {
  private readonly pools = new Map<string, unknown[]>();
  private readonly excluded: ReadonlySet<unknown>;

  constructor(excluded: readonly unknown[] = []) {
    this.excluded = new Set(excluded);
  }

  /** Keeps `id`, `*_id`, `name` and `code` fields of a 2xx answer's `data` under the operation's collection. */
  collect(op: ContractOperation, body: unknown): void {
    const data = (body as { data?: unknown } | null)?.data;
    const items = Array.isArray(data) ? data.slice(0, 20) : [data];
    const collection = collectionOf(op.path);
    for (const item of items) {
      if (!item || typeof item !== 'object') continue;
      for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
        if (!(typeof value === 'string' || typeof value === 'number')) continue;
        if (key === 'id' || key.endsWith('_id') || key === 'name' || key === 'code' || key === 'version') {
          this.add(`${collection}|${key}`, value);
          this.add(`*|${key}`, value);
        }
      }
    }
  }

  private add(key: string, value: unknown): void {
    if (this.excluded.has(value)) return;
    const pool = this.pools.get(key) ?? [];
    if (!pool.includes(value)) pool.push(value);
    if (pool.length > 50) pool.shift();
    this.pools.set(key, pool);
  }

  /** A value for path parameter `name` of `path`: from its collection, then any collection's same field. */
  pick(path: string, name: string, n: number): unknown {
    const collection = path.slice(0, path.indexOf(`/{${name}}`));
    const keys = [`${collection}|${name}`, `${collection}|id`, `*|${name}`];
    for (const key of keys) {
      const pool = this.pools.get(key);
      if (pool && pool.length > 0) return pool[n % pool.length];
    }
    return undefined;
  }
}

/** The collection an operation's answers belong to: its path without a trailing `/{param}`. */
function collectionOf(path: string): string {
  return path.replace(/\/\{[^}]+\}$/, '');
}

export interface BuiltRequest {
  options: InjectOptions;
  /** `METHOD url` and a body preview, for reports. */
  display: string;
}

/** The inject options of a generated request (path values resolved against the harvested ids). */
export function buildRequest(op: ContractOperation, req: GeneratedRequest, harvest: HarvestPool | undefined, token: string | undefined, requestId: string): BuiltRequest {
  let url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    let v = req.path[name];
    if (isHarvest(v)) v = harvest?.pick(op.path, name, v.harvest) ?? v.fallback;
    return serializePath(v === undefined ? 'x' : v);
  });
  const qs: string[] = [];
  for (const [k, v] of Object.entries(req.query)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) qs.push(`${encodeURIComponent(k)}=${encodeURIComponent(serializeQueryValue(item))}`);
  }
  if (qs.length > 0) url += `?${qs.join('&')}`;
  const headers: Record<string, string> = { 'x-request-id': requestId };
  for (const [k, v] of Object.entries(req.header)) {
    const h = headerSafe(v);
    if (h !== undefined) headers[k.toLowerCase()] = h;
  }
  if (token) headers.authorization = `Bearer ${token}`;
  let payload: string | Buffer | undefined;
  let shown = '';
  if (req.body) {
    const { contentType } = req.body;
    if (req.body.raw !== undefined) {
      payload = req.body.raw;
      headers['content-type'] = contentType;
    } else if (req.body.value !== undefined) {
      if (/multipart\/form-data/i.test(contentType)) {
        const m = multipart(req.body.value);
        payload = m.payload;
        headers['content-type'] = m.contentType;
      } else if (/x-www-form-urlencoded/i.test(contentType)) {
        const form = new URLSearchParams();
        for (const [k, v] of Object.entries((req.body.value ?? {}) as Record<string, unknown>)) if (v !== undefined) form.append(k, serializeQueryValue(v));
        payload = form.toString();
        headers['content-type'] = contentType;
      } else {
        payload = JSON.stringify(req.body.value);
        headers['content-type'] = /json/i.test(contentType) ? 'application/json' : contentType;
      }
    }
    if (payload !== undefined) shown = ` ${headers['content-type'].split(';')[0]} ${preview(Buffer.isBuffer(payload) ? payload.toString('utf8') : payload, 300)}`;
  }
  const options: InjectOptions = { method: op.method as InjectOptions['method'], url, headers, ...(payload !== undefined ? { payload } : {}) };
  return { options, display: `${op.method} ${url.length > 300 ? `${url.slice(0, 300)}…` : url}${shown}` };
}

// ───────────────────────────── answers ─────────────────────────────

/** Sends a request and reads its answer, giving up on the body of an endless stream after `streamMs`. */
export async function send(target: ContractTarget, options: InjectOptions, timeoutMs: number, streamMs = 50): Promise<Answer | { error: string }> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ error: string }>((resolve) => {
    timer = setTimeout(() => resolve({ error: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    const answered = await Promise.race([
      target.inject({ ...options, payloadAsStream: true, signal: abort.signal } as InjectOptions).then(
        (res) => res,
        (err: unknown) => ({ error: `inject failed: ${(err as Error).message}` }),
      ),
      deadline,
    ]);
    if ('error' in answered) return answered;
    const contentType = headerValue(answered.headers['content-type']);
    const endless = /text\/event-stream/i.test(contentType ?? '');
    const body = await Promise.race([
      readAll(answered.stream()),
      deadline.then(() => null),
      ...(endless ? [new Promise<null>((resolve) => setTimeout(() => resolve(null), streamMs))] : []),
    ]);
    if (body === null && !endless) return { error: `body not finished within ${timeoutMs} ms` };
    return { status: answered.statusCode, contentType, body: body ?? '' };
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

function headerValue(v: string | string[] | number | undefined): string | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : String(v);
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += buf.length;
      // A multi-megabyte export is checked by its media type; only its first 4 MB are parsed.
      if (size <= 4 * 1024 * 1024) chunks.push(buf);
    }
  } catch {
    // Aborted by the caller (an endless stream): what arrived is the body.
  }
  return Buffer.concat(chunks).toString('utf8');
}

function diffTables(before: Record<string, string>, after: Record<string, string>, ignore: ReadonlySet<string>): string[] {
  const tables = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...tables].filter((t) => !ignore.has(t) && before[t] !== after[t]).sort();
}

/** The 401 codes of a missing or unusable token (00-conventions §2); a login's wrong password is not one. */
export const AUTHENTICATION_CODES: ReadonlySet<string> = new Set(['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'INVALID_TOKEN', 'TOKEN_REVOKED']);

/**
 * Whether an answer refuses the caller as such: a 401 for the token, or a 403 naming the roles required
 * (the guard's refusal; an object-level 403 names none).
 */
export function isRoleRefusal(answer: Answer): boolean {
  if (answer.status === 401) {
    const code = errorCode(answer);
    return code === undefined || AUTHENTICATION_CODES.has(code);
  }
  return answer.status === 403 && errorDetails(answer)?.required_roles !== undefined;
}

// ───────────────────────────── the run ─────────────────────────────

export interface ContractRun {
  operations: ContractOperation[];
  /** The fuzz and the role matrix of one operation; findings are also kept for `report()`. */
  check(op: ContractOperation): Promise<OperationReport>;
  /** The object-level cases over every `{id}` path (run after the operations, which leave rows to own). */
  checkObjectLevel(): Promise<OperationReport>;
  report(): ServiceReport;
}

/** A run over a target's document: operations in order, sharing harvested ids and the last fingerprint. */
export function createContractRun(target: ContractTarget, options: ContractOptions = {}): ContractRun {
  const opts = { ...contractOptionsFromEnv(), ...options };
  const ctx = schemaContext(target.doc);
  const operations = contractOperations(target.doc);
  const harvest = new HarvestPool(target.principalIds);
  const reports: OperationReport[] = [];
  let sequence = 0;
  let lastPrint: Record<string, string> | undefined;
  let settleNext = false;
  let tokens: Partial<Record<Role, string>> = {};
  const ambient = new Set(target.ambientTables ?? []);

  /** The fingerprint once the service is quiet: unchanged over two reads 25 ms apart (at most 1 s). */
  async function quietPrint(): Promise<Record<string, string> | undefined> {
    if (!target.fingerprint) return undefined;
    let print = await target.fingerprint();
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const again = await target.fingerprint();
      // Ambient tables (a request log, a poller's) never settle: only the others count.
      if (diffTables(print, again, ambient).length === 0) return again;
      print = again;
    }
    return print;
  }

  /**
   * Of the tables that changed across a refused request, those that then stay still for 150 ms: a table
   * still moving is background work (a queue, a poller) that happened to land during the request.
   */
  async function stillTables(changed: string[], after: Record<string, string>, ignore: ReadonlySet<string>): Promise<{ changed: string[]; after: Record<string, string> }> {
    await new Promise((r) => setTimeout(r, 150));
    const later = await target.fingerprint!();
    const moving = new Set(diffTables(after, later, ignore));
    // Learnt: a table that moves on its own is ambient for the rest of the run.
    for (const t of moving) ambient.add(t);
    return { changed: changed.filter((t) => !moving.has(t)), after: later };
  }

  async function call(op: ContractOperation, req: GeneratedRequest, principal: Principal, mode: ContractFinding['mode'], findings: Map<string, ContractFinding>, person: 1 | 2 = 1) {
    const token = principal === 'none' ? undefined : person === 2 ? await target.token(principal, 2) : (tokens[principal] ??= await target.token(principal));
    const requestId = `contract-${target.name}-${++sequence}`;
    const built = buildRequest(op, req, harvest, token, requestId);
    // Each request from its own address, so per-IP rate limits do not turn the whole fuzz into 429s.
    built.options.remoteAddress = `10.${(sequence >> 16) & 255}.${(sequence >> 8) & 255}.${sequence & 255}`;
    // After an accepted write, wait for the work it started to settle; after a read, one fresh read.
    lastPrint ??= settleNext ? await quietPrint() : await target.fingerprint?.();
    settleNext = false;
    const before = lastPrint;
    const answer = await send(target, built.options, opts.timeoutMs);
    const documentedValid = mode === 'matrix' ? undefined : requestDocumentedValid(op, req, ctx);
    const record = (kind: FindingKind, detail: string, status?: number, cause?: string) => {
      const key = `${kind}|${detail}`;
      const existing = findings.get(key);
      if (existing) existing.count++;
      else findings.set(key, { operation: op.id, kind, detail, status, principal, input: built.display, note: req.mutation, mode: mode === 'matrix' ? 'matrix' : req.mode, documentedValid, cause, count: 1 });
    };
    if ('error' in answer) {
      record('no-answer', answer.error);
      lastPrint = undefined;
      return undefined;
    }
    for (const p of checkAnswer(op, answer, ctx)) {
      record(p.kind, p.detail, answer.status, p.kind === 'server-error' ? target.errorFor?.(requestId) : undefined);
    }
    const refused = answer.status >= 400 && answer.status < 500;
    if (refused && before && target.fingerprint) {
      const ignore = new Set([...ambient, ...op.refusalWrites]);
      const after = await target.fingerprint();
      const seen = diffTables(before, after, ignore);
      const detail = (tables: string[]) => `${answer.status}${errorCode(answer) ? ` ${errorCode(answer)}` : ''} changed ${tables.join(', ')}`;
      if (seen.length > 0 && findings.has(`db-changed-on-refusal|${detail(seen)}`)) {
        // Already confirmed for this operation: count it without waiting again.
        record('db-changed-on-refusal', detail(seen), answer.status);
        lastPrint = after;
      } else if (seen.length > 0) {
        const still = await stillTables(seen, after, ignore);
        let confirmed = still.changed;
        lastPrint = still.after;
        if (confirmed.length > 0) {
          // Replayed once: a refusal that writes writes again; a background write (a worker's heartbeat)
          // that happened to land during the request does not land twice in a row.
          const replay = await send(target, { ...built.options, headers: { ...built.options.headers, 'x-request-id': `${requestId}-replay` } }, opts.timeoutMs);
          const again = await target.fingerprint();
          const rewritten = new Set('error' in replay || replay.status < 400 || replay.status >= 500 ? [] : diffTables(still.after, again, ignore));
          confirmed = confirmed.filter((t) => rewritten.has(t));
          lastPrint = again;
        }
        if (confirmed.length > 0) record('db-changed-on-refusal', detail(confirmed), answer.status);
      } else {
        lastPrint = after;
      }
    } else {
      lastPrint = undefined;
      settleNext = op.method !== 'GET' && op.method !== 'HEAD';
    }
    // An accepted write may have revoked the token it came with (a logout): fresh tokens from here on.
    if (answer.status < 300 && op.method !== 'GET' && op.method !== 'HEAD') tokens = {};
    if (answer.status >= 200 && answer.status < 300 && /json/i.test(answer.contentType ?? '')) {
      try {
        harvest.collect(op, JSON.parse(answer.body));
      } catch {
        // Not JSON after all: reported by checkAnswer, nothing to harvest.
      }
    }
    return answer;
  }

  async function check(op: ContractOperation): Promise<OperationReport> {
    const started = Date.now();
    const findings = new Map<string, ContractFinding>();
    const seed = operationSeed(opts.seed, op.id);
    const matrix: OperationReport['matrix'] = {};

    // The role matrix: one valid input, every principal; then, for each refused principal, one invalid
    // input (authorization comes before validation: the refusal must not turn into a 422).
    const [sample] = fc.sample(validRequestArbitrary(op, 'valid', ctx), { seed, numRuns: 1 });
    const invalidArb = invalidRequestArbitrary(op, ctx, { schemaOnly: true });
    const [invalidSample] = invalidArb ? fc.sample(invalidArb, { seed, numRuns: 1 }) : [];
    const roleAnswers: Partial<Record<Principal, Answer>> = {};
    let probedNone = false;
    let probedRole = false;
    for (const principal of PRINCIPALS) {
      const answer = await call(op, sample, principal, 'matrix', findings);
      if (!answer) continue;
      matrix[principal] = answer.status;
      roleAnswers[principal] = answer;
      if (op.roles) {
        const allowed = op.roles.includes('public') || (principal !== 'none' && op.roles.includes(principal));
        if (allowed && isRoleRefusal(answer)) {
          recordMatrix(findings, op, principal, sample, `x-roles allows ${principal} but it was refused ${answer.status}${errorCode(answer) ? ` ${errorCode(answer)}` : ''}`, answer.status);
        }
        const expected = principal === 'none' ? 401 : 403;
        if (!allowed && answer.status !== expected) {
          recordMatrix(findings, op, principal, sample, `x-roles refuses ${principal} but it answered ${answer.status} (expected ${expected})`, answer.status);
        }
      }
      // One probe per kind of refusal: the first role refused with a token, and no token at all.
      const probe = principal === 'none' ? !probedNone : !probedRole;
      if (invalidSample && probe && isRoleRefusal(answer)) {
        if (principal === 'none') probedNone = true;
        else probedRole = true;
        const bad = await call(op, invalidSample, principal, 'matrix', findings);
        if (bad && [400, 415, 422].includes(bad.status)) {
          const key = `validation-before-authorization|${principal}`;
          if (!findings.has(key)) {
            findings.set(key, {
              operation: op.id,
              kind: 'validation-before-authorization',
              detail: `${principal}: refused ${answer.status} with a valid input, ${bad.status}${errorCode(bad) ? ` ${errorCode(bad)}` : ''} with an invalid one (${invalidSample.mutation})`,
              status: bad.status,
              principal,
              input: buildRequest(op, invalidSample, undefined, undefined, 'shown').display,
              mode: 'matrix',
              count: 1,
            });
          }
        }
      }
    }

    // The fuzz runs as admin unless admin is refused; then as the first principal that is not.
    let fuzzPrincipal: Principal = 'admin';
    if (op.roles && !op.roles.includes('admin')) fuzzPrincipal = op.roles.includes('public') ? 'none' : ((op.roles.find((r) => (PRINCIPALS as readonly string[]).includes(r)) as Principal | undefined) ?? 'admin');
    else if (!op.roles && roleAnswers.admin && isRoleRefusal(roleAnswers.admin)) {
      fuzzPrincipal = PRINCIPALS.find((p) => roleAnswers[p] && !isRoleRefusal(roleAnswers[p]!)) ?? 'admin';
    }

    const statuses: Record<string, number> = {};
    const requests = [...edgeRequests(op, ctx, seed), ...fc.sample(requestArbitrary(op, ctx), { seed, numRuns: opts.runs })];
    for (const req of requests) {
      const answer = await call(op, req, fuzzPrincipal, req.mode, findings);
      const key = answer ? String(answer.status) : 'no answer';
      statuses[key] = (statuses[key] ?? 0) + 1;
    }

    const report: OperationReport = {
      operation: op.id,
      roles: op.roles,
      matrix,
      fuzzPrincipal,
      statuses,
      runs: requests.length,
      findings: [...findings.values()],
      ms: Date.now() - started,
    };
    reports.push(report);
    return report;
  }

  function recordMatrix(findings: Map<string, ContractFinding>, op: ContractOperation, principal: Principal, req: GeneratedRequest, detail: string, status: number) {
    findings.set(`role-not-honoured|${principal}`, {
      operation: op.id,
      kind: 'role-not-honoured',
      detail,
      status,
      principal,
      input: buildRequest(op, req, harvest, undefined, 'shown').display,
      mode: 'matrix',
      count: 1,
    });
  }

  /**
   * Object-level authorization with a second person's ids. For each role and each collection it may list
   * (a GET without path parameters answering an array), the first and a second person of that role list
   * it; an id only the first one's list shows is that person's own. The second person then calls every
   * operation of that collection's `{id}` path the role may call with that id: anything but a refusal
   * (403/404) is a leak — a list scoped to its caller next to an item read or write that is not.
   * Shared lists (both see the same rows) give no ids, so nothing is assumed about what is private.
   */
  async function checkObjectLevel(): Promise<OperationReport> {
    const started = Date.now();
    const findings = new Map<string, ContractFinding>();
    const matrix: OperationReport['matrix'] = {};
    let runs = 0;
    const statuses: Record<string, number> = {};
    const allows = (op: ContractOperation, role: Role) => op.roles !== undefined && !op.roles.includes('public') && op.roles.includes(role);
    const collections = operations.filter((o) => o.method === 'GET' && !o.path.includes('{'));
    for (const role of ROLES) {
      if (role === 'service') continue;
      for (const list of collections) {
        if (!allows(list, role)) continue;
        const items = operations.filter((o) => {
          const m = new RegExp(`^${escapeRegExp(list.path)}/\\{([^}]+)\\}(/[^{}]*)?$`).exec(o.path);
          return m !== null && allows(o, role);
        });
        if (items.length === 0) continue;
        const request = listRequest(list, ctx, operationSeed(opts.seed, `${list.id} object-level`));
        const mine = await call(list, request, role, 'matrix', findings);
        const theirs = await call(list, request, role, 'matrix', findings, 2);
        runs += 2;
        const own = listedIds(mine);
        const other = listedIds(theirs);
        // Only a complete list of the second person proves an id is not theirs.
        if (!own || !other || !other.complete) continue;
        const only = own.ids.filter((id) => !other.ids.includes(id)).slice(0, 3);
        for (const item of items) {
          const param = /\{([^}]+)\}/.exec(item.path)![1];
          const [sample] = fc.sample(validRequestArbitrary(item, 'valid', ctx), { seed: operationSeed(opts.seed, `${item.id} object-level`), numRuns: 1 });
          for (const id of only) {
            const req: GeneratedRequest = { ...sample, path: { ...sample.path, [param]: id } };
            const answer = await call(item, req, role, 'matrix', findings, 2);
            runs++;
            if (!answer) continue;
            statuses[String(answer.status)] = (statuses[String(answer.status)] ?? 0) + 1;
            matrix[role] = answer.status;
            // A success, or a 409 (the row was found and a rule about it applied), shows the row is reachable.
            if (answer.status < 400 || answer.status === 409) {
              const key = `object-level-leak|${item.id}|${role}`;
              if (!findings.has(key)) {
                findings.set(key, {
                  operation: item.id,
                  kind: 'object-level-leak',
                  detail: `${item.id}: another ${role} got ${answer.status} for ${param} ${String(id)}, which only the first ${role}'s ${list.path} lists`,
                  status: answer.status,
                  principal: role,
                  input: buildRequest(item, req, undefined, undefined, 'shown').display,
                  mode: 'matrix',
                  count: 1,
                });
              } else findings.get(key)!.count++;
            }
          }
        }
      }
    }
    const report: OperationReport = { operation: OBJECT_LEVEL, matrix, fuzzPrincipal: 'none', statuses, runs, findings: [...findings.values()], ms: Date.now() - started };
    reports.push(report);
    return report;
  }

  return {
    operations,
    check,
    checkObjectLevel,
    report: () => ({
      service: target.name,
      operations: [...reports],
      withoutRoles: operations.filter((o) => !o.roles).map((o) => o.id),
      ambientTables: [...ambient].sort(),
    }),
  };
}

/** The name of the object-level report. */
export const OBJECT_LEVEL = 'object-level: a second person\'s ids';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A list request as a person would send it: required parameters only (no filter hides a row), and the
 * largest page the document allows, so a complete list is one page.
 */
function listRequest(op: ContractOperation, ctx: SchemaContext, seed: number): GeneratedRequest {
  const [sample] = fc.sample(validRequestArbitrary(op, 'valid', ctx), { seed, numRuns: 1 });
  const query: Record<string, unknown> = {};
  for (const p of op.params) {
    if (p.in !== 'query') continue;
    if (p.required) query[p.name] = sample.query[p.name];
    const schema = p.schema as SchemaObject;
    if (/^(page_size|limit|per_page)$/.test(p.name) && typeof schema === 'object' && typeof schema.maximum === 'number') query[p.name] = schema.maximum;
  }
  return { ...sample, query };
}

/** The `id`s of a 2xx list answer, and whether the list is complete (no further page). */
function listedIds(answer: Answer | undefined): { ids: unknown[]; complete: boolean } | undefined {
  if (!answer || answer.status < 200 || answer.status >= 300 || !/json/i.test(answer.contentType ?? '')) return undefined;
  let body: { data?: unknown; meta?: { pagination?: { total?: number } } };
  try {
    body = JSON.parse(answer.body) as typeof body;
  } catch {
    return undefined;
  }
  if (!Array.isArray(body.data)) return undefined;
  const ids = body.data.map((item) => (item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined)).filter((id) => typeof id === 'string' || typeof id === 'number');
  const total = body.meta?.pagination?.total;
  return { ids, complete: total === undefined || total <= body.data.length };
}

/** Whether the document accepts a generated request's parameters and body (reports say so for a 5xx). */
export function requestDocumentedValid(op: ContractOperation, req: GeneratedRequest, ctx: SchemaContext): boolean {
  for (const p of op.params) {
    let v = req[p.in][p.name];
    if (isHarvest(v)) v = v.fallback;
    if (v === undefined) {
      if (p.required) return false;
      continue;
    }
    // Query and path values travel as text: compare what the server gets after its coercion, roughly.
    if (p.in !== 'header' && !ctx.accepts(p.schema, v) && !ctx.accepts(p.schema, coerce(v))) return false;
  }
  if (req.body?.raw !== undefined) return false;
  if (op.body?.required && req.body?.value === undefined) return false;
  if (req.body?.value !== undefined && op.body) {
    const schema = op.body.content[req.body.contentType];
    if (schema !== undefined && !ctx.accepts(schema, req.body.value)) return false;
  }
  return true;
}

function coerce(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  const n = Number(v);
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

/** One line per finding, for a test's failure message. */
export function describeFindings(findings: readonly ContractFinding[]): string {
  return findings
    .map((f) => `- [${f.kind}] ${f.operation}: ${f.detail} (×${f.count}, as ${f.principal}, ${f.mode}${f.documentedValid ? ', documented-valid input' : ''}${f.note ? `, ${f.note}` : ''})\n    ${f.input}${f.cause ? `\n    cause: ${f.cause}` : ''}`)
    .join('\n');
}

export { firstValid, schemaArbitrary, schemaContext, type JsonSchema, type SchemaContext, type SchemaObject };
