/**
 * The merged OpenAPI document of gateway.md R52: every service's paths as they are, component names
 * prefixed `<service>_` with every `$ref` rewritten, tags prefixed with the service's display name,
 * one `bearer` scheme, the gateway's own routes, and the services never fetched listed as missing.
 */
import { statusOrder } from '@sicora/platform/status-order';

type Json = Record<string, unknown>;

export interface ServiceDocument {
  service: string;
  displayName: string;
  document: Json;
}

const REF = /^#\/components\/([A-Za-z]+)\/(.+)$/;

/** A copy with every `#/components/<kind>/<name>` ref renamed to `<prefix>_<name>`. */
export function rewriteRefs<T>(value: T, prefix: string): T {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, prefix)) as T;
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    if (k === '$ref' && typeof v === 'string') {
      const m = REF.exec(v);
      out[k] = m ? `#/components/${m[1]}/${prefix}_${m[2]}` : v;
    } else out[k] = rewriteRefs(v, prefix);
  }
  return out as T;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function retag(pathItem: Json, displayName: string): Json {
  const out: Json = { ...pathItem };
  for (const m of METHODS) {
    const op = pathItem[m] as Json | undefined;
    if (!op) continue;
    const tags = Array.isArray(op.tags) && op.tags.length ? (op.tags as string[]) : ['general'];
    out[m] = { ...op, tags: tags.map((t) => `${displayName} · ${t}`) };
  }
  return out;
}

export interface MergeInput {
  own: Json;
  docs: ServiceDocument[];
  missing: string[];
  publicBaseUrl: string;
  /** The service the live route rules send this method and path to (§4.8), to settle a claim made twice. */
  ownerOf: (path: string, method: string) => string | undefined;
  /** Paths the gateway answers itself (`/health*`, `/metrics`, `/docs*`, `/api/v1/gateway*`): never forwarded. */
  isGatewayPath: (path: string) => boolean;
  version: string;
  onConflict?: (conflict: { path: string; method: string; kept: string; dropped: string }) => void;
}

/** A path with its template names blanked: `/a/{id}` and `/a/{code}` are one path (OpenAPI 3.1 §4.8.8). */
export const pathShape = (path: string): string => path.replace(/\{[^}]*\}/g, '{}');

const templateNames = (path: string): string[] => [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);

/**
 * An operation moved under another spelling of the same path: its path parameters (and the path-level
 * ones it inherits) renamed position by position, so every `in: path` parameter names a template of the
 * path it now sits under.
 */
function underPath(op: Json, pathLevel: unknown[], from: string, to: string): Json {
  const own = Array.isArray(op.parameters) ? (op.parameters as Json[]) : [];
  const key = (p: Json) => `${String(p.in)}:${String(p.name)}`;
  // Path-level parameters go down into each operation: after the merge the path item may hold operations of two services.
  const params = [...(pathLevel as Json[]).filter((p) => !own.some((o) => key(o) === key(p))), ...own];
  if (params.length === 0) return op;
  const fromNames = templateNames(from);
  const toNames = templateNames(to);
  const rename = (p: Json): Json => {
    if (p.in !== 'path') return p;
    const at = fromNames.indexOf(String(p.name));
    return at === -1 || toNames[at] === undefined ? p : { ...p, name: toNames[at] };
  };
  return { ...op, parameters: params.map(rename) };
}

interface Claim {
  service: string;
  op: Json;
}

/**
 * R52's merge. Each path appears once, with every method some service answers there: operations are
 * claimed per path shape and method, so two services sharing a path with different methods both keep
 * theirs, and one method claimed twice goes to the service the route rules send it to (a warning). A
 * service's own platform paths (`/health`, `/health/ready`, `/docs…`) are left out: through the gateway
 * those paths are the gateway's, and every service publishes them, so they were claimed eight times.
 */
export function mergeOpenApi(input: MergeInput): Json {
  const components: Record<string, Json> = {};
  const tags: Array<{ name: string; description?: string }> = [];
  /** Per path shape: its spelling (the first claimant's) and the operation claimed for each method. */
  const claims = new Map<string, { path: string; methods: Map<string, Claim> }>();
  const addComponents = (source: Json | undefined, prefix: string) => {
    for (const [kind, entries] of Object.entries(source ?? {})) {
      if (kind === 'securitySchemes' || !entries || typeof entries !== 'object') continue;
      components[kind] ??= {};
      for (const [name, def] of Object.entries(entries as Json)) components[kind][`${prefix}_${name}`] = rewriteRefs(def, prefix);
    }
  };
  const claim = (service: string, displayName: string, path: string, item: Json, settle: boolean) => {
    const shape = pathShape(path);
    let entry = claims.get(shape);
    if (!entry) claims.set(shape, (entry = { path, methods: new Map() }));
    const tagged = rewriteRefs(retag(item, displayName), service);
    const pathLevel = Array.isArray(tagged.parameters) ? tagged.parameters : [];
    for (const method of METHODS) {
      const op = tagged[method] as Json | undefined;
      if (!op) continue;
      const mine: Claim = { service, op: underPath(op, pathLevel, path, entry.path) };
      const previous = entry.methods.get(method);
      if (previous && settle) {
        const owner = input.ownerOf(path, method.toUpperCase());
        const kept = owner === service ? mine : previous;
        input.onConflict?.({ path: entry.path, method, kept: kept.service, dropped: kept === mine ? previous.service : service });
        entry.methods.set(method, kept);
      } else entry.methods.set(method, mine);
    }
  };
  // The gateway's own routes first: nothing a service publishes takes one of them.
  addComponents(input.own.components as Json | undefined, 'gateway');
  for (const [path, item] of Object.entries((input.own.paths as Json | undefined) ?? {})) claim('gateway', 'Gateway', path, item as Json, false);
  const own = new Set(claims.keys());
  for (const { service, displayName, document } of input.docs) {
    for (const t of (document.tags as Array<{ name: string; description?: string }> | undefined) ?? []) tags.push({ ...t, name: `${displayName} · ${t.name}` });
    addComponents(document.components as Json | undefined, service);
    for (const [path, item] of Object.entries((document.paths as Json | undefined) ?? {})) {
      if (input.isGatewayPath(path) || own.has(pathShape(path))) continue;
      claim(service, displayName, path, item as Json, true);
    }
  }
  for (const t of (input.own.tags as Array<{ name: string; description?: string }> | undefined) ?? []) tags.push({ ...t, name: `Gateway · ${t.name}` });
  const paths: Json = {};
  const envelope = components.schemas?.gateway_ErrorEnvelope ? { $ref: '#/components/schemas/gateway_ErrorEnvelope' } : { type: 'object' };
  for (const { path, methods } of claims.values()) {
    paths[path] = Object.fromEntries(METHODS.filter((m) => methods.has(m)).map((m) => {
      const { service, op } = methods.get(m)!;
      return [m, service === 'gateway' ? op : withGatewayAnswers(op, envelope)];
    }));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SICORA API',
      version: input.version,
      description: 'Documento unificado de todos los servicios de SICORA, servido por el gateway.',
      'x-sicora-missing-services': input.missing,
    },
    servers: [{ url: input.publicBaseUrl }],
    tags,
    paths,
    components: { ...components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}

/** What the gateway itself may answer on any proxied operation (R7, R31, §4.9 limits), whatever the service documents. */
const GATEWAY_ANSWERS: Record<string, string> = {
  429: 'RATE_LIMITED (gateway): a rate-limit policy of the route or the caller is exhausted; `Retry-After` says when to try again.',
  502: 'BAD_GATEWAY (gateway): the service could not be reached or answered a 5xx without an error envelope; `details.service` names it.',
  503: 'SERVICE_UNAVAILABLE (gateway): the service\'s circuit is open or it is in maintenance; `Retry-After`, `details.service`.',
  504: 'GATEWAY_TIMEOUT (gateway): the service did not answer within the route\'s deadline; `details.service` names it.',
};
const GATEWAY_AUTH_ANSWER = 'UNAUTHENTICATED, TOKEN_EXPIRED, INVALID_TOKEN or TOKEN_REVOKED (gateway): the bearer token was refused before the service saw the request.';
const GATEWAY_BODY_ANSWER = 'PAYLOAD_TOO_LARGE (gateway): the body is over the route\'s limit.';

/**
 * A service's operation as it is answered through the gateway: its own statuses, plus those the gateway
 * answers for it (a status the service already documents keeps the service's description).
 */
function withGatewayAnswers(op: Json, envelope: Json): Json {
  const responses: Json = { ...((op.responses as Json | undefined) ?? {}) };
  const add = (status: string, description: string) => {
    if (!(status in responses)) responses[status] = { description, content: { 'application/json': { schema: envelope } } };
  };
  for (const [status, description] of Object.entries(GATEWAY_ANSWERS)) add(status, description);
  if (Array.isArray(op.security) && op.security.length > 0) add('401', GATEWAY_AUTH_ANSWER);
  if (op.requestBody) add('413', GATEWAY_BODY_ANSWER);
  return { ...op, responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => statusOrder(a) - statusOrder(b))) };
}

/**
 * Paths of a document that are one path to OpenAPI (equal once template names are blanked), spelled more
 * than once: an empty list for a well-formed document. (A JSON object cannot hold one key twice, so this
 * is the only way a path can appear twice.)
 */
export function duplicatePaths(doc: Json): string[][] {
  const byShape = new Map<string, string[]>();
  for (const path of Object.keys((doc.paths as Json | undefined) ?? {})) byShape.set(pathShape(path), [...(byShape.get(pathShape(path)) ?? []), path]);
  return [...byShape.values()].filter((spellings) => spellings.length > 1);
}
