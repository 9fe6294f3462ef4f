/**
 * R8: content split at Markdown headings (#–###), each section cut into passages of ≤ 1 200 chars at
 * blank lines, longer paragraphs at sentence ends; a passage under 200 chars merges with the next one of
 * its section. For a faq, passage 0 is the question and its short answer.
 */
export interface Passage {
  ordinal: number;
  heading: string | null;
  text: string;
}

const MAX = 1200;
const MIN = 200;

function sentences(paragraph: string): string[] {
  if (paragraph.length <= MAX) return [paragraph];
  const parts = paragraph.match(/[^.?!;]+[.?!;]+\s*|[^.?!;]+$/g) ?? [paragraph];
  const out: string[] = [];
  let cur = '';
  for (const p of parts) {
    if (cur && cur.length + p.length > MAX) {
      out.push(cur.trim());
      cur = '';
    }
    cur += p;
    while (cur.length > MAX) {
      out.push(cur.slice(0, MAX).trim());
      cur = cur.slice(MAX);
    }
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function chunkSection(body: string): string[] {
  const paragraphs = body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean).flatMap(sentences);
  const chunks: string[] = [];
  let cur = '';
  for (const p of paragraphs) {
    if (cur && cur.length + p.length + 2 > MAX && cur.length >= MIN) {
      chunks.push(cur);
      cur = p;
    } else if (cur && cur.length + p.length + 2 > MAX) {
      // Short and the next does not fit: merge anyway (R8 merges short passages), then cut the excess.
      chunks.push(cur);
      cur = p;
    } else {
      cur = cur ? `${cur}\n\n${p}` : p;
    }
  }
  if (cur) chunks.push(cur);
  return chunks;
}

export function splitPassages(item: { kind: string; title: string; summary: string | null; content: string }): Passage[] {
  const out: Passage[] = [];
  if (item.kind === 'faq') out.push({ ordinal: 0, heading: null, text: `${item.title}\n${item.summary ?? ''}`.trim().slice(0, 2000) });
  const sections: Array<{ heading: string | null; body: string }> = [];
  let current: { heading: string | null; body: string } = { heading: null, body: '' };
  for (const line of item.content.replace(/\r\n/g, '\n').split('\n')) {
    const m = /^(#{1,3})\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) {
      if (current.body.trim() || current.heading) sections.push(current);
      current = { heading: m[2]!.slice(0, 200), body: '' };
    } else {
      current.body += `${line}\n`;
    }
  }
  if (current.body.trim() || current.heading) sections.push(current);
  for (const s of sections) {
    for (const text of chunkSection(s.body)) out.push({ ordinal: out.length, heading: s.heading, text: text.slice(0, 2000) });
  }
  return out;
}
