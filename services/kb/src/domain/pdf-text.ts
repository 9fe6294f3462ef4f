/**
 * PDF text to draft items, as pure rules: cleaning (R28), title and kind (R29) and splitting (R30).
 */
import { fold } from './text.ts';
import type { Kind } from './items.ts';

/** Control characters other than tab and newline. */
const isControl = (ch: string) => {
  const c = ch.charCodeAt(0);
  return (c < 32 && c !== 9 && c !== 10) || c === 127;
};

/** R28: CRLF → LF, control characters out, running headers/footers out, hyphenation joined, spaces collapsed. */
export function cleanPages(pages: string[]): string {
  const norm = pages.map((p) => [...p.replace(/\r\n?/g, '\n')].filter((ch) => !isControl(ch)).join(''));
  // Page numbers differ from page to page: short lines are compared with their digits masked.
  const key = (line: string) => {
    const t = line.trim();
    return t.length <= 30 ? t.replace(/\d+/g, '#') : t;
  };
  const counts = new Map<string, number>();
  if (norm.length >= 2) {
    for (const p of norm) {
      for (const line of new Set(p.split('\n').map(key).filter(Boolean))) counts.set(line, (counts.get(line) ?? 0) + 1);
    }
  }
  const repeated = (line: string) => norm.length >= 2 && !ARTICLE.test(line) && !CHAPTER.test(line) && (counts.get(key(line)) ?? 0) >= norm.length / 2;
  const text = norm.map((p) => p.split('\n').filter((l) => !repeated(l)).join('\n')).join('\n\n');
  return text
    .replace(/(\p{L})-\n(\p{Ll})/gu, '$1$2')
    .replace(/[ \t\u00A0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** R29: the title field, the PDF's own title with ≥ 3 letters, or the file name stem. */
export function importTitle(given: string | undefined, meta: string | null, fileName: string): string {
  if (given?.trim()) return given.trim().slice(0, 200);
  if (meta && (meta.match(/\p{L}/gu)?.length ?? 0) >= 3) return meta.trim().slice(0, 200);
  const stem = fileName.replace(/\.pdf$/i, '').replace(/[_-]+/g, ' ').trim();
  return (stem.length >= 3 ? stem : `Documento ${stem}`).slice(0, 200);
}

export function guessKind(text: string): Kind {
  const f = fold(text);
  if (/\b(reglamento|acuerdo|articulo|decreto|resolucion)\b/.test(f)) return 'regulation';
  if (/\b(procedimiento|tramite)\b|paso a paso/.test(f)) return 'procedure';
  if (/\b(guia|manual|tutorial)\b/.test(f)) return 'guide';
  return 'article';
}

export const defaultCategorySlug = (kind: Kind) => (kind === 'regulation' ? 'reglamento' : kind === 'procedure' ? 'procedimientos' : 'general');

export interface Section {
  title: string;
  content: string;
  sourceReference: string | null;
}

const ARTICLE = /^\s*ART[IÍ]CULO\s+(\d+|[IVXLCDM]+)\b[.:ºo°\-–]*\s*(.*)$/i;
const CHAPTER = /^\s*(CAP[IÍ]TULO|T[IÍ]TULO|SECCI[OÓ]N)\s+([\dIVXLCDM]+)\b.*$/i;

export const articleHeadings = (text: string) => text.split('\n').filter((l) => ARTICLE.test(l)).length;

const cap = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

/** R30 `sections`: per article; else per chapter; else parts of ≤ 20 000 chars at paragraph ends. */
export function splitSections(text: string, title: string): Section[] {
  const lines = text.split('\n');
  const out: Section[] = [];
  const hasArticles = lines.some((l) => ARTICLE.test(l));
  const hasChapters = lines.some((l) => CHAPTER.test(l));
  const push = (s: Section) => {
    const body = s.content.replace(/^## .*\n+/, '').trim();
    if (body.length < 20 && out.length > 0) out[out.length - 1]!.content += `\n\n${s.content}`;
    else out.push(s);
  };
  if (hasArticles || hasChapters) {
    let chapter: string | null = null;
    let current: { title: string; lines: string[]; ref: string | null } | null = null;
    const preamble: string[] = [];
    const flush = () => {
      if (current) push({ title: current.title, content: current.lines.join('\n').trim(), sourceReference: current.ref });
      current = null;
    };
    for (const line of lines) {
      const a = hasArticles ? ARTICLE.exec(line) : null;
      const c = CHAPTER.exec(line);
      if (c) {
        chapter = line.trim().slice(0, 120);
        if (!hasArticles) {
          flush();
          current = { title: cap(`${title} — ${chapter}`, 200), lines: [`## ${chapter}`, ''], ref: `${title}, ${chapter}` };
        }
        continue;
      }
      if (a) {
        flush();
        const n = a[1]!;
        const rest = a[2]!.trim().slice(0, 150);
        current = { title: cap(`Artículo ${n}. ${rest}`.trim(), 200), lines: [`## ${line.trim()}`, ''], ref: cap(`${title}, ${chapter ? `${chapter}, ` : ''}Artículo ${n}`, 300) };
        continue;
      }
      if (current) (current as { lines: string[] }).lines.push(line);
      else preamble.push(line);
    }
    flush();
    const pre = preamble.join('\n').trim();
    if (pre.length >= 200) out.unshift({ title: cap(`${title} — Disposiciones preliminares`, 200), content: pre, sourceReference: null });
    return out.map((s) => ({ ...s, content: cap(s.content, 50_000) }));
  }
  const paragraphs = text.split(/\n\s*\n/);
  const parts: string[] = [];
  let cur = '';
  for (const p of paragraphs) {
    if (cur && cur.length + p.length + 2 > 20_000) {
      parts.push(cur);
      cur = '';
    }
    cur = cur ? `${cur}\n\n${p}` : p;
    while (cur.length > 20_000) {
      parts.push(cur.slice(0, 20_000));
      cur = cur.slice(20_000);
    }
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((content, i) => ({ title: parts.length === 1 ? title : cap(`${title} (parte ${i + 1} de ${parts.length})`, 200), content, sourceReference: null }));
}

/** The file name rule of R26: `[A-Za-z0-9._ -]`, ≤ 255. */
export function sanitizeFileName(name: string): string {
  const clean = name.normalize('NFD').replace(/\p{M}+/gu, '').replace(/[^A-Za-z0-9._ -]+/g, '_').replace(/^[. ]+/, '').slice(0, 255);
  return clean || 'documento.pdf';
}
