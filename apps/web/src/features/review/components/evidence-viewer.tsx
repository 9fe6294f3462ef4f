import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconDownload, IconExternalLink } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useServices } from '../../../app/context.tsx';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { fetchFile, saveBlob } from '../api/files.ts';
import type { EvidenceFile } from '../api/justifications.ts';

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${new Intl.NumberFormat('es-CO', { maximumFractionDigits: 0 }).format(bytes / 1024)} KB` : `${new Intl.NumberFormat('es-CO', { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;

/** A blob URL for the life of the component. */
function useObjectUrl(blob: Blob | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) return;
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url;
}

/** One evidence file (attendance J8) fetched with the token, shown inline: a PDF in a frame, an image as itself. */
export function EvidenceViewer({ file }: { file: EvidenceFile }) {
  const { authedFetch, baseUrl } = useServices();
  const content = useQuery({
    queryKey: ['review', 'evidence', file.id],
    queryFn: () => fetchFile(authedFetch, `${baseUrl}${file.download_url}`, file.file_name),
    enabled: !file.purged,
    staleTime: Infinity,
  });
  const url = useObjectUrl(content.data?.blob);
  const isPdf = file.media_type === 'application/pdf';
  return (
    <Card withBorder padding="sm" component="li">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <div>
            <Text fw={700} style={{ overflowWrap: 'anywhere' }}>
              {file.file_name}
            </Text>
            <Text size="sm" c="dimmed">
              {isPdf ? 'PDF' : 'Imagen'} · {size(file.size_bytes)} · subido el {formatDateTime(file.uploaded_at)}
            </Text>
          </div>
          {content.data && (
            <Group gap="xs">
              {url && (
                // Phones seldom show a PDF inside a page: the file opens in a tab of its own from the same blob.
                <Button size="xs" variant="default" component="a" href={url} target="_blank" rel="noopener" leftSection={<IconExternalLink size={16} aria-hidden />}>
                  Abrir
                </Button>
              )}
              <Button size="xs" variant="default" leftSection={<IconDownload size={16} aria-hidden />} onClick={() => saveBlob(content.data.blob, content.data.fileName)}>
                Descargar
              </Button>
            </Group>
          )}
        </Group>
        {file.purged ? (
          <Text size="sm">El archivo se eliminó por antigüedad; se conservan sus datos.</Text>
        ) : content.isPending ? (
          <Loading label="Cargando el soporte…" />
        ) : content.isError ? (
          <ErrorState error={content.error} title="No se pudo abrir el soporte" />
        ) : url === null ? (
          <Loading label="Cargando el soporte…" />
        ) : isPdf ? (
          <iframe src={url} title={`Soporte: ${file.file_name}`} style={{ width: '100%', height: '70vh', minHeight: 320, maxHeight: 900, border: '1px solid var(--mantine-color-gray-4)' }} />
        ) : (
          <img src={url} alt={`Soporte: ${file.file_name}`} style={{ maxWidth: '100%', height: 'auto', display: 'block' }} />
        )}
      </Stack>
    </Card>
  );
}
