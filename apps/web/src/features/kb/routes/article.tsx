import { Alert, Anchor, Badge, Breadcrumbs, Button, Card, Divider, Group, Rating, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconThumbDown, IconThumbUp } from '@tabler/icons-react';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { KIND_LABEL, useItemBySlug, useItemFeedback, useRelated, type ItemDetail } from '../api/kb.ts';
import { Markdown } from '../components/markdown.tsx';

/** `/ayuda/:slug` (kb by-slug, related, feedback): the item rendered safely, its rating and related items. */
export default function ArticlePage() {
  const { slug } = useParams({ strict: false }) as { slug: string };
  const item = useItemBySlug(slug);

  if (item.isPending) return <Loading />;
  if (item.isError) {
    const e = item.error;
    const text =
      e instanceof ApiError && e.code === 'AUDIENCE_NOT_ALLOWED'
        ? 'Este contenido no está dirigido a su rol.'
        : e instanceof ApiError && e.code === 'ITEM_NOT_FOUND'
          ? 'No encontramos este artículo. Puede que lo hayan retirado o que el enlace esté mal escrito.'
          : null;
    return (
      <Stack>
        {text ? (
          <Alert color="yellow" title="No disponible" role="alert">
            {text}
          </Alert>
        ) : (
          <ErrorState error={e} />
        )}
        <Anchor component={Link} to="/ayuda">
          Volver a Ayuda
        </Anchor>
      </Stack>
    );
  }
  const it = item.data;
  return (
    <Stack gap="md">
      <Breadcrumbs separator="›" aria-label="Ruta" style={{ flexWrap: 'wrap' }}>
        <Anchor component={Link} to="/ayuda" size="sm">
          Ayuda
        </Anchor>
        {it.category_path.map((c) => (
          <Anchor key={c.id} component={Link} to="/ayuda" search={{ categoria: c.slug } as never} size="sm">
            {c.name}
          </Anchor>
        ))}
      </Breadcrumbs>
      <Stack gap={6}>
        <Title order={1}>{it.title}</Title>
        <Group gap={6}>
          <Badge color="sena.8">
            {KIND_LABEL[it.kind] ?? it.kind}
          </Badge>
          {it.status !== 'published' && <Badge color="grape.8">{STATUS_LABEL[it.status]}</Badge>}
          <Text size="sm" c="dimmed">
            Actualizado {formatDateTime(it.updated_at)}
          </Text>
        </Group>
        {it.source_reference && (
          <Text size="sm" c="dimmed">
            Fuente: {it.source_reference}
          </Text>
        )}
      </Stack>
      {it.summary && (
        <Text fw={500} size="lg">
          {it.summary}
        </Text>
      )}
      <Markdown source={it.content} />
      {it.tags.length > 0 && (
        <Group gap={6} aria-label="Etiquetas">
          {it.tags.map((t) => (
            <Badge key={t} variant="outline" color="gray.7">
              {t}
            </Badge>
          ))}
        </Group>
      )}
      <Divider />
      {it.status === 'published' && <Feedback item={it} />}
      <RelatedItems id={it.id} />
    </Stack>
  );
}

const STATUS_LABEL: Record<string, string> = { draft: 'Borrador', in_review: 'En revisión', published: 'Publicado', archived: 'Archivado' };

/** kb R19: one vote per person (yes/no, optional 1–5 stars and a comment), replaced by the next one. */
function Feedback({ item }: { item: ItemDetail }) {
  const { put, remove } = useItemFeedback(item.slug, item.id);
  const mine = item.my_feedback;
  const [helpful, setHelpful] = useState<boolean | null>(mine?.helpful ?? null);
  const [rating, setRating] = useState(mine?.rating ?? 0);
  const [comment, setComment] = useState(mine?.comment ?? '');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setHelpful(mine?.helpful ?? null);
    setRating(mine?.rating ?? 0);
    setComment(mine?.comment ?? '');
  }, [mine?.helpful, mine?.rating, mine?.comment]);

  async function send(nextHelpful: boolean) {
    setHelpful(nextHelpful);
    setSaved(false);
    await put.mutateAsync({ helpful: nextHelpful, rating: rating || null, comment });
    setSaved(true);
  }

  const votes = item.helpful_count + item.not_helpful_count;
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="kb-opinion">
      <Stack gap="xs">
        <Title order={2} size="h4" id="kb-opinion">
          ¿Le fue útil este artículo?
        </Title>
        <Group gap="xs">
          <Button variant={helpful === true ? 'filled' : 'default'} leftSection={<IconThumbUp size={16} aria-hidden />} aria-pressed={helpful === true} onClick={() => void send(true).catch(() => undefined)} loading={put.isPending && helpful === true}>
            Sí
          </Button>
          <Button variant={helpful === false ? 'filled' : 'default'} leftSection={<IconThumbDown size={16} aria-hidden />} aria-pressed={helpful === false} onClick={() => void send(false).catch(() => undefined)} loading={put.isPending && helpful === false}>
            No
          </Button>
        </Group>
        {helpful !== null && (
          <Stack gap="xs">
            <Group gap="xs">
              <Text size="sm" id="kb-calificacion">
                Calificación
              </Text>
              <Rating value={rating} onChange={setRating} aria-labelledby="kb-calificacion" />
            </Group>
            <Textarea label="Comentario (opcional)" value={comment} onChange={(e) => setComment(e.currentTarget.value)} maxLength={1000} autosize minRows={2} />
            <Group gap="xs">
              <Button size="sm" onClick={() => void send(helpful).catch(() => undefined)} loading={put.isPending}>
                Guardar opinión
              </Button>
              {mine && (
                <Button size="sm" variant="outline" color="red.9" onClick={() => remove.mutate(undefined, { onSuccess: () => setSaved(false) })} loading={remove.isPending}>
                  Quitar mi opinión
                </Button>
              )}
            </Group>
          </Stack>
        )}
        <Text size="sm" c="dimmed" aria-live="polite">
          {saved && !put.isPending ? 'Gracias, guardamos su opinión. ' : ''}
          {votes === 0 ? 'Aún nadie lo ha calificado.' : `${item.helpful_count} de ${votes} personas lo encontraron útil${item.rating_avg !== null ? ` · ${item.rating_avg.toFixed(1)} de 5 (${item.rating_count})` : ''}.`}
        </Text>
        {(put.isError || remove.isError) && (
          <Text size="sm" c="red.8" role="alert">
            {messageOf(put.error ?? remove.error)}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function RelatedItems({ id }: { id: string }) {
  const related = useRelated(id);
  if (!related.data || related.data.length === 0) return null;
  return (
    <Stack gap="xs" component="section" aria-labelledby="kb-relacionados">
      <Title order={2} size="h4" id="kb-relacionados">
        Artículos relacionados
      </Title>
      <Stack gap={4} component="ul" style={{ paddingLeft: '1.2rem', margin: 0 }}>
        {related.data.map((r) => (
          <li key={r.id}>
            <Anchor component={Link} to="/ayuda/$slug" params={{ slug: r.slug } as never}>
              {r.title}
            </Anchor>{' '}
            <Text span size="sm" c="dimmed">
              · {KIND_LABEL[r.kind] ?? r.kind}
            </Text>
          </li>
        ))}
      </Stack>
    </Stack>
  );
}
