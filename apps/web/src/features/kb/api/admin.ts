/** Editing the knowledge base (kb §4.1, §4.5, §4.6): items with states and versions, PDF imports, reports. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { paths } from '@sicora/client';
import { useApi, useServices } from '../../../app/context.tsx';
import { errorFromResponse, networkError, unwrap } from '../../../lib/errors.ts';
import { kbKeys, type ItemDetail, type ItemSummary } from './kb.ts';

export type Metrics = paths['/api/v1/kb/admin/metrics']['get']['responses'][200]['content']['application/json']['data'];
export interface NoResultRow {
  query: string;
  count: number;
  distinct_users: number;
  roles: string[];
  first_seen: string;
  last_seen: string;
}
export interface VersionRow {
  version_number: number;
  title: string;
  changed_by: string | null;
  change_note: string | null;
  created_at: string;
  is_current: boolean;
}
export interface VersionSnapshot {
  version_number: number;
  title: string;
  summary: string | null;
  content: string;
  kind: string;
  source_reference: string | null;
}
export interface PdfImport {
  id: string;
  file_name: string;
  size_bytes: number;
  status: 'queued' | 'processing' | 'completed' | 'failed';
  created_at: string;
  error_code?: string | null;
  error_message?: string | null;
  created_items?: Array<{ id: string; title: string; status: string }>;
  created_item_ids?: string[];
}

export const STATUS_LABEL: Record<string, string> = { draft: 'Borrador', in_review: 'En revisión', published: 'Publicado', archived: 'Archivado' };
export const STATUS_COLOR: Record<string, string> = { draft: 'gray.7', in_review: 'grape.8', published: 'sena.8', archived: 'dark.4' };
export const TRANSITION_LABEL: Record<string, string> = {
  in_review: 'Enviar a revisión',
  published: 'Publicar',
  draft: 'Volver a borrador',
  archived: 'Archivar',
};
export const AUDIENCES = [
  { value: 'all', label: 'Todos' },
  { value: 'aprendiz', label: 'Aprendices' },
  { value: 'instructor', label: 'Instructores' },
  { value: 'administrativo', label: 'Administrativos' },
  { value: 'coordinador', label: 'Coordinación' },
];
export const KINDS = [
  { value: 'article', label: 'Artículo' },
  { value: 'faq', label: 'Pregunta frecuente' },
  { value: 'guide', label: 'Guía' },
  { value: 'procedure', label: 'Procedimiento' },
  { value: 'regulation', label: 'Reglamento' },
];
export const IMPORT_STATUS: Record<string, string> = { queued: 'En cola', processing: 'Procesando', completed: 'Terminada', failed: 'Falló' };
export const QUALITY: Record<string, string> = {
  content_short: 'El contenido es muy corto (menos de 100 caracteres).',
  no_structure: 'El texto es largo y no tiene títulos ni párrafos separados.',
  no_tags: 'No tiene etiquetas: agréguelas para que sea más fácil de encontrar.',
};

export const adminKeys = {
  all: ['kb-admin'] as const,
  items: (status: string, q: string, mine: boolean, page: number) => [...adminKeys.all, 'items', status, q, mine, page] as const,
  item: (id: string) => [...adminKeys.all, 'item', id] as const,
  versions: (id: string) => [...adminKeys.all, 'versions', id] as const,
  imports: () => [...adminKeys.all, 'imports'] as const,
  metrics: () => [...adminKeys.all, 'metrics'] as const,
  noResults: () => [...adminKeys.all, 'no-results'] as const,
  categories: () => [...adminKeys.all, 'categories'] as const,
};

export function useAdminItems(status: string, q: string, mine: boolean, page: number) {
  const api = useApi();
  const text = q.trim();
  return useQuery({
    queryKey: adminKeys.items(status, text.length >= 2 ? text : '', mine, page),
    placeholderData: keepPreviousData,
    queryFn: async () => {
      const query = { page, page_size: 20, sort: '-updated_at' as const, ...(status ? { status } : {}), ...(mine ? { mine: true } : {}), ...(text.length >= 2 ? { q: text.slice(0, 100) } : {}) };
      const result = api.GET('/api/v1/kb/items', { params: { query } });
      const items = await unwrap<ItemSummary[]>(result as never);
      const meta = ((await result).data as { meta?: { pagination?: { total: number; total_pages: number } } } | undefined)?.meta;
      return { items, total: meta?.pagination?.total ?? items.length, totalPages: meta?.pagination?.total_pages ?? 1 };
    },
  });
}

/** The item with the envelope's `links`: one `transition_<to>` per transition open to the caller. */
export function useEditableItem(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.item(id ?? ''),
    enabled: Boolean(id),
    queryFn: async () => {
      const result = api.GET('/api/v1/kb/items/{id}', { params: { path: { id: id! } } });
      const item = await unwrap<ItemDetail>(result as never);
      const links = ((await result).data as { links?: Record<string, unknown> } | undefined)?.links ?? {};
      const transitions = Object.keys(links)
        .filter((k) => k.startsWith('transition_'))
        .map((k) => k.slice('transition_'.length));
      return { item, transitions, canSeeVersions: 'versions' in links };
    },
  });
}

/** Every category (editors: also empty and inactive ones) flattened with its path, for the editor. */
export function useCategoryOptions(editor: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: [...adminKeys.categories(), editor],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      type Node = { id: string; name: string; is_active: boolean; children?: Node[] };
      const tree = await unwrap<Node[]>(api.GET('/api/v1/kb/categories', { params: { query: editor ? { include_empty: true, include_inactive: true } : {} } }) as never);
      const out: Array<{ value: string; label: string; disabled: boolean }> = [];
      const walk = (nodes: Node[], prefix: string) => {
        for (const n of nodes) {
          out.push({ value: n.id, label: `${prefix}${n.name}${n.is_active ? '' : ' (inactiva)'}`, disabled: !n.is_active });
          walk(n.children ?? [], `${prefix}${n.name} › `);
        }
      };
      walk(tree, '');
      return out;
    },
  });
}

export interface ItemInput {
  kind: string;
  title: string;
  summary: string | null;
  content: string;
  source_reference: string | null;
  category_id: string;
  tags: string[];
  audience: string[];
  change_note?: string;
}

export function useSaveItem() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, expectedVersion, input }: { id?: string; expectedVersion?: number; input: ItemInput }) => {
      const { change_note, ...fields } = input;
      if (!id) return unwrap<ItemDetail>(api.POST('/api/v1/kb/items', { body: fields as never }) as never);
      return unwrap<ItemDetail>(
        api.PATCH('/api/v1/kb/items/{id}', { params: { path: { id } }, body: { ...fields, ...(change_note?.trim() ? { change_note: change_note.trim() } : {}), expected_version: expectedVersion } as never }) as never,
      );
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: adminKeys.all });
      void qc.invalidateQueries({ queryKey: kbKeys.all });
    },
  });
}

export function useTransition(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ to, comment, notify }: { to: string; comment?: string; notify?: boolean }) =>
      unwrap<ItemDetail>(
        api.POST('/api/v1/kb/items/{id}/transitions', { params: { path: { id } }, body: { to, ...(comment ? { comment } : {}), ...(to === 'published' && notify ? { notify: true } : {}) } as never }) as never,
      ),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: adminKeys.all });
      void qc.invalidateQueries({ queryKey: kbKeys.all });
    },
  });
}

export function useDeleteItem() {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/kb/items/{id}', { params: { path: { id } } }) as never),
    onSettled: () => qc.invalidateQueries({ queryKey: adminKeys.all }),
  });
}

export function useVersions(id: string | undefined, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.versions(id ?? ''),
    enabled: Boolean(id) && enabled,
    queryFn: () => unwrap<VersionRow[]>(api.GET('/api/v1/kb/items/{id}/versions', { params: { path: { id: id! } } }) as never),
  });
}

export function useVersionSnapshot() {
  const api = useApi();
  return useMutation({
    mutationFn: ({ id, n }: { id: string; n: number }) => unwrap<VersionSnapshot>(api.GET('/api/v1/kb/items/{id}/versions/{n}', { params: { path: { id, n } } }) as never),
  });
}

export function useRestoreVersion(id: string) {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (n: number) => unwrap<ItemDetail>(api.POST('/api/v1/kb/items/{id}/versions/{n}/restore', { params: { path: { id, n } }, body: { change_note: `Restaurada la versión ${n}` } }) as never),
    onSettled: () => qc.invalidateQueries({ queryKey: adminKeys.all }),
  });
}

export function useImports(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.imports(),
    enabled,
    queryFn: () => unwrap<PdfImport[]>(api.GET('/api/v1/kb/imports/pdf', { params: { query: { page_size: 20 } } }) as never),
    // While an import is queued or processing its drafts are not there yet: look again every 3 s.
    refetchInterval: (query) => (query.state.data?.some((i) => i.status === 'queued' || i.status === 'processing') ? 3_000 : false),
  });
}

export function useImportDetail(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: [...adminKeys.imports(), id],
    enabled: Boolean(id),
    queryFn: () => unwrap<PdfImport>(api.GET('/api/v1/kb/imports/pdf/{id}', { params: { path: { id: id! } } }) as never),
  });
}

/** POST /imports/pdf (multipart): the PDF becomes draft items once the job runs (R26–R30). */
export function useUploadPdf() {
  const { authed, baseUrl } = useRawFetch();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, title, kind, split, force }: { file: File; title?: string; kind?: string | null; split: string; force?: boolean }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      if (title?.trim()) form.append('title', title.trim());
      if (kind) form.append('kind', kind);
      form.append('split', split);
      if (force) form.append('force', 'true');
      let response: Response;
      try {
        response = await authed(new Request(`${baseUrl}/api/v1/kb/imports/pdf`, { method: 'POST', body: form }));
      } catch {
        throw networkError();
      }
      const body = (await response.json().catch(() => null)) as { data?: PdfImport } | null;
      if (!response.ok) throw errorFromResponse(response, body);
      return body!.data!;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: adminKeys.imports() }),
  });
}

function useRawFetch() {
  const { authedFetch, baseUrl } = useServices();
  return { authed: authedFetch, baseUrl };
}

export function useMetrics(enabled: boolean) {
  const api = useApi();
  return useQuery({ queryKey: adminKeys.metrics(), enabled, queryFn: () => unwrap<Metrics>(api.GET('/api/v1/kb/admin/metrics', {}) as never) });
}

export function useNoResults(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.noResults(),
    enabled,
    queryFn: () => unwrap<NoResultRow[]>(api.GET('/api/v1/kb/admin/reports/no-results', { params: { query: { page_size: 20 } } }) as never),
  });
}
