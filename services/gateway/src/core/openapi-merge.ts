/**
 * The merged OpenAPI document of gateway.md R52: every service's paths as they are, component names
 * prefixed `<service>_` with every `$ref` rewritten, tags prefixed with the service's display name,
 * one `bearer` scheme, the gateway's own routes, and the services never fetched listed as missing.
 */
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
  /** The owner of a path by the route rules (§4.8), to settle a path claimed by two services. */
  ownerOf: (path: string) => string | undefined;
  version: string;
  onConflict?: (path: string, kept: string, dropped: string) => void;
}

export function mergeOpenApi(input: MergeInput): Json {
  const paths: Json = {};
  const claimedBy = new Map<string, string>();
  const components: Record<string, Json> = {};
  const tags: Array<{ name: string; description?: string }> = [];
  const addComponents = (source: Json | undefined, prefix: string) => {
    for (const [kind, entries] of Object.entries(source ?? {})) {
      if (kind === 'securitySchemes' || !entries || typeof entries !== 'object') continue;
      components[kind] ??= {};
      for (const [name, def] of Object.entries(entries as Json)) components[kind][`${prefix}_${name}`] = rewriteRefs(def, prefix);
    }
  };
  for (const { service, displayName, document } of input.docs) {
    for (const t of (document.tags as Array<{ name: string; description?: string }> | undefined) ?? []) tags.push({ ...t, name: `${displayName} · ${t.name}` });
    addComponents(document.components as Json | undefined, service);
    for (const [path, item] of Object.entries((document.paths as Json | undefined) ?? {})) {
      const previous = claimedBy.get(path);
      if (previous) {
        const owner = input.ownerOf(path);
        const keep = owner === service ? service : previous;
        input.onConflict?.(path, keep, keep === service ? previous : service);
        if (keep === previous) continue;
      }
      claimedBy.set(path, service);
      paths[path] = rewriteRefs(retag(item as Json, displayName), service);
    }
  }
  addComponents(input.own.components as Json | undefined, 'gateway');
  for (const [path, item] of Object.entries((input.own.paths as Json | undefined) ?? {})) {
    paths[path] = rewriteRefs(retag(item as Json, 'Gateway'), 'gateway');
  }
  for (const t of (input.own.tags as Array<{ name: string; description?: string }> | undefined) ?? []) tags.push({ ...t, name: `Gateway · ${t.name}` });
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
