import { Alert, Anchor, Badge, Button, Card, Group, Modal, NativeSelect, SegmentedControl, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { useSessionState } from '../../../app/context.tsx';
import { AskText, ConfirmModal, type AskTextRequest } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { Pager } from '../components/pager.tsx';
import { formatDateTime, percent } from '../../../lib/dates.ts';
import { messageOf } from '../../../lib/errors.ts';
import {
  useModerate,
  useModeration,
  useParticipation,
  usePeriod,
  usePeriodAction,
  usePeriodReport,
  useReminderLog,
  useSendReminder,
  useDeletePeriod,
  useUpdatePeriod,
  type Period,
  type PeriodAction,
} from '../api/evalin.ts';
import { useDownload } from '../api/download.ts';
import { avg, Bar } from '../components/bars.tsx';
import { PeriodBadge } from '../components/status.tsx';

type Confirm = { title: string; body: string; confirm: string; resolve: (ok: boolean) => void };
const WITHHELD: Record<string, string> = { insufficient_responses: 'Reservado: pocas respuestas', low_participation: 'Promedio reservado: participación baja' };
const STUDENT_STATUS: Record<string, string> = { pending: 'Sin evaluar', partial: 'Parcial', complete: 'Completo' };

/** E50 per ficha with an optional message (10–500 characters, R43), and the log E51. */
function Reminders({ period }: { period: Period }) {
  const send = useSendReminder(period.id);
  const log = useReminderLog(period.id);
  const [groupId, setGroupId] = useState(period.groups[0]?.group_id ?? '');
  const [message, setMessage] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const messageOk = message.trim().length === 0 || (message.trim().length >= 10 && message.trim().length <= 500);
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="recordatorios">
      <Title order={2} size="h4" id="recordatorios" mb="xs">
        Recordatorios
      </Title>
      {period.is_open ? (
        <Stack gap="xs">
          <NativeSelect label="Ficha" value={groupId} onChange={(e) => setGroupId(e.currentTarget.value)} data={period.groups.map((g) => ({ value: g.group_id, label: g.group_number }))} />
          <Textarea
            label="Mensaje (opcional)"
            description="Entre 10 y 500 caracteres. Llega solo a los aprendices con evaluaciones pendientes."
            maxLength={500}
            rows={2}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            error={messageOk ? undefined : 'Entre 10 y 500 caracteres.'}
          />
          {send.isError && (
            <Alert color="red" role="alert">
              {messageOf(send.error)}
            </Alert>
          )}
          {done && (
            <Alert color="sena" role="status">
              {done}
            </Alert>
          )}
          <Button
            disabled={!groupId || !messageOk}
            loading={send.isPending}
            onClick={() =>
              send.mutate(
                { group_id: groupId, ...(message.trim() ? { message: message.trim() } : {}) },
                {
                  onSuccess: (r) => {
                    setMessage('');
                    setDone(`Ficha ${r.group_number}: ${r.reminders_sent} recordatorios enviados de ${r.pending_students} aprendices pendientes (${r.skipped_recent} ya recibieron uno hoy).`);
                  },
                },
              )
            }
          >
            Enviar recordatorio
          </Button>
        </Stack>
      ) : (
        <Text size="sm">Los recordatorios se envían mientras el período está abierto.</Text>
      )}
      {log.data && log.data.items.length > 0 && (
        <Stack gap={4} mt="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {log.data.items.map((r) => (
            <Text key={r.id} size="sm" component="li">
              {formatDateTime(r.created_at)} · ficha {r.group_number} · {r.kind === 'manual' ? 'manual' : 'automático'} · {r.recipient_count} destinatarios
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  );
}

/** E44: each apprentice's progress (who submitted, never what). */
function ParticipationTable({ periodId }: { periodId: string }) {
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const rows = useParticipation(periodId, status, page);
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="por-aprendiz">
      <Title order={2} size="h4" id="por-aprendiz" mb="xs">
        Avance por aprendiz
      </Title>
      <NativeSelect
        label="Mostrar"
        value={status}
        onChange={(e) => (setStatus(e.currentTarget.value), setPage(1))}
        data={[{ value: '', label: 'Todos' }, ...Object.entries(STUDENT_STATUS).map(([value, label]) => ({ value, label }))]}
        maw={220}
        mb="xs"
      />
      {rows.isPending ? (
        <Loading />
      ) : rows.isError ? (
        <ErrorState error={rows.error} />
      ) : rows.data.items.length === 0 ? (
        <Empty>No hay aprendices con ese estado.</Empty>
      ) : (
        <div style={{ overflowX: 'auto' }} tabIndex={0} role="region" aria-label="Tabla de avance por aprendiz">
          <Table striped miw={420}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Aprendiz</Table.Th>
                <Table.Th>Ficha</Table.Th>
                <Table.Th>Enviadas</Table.Th>
                <Table.Th>Estado</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.data.items.map((r) => (
                <Table.Tr key={`${r.group_id}-${r.student_id}`}>
                  <Table.Td>{r.student_name}</Table.Td>
                  <Table.Td>{r.group_number}</Table.Td>
                  <Table.Td>
                    {r.submitted} de {r.total_instructors}
                  </Table.Td>
                  <Table.Td>{STUDENT_STATUS[r.status]}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {rows.data && <Pager value={page} onChange={setPage} total={rows.data.totalPages} label="Páginas de aprendices" />}
    </Card>
  );
}

/** E39 (+ E45 CSV): participation by ficha and the ranked results once the period is closed. */
function Results({ period }: { period: Period }) {
  const report = usePeriodReport(period.id, true);
  const download = useDownload();
  const [error, setError] = useState<unknown>(null);
  if (report.isPending) return <Loading />;
  if (report.isError) return <ErrorState error={report.error} />;
  const r = report.data;
  return (
    <Stack>
      <Card withBorder padding="sm" component="section" aria-labelledby="por-ficha">
        <Title order={2} size="h4" id="por-ficha" mb="xs">
          Participación por ficha
        </Title>
        <Text size="sm" mb="xs">
          {r.participation.students_participated} de {r.participation.students_total} aprendices evaluaron al menos a un instructor; {r.participation.students_completed} terminaron.
        </Text>
        <Stack gap="sm">
          {r.participation.groups.map((g) => (
            <Bar key={g.group_id} label={`Ficha ${g.group_number} (${g.submitted} de ${g.expected})`} value={g.rate} max={100} display={percent(g.rate)} />
          ))}
        </Stack>
      </Card>
      {r.results_status === 'period_open' || !r.results ? (
        <Alert color="blue">Los resultados se calculan cuando el período cierra, para que nadie deduzca respuestas individuales mirando cómo cambian.</Alert>
      ) : (
        <>
          <Card withBorder padding="sm" component="section" aria-labelledby="resultados">
            <Group justify="space-between" mb="xs">
              <Title order={2} size="h4" id="resultados">
                Resultados por instructor
              </Title>
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => {
                    setError(null);
                    download(`/api/v1/evalin/reports/periods/${period.id}/export/summary.csv`, 'resumen.csv').catch(setError);
                  }}
                >
                  Resumen CSV
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => {
                    setError(null);
                    download(`/api/v1/evalin/reports/periods/${period.id}/export/answers.csv`, 'respuestas.csv').catch(setError);
                  }}
                >
                  Respuestas CSV
                </Button>
              </Group>
            </Group>
            {error !== null && <ErrorState error={error} title="No se pudo descargar" />}
            <Text size="sm" mb="xs">
              {r.results.response_count} respuestas · promedio general {avg(r.results.overall_average)}
            </Text>
            <Stack gap="sm">
              {r.results.instructors.map((i) => (
                <Bar
                  key={i.instructor_id}
                  label={`${i.rank ? `${i.rank}. ` : ''}${i.instructor_name} (${i.response_count} de ${i.expected_count})`}
                  value={i.overall_average}
                  max={5}
                  display={i.withheld_reason ? WITHHELD[i.withheld_reason] : avg(i.overall_average)}
                />
              ))}
            </Stack>
          </Card>
          {r.results.categories.length > 0 && (
            <Card withBorder padding="sm" component="section" aria-labelledby="categorias-periodo">
              <Title order={2} size="h4" id="categorias-periodo" mb="xs">
                Por categoría
              </Title>
              <Stack gap="sm">
                {r.results.categories.map((c) => (
                  <Bar key={c.category} label={c.category} value={c.average} max={5} display={avg(c.average)} />
                ))}
              </Stack>
            </Card>
          )}
        </>
      )}
    </Stack>
  );
}

/** E47–E49: pending (or approved, hidden) comments of a closed period; hiding needs a note. */
function Moderation({ period }: { period: Period }) {
  const [status, setStatus] = useState('pending');
  const list = useModeration(period.id, status, true);
  const moderate = useModerate(period.id);
  const [ask, setAsk] = useState<AskTextRequest | null>(null);
  const hide = (ids: string[]) =>
    setAsk({
      title: 'Ocultar comentario',
      label: 'Nota de moderación',
      description: 'Entre 5 y 500 caracteres. El instructor no verá el comentario.',
      minLength: 5,
      resolve: (note) => {
        setAsk(null);
        if (note) moderate.mutate({ comment_ids: ids, status: 'hidden', moderation_note: note });
      },
    });
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby="moderacion">
      <Title order={2} size="h4" id="moderacion" mb="xs">
        Moderación de comentarios
      </Title>
      <SegmentedControl
        value={status}
        onChange={setStatus}
        data={[
          { value: 'pending', label: 'Pendientes' },
          { value: 'approved', label: 'Aprobados' },
          { value: 'hidden', label: 'Ocultos' },
        ]}
        aria-label="Estado de los comentarios"
        mb="xs"
      />
      {moderate.isError && (
        <Alert color="red" role="alert" mb="xs">
          {messageOf(moderate.error)}
        </Alert>
      )}
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>No hay comentarios en este estado.</Empty>
      ) : (
        <Stack gap="xs">
          {status === 'pending' && (
            <Button size="xs" variant="default" onClick={() => moderate.mutate({ comment_ids: list.data.items.filter((c) => !c.flagged).map((c) => c.id), status: 'approved' })}>
              Aprobar los no marcados ({list.data.items.filter((c) => !c.flagged).length})
            </Button>
          )}
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {list.data.items.map((c) => (
              <Card key={c.id} component="li" withBorder padding="xs">
                <Text size="sm">“{c.text}”</Text>
                <Text size="xs" c="dimmed">
                  {c.instructor.name} · {c.question_text ?? 'Comentario general'}
                  {c.group_number ? ` · ficha ${c.group_number}` : ''}
                </Text>
                {c.flagged && (
                  <Badge color="red.8" variant="filled" mt={4}>
                    Contiene un término bloqueado
                  </Badge>
                )}
                {c.moderation_note && <Text size="xs">Nota: {c.moderation_note}</Text>}
                <Group justify="flex-end" gap="xs" mt={4}>
                  {c.status !== 'approved' && (
                    <Button size="xs" onClick={() => moderate.mutate({ comment_ids: [c.id], status: 'approved' })}>
                      Aprobar
                    </Button>
                  )}
                  {c.status !== 'hidden' && (
                    <Button size="xs" variant="default" color="red.8" onClick={() => hide([c.id])}>
                      Ocultar
                    </Button>
                  )}
                </Group>
              </Card>
            ))}
          </Stack>
        </Stack>
      )}
      <AskText request={ask} />
    </Card>
  );
}

const localDay = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Bogota' }).format(new Date(iso));

/** E21 as R18 allows: every field before the period starts, name and description once it has. */
function EditPeriod({ period, onClose }: { period: Period; onClose: () => void }) {
  const update = useUpdatePeriod(period.id);
  const datesEditable = period.status === 'draft' || period.status === 'scheduled';
  const [form, setForm] = useState({ name: period.name, description: period.description ?? '', start_date: localDay(period.start_date), end_date: localDay(period.end_date) });
  const save = () => {
    const body: Record<string, unknown> = { name: form.name.trim(), description: form.description.trim() || null };
    if (datesEditable && form.start_date !== localDay(period.start_date)) body.start_date = form.start_date;
    if (datesEditable && form.end_date !== localDay(period.end_date)) body.end_date = form.end_date;
    update.mutate(body, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title="Editar período" centered>
      <Stack>
        <TextInput label="Nombre" description="Entre 3 y 200 caracteres." maxLength={200} value={form.name} onChange={(e) => setForm((f) => ({ ...f, name: e.currentTarget.value }))} />
        <Textarea label="Descripción (opcional)" maxLength={1000} value={form.description} onChange={(e) => setForm((f) => ({ ...f, description: e.currentTarget.value }))} />
        {datesEditable ? (
          <Group grow>
            <TextInput type="date" label="Desde" value={form.start_date} onChange={(e) => setForm((f) => ({ ...f, start_date: e.currentTarget.value }))} />
            <TextInput type="date" label="Hasta" value={form.end_date} onChange={(e) => setForm((f) => ({ ...f, end_date: e.currentTarget.value }))} />
          </Group>
        ) : (
          <Text size="sm">Las fechas de un período iniciado cambian con «Extender».</Text>
        )}
        {update.isError && (
          <Alert color="red" role="alert">
            {messageOf(update.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancelar
          </Button>
          <Button onClick={save} disabled={form.name.trim().length < 3} loading={update.isPending}>
            Guardar
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The admin's state machine (E22–E28) and the publication (E29, admin and coordinador). */
function Actions({ period, isAdmin }: { period: Period; isAdmin: boolean }) {
  const navigate = useNavigate();
  const action = usePeriodAction(period.id);
  const del = useDeletePeriod();
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [ask, setAsk] = useState<AskTextRequest | null>(null);
  const [extend, setExtend] = useState(false);
  const [extendForm, setExtendForm] = useState({ end_date: '', reason: '' });
  const [editing, setEditing] = useState(false);
  const run = (a: PeriodAction, body?: Record<string, unknown>) => action.mutate({ action: a, body });
  const confirmThen = (title: string, body: string, label: string, then: () => void) =>
    setConfirm({ title, body, confirm: label, resolve: (ok) => (setConfirm(null), ok && then()) });
  const s = period.status;
  const buttons: Array<{ label: string; onClick: () => void }> = [];
  if (isAdmin && s === 'draft') buttons.push({ label: 'Activar', onClick: () => confirmThen('Activar el período', 'Se notificará a los aprendices cuando abra.', 'Activar', () => run('activate')) });
  if (isAdmin && s === 'scheduled') buttons.push({ label: 'Volver a borrador', onClick: () => run('revert-to-draft') });
  if (isAdmin && s === 'active')
    buttons.push({
      label: 'Suspender',
      onClick: () => setAsk({ title: 'Suspender el período', label: 'Motivo', description: 'Entre 5 y 500 caracteres; lo reciben los aprendices.', minLength: 5, resolve: (r) => (setAsk(null), r && run('suspend', { reason: r })) }),
    });
  if (isAdmin && s === 'suspended') buttons.push({ label: 'Reanudar', onClick: () => run('resume') });
  if (isAdmin && (s === 'active' || s === 'suspended')) {
    buttons.push({ label: 'Extender', onClick: () => setExtend(true) });
    buttons.push({ label: 'Cerrar', onClick: () => confirmThen('Cerrar el período', 'Se borran los borradores y nadie más podrá evaluar.', 'Cerrar período', () => run('close')) });
  }
  if (s === 'closed') buttons.push({ label: 'Publicar resultados', onClick: () => confirmThen('Publicar resultados', 'Cada instructor verá sus resultados y los comentarios aprobados. No se puede deshacer.', 'Publicar', () => run('publish-results')) });
  if (isAdmin && s !== 'closed' && s !== 'published') buttons.push({ label: 'Editar', onClick: () => setEditing(true) });
  if (isAdmin && (s === 'draft' || s === 'scheduled'))
    buttons.push({ label: 'Eliminar', onClick: () => confirmThen('Eliminar el período', 'El período se borra definitivamente.', 'Eliminar', () => del.mutate(period.id, { onSuccess: () => void navigate({ to: '/evaluaciones/admin' }) })) });
  if (buttons.length === 0) return null;
  return (
    <Stack gap="xs">
      <Group gap="xs">
        {buttons.map((b) => (
          <Button key={b.label} size="xs" variant={b.label === 'Eliminar' || b.label === 'Cerrar' || b.label === 'Editar' ? 'default' : 'filled'} onClick={b.onClick} loading={action.isPending}>
            {b.label}
          </Button>
        ))}
      </Group>
      {(action.isError || del.isError) && (
        <Alert color="red" role="alert">
          {messageOf(action.error ?? del.error)}
        </Alert>
      )}
      <ConfirmModal request={confirm} />
      <AskText request={ask} />
      {editing && <EditPeriod period={period} onClose={() => setEditing(false)} />}
      <Modal opened={extend} onClose={() => setExtend(false)} title="Extender el período" centered>
        <Stack>
          <TextInput type="date" label="Nueva fecha de cierre" value={extendForm.end_date} onChange={(e) => setExtendForm((f) => ({ ...f, end_date: e.currentTarget.value }))} />
          <Textarea label="Motivo" description="Entre 5 y 500 caracteres." value={extendForm.reason} onChange={(e) => setExtendForm((f) => ({ ...f, reason: e.currentTarget.value }))} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setExtend(false)}>
              Cancelar
            </Button>
            <Button
              disabled={!extendForm.end_date || extendForm.reason.trim().length < 5}
              onClick={() => {
                setExtend(false);
                run('extend', { end_date: extendForm.end_date, reason: extendForm.reason.trim() });
              }}
            >
              Extender
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** `/evaluaciones/admin/:period` (evalin E20, E29, E39, E44, E47–E51; admin: E22–E28). */
export default function AdminPeriodPage() {
  const { period: id } = useParams({ strict: false }) as { period: string };
  const { claims } = useSessionState();
  const role = claims?.role;
  const period = usePeriod(id);
  const seesResults = role === 'admin' || role === 'coordinador';
  const [tab, setTab] = useState('participacion');
  if (period.isPending) return <Loading />;
  if (period.isError) return <ErrorState error={period.error} />;
  const p = period.data;
  const closed = p.status === 'closed' || p.status === 'published';
  const started = p.status !== 'draft' && p.status !== 'scheduled';
  const tabs = [{ value: 'participacion', label: 'Participación' }, ...(seesResults ? [{ value: 'resultados', label: 'Resultados' }] : []), ...(seesResults && closed ? [{ value: 'comentarios', label: 'Comentarios' }] : [])];
  return (
    <Stack>
      <Anchor component={Link} to="/evaluaciones/admin" size="sm">
        ← Todos los períodos
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Title order={1}>{p.name}</Title>
        <PeriodBadge status={p.status} />
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <Text size="sm">
          Del {formatDateTime(p.start_date)} al {formatDateTime(p.end_date)}
        </Text>
        <Text size="sm">Cuestionario: {p.questionnaire.name} ({p.questionnaire.question_count} preguntas)</Text>
        <Text size="sm">Fichas: {p.groups.map((g) => g.group_number).join(', ')}</Text>
        {p.participation && (
          <Text size="sm">
            Participación: {percent(p.participation.rate)} ({p.participation.submitted} de {p.participation.expected} evaluaciones)
          </Text>
        )}
      </SimpleGrid>
      {p.suspend_reason && p.status === 'suspended' && <Alert color="orange">Suspendido: {p.suspend_reason}</Alert>}
      <Actions period={p} isAdmin={role === 'admin'} />
      {started && (
        <>
          {tabs.length > 1 && <SegmentedControl value={tab} onChange={setTab} data={tabs} aria-label="Sección del período" />}
          {tab === 'resultados' && seesResults ? (
            <Results period={p} />
          ) : tab === 'comentarios' && seesResults && closed ? (
            <Moderation period={p} />
          ) : (
            <>
              <Reminders period={p} />
              <ParticipationTable periodId={p.id} />
            </>
          )}
        </>
      )}
    </Stack>
  );
}
