import { Alert, Button, Stack } from '@mantine/core';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useServices } from '../../../app/context.tsx';
import { messageOf } from '../../../lib/errors.ts';
import { fetchFile, saveBlob, urlOf } from '../api/files.ts';

/**
 * A report's CSV (attendance §6.2): fetched with the token (`format=csv`) and saved from a blob under the
 * name the server gives in `Content-Disposition`. A refusal (EXPORT_TOO_LARGE, 503 when users cannot
 * complete the names) is shown under the button.
 */
export function CsvDownload({
  path,
  query,
  fallbackName,
  label = 'Descargar CSV',
}: {
  path: string;
  query: Record<string, string | number | boolean | undefined>;
  fallbackName: string;
  label?: string;
}) {
  const { authedFetch, baseUrl } = useServices();
  const download = useMutation({
    mutationFn: () => fetchFile(authedFetch, urlOf(baseUrl, path, { ...query, format: 'csv' }), fallbackName),
    onSuccess: (file) => saveBlob(file.blob, file.fileName),
  });
  return (
    <Stack gap="xs" align="flex-start">
      <Button variant="default" leftSection={<IconFileSpreadsheet size={18} aria-hidden />} loading={download.isPending} onClick={() => download.mutate()}>
        {label}
      </Button>
      {download.isError && (
        <Alert color="red" role="alert" title="No se pudo descargar el archivo">
          {messageOf(download.error)}
        </Alert>
      )}
    </Stack>
  );
}
