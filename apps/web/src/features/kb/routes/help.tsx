import { Alert, Anchor, Button, Chip, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconMessageChatbot, IconSearch } from '@tabler/icons-react';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { Pager } from '../components/pager.tsx';
import { useCategories, useKbBrowse, useKbSearch, useSuggest } from '../api/kb.ts';
import { ItemCard } from '../components/item-card.tsx';
import { Snippet } from '../components/markdown.tsx';

export interface HelpSearch {
  q?: string;
  categoria?: string;
  pagina?: number;
}

/**
 * `/ayuda?q=&categoria=&pagina=` (web.md §4, kb §4.4): the query lives in the URL, so a search can be
 * shared, reloaded and gone back to. Without a query it lists the most useful items of the category.
 */
export default function HelpPage() {
  const search = useSearch({ strict: false }) as HelpSearch;
  const navigate = useNavigate();
  const q = search.q ?? '';
  const page = search.pagina ?? 1;
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  const categories = useCategories();
  const results = useKbSearch(q, search.categoria, page);
  const browse = useKbBrowse(search.categoria, page, q.trim().length < 2);
  const suggest = useSuggest(draft !== q ? draft : '');

  const go = (next: HelpSearch) => void navigate({ to: '/ayuda', search: { ...next, q: next.q || undefined, categoria: next.categoria || undefined, pagina: next.pagina && next.pagina > 1 ? next.pagina : undefined } });

  function submit(event: FormEvent) {
    event.preventDefault();
    go({ q: draft.trim(), categoria: search.categoria });
  }

  const tooShort = draft.trim().length === 1;
  const activeCategory = categories.data?.find((c) => c.slug === search.categoria) ?? categories.data?.flatMap((c) => c.children ?? []).find((c) => c.slug === search.categoria);

  return (
    <Stack>
      <Title order={1}>Ayuda</Title>
      <form onSubmit={submit} role="search" aria-label="Buscar en la ayuda">
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label="¿Qué necesita saber?"
            placeholder="Por ejemplo: justificar una inasistencia"
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            maxLength={500}
            error={tooShort ? 'Escriba al menos 2 caracteres.' : undefined}
            style={{ flex: 1 }}
            type="search"
          />
          <Button type="submit" leftSection={<IconSearch size={16} aria-hidden />} disabled={tooShort}>
            Buscar
          </Button>
        </Group>
      </form>
      {suggest.data && (suggest.data.items.length > 0 || suggest.data.queries.length > 0) && (
        <Stack gap={4} aria-label="Sugerencias">
          <Text size="sm" c="dimmed">
            Sugerencias
          </Text>
          <Group gap="xs">
            {suggest.data.items.map((s) => (
              <Anchor key={s.id} component={Link} to="/ayuda/$slug" params={{ slug: s.slug } as never} size="sm">
                {s.title}
              </Anchor>
            ))}
            {suggest.data.queries.map((s) => (
              <Button key={s} size="compact-sm" variant="subtle" onClick={() => go({ q: s, categoria: search.categoria })}>
                {s}
              </Button>
            ))}
          </Group>
        </Stack>
      )}

      {categories.data && categories.data.length > 0 && (
        <Stack gap={6}>
          <Text size="sm" fw={600} id="kb-categorias">
            Categorías
          </Text>
          <Group gap={6} role="group" aria-labelledby="kb-categorias" wrap="nowrap" style={{ overflowX: 'auto', paddingBottom: 4 }}>
            {categories.data.map((c) => (
              <Chip key={c.id} style={{ flexShrink: 0 }} checked={search.categoria === c.slug} onChange={(on) => go({ q, categoria: on ? c.slug : undefined })} size="sm" color="sena.8">
                {c.name} ({c.item_count})
              </Chip>
            ))}
          </Group>
          {activeCategory && activeCategory.children && activeCategory.children.length > 0 && (
            <Group gap={6}>
              {activeCategory.children.map((c) => (
                <Chip key={c.id} checked={false} onChange={() => go({ q, categoria: c.slug })} size="xs" variant="outline" color="sena.8">
                  {c.name} ({c.item_count})
                </Chip>
              ))}
            </Group>
          )}
          {search.categoria && !categories.data.some((c) => c.slug === search.categoria) && (
            <Group gap="xs">
              <Text size="sm">Filtrando por una subcategoría.</Text>
              <Button size="compact-sm" variant="subtle" onClick={() => go({ q })}>
                Quitar filtro
              </Button>
            </Group>
          )}
        </Stack>
      )}

      {q.trim().length >= 2 ? (
        results.isPending ? (
          <Loading label="Buscando…" />
        ) : results.isError ? (
          <ErrorState error={results.error} title="No se pudo buscar" />
        ) : (
          <Stack gap="xs">
            <Text size="sm" aria-live="polite">
              {results.data.total === 1 ? '1 resultado' : `${results.data.total} resultados`} para «{q}»
            </Text>
            {results.data.relaxed && results.data.total > 0 && (
              <Alert color="blue" variant="light">
                Ningún artículo tiene todas las palabras; se muestran los que tienen algunas de ellas.
              </Alert>
            )}
            {results.data.hits.length === 0 ? (
              <NoResults />
            ) : (
              <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {results.data.hits.map((h) => (
                  <ItemCard key={h.item.id} slug={h.item.slug} title={h.item.title} kind={h.item.kind} category={h.item.category.name}>
                    <Snippet highlight={h.highlight} />
                  </ItemCard>
                ))}
              </Stack>
            )}
            {results.data.totalPages > 1 && <Pager value={page} onChange={(p) => go({ q, categoria: search.categoria, pagina: p })} total={results.data.totalPages} label="Páginas de resultados" />}
          </Stack>
        )
      ) : browse.isPending ? (
        <Loading />
      ) : browse.isError ? (
        <ErrorState error={browse.error} />
      ) : (
        <Stack gap="xs">
          <Title order={2} size="h4">
            {activeCategory ? activeCategory.name : 'Lo más consultado'}
          </Title>
          {browse.data.items.length === 0 ? (
            <Empty>No hay artículos en esta categoría.</Empty>
          ) : (
            <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {browse.data.items.map((i) => (
                <ItemCard key={i.id} slug={i.slug} title={i.title} kind={i.kind} category={i.category.name}>
                  {(i.summary ?? i.excerpt) && (
                    <Text size="sm" c="gray.7" lineClamp={3}>
                      {i.summary ?? i.excerpt}
                    </Text>
                  )}
                </ItemCard>
              ))}
            </Stack>
          )}
          {browse.data.totalPages > 1 && <Pager value={page} onChange={(p) => go({ categoria: search.categoria, pagina: p })} total={browse.data.totalPages} label="Páginas" />}
        </Stack>
      )}
    </Stack>
  );
}

function NoResults() {
  return (
    <Stack gap="xs" align="flex-start">
      <Text>No encontramos artículos con esas palabras. Pruebe con otras o pregúntele al asistente.</Text>
      <Button component={Link} to="/asistente" variant="light" leftSection={<IconMessageChatbot size={16} aria-hidden />}>
        Preguntar al asistente
      </Button>
    </Stack>
  );
}
