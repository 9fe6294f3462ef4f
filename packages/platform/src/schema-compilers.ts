/**
 * Route schemas compiled once per process. Every route declares the shared error envelope for each error
 * status, `Envelope(X)` for its success statuses and the same pagination query, and the embedded start
 * builds nine apps: Fastify compiled each of them again per route and per app, which was about 1 s of the
 * ~3.3 s of CPU of a start (#11, `node --cpu-prof bin/sicora start`: ajv 0.49 s, fast-json-stringify
 * 0.48 s). A compiled validator or serializer is a function of its schema, the shared schemas it may refer
 * to and the compiler's options only, so one per distinct triple serves every route of every app.
 */
import { createRequire } from 'node:module';
import { buildValidator } from './validation.ts';

type ValidatorFactory = typeof buildValidator;
type ValidatorRequest = Parameters<ReturnType<ValidatorFactory>>[0];
type SerializerRequest = { schema?: unknown; method?: string; url?: string; httpStatus?: string; contentType?: string };
type SerializerFactory = (externalSchemas: unknown, serializerOpts: unknown) => (req: SerializerRequest) => (data: unknown) => string;

// Fastify's own default serializer compiler (fast-json-stringify), resolved from Fastify's location so
// that it is always the version Fastify was released with.
const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
const { SerializerSelector } = fromFastify('@fastify/fast-json-stringify-compiler') as { SerializerSelector: () => SerializerFactory };
const defaultSerializerFactory = SerializerSelector();

const compiled = new Map<string, unknown>();
const stats = { compiled: 0, reused: 0 };

function once<T>(key: string, make: () => T): T {
  if (compiled.has(key)) {
    stats.reused++;
    return compiled.get(key) as T;
  }
  const fn = make();
  compiled.set(key, fn);
  stats.compiled++;
  return fn;
}

// TypeBox's symbol keys (its kind markers) are left out by JSON, and no compiler reads them.
const keyOf = (value: unknown) => JSON.stringify(value ?? null);

/**
 * The platform's ajv pair per set of shared schemas, for the whole process: a new Ajv compiles the JSON
 * Schema meta-schema again before it checks the first schema added to it, which cost more than the
 * route schemas themselves when every app (and every plugin context adding a schema) had its own pair.
 */
const validators = new Map<string, ReturnType<ValidatorFactory>>();

/** `compilersFactory.buildValidator`: the platform's validators (validation.ts), each compiled once. */
export function sharedValidatorFactory(externalSchemas: Record<string, unknown> = {}) {
  const shared = keyOf(externalSchemas);
  return (req: ValidatorRequest) => {
    // The body is validated without coercion, every other part with it (validation.ts).
    const part = req.httpPart === 'body' ? 'body' : 'text';
    return once(`validator\0${part}\0${shared}\0${keyOf(req.schema)}`, () => {
      let compile = validators.get(shared);
      if (!compile) validators.set(shared, (compile = buildValidator(externalSchemas)));
      return compile(req);
    });
  };
}

/** `compilersFactory.buildSerializer`: Fastify's fast-json-stringify serializers, each compiled once. */
export function sharedSerializerFactory(externalSchemas: unknown, serializerOpts: unknown) {
  const shared = keyOf([externalSchemas, serializerOpts]);
  let compile: ReturnType<SerializerFactory> | undefined;
  return (req: SerializerRequest) =>
    once(`serializer\0${shared}\0${keyOf(req.schema)}`, () => (compile ??= defaultSerializerFactory(externalSchemas, serializerOpts))(req));
}

/** How many compilations ran and how many were served from the cache, since the process started. */
export function compiledSchemaStats(): { compiled: number; reused: number } {
  return { ...stats };
}
