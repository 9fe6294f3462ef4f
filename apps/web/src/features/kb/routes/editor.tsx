import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Tabs, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useSessionState } from '../../../app/context.tsx';
import { AskText, type AskTextRequest } from '../../../components/ask-text.tsx';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import {
  AUDIENCES,
  KINDS,
  QUALITY,
  STATUS_COLOR,
  STATUS_LABEL,
  TRANSITION_LABEL,
  useCategoryOptions,
  useDeleteItem,
  useEditableItem,
  useRestoreVersion,
  useSaveItem,
  useTransition,
  useVersions,
  useVersionSnapshot,
  type ItemInput,
  type VersionSnapshot,
} from '../api/admin.ts';
import type { ItemDetail } from '../api/kb.ts';
import { Markdown } from '../components/markdown.tsx';

const EMPTY: ItemInput = { kind: 'article', title: '', summary: null, content: '', source_reference: null, category_id: '', tags: [], audience: ['all'], change_note: '' };

const fromItem = (i: ItemDetail): ItemInput => ({
  kind: i.kind,
  title: i.title,
  summary: i.summary,
  content: i.content,
  source_reference: i.source_reference,
  category_id: i.category.id,
  tags: i.tags,
  audience: i.audience,
  change_note: '',
});

/**
 * `/kb/articulos/:id` (`nuevo` to create): kb items POST/PATCH with `expected_version` (B3), the state
 * transitions the API offers the caller (`links.transition_*`), versions (view, restore) and deletion.
 * Instructors edit only their own drafts (kb V4); the API decides, the screen follows its links.
 */
export default function EditorPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const isNew = id === 'nuevo';
  const { claims } = useSessionState();
  const editor = claims?.role === 'coordinador' || claims?.role === 'admin';
  const loaded = useEditableItem(isNew ? undefined : id);
  const categories = useCategoryOptions(editor);
  const save = useSaveItem();
  const navigate = useNavigate();
  const [form, setForm] = useState<ItemInput>(EMPTY);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const item = loaded.data?.item;

  useEffect(() => {
    if (item) setForm(fromItem(item));
  }, [item]);

  if (!isNew && loaded.isPending) return <Loading />;
  if (!isNew && loaded.isError) return <ErrorState error={loaded.error} title="No se pudo abrir el artículo" />;

  const editable = isNew || editor || item?.status === 'draft';
  const set = <K extends keyof ItemInput>(k: K, v: ItemInput[K]) => (setForm((f) => ({ ...f, [k]: v })), setSaved(false));
  const fieldError = (name: string) => (save.error instanceof ApiError ? save.error.fields[name] : undefined);
  const conflict = save.error instanceof ApiError && save.error.code === 'VERSION_CONFLICT';

  function submit(event: FormEvent) {
    event.preventDefault();
    const input: ItemInput = {
      ...form,
      title: form.title.trim(),
      summary: form.summary?.trim() ? form.summary.trim() : null,
      source_reference: form.source_reference?.trim() ? form.source_reference.trim() : null,
    };
    save.mutate(
      { id: isNew ? undefined : id, expectedVersion: item?.version, input },
      {
        onSuccess: (result) => {
          setWarnings(result.quality_warnings ?? []);
          setSaved(true);
          if (isNew) void navigate({ to: '/kb/articulos/$id', params: { id: result.id } as never });
        },
      },
    );
  }

  return (
    <Stack gap="sm">
      <Anchor component={Link} to={editor ? '/kb/admin' : '/kb/borradores'} size="sm">
        ‹ {editor ? 'Base de conocimiento' : 'Mis borradores'}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Title order={1}>{isNew ? (editor ? 'Nuevo artículo' : 'Proponer borrador') : item?.title}</Title>
        {item && (
          <Group gap={6}>
            <Badge color={STATUS_COLOR[item.status]}>{STATUS_LABEL[item.status]}</Badge>
            <Text size="sm" c="dimmed">
              Versión {item.version}
            </Text>
          </Group>
        )}
      </Group>
      {item && <StatusActions item={item} transitions={loaded.data!.transitions} editor={editor} />}
      {!editable && <Alert color="yellow">Solo puede editar sus artículos mientras son borradores.</Alert>}
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput label="Título" value={form.title} onChange={(e) => set('title', e.currentTarget.value)} required minLength={3} maxLength={200} error={fieldError('title')} disabled={!editable} description={form.kind === 'faq' ? 'Para una pregunta frecuente, escriba la pregunta.' : undefined} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select label="Tipo" data={KINDS} value={form.kind} onChange={(v) => v && set('kind', v)} allowDeselect={false} disabled={!editable} error={fieldError('kind')} />
            <Select label="Categoría" data={categories.data ?? []} value={form.category_id || null} onChange={(v) => set('category_id', v ?? '')} searchable required disabled={!editable} error={fieldError('category_id')} nothingFoundMessage="Sin categorías" />
          </SimpleGrid>
          <Textarea
            label={form.kind === 'faq' ? 'Respuesta corta' : 'Resumen (opcional)'}
            value={form.summary ?? ''}
            onChange={(e) => set('summary', e.currentTarget.value)}
            maxLength={500}
            autosize
            minRows={2}
            required={form.kind === 'faq'}
            disabled={!editable}
            error={fieldError('summary')}
          />
          <TextInput
            label={form.kind === 'regulation' ? 'Referencia de la norma' : 'Fuente (opcional)'}
            placeholder="Reglamento del Aprendiz, Capítulo IV, Artículo 9"
            value={form.source_reference ?? ''}
            onChange={(e) => set('source_reference', e.currentTarget.value)}
            maxLength={300}
            required={form.kind === 'regulation'}
            disabled={!editable}
            error={fieldError('source_reference')}
          />
          <Tabs defaultValue="texto" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="texto">Contenido</Tabs.Tab>
              <Tabs.Tab value="vista">Vista previa</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="texto" pt="xs">
              <Textarea
                label="Contenido (Markdown: ## títulos, listas con -, **negrita**)"
                value={form.content}
                onChange={(e) => set('content', e.currentTarget.value)}
                minLength={20}
                maxLength={50_000}
                autosize
                minRows={10}
                maxRows={30}
                required
                disabled={!editable}
                error={fieldError('content')}
                styles={{ input: { fontFamily: 'monospace' } }}
                description={`${form.content.length}/50000`}
              />
            </Tabs.Panel>
            <Tabs.Panel value="vista" pt="xs">
              <Card withBorder padding="sm">
                <Markdown source={form.content} />
              </Card>
            </Tabs.Panel>
          </Tabs>
          <TagsInput label="Etiquetas" value={form.tags} onChange={(v) => set('tags', v)} maxTags={15} disabled={!editable} error={fieldError('tags')} description="Hasta 15; escriba y presione Enter." />
          <MultiSelect
            label="Dirigido a"
            data={AUDIENCES}
            value={form.audience}
            onChange={(v) => set('audience', v.includes('all') && !form.audience.includes('all') ? ['all'] : v.filter((x) => x !== 'all' || v.length === 1))}
            required
            disabled={!editable}
            error={fieldError('audience')}
          />
          {!isNew && editable && <TextInput label="Nota del cambio (opcional)" value={form.change_note ?? ''} onChange={(e) => set('change_note', e.currentTarget.value)} maxLength={300} />}
          {save.isError && (
            <Alert color="red" role="alert" title={conflict ? 'Alguien más cambió este artículo' : 'No se pudo guardar'}>
              {conflict ? 'Recargue para ver la versión actual antes de guardar sus cambios.' : messageOf(save.error)}
              {conflict && (
                <Button mt="xs" size="xs" variant="light" onClick={() => void loaded.refetch().then(() => save.reset())}>
                  Recargar
                </Button>
              )}
            </Alert>
          )}
          {saved && !save.isPending && (
            <Alert color="green" title="Guardado">
              {warnings.length ? warnings.map((w) => QUALITY[w] ?? w).join(' ') : 'Los cambios quedaron guardados.'}
            </Alert>
          )}
          {editable && (
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending} disabled={!form.category_id || form.audience.length === 0}>
                {isNew ? 'Crear borrador' : 'Guardar cambios'}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
      {item && loaded.data!.canSeeVersions && <Versions item={item} editor={editor} />}
    </Stack>
  );
}

function StatusActions({ item, transitions, editor }: { item: ItemDetail; transitions: string[]; editor: boolean }) {
  const transition = useTransition(item.id);
  const remove = useDeleteItem();
  const navigate = useNavigate();
  const [notify, setNotify] = useState(false);
  const [ask, setAsk] = useState<AskTextRequest | null>(null);
  const [deleting, setDeleting] = useState(false);
  const canDelete = editor || item.status === 'draft';

  function run(to: string) {
    // An editor returning someone's item for changes must say why (kb §3.4, 5–1000 characters).
    if (to === 'draft' && item.status === 'in_review' && editor)
      return setAsk({
        title: 'Devolver para cambios',
        label: 'Qué debe cambiar',
        minLength: 5,
        resolve: (comment) => {
          setAsk(null);
          if (comment) transition.mutate({ to, comment: comment.slice(0, 1000) });
        },
      });
    transition.mutate({ to, notify });
  }

  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Group gap="xs">
          {transitions.map((to) => (
            <Button key={to} size="sm" variant={to === 'published' || to === 'in_review' ? 'filled' : 'default'} onClick={() => run(to)} loading={transition.isPending && transition.variables?.to === to}>
              {to === 'draft' && item.status === 'in_review' ? (editor ? 'Devolver para cambios' : 'Retirar de revisión') : to === 'draft' && item.status === 'archived' ? 'Restaurar como borrador' : to === 'published' && item.status === 'archived' ? 'Publicar de nuevo' : TRANSITION_LABEL[to]}
            </Button>
          ))}
          {item.status === 'published' && (
            <Button size="sm" variant="subtle" component={Link} to="/ayuda/$slug" params={{ slug: item.slug } as never}>
              Ver en Ayuda
            </Button>
          )}
          {canDelete && (
            <Button size="sm" variant="outline" color="red.9" onClick={() => setDeleting(true)}>
              Eliminar
            </Button>
          )}
        </Group>
        {transitions.includes('published') && <Checkbox label="Avisar a los lectores al publicar" checked={notify} onChange={(e) => setNotify(e.currentTarget.checked)} />}
        {transition.isError && (
          <Text size="sm" c="red.8" role="alert">
            {messageOf(transition.error)}
          </Text>
        )}
      </Stack>
      <AskText request={ask} />
      <Modal opened={deleting} onClose={() => setDeleting(false)} title="Eliminar artículo" centered>
        <Stack>
          <Text size="sm">«{item.title}» dejará de existir para todos. ¿Continuar?</Text>
          {remove.isError && (
            <Text size="sm" c="red.8" role="alert">
              {messageOf(remove.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(false)}>
              Cancelar
            </Button>
            <Button color="red.8" loading={remove.isPending} onClick={() => remove.mutate(item.id, { onSuccess: () => void navigate({ to: editor ? '/kb/admin' : '/kb/borradores' }) })}>
              Eliminar
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

function Versions({ item, editor }: { item: ItemDetail; editor: boolean }) {
  const versions = useVersions(item.id, true);
  const snapshot = useVersionSnapshot();
  const restore = useRestoreVersion(item.id);
  const [shown, setShown] = useState<VersionSnapshot | null>(null);
  return (
    <Stack gap="xs" component="section" aria-labelledby="kb-versiones">
      <Title order={2} size="h4" id="kb-versiones">
        Versiones
      </Title>
      {versions.isPending ? (
        <Loading />
      ) : versions.isError ? (
        <ErrorState error={versions.error} />
      ) : (
        <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {versions.data.map((v) => (
            <Card key={v.version_number} component="li" withBorder padding="xs">
              <Group justify="space-between" gap="xs">
                <Stack gap={0}>
                  <Text size="sm" fw={600}>
                    Versión {v.version_number}
                    {v.is_current ? ' (actual)' : ''}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {formatDateTime(v.created_at)}
                    {v.change_note ? ` · ${v.change_note}` : ''}
                  </Text>
                </Stack>
                <Group gap={4}>
                  <Button size="compact-sm" variant="subtle" onClick={() => snapshot.mutate({ id: item.id, n: v.version_number }, { onSuccess: setShown })}>
                    Ver
                  </Button>
                  {editor && !v.is_current && (
                    <Button size="compact-sm" variant="light" onClick={() => restore.mutate(v.version_number)} loading={restore.isPending && restore.variables === v.version_number}>
                      Restaurar
                    </Button>
                  )}
                </Group>
              </Group>
            </Card>
          ))}
        </Stack>
      )}
      {(restore.isError || snapshot.isError) && (
        <Text size="sm" c="red.8" role="alert">
          {messageOf(restore.error ?? snapshot.error)}
        </Text>
      )}
      <Modal opened={shown !== null} onClose={() => setShown(null)} title={shown ? `Versión ${shown.version_number}: ${shown.title}` : ''} size="lg">
        {shown && (
          <Stack gap="xs">
            {shown.summary && <Text fw={500}>{shown.summary}</Text>}
            <Markdown source={shown.content} />
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
