import { Alert, Button, FileInput, Paper, Progress, Stack, Text, Textarea, TextInput, SimpleGrid } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useServices } from '../../../app/context.tsx';
import { Loading, ErrorState } from '../../../components/states.tsx';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { projectKeys, useUploadLimits } from '../api/projects.ts';
import type { Deliverable } from '../api/types.ts';
import { fileProblems, formatBytes, uploadSubmission } from '../api/upload.ts';

const url = (v: string) => v.trim() === '' || /^https?:\/\/\S+$/i.test(v.trim());

/** P39 for one deliverable: links and up to P81's number of files, checked before and streamed with progress. */
export function SubmitForm({ deliverable, onDone, onCancel }: { deliverable: Deliverable; onDone: () => void; onCancel: () => void }) {
  const services = useServices();
  const qc = useQueryClient();
  const limits = useUploadLimits();
  const [files, setFiles] = useState<File[]>([]);
  const [repo, setRepo] = useState('');
  const [deploy, setDeploy] = useState('');
  const [notes, setNotes] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (limits.isPending) return <Loading label="Cargando las reglas de archivos…" />;
  if (limits.isError) return <ErrorState error={limits.error} />;
  const l = limits.data;
  const problems = fileProblems(files, l);
  const empty = files.length === 0 && repo.trim() === '' && deploy.trim() === '';
  const busy = progress !== null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setProgress(0);
    try {
      await uploadSubmission(services, deliverable.id, { repository_url: repo, deployment_url: deploy, notes, files }, setProgress);
      await qc.invalidateQueries({ queryKey: projectKeys.all });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  }
  const fields = error instanceof ApiError ? error.fields : {};
  const pct = Math.round((progress ?? 0) * 100);
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label={`Entregar ${deliverable.title}`}>
      <Stack>
        {error !== null && (
          <Alert color="red" role="alert" title="No se pudo entregar">
            {messageOf(error)}
          </Alert>
        )}
        <Text size="sm" id={`limits-${deliverable.id}`}>
          Hasta {l.max_submission_files} archivos de {formatBytes(l.max_file_bytes)} cada uno ({formatBytes(l.max_submission_bytes)} en total). Tipos permitidos:{' '}
          {l.allowed_extensions.map((x) => `.${x}`).join(' ')}. Los videos se entregan como enlace.
        </Text>
        <FileInput
          label="Archivos"
          multiple
          accept={l.allowed_extensions.map((x) => `.${x}`).join(',')}
          value={files}
          onChange={setFiles}
          error={problems.join(' ') || fields.files}
          clearable
          clearButtonProps={{ 'aria-label': 'Quitar los archivos elegidos' }}
          aria-describedby={`limits-${deliverable.id}`}
          disabled={busy}
        />
        {files.length > 0 && (
          <Text size="sm">
            {files.map((f) => `${f.name} (${formatBytes(f.size)})`).join(', ')}
          </Text>
        )}
        <TextInput label="Enlace al repositorio" placeholder="https://…" maxLength={500} value={repo} onChange={(e) => setRepo(e.currentTarget.value)} error={!url(repo) ? 'Escriba un enlace http o https' : fields.repository_url} disabled={busy} />
        <TextInput label="Enlace al despliegue o video" placeholder="https://…" maxLength={500} value={deploy} onChange={(e) => setDeploy(e.currentTarget.value)} error={!url(deploy) ? 'Escriba un enlace http o https' : fields.deployment_url} disabled={busy} />
        <Textarea label="Notas para el asesor" maxLength={2000} autosize minRows={1} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} disabled={busy} />
        {busy && (
          <Stack gap={2}>
            <Progress value={pct} animated aria-label="Progreso de la carga" />
            <Text size="sm" role="status">
              Enviando… {pct} %
            </Text>
          </Stack>
        )}
        {empty && <Text size="sm">La entrega necesita al menos un archivo o un enlace.</Text>}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            Cancelar
          </Button>
          <Button type="submit" loading={busy} disabled={empty || problems.length > 0 || !url(repo) || !url(deploy)}>
            Enviar entrega
          </Button>
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
