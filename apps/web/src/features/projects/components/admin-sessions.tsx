import { Alert, Badge, Button, Card, Group, List, MultiSelect, NumberInput, Paper, Select, Stack, Switch, Text, TextInput, Title, SimpleGrid } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../../app/context.tsx';
import { AskText, type AskTextRequest } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime, formatTime } from '../../../lib/dates.ts';
import { ApiError, messageOf, unwrap } from '../../../lib/errors.ts';
import { useSessions, useSubmissions } from '../api/projects.ts';
import type { EvalSession } from '../api/types.ts';
import { JUROR_STATUS, SESSION_STATUS, SESSION_TYPE, StateBadge, SUBMISSION_STATUS } from './labels.tsx';
import { useAction } from './use-action.ts';

const STATUS_OPTIONS = [{ value: '', label: 'Todas' }, ...Object.entries(SESSION_STATUS).map(([value, label]) => ({ value, label }))];

/** P45 with jurors and agenda; P46 to schedule one; start, complete, cancel and publish (P53–P55, P44). */
export function SessionsAdmin({ canWrite }: { canWrite: boolean }) {
  const [status, setStatus] = useState('');
  const [upcoming, setUpcoming] = useState(false);
  const [creating, setCreating] = useState(false);
  const sessions = useSessions({ status, upcoming: upcoming || undefined, sort: '-starts_at' });
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Group align="flex-end">
          <Select label="Estado" data={STATUS_OPTIONS} value={status} onChange={(v) => setStatus(v ?? '')} allowDeselect={false} maw={200} />
          <Switch label="Solo próximas" checked={upcoming} onChange={(e) => setUpcoming(e.currentTarget.checked)} />
        </Group>
        {canWrite && !creating && <Button onClick={() => setCreating(true)}>Programar sesión</Button>}
      </Group>
      {creating && <SessionForm onDone={() => setCreating(false)} />}
      {sessions.isPending ? (
        <Loading />
      ) : sessions.isError ? (
        <ErrorState error={sessions.error} />
      ) : sessions.data.length === 0 ? (
        <Empty>No hay sesiones con esos filtros.</Empty>
      ) : (
        sessions.data.map((s) => <SessionCard key={s.id} session={s} canWrite={canWrite} />)
      )}
    </Stack>
  );
}

function SessionCard({ session: s, canWrite }: { session: EvalSession; canWrite: boolean }) {
  const { run, busy, error } = useAction();
  const [ask, setAsk] = useState<AskTextRequest | null>(null);
  async function cancel() {
    const reason = await new Promise<string | null>((resolve) => setAsk({ title: `Cancelar ${s.title}`, label: 'Motivo', description: 'Jurados y equipos reciben el aviso (10 a 500 caracteres).', minLength: 10, resolve: (v) => (setAsk(null), resolve(v)) }));
    if (reason) await run(s.id, { method: 'POST', path: `/sessions/${s.id}/cancel`, body: { reason: reason.slice(0, 500) } });
  }
  const confirmed = s.jurors.filter((j) => j.status === 'confirmed').length;
  return (
    <Card withBorder>
      <Stack gap={4}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={600}>{s.title}</Text>
          <StateBadge status={s.status} labels={SESSION_STATUS} />
        </Group>
        <Text size="sm">
          {SESSION_TYPE[s.session_type]} · {formatDateTime(s.starts_at)} – {formatTime(s.ends_at)} · {s.minutes_per_team} min por equipo
        </Text>
        <Text size="sm">
          {[s.location, s.virtual_url].filter(Boolean).join(' · ')} · Organiza {s.organizer_name ?? '(no disponible)'} · Preside {s.chair_name ?? '(no disponible)'}
        </Text>
        {s.cancel_reason && <Text size="sm">Motivo de cancelación: {s.cancel_reason}</Text>}
        <Text size="sm" fw={600}>
          Jurado ({confirmed} {confirmed === 1 ? 'confirmado' : 'confirmados'})
        </Text>
        <Group gap={6}>
          {s.jurors.map((j) => (
            <Badge key={j.instructor_id} variant="outline" color={j.status === 'confirmed' ? 'sena.8' : j.status === 'invited' ? 'gray.7' : 'red.8'} title={j.decline_reason ?? undefined}>
              {j.name ?? '(no disponible)'}: {JUROR_STATUS[j.status]}
              {j.is_panel ? ' · panel' : ''}
            </Badge>
          ))}
        </Group>
        <Text size="sm" fw={600}>
          Agenda
        </Text>
        {s.agenda.length === 0 ? (
          <Text size="sm">Sin equipos agendados.</Text>
        ) : (
          <List size="sm" spacing={4}>
            {s.agenda.map((a) => (
              <List.Item key={a.submission_id}>
                {formatTime(a.slot_starts_at)} · {a.team_name} · {a.deliverable_title} · {SUBMISSION_STATUS[a.submission_status] ?? a.submission_status}
                {canWrite && s.status === 'completed' && a.submission_status === 'evaluated' && (
                  <Button size="compact-sm" ml="xs" loading={busy === a.submission_id} onClick={() => void run(a.submission_id, { method: 'POST', path: `/submissions/${a.submission_id}/publish` })}>
                    Publicar resultado
                  </Button>
                )}
              </List.Item>
            ))}
          </List>
        )}
        {error !== null && (
          <Alert color="red" role="alert">
            {messageOf(error)}
            {error instanceof ApiError && typeof error.details.reason === 'string' ? ` (${SESSION_NOT_READY[error.details.reason] ?? error.details.reason})` : ''}
          </Alert>
        )}
        {canWrite && (
          <Group>
            {s.status === 'scheduled' && (
              <Button size="xs" loading={busy === s.id} onClick={() => void run(s.id, { method: 'POST', path: `/sessions/${s.id}/start` })}>
                Iniciar
              </Button>
            )}
            {s.status === 'in_progress' && (
              <Button size="xs" loading={busy === s.id} onClick={() => void run(s.id, { method: 'POST', path: `/sessions/${s.id}/complete` })}>
                Finalizar
              </Button>
            )}
            {s.status === 'scheduled' && (
              <Button size="xs" variant="default" onClick={() => void cancel()} disabled={busy !== null}>
                Cancelar sesión
              </Button>
            )}
          </Group>
        )}
      </Stack>
      <AskText request={ask} />
    </Card>
  );
}

const SESSION_NOT_READY: Record<string, string> = {
  too_early: 'faltan más de 15 minutos para el inicio',
  jury_not_confirmed: 'hay menos de 2 jurados confirmados',
  chair_not_confirmed: 'el presidente no ha confirmado',
  agenda_empty: 'la agenda está vacía',
};

interface Instructor {
  id: string;
  first_name: string;
  last_name: string;
}

/** P46: title, type, start, place, 2–5 jurors with the chair among them, submissions waiting for a session. */
function SessionForm({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const instructors = useQuery({
    queryKey: ['projecteval', 'instructors'],
    queryFn: () => unwrap<Instructor[]>(api.GET('/api/v1/users', { params: { query: { role: 'instructor', is_active: true, page_size: 100, sort: 'last_name' } as never } }) as never),
  });
  const submissions = useSubmissions({ status: 'submitted' });
  const { run, busy, error } = useAction();
  const [title, setTitle] = useState('');
  const [type, setType] = useState<string>('progress_review');
  const [startsAt, setStartsAt] = useState('');
  const [location, setLocation] = useState('');
  const [virtualUrl, setVirtualUrl] = useState('');
  const [minutes, setMinutes] = useState<number | ''>(30);
  const [jurors, setJurors] = useState<string[]>([]);
  const [chair, setChair] = useState<string | null>(null);
  const [agenda, setAgenda] = useState<string[]>([]);
  const people = (instructors.data ?? []).map((i) => ({ value: i.id, label: `${i.first_name} ${i.last_name}` }));
  const ok = title.trim().length >= 5 && startsAt !== '' && (location.trim() !== '' || virtualUrl.trim() !== '') && jurors.length >= 2 && jurors.length <= 5 && chair !== null && jurors.includes(chair) && minutes !== '';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      title: title.trim(),
      session_type: type,
      // datetime-local is the browser's local time; the API wants an offset, so it goes as an ISO instant.
      starts_at: new Date(startsAt).toISOString(),
      ...(location.trim() ? { location: location.trim() } : {}),
      ...(virtualUrl.trim() ? { virtual_url: virtualUrl.trim() } : {}),
      minutes_per_team: minutes,
      juror_ids: jurors,
      chair_id: chair,
      submission_ids: agenda,
    };
    if (await run('create', { method: 'POST', path: '/sessions', body })) onDone();
  }
  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-label="Programar sesión">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Programar sesión de evaluación
        </Title>
        {error !== null && (
          <Alert color="red" role="alert" title="No se pudo programar">
            {messageOf(error)}
          </Alert>
        )}
        <TextInput label="Título" description="Entre 5 y 200 caracteres" required maxLength={200} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={fields.title} />
        <Select label="Tipo" data={Object.entries(SESSION_TYPE).map(([value, label]) => ({ value, label }))} value={type} onChange={(v) => setType(v ?? 'progress_review')} allowDeselect={false} />
        <TextInput type="datetime-local" label="Inicio" required value={startsAt} onChange={(e) => setStartsAt(e.currentTarget.value)} error={fields.starts_at} />
        <Group grow>
          <TextInput label="Lugar" maxLength={200} value={location} onChange={(e) => setLocation(e.currentTarget.value)} />
          <TextInput label="Enlace virtual" placeholder="https://…" maxLength={500} value={virtualUrl} onChange={(e) => setVirtualUrl(e.currentTarget.value)} error={fields.virtual_url} />
        </Group>
        <NumberInput label="Minutos por equipo" min={15} max={120} allowDecimal={false} value={minutes} onChange={(v) => setMinutes(v === '' ? '' : Number(v))} />
        {instructors.isError ? (
          <ErrorState error={instructors.error} />
        ) : (
          <MultiSelect label="Jurados" description="Entre 2 y 5 instructores" data={people} value={jurors} onChange={setJurors} maxValues={5} searchable nothingFoundMessage="Sin resultados" />
        )}
        <Select label="Presidente" description="Uno de los jurados" data={people.filter((p) => jurors.includes(p.value))} value={chair} onChange={setChair} />
        <MultiSelect
          label="Agenda"
          description="Entregas que esperan sesión, en el orden en que se oirán"
          data={(submissions.data ?? []).map((s) => ({ value: s.id, label: `${s.team_name ?? 'Equipo'} · ${s.deliverable_title ?? 'Entregable'}` }))}
          value={agenda}
          onChange={setAgenda}
          maxValues={10}
          searchable
          nothingFoundMessage="Sin entregas pendientes"
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <Button variant="default" onClick={onDone}>
            Cancelar
          </Button>
          <Button type="submit" loading={busy === 'create'} disabled={!ok}>
            Programar
          </Button>
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
