import { Alert, Anchor, Button, FileInput, Paper, Progress, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../../app/context.tsx';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatClock, formatDateTime, formatShortDate } from '../../../lib/dates.ts';
import { ApiError, messageOf, unwrap } from '../../../lib/errors.ts';
import { attendanceKeys, useRecord } from '../api/attendance.ts';
import { evidenceProblem, MAX_FILES, prepareEvidence } from '../api/evidence.ts';

const TYPES = [
  { value: 'MEDICAL', label: 'Médica' },
  { value: 'FAMILY', label: 'Calamidad familiar' },
  { value: 'PERSONAL', label: 'Personal' },
  { value: 'WORK', label: 'Laboral' },
  { value: 'INSTITUTIONAL', label: 'Institucional' },
  { value: 'OTHER', label: 'Otra' },
];

/** `/asistencia/justificar?record_id=` → attendance J1 with 1–3 evidence files. */
export default function JustifyPage() {
  const api = useApi();
  const qc = useQueryClient();
  const { record_id = '' } = useSearch({ strict: false }) as { record_id?: string };
  const record = useRecord(record_id);
  const [type, setType] = useState<string | null>('MEDICAL');
  const [reason, setReason] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  if (!record_id) return <Alert color="yellow">Elija la falta que quiere justificar desde Mi asistencia.</Alert>;
  if (record.isPending) return <Loading />;
  if (record.isError) return <ErrorState error={record.error} />;
  const r = record.data;
  const problems = files.map(evidenceProblem).filter((p): p is string => p !== null);

  async function choose(chosen: File[]) {
    setFiles(await Promise.all(chosen.slice(0, MAX_FILES).map(prepareEvidence)));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('sessions', JSON.stringify([{ schedule_id: r.schedule_id, session_date: r.session_date }]));
      form.append('type', type ?? 'OTHER');
      form.append('reason', reason.trim());
      for (const f of files) form.append('files', f, f.name);
      await unwrap(api.POST('/api/v1/attendance/justifications', { body: form as never }) as never);
      await qc.invalidateQueries({ queryKey: attendanceKeys.all });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Stack maw={560}>
      <Title order={1}>Justificar una falta</Title>
      <Text>
        {r.subject} · {formatShortDate(r.session_date)} · {formatClock(r.start_time)} – {formatClock(r.end_time)}
      </Text>
      {r.justify_deadline && <Text size="sm">Plazo: {formatDateTime(r.justify_deadline)}</Text>}
      {done ? (
        <Alert color="sena" title="Justificación enviada" role="status">
          Su instructor la revisará. Verá la respuesta en{' '}
          <Anchor component={Link} to="/asistencia">
            Mi asistencia
          </Anchor>{' '}
          y en sus notificaciones.
        </Alert>
      ) : (
        <Paper withBorder p="md" component="form" onSubmit={submit} noValidate>
          <Stack>
            {error !== null && (
              <Alert color="red" role="alert" title="No se pudo enviar">
                {messageOf(error)}
              </Alert>
            )}
            <Select label="Tipo" data={TYPES} value={type} onChange={setType} allowDeselect={false} error={fields.type} />
            <Textarea label="Motivo" description="Explique brevemente por qué faltó" required minRows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={fields.reason} />
            <FileInput
              label="Soportes"
              description="De 1 a 3 archivos PDF, JPEG o PNG de hasta 5 MB (las fotos se reducen antes de enviarse)"
              multiple
              accept="application/pdf,image/jpeg,image/png,image/heic,image/heif"
              value={files}
              onChange={(chosen) => void choose(chosen)}
              error={problems.join(' ') || fields.files}
              clearable
              clearButtonProps={{ 'aria-label': 'Quitar los archivos elegidos' }}
            />
            {busy && <Progress value={100} animated aria-label="Enviando soportes" />}
            <Button type="submit" loading={busy} disabled={files.length === 0 || problems.length > 0 || reason.trim().length === 0}>
              Enviar justificación
            </Button>
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}
