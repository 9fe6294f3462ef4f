import { Alert, Anchor, Badge, Button, Card, FileInput, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconFileTypePdf } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { IMPORT_STATUS, KINDS, useImportDetail, useImports, useUploadPdf, type PdfImport } from '../api/admin.ts';

const MAX_MB = 50;
const SPLITS = [
  { value: 'auto', label: 'Automático' },
  { value: 'single', label: 'Un solo artículo' },
  { value: 'sections', label: 'Un artículo por sección' },
];

/** PDF → draft items (kb R26–R30): upload, then the import list refreshes until the job finishes. */
export function PdfImportPanel() {
  const upload = useUploadPdf();
  const imports = useImports(true);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<string | null>(null);
  const [split, setSplit] = useState<string | null>('auto');
  const [open, setOpen] = useState<string | null>(null);
  const tooBig = file !== null && file.size > MAX_MB * 1024 * 1024;
  const duplicate = upload.error instanceof ApiError && upload.error.code === 'DUPLICATE_DOCUMENT';

  function submit(event: FormEvent, force = false) {
    event.preventDefault();
    if (!file) return;
    upload.mutate({ file, title, kind, split: split ?? 'auto', force }, { onSuccess: () => (setFile(null), setTitle('')) });
  }

  return (
    <Stack gap="md">
      <form onSubmit={(e) => submit(e)}>
        <Stack gap="sm">
          <Text size="sm">El PDF se convierte en borradores: revíselos y publíquelos desde la lista de artículos. Solo se lee el texto (no imágenes escaneadas); máximo {MAX_MB} MB y 300 páginas.</Text>
          <FileInput label="Archivo PDF" accept="application/pdf" value={file} onChange={setFile} leftSection={<IconFileTypePdf size={16} aria-hidden />} error={tooBig ? `El archivo supera ${MAX_MB} MB.` : undefined} clearable required />
          <TextInput label="Título (opcional)" value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} description="Si lo deja vacío se toma del PDF o del nombre del archivo." />
          <Group grow align="flex-start">
            <Select label="Tipo" data={KINDS} value={kind} onChange={setKind} clearable placeholder="Detectar" />
            <Select label="División" data={SPLITS} value={split} onChange={setSplit} allowDeselect={false} />
          </Group>
          {upload.isError && (
            <Alert color="red" role="alert">
              {messageOf(upload.error)}
              {duplicate && (
                <Button mt="xs" size="xs" variant="light" onClick={(e) => submit(e as unknown as FormEvent, true)}>
                  Importarlo de nuevo
                </Button>
              )}
            </Alert>
          )}
          {upload.isSuccess && <Alert color="green">Recibimos el PDF; sus borradores aparecerán cuando termine el proceso.</Alert>}
          <Group justify="flex-end">
            <Button type="submit" disabled={!file || tooBig} loading={upload.isPending}>
              Importar PDF
            </Button>
          </Group>
        </Stack>
      </form>
      <Title order={2} size="h4">
        Importaciones
      </Title>
      {imports.isPending ? (
        <Loading />
      ) : imports.isError ? (
        <ErrorState error={imports.error} />
      ) : imports.data.length === 0 ? (
        <Empty>No hay importaciones.</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {imports.data.map((i) => (
            <ImportRow key={i.id} row={i} open={open === i.id} onToggle={() => setOpen(open === i.id ? null : i.id)} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

const IMPORT_COLOR: Record<string, string> = { queued: 'gray.7', processing: 'blue.8', completed: 'sena.8', failed: 'red.9' };

function ImportRow({ row, open, onToggle }: { row: PdfImport; open: boolean; onToggle: () => void }) {
  const detail = useImportDetail(open ? row.id : null);
  return (
    <Card component="li" withBorder padding="sm">
      <Stack gap={4}>
        <Group justify="space-between" gap="xs">
          <Text fw={600} style={{ wordBreak: 'break-all' }}>
            {row.file_name}
          </Text>
          <Badge color={IMPORT_COLOR[row.status]}>{IMPORT_STATUS[row.status]}</Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {formatDateTime(row.created_at)} · {(row.size_bytes / 1024).toFixed(0)} KB
        </Text>
        {(row.status === 'completed' || row.status === 'failed') && (
          <Button size="compact-sm" variant="subtle" onClick={onToggle} style={{ alignSelf: 'flex-start' }} aria-expanded={open}>
            {open ? 'Ocultar detalle' : 'Ver detalle'}
          </Button>
        )}
        {open && detail.data && (
          <Stack gap={4}>
            {detail.data.error_message && (
              <Text size="sm" c="red.8">
                {detail.data.error_message}
              </Text>
            )}
            {detail.data.created_items?.map((it) => (
              <Anchor key={it.id} component={Link} to="/kb/articulos/$id" params={{ id: it.id } as never} size="sm">
                {it.title}
              </Anchor>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
