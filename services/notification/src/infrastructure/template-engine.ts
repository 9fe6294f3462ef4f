/**
 * nunjucks rendering (R43–R46): no loaders, autoescape only for HTML, undefined values are errors,
 * Spanish date and number filters in the configured zone, and the checks applied when a template is saved.
 */
import nunjucks from 'nunjucks';

/** Internals the typings omit: the compiler (syntax check) and the parser (variable check). */
const internals = nunjucks as unknown as { compiler: { compile(src: string, a: unknown[], b: unknown[], name: string): string }; parser: { parse(src: string, ext: unknown[], opts: object): unknown } };
import { notificationErrors } from '../domain/notification.errors.ts';

const UNSAFE = ['constructor', '__proto__', 'prototype', 'process', 'require', 'global'];

function formatter(zone: string, opts: Intl.DateTimeFormatOptions) {
  const f = new Intl.DateTimeFormat('es-CO', { timeZone: zone, hourCycle: 'h23', ...opts });
  return (value: unknown) => {
    const date = value instanceof Date ? value : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value.length === 10 ? `${value}T12:00:00Z` : value) : null;
    if (!date || Number.isNaN(date.getTime())) return value;
    const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
    return opts.hour && opts.day ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}` : opts.hour ? `${p.hour}:${p.minute}` : `${p.day}/${p.month}/${p.year}`;
  };
}

const numero = (value: unknown, decimals?: number) =>
  typeof value === 'number' ? value.toLocaleString('de-DE', { maximumFractionDigits: decimals ?? 2 }) : value;

export interface TemplateEngine {
  render(source: string, context: Record<string, unknown>, html: boolean): string;
  /** Compile check, unsafe identifiers and unknown variables (R46); throws coded errors. */
  check(field: string, source: string, allowed: string[] | null): void;
}

export function createTemplateEngine(zone: string): TemplateEngine {
  const make = (autoescape: boolean) => {
    const env = new nunjucks.Environment([], { autoescape, throwOnUndefined: true });
    env.addFilter('fecha', formatter(zone, { day: '2-digit', month: '2-digit', year: 'numeric' }));
    env.addFilter('fecha_hora', formatter(zone, { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }));
    env.addFilter('hora', formatter(zone, { hour: '2-digit', minute: '2-digit' }));
    env.addFilter('porcentaje', (v: unknown) => (typeof v === 'number' ? `${numero(Math.round(v * 1000) / 10, 1)} %` : v));
    env.addFilter('numero', numero);
    return env;
  };
  const text = make(false);
  const html = make(true);
  // renderString compiles on every call (~160 µs against ~3 µs for a compiled template) and an e-mail
  // renders 3–4 sources; template versions are immutable, so a bounded cache keyed by source is safe.
  const compiled = new Map<string, nunjucks.Template>();
  return {
    render(source, context, isHtml) {
      const key = `${isHtml ? 'h' : 't'}:${source}`;
      let template = compiled.get(key);
      if (!template) {
        if (compiled.size >= 2000) compiled.clear();
        template = nunjucks.compile(source, isHtml ? html : text);
        compiled.set(key, template);
      }
      return template.render(context);
    },
    check(field, source, allowed) {
      for (const tag of source.matchAll(/{{([\s\S]*?)}}|{%([\s\S]*?)%}/g)) {
        const inner = tag[1] ?? tag[2];
        const bad = UNSAFE.find((id) => new RegExp(`(^|[^A-Za-z0-9_])${id}([^A-Za-z0-9_]|$)`).test(inner));
        if (bad) throw notificationErrors.templateUnsafe(field, bad);
      }
      try {
        internals.compiler.compile(source, [], [], '');
      } catch (err) {
        const e = err as { message: string; lineno?: number; colno?: number };
        // nunjucks gives no position for errors at end of input (an unclosed tag): that is the last line.
        const line = e.lineno ?? source.split('\n').length;
        const detail = String(e.message).split('\n').pop()!.trim().slice(0, 300);
        throw notificationErrors.templateSyntax(field, line, e.colno ?? null, detail);
      }
      if (allowed) {
        const unknown = topLevelSymbols(source).filter((v) => !allowed.includes(v));
        if (unknown.length > 0) throw notificationErrors.templateVariableUnknown(field, unknown);
      }
    },
  };
}

/** Top-level names a template reads, from nunjucks' own parse tree, minus names it binds itself. */
export function topLevelSymbols(source: string): string[] {
  const root = internals.parser.parse(source, [], {});
  const found = new Set<string>();
  const bound = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as { typename?: string; value?: unknown; name?: unknown; targets?: unknown[]; children?: unknown[]; fields?: string[] };
    if (n.typename === 'For') {
      const name = n.name as { typename?: string; value?: string; children?: Array<{ value: string }> };
      if (name?.typename === 'Symbol') bound.add(name.value!);
      else name?.children?.forEach((c) => bound.add(c.value));
    }
    if (n.typename === 'Set') (n.targets as Array<{ value: string }>).forEach((t) => bound.add(t.value));
    if (n.typename === 'Symbol') found.add(String(n.value));
    if (n.typename === 'FunCall' || n.typename === 'Filter') {
      // A filter's name is not a variable.
      const f = node as { args?: unknown };
      walk(f.args);
      return;
    }
    if (n.typename === 'LookupVal') {
      walk((node as { target: unknown }).target);
      return;
    }
    for (const field of n.fields ?? []) {
      const v = (node as Record<string, unknown>)[field];
      if (Array.isArray(v)) v.forEach(walk);
      else walk(v);
    }
    n.children?.forEach(walk);
  };
  walk(root);
  return [...found].filter((v) => !bound.has(v) && v !== 'loop');
}
