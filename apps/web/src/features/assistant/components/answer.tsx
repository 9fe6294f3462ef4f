/**
 * An assistant answer as React elements (never HTML): paragraphs, `- ` bullets, **bold**, and the
 * citation markers `[n]` as links to the cited article (`/ayuda/:slug`). The "Fuentes:" block the
 * extractive answer ends with (ai R12) is shown as the list of cited articles instead, with links.
 */
import { Anchor, Badge, Group, List, Stack, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import type { Citation } from '../api/assistant.ts';

/** Bold only over a short balanced span: passage excerpts may carry a lone `**` cut from the source. */
const TOKEN = /(\*\*[^*\n]{1,60}?\*\*|\[\d{1,2}\])/;

/** `[n]` → link to its article when citation n exists, else the text as written. */
export function inlineAnswer(text: string, byN: Map<number, Citation>, key: string): ReactNode[] {
  return text
    .split(TOKEN)
    .filter((p) => p !== '')
    .map((part, i) => {
      const k = `${key}-${i}`;
      if (part.startsWith('**') && part.endsWith('**') && part.length > 4) return <strong key={k}>{part.slice(2, -2)}</strong>;
      const m = /^\[(\d{1,2})\]$/.exec(part);
      const c = m ? byN.get(Number(m[1])) : undefined;
      if (c)
        return (
          <Anchor key={k} component={Link} to="/ayuda/$slug" params={{ slug: c.item_slug } as never} aria-label={`Fuente ${c.n}: ${c.item_title}`} data-citation={c.n}>
            [{c.n}]
          </Anchor>
        );
      // A lone `**` left by a cut excerpt is not shown.
      return part.replace(/\*\*/g, '');
    });
}

/** Drops the trailing `Fuentes:` lines (`[n] …`) when the sources are listed apart. */
export function withoutSourcesBlock(content: string): string {
  const lines = content.split('\n');
  const at = lines.findIndex((l) => l.trim() === 'Fuentes:');
  if (at < 0) return content;
  let end = at + 1;
  while (end < lines.length && /^\s*\[\d{1,2}\]/.test(lines[end])) end += 1;
  return [...lines.slice(0, at), ...lines.slice(end)].join('\n');
}

export function AnswerText({ content, citations }: { content: string; citations: Citation[] }) {
  const byN = new Map(citations.map((c) => [c.n, c]));
  const text = citations.length ? withoutSourcesBlock(content) : content;
  const blocks: Array<{ list: boolean; lines: string[] }> = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) {
      blocks.push({ list: false, lines: [] });
      continue;
    }
    const bullet = /^[-*]\s+(.*)$/.exec(line);
    const last = blocks[blocks.length - 1];
    if (bullet) {
      if (last?.list) last.lines.push(bullet[1]);
      else blocks.push({ list: true, lines: [bullet[1]] });
    } else if (last && !last.list && last.lines.length) last.lines.push(line);
    else blocks.push({ list: false, lines: [line] });
  }
  return (
    <Stack gap="xs">
      {blocks
        .filter((b) => b.lines.length)
        .map((b, i) =>
          b.list ? (
            <List key={i} spacing={4} size="sm">
              {b.lines.map((l, j) => (
                <List.Item key={j}>{inlineAnswer(l, byN, `${i}-${j}`)}</List.Item>
              ))}
            </List>
          ) : (
            <Text key={i} size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {inlineAnswer(b.lines.join(' '), byN, `${i}`)}
            </Text>
          ),
        )}
    </Stack>
  );
}

/** The cited articles, each opening `/ayuda/:slug` once (several passages of one item share a line). */
export function Citations({ citations }: { citations: Citation[] }) {
  const items = new Map<string, { c: Citation; ns: number[] }>();
  for (const c of citations.filter((x) => x.cited)) {
    const seen = items.get(c.item_slug);
    if (seen) seen.ns.push(c.n);
    else items.set(c.item_slug, { c, ns: [c.n] });
  }
  if (!items.size) return null;
  return (
    <Stack gap={4} component="section" aria-label="Fuentes citadas">
      <Text size="sm" fw={600}>
        Fuentes
      </Text>
      <Stack gap={4} component="ul" style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}>
        {[...items.values()].map(({ c, ns }) => (
          <li key={c.item_slug} data-source={c.item_slug}>
            <Text size="sm">
              [{ns.join(', ')}]{' '}
              <Anchor component={Link} to="/ayuda/$slug" params={{ slug: c.item_slug } as never}>
                {c.item_title}
              </Anchor>
              {c.source_reference && (
                <Text span size="sm" c="dimmed">
                  {' '}
                  — {c.source_reference}
                </Text>
              )}
            </Text>
          </li>
        ))}
      </Stack>
    </Stack>
  );
}

export function ModeBadges({ mode, status, fallback }: { mode: string | null; status?: string; fallback?: string | null }) {
  return (
    <Group gap={6}>
      {mode === 'extractive' && (
        <Badge color="blue.8" title="Fragmentos de la base de conocimiento, sin modelo de lenguaje">
          Respuesta extractiva
        </Badge>
      )}
      {mode === 'generated' && (
        <Badge color="sena.8">
          Respuesta generada
        </Badge>
      )}
      {mode === 'no_answer' && (
        <Badge color="gray.7">
          {fallback === 'kb_unavailable' ? 'Ayuda no disponible' : 'Sin respuesta'}
        </Badge>
      )}
      {status === 'interrupted' && (
        <Badge color="red.9">
          Interrumpida
        </Badge>
      )}
    </Group>
  );
}
