/**
 * The contract suite's reading of an OpenAPI 3.1 document (docs/api-contract.md): the operations to
 * check (platform routes left out), their parameters, bodies, documented answers and `x-roles`, and the
 * check of one answer against what the document says the operation answers.
 */
import type { JsonSchema, SchemaContext, SchemaObject } from './contract-schema.ts';

export type ParamLocation = 'path' | 'query' | 'header';

export interface ContractParam {
  name: string;
  in: ParamLocation;
  required: boolean;
  schema: JsonSchema;
}

export interface ContractOperation {
  /** `METHOD /path/{template}`, the operation's name in every report. */
  id: string;
  method: string;
  path: string;
  params: ContractParam[];
  body?: { required: boolean; content: Record<string, JsonSchema> };
  /** Documented answers by status key (`200`, `4XX`, `default`), each with its media types. */
  responses: Record<string, { content?: Record<string, JsonSchema | undefined> }>;
  /** `x-roles`: the roles allowed (`public` for none needed); undefined when the document does not say. */
  roles?: string[];
  /** `x-refusal-writes`: tables a refused call may write by design (failed-login counters, rate-limit windows). */
  refusalWrites: string[];
}

/** Platform routes every service has (00-conventions §1), checked by test/repo/platform-routes.test.ts instead. */
export const PLATFORM_ROUTE = /^\/(health(\/.*)?|metrics|docs(\/.*)?)$/;

const METHOD_ORDER = ['post', 'put', 'patch', 'get', 'head', 'options', 'delete'];

/**
 * Every operation of a document except the platform routes, creators first and deletions last (so the
 * ids the creators return can feed the operations on `{id}` paths).
 */
export function contractOperations(doc: SchemaObject, opts: { skip?: (path: string, method: string) => boolean } = {}): ContractOperation[] {
  const ops: ContractOperation[] = [];
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, SchemaObject>)) {
    if (PLATFORM_ROUTE.test(path)) continue;
    const shared = (item.parameters ?? []) as SchemaObject[];
    for (const method of METHOD_ORDER) {
      const op = item[method] as SchemaObject | undefined;
      if (!op || opts.skip?.(path, method)) continue;
      const params = new Map<string, ContractParam>();
      for (const p of [...shared, ...((op.parameters ?? []) as SchemaObject[])]) {
        if (!['path', 'query', 'header'].includes(p.in)) continue;
        params.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: p.in === 'path' || p.required === true, schema: p.schema ?? true });
      }
      // A template variable the document forgot still needs a value in the URL.
      for (const m of path.matchAll(/\{([^}]+)\}/g)) {
        if (!params.has(`path:${m[1]}`)) params.set(`path:${m[1]}`, { name: m[1], in: 'path', required: true, schema: { type: 'string' } });
      }
      const rb = op.requestBody as SchemaObject | undefined;
      const body = rb?.content
        ? {
            required: rb.required === true,
            content: Object.fromEntries(Object.entries(rb.content as Record<string, SchemaObject>).map(([type, media]) => [type, (media.schema ?? true) as JsonSchema])),
          }
        : undefined;
      const responses: ContractOperation['responses'] = {};
      for (const [status, res] of Object.entries((op.responses ?? {}) as Record<string, SchemaObject>)) {
        responses[status] = {
          content: res.content
            ? Object.fromEntries(Object.entries(res.content as Record<string, SchemaObject>).map(([type, media]) => [type, media.schema as JsonSchema | undefined]))
            : undefined,
        };
      }
      const roles = Array.isArray(op['x-roles']) ? (op['x-roles'] as unknown[]).map(String) : undefined;
      const refusalWrites = Array.isArray(op['x-refusal-writes']) ? (op['x-refusal-writes'] as unknown[]).map(String) : [];
      ops.push({ id: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, params: [...params.values()], body, responses, roles, refusalWrites });
    }
  }
  return ops.sort((a, b) => METHOD_ORDER.indexOf(a.method.toLowerCase()) - METHOD_ORDER.indexOf(b.method.toLowerCase()) || a.path.localeCompare(b.path));
}

/** The documented answer for a status: exact, then its range (`4XX`), then `default`. */
export function documentedAnswer(op: ContractOperation, status: number): { key: string; content?: Record<string, JsonSchema | undefined> } | undefined {
  for (const key of [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default']) {
    const res = op.responses[key];
    if (res) return { key, content: res.content };
  }
  return undefined;
}

/** Whether `actual` (a Content-Type value) is one of the documented media types (wildcards allowed). */
export function mediaTypeMatches(documented: string, actual: string): boolean {
  const [dt, ds] = documented.toLowerCase().split(';')[0].trim().split('/');
  const [at, as] = actual.toLowerCase().split(';')[0].trim().split('/');
  return (dt === '*' || dt === at) && (ds === '*' || ds === as);
}

export function isJsonMediaType(type: string): boolean {
  const base = type.toLowerCase().split(';')[0].trim();
  return base === 'application/json' || base.endsWith('+json');
}

export type AnswerProblemKind = 'server-error' | 'undocumented-status' | 'content-type-mismatch' | 'schema-mismatch';

export interface AnswerProblem {
  kind: AnswerProblemKind;
  detail: string;
}

export interface Answer {
  status: number;
  contentType?: string;
  body: string;
}

/**
 * What is wrong with one answer of an operation: a 5xx (a 500, or any 5xx the operation does not
 * document — a documented 502/503/504 is a dependency's state, not a defect), a status the document does
 * not list, a media type it does not list for that status, or a JSON body its schema refuses.
 */
export function checkAnswer(op: ContractOperation, answer: Answer, ctx: SchemaContext): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  const documented = documentedAnswer(op, answer.status);
  if (answer.status >= 500 && (answer.status === 500 || !documented)) {
    problems.push({ kind: 'server-error', detail: `${answer.status}${errorCode(answer) ? ` ${errorCode(answer)}` : ''}` });
  }
  if (!documented) {
    // A 5xx is reported once, as a server error, whether documented or not.
    if (problems.length > 0) return problems;
    problems.push({ kind: 'undocumented-status', detail: `${answer.status}${errorCode(answer) ? ` ${errorCode(answer)}` : ''} not among ${Object.keys(op.responses).join(', ') || 'no documented status'}` });
    return problems;
  }
  // An empty answer has no media type to check, unless it names one (an event stream read for 50 ms).
  if ((answer.body.length === 0 && !answer.contentType) || answer.status === 204 || answer.status === 304) return problems;
  const actualType = answer.contentType ?? '(none)';
  const content = documented.content ?? {};
  const mediaKey = Object.keys(content).find((t) => mediaTypeMatches(t, actualType));
  if (!mediaKey) {
    problems.push({
      kind: 'content-type-mismatch',
      detail: `${answer.status} answered ${actualType.split(';')[0]}; documented ${Object.keys(content).join(', ') || 'no body'}`,
    });
    return problems;
  }
  const schema = content[mediaKey];
  if (!isJsonMediaType(actualType) || schema === undefined) return problems;
  let value: unknown;
  try {
    value = JSON.parse(answer.body);
  } catch {
    problems.push({ kind: 'schema-mismatch', detail: `${answer.status} body is not JSON although ${actualType.split(';')[0]}` });
    return problems;
  }
  const broken = ctx.compileError(schema);
  if (broken) {
    problems.push({ kind: 'schema-mismatch', detail: `${answer.status} ${mediaKey}: the documented schema does not compile (${broken})` });
  } else if (!ctx.accepts(schema, value)) {
    const why = ctx.errors(schema, value);
    problems.push({ kind: 'schema-mismatch', detail: `${answer.status} ${mediaKey}: ${why.slice(0, 3).join('; ') || 'refused by the documented schema'}` });
  }
  return problems;
}

/** The envelope's `error.code` of an answer, when it has one. */
export function errorCode(answer: Pick<Answer, 'body'>): string | undefined {
  try {
    const code = (JSON.parse(answer.body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The envelope's `error.details`, when it has one. */
export function errorDetails(answer: Pick<Answer, 'body'>): Record<string, unknown> | undefined {
  try {
    const details = (JSON.parse(answer.body) as { error?: { details?: unknown } }).error?.details;
    return details && typeof details === 'object' ? (details as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
