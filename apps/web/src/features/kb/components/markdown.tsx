/**
 * kb content is Markdown (kb.md §3.2). It is turned into React elements here, never into an HTML string:
 * any `<tag>` in the text is shown as text, links open only http(s), mailto and the app's own paths, so a
 * stored item cannot inject markup or script (kb R3 refuses the worst patterns; this is the second wall).
 * Supported: ATX headings, paragraphs, bulleted (- * +) and numbered lists, `>` quotes, fenced code, `---`,
 * pipe tables, and inline bold, italic, code spans and links.
 */
import { Anchor, Blockquote, Code, Divider, List, Table, Text, Title, Box } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';

export type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; ordered: boolean; start: number; items: string[] }
  | { type: 'quote'; text: string }
  | { type: 'code'; text: string }
  | { type: 'rule' }
  | { type: 'table'; header: string[]; rows: string[][] };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;
const RULE = /^\s*([-*_])(\s*\1){2,}\s*$/;
const TABLE_SEP = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

/** Markdown text → blocks (no HTML is ever produced). */
export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i += 1;
      continue;
    }
    if (/^\s*```/.test(line)) {
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !/^\s*```/.test(lines[i])) body.push(lines[i++]);
      i += 1;
      blocks.push({ type: 'code', text: body.join('\n') });
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      blocks.push({ type: 'heading', level: h[1].length, text: h[2] });
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      i += 1;
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1])) {
      const header = cells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && lines[i].includes('|') && lines[i].trim()) rows.push(cells(lines[i++]));
      blocks.push({ type: 'table', header, rows });
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) body.push(lines[i++].replace(/^\s*>\s?/, ''));
      blocks.push({ type: 'quote', text: body.join(' ') });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = !bullet;
      const items: string[] = [];
      const start = numbered ? Number(numbered[1]) : 1;
      while (i < lines.length && lines[i].trim()) {
        const m = (ordered ? NUMBERED : BULLET).exec(lines[i]);
        if (m) items.push(ordered ? m[2] : m[1]);
        else if (/^\s+\S/.test(lines[i]) && items.length) items[items.length - 1] += ` ${lines[i].trim()}`;
        else break;
        i += 1;
      }
      blocks.push({ type: 'list', ordered, start, items });
      continue;
    }
    const body: string[] = [];
    while (i < lines.length && lines[i].trim() && !HEADING.test(lines[i]) && !BULLET.test(lines[i]) && !NUMBERED.test(lines[i]) && !/^\s*(```|>)/.test(lines[i])) body.push(lines[i++].trim());
    blocks.push({ type: 'paragraph', text: body.join(' ') });
  }
  return blocks;
}

/** Only these link targets become links; anything else (javascript:, data:, …) stays plain text. */
export function safeHref(url: string): string | null {
  const u = url.trim();
  if (/^https?:\/\//i.test(u) || /^mailto:/i.test(u)) return u;
  if (u.startsWith('/') && !u.startsWith('//')) return u;
  return null;
}

const INLINE = /(\*\*([^*]+?)\*\*|__([^_]+?)__|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*([^*\s][^*]*?)\*|(?<![\p{L}\d])_([^_\s][^_]*?)_(?![\p{L}\d]))/u;

/** Inline Markdown → nodes. */
export function inline(text: string, key = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = 0;
  while (rest) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const k = `${key}-${n++}`;
    if (m[2] !== undefined || m[3] !== undefined) out.push(<strong key={k}>{inline(m[2] ?? m[3], k)}</strong>);
    else if (m[4] !== undefined) out.push(<Code key={k}>{m[4]}</Code>);
    else if (m[5] !== undefined) {
      const href = safeHref(m[6]);
      if (!href) out.push(m[5]);
      else if (href.startsWith('/'))
        out.push(
          <Anchor key={k} component={Link} to={href}>
            {m[5]}
          </Anchor>,
        );
      else
        out.push(
          <Anchor key={k} href={href} target="_blank" rel="noopener noreferrer">
            {m[5]}
          </Anchor>,
        );
    } else out.push(<em key={k}>{inline(m[7] ?? m[8], k)}</em>);
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

/** Headings inside an item start one level below the page's own title (h1). */
export function Markdown({ source }: { source: string }) {
  return (
    <Box className="kb-markdown">
      {parseBlocks(source).map((b, i) => {
        const k = `b${i}`;
        switch (b.type) {
          case 'heading':
            return (
              <Title key={k} order={Math.min(6, b.level + 1) as 2 | 3 | 4 | 5 | 6} mt="md" mb="xs">
                {inline(b.text, k)}
              </Title>
            );
          case 'paragraph':
            return (
              <Text key={k} mb="sm">
                {inline(b.text, k)}
              </Text>
            );
          case 'list':
            return (
              <List key={k} type={b.ordered ? 'ordered' : 'unordered'} start={b.ordered ? b.start : undefined} mb="sm" spacing={4}>
                {b.items.map((item, j) => (
                  <List.Item key={j}>{inline(item, `${k}-${j}`)}</List.Item>
                ))}
              </List>
            );
          case 'quote':
            return (
              <Blockquote key={k} mb="sm" p="sm">
                {inline(b.text, k)}
              </Blockquote>
            );
          case 'code':
            return (
              <Code key={k} block mb="sm">
                {b.text}
              </Code>
            );
          case 'rule':
            return <Divider key={k} my="md" />;
          case 'table':
            return (
              <Table.ScrollContainer key={k} minWidth={320} mb="sm">
                <Table withTableBorder withColumnBorders>
                  <Table.Thead>
                    <Table.Tr>
                      {b.header.map((c, j) => (
                        <Table.Th key={j}>{inline(c, `${k}-h${j}`)}</Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {b.rows.map((row, r) => (
                      <Table.Tr key={r}>
                        {row.map((c, j) => (
                          <Table.Td key={j}>{inline(c, `${k}-${r}-${j}`)}</Table.Td>
                        ))}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            );
        }
      })}
    </Box>
  );
}

/**
 * A search snippet (kb R11's `highlight`): `<mark>`/`</mark>` are the only markup the server adds; they
 * become <mark> elements, everything else is text with the Markdown symbols removed.
 */
export function Snippet({ highlight }: { highlight: string }) {
  const clean = (s: string) =>
    s
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/(^|\s)>\s/g, '$1')
      .replace(/[#*_`|]+/g, '')
      .replace(/\s+/g, ' ');
  const parts = highlight.split(/(<mark>[\s\S]*?<\/mark>)/g).filter(Boolean);
  return (
    <Text size="sm" c="gray.7">
      {parts.map((p, i) =>
        p.startsWith('<mark>') ? <mark key={i}>{clean(p.slice(6, -7))}</mark> : <span key={i}>{i === 0 ? clean(p).trimStart() : clean(p)}</span>,
      )}
    </Text>
  );
}
