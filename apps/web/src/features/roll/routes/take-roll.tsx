import { Alert, Avatar, Badge, Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { useCallback, useRef, useState } from 'react';
import { AskText, ConfirmModal, type AskTextRequest } from '../../../components/ask-text.tsx';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatClock, formatShortDate } from '../../../lib/dates.ts';
import { messageOf } from '../../../lib/errors.ts';
import { useRoll, useRollActions, type Mark, type RosterRow } from '../api/roll.ts';
import { initials } from '../components/scan-banner.tsx';
import { Scanner } from '../components/scanner.tsx';

const STATUS_LABEL: Record<string, string> = { PRESENT: 'Presente', LATE: 'Tarde', ABSENT: 'Ausente', EXCUSED: 'Excusado', JUSTIFIED: 'Justificado', UNMARKED: 'Sin marcar' };
const STATUS_COLOR: Record<string, string> = { PRESENT: 'sena.8', LATE: '#9a3c00', ABSENT: 'red.8', EXCUSED: 'grape.8', JUSTIFIED: 'blue.8', UNMARKED: 'gray.7' };
const SETTABLE: Array<Mark['status']> = ['PRESENT', 'LATE', 'ABSENT', 'EXCUSED'];

type Confirm = { title: string; body: string; confirm: string; resolve: (ok: boolean) => void };

/** `/asistencia/tomas/:schedule/:date` (attendance RL2–RL6 and Q2). */
export default function TakeRollPage() {
  const { schedule, date } = useParams({ strict: false }) as { schedule: string; date: string };
  const roll = useRoll(schedule, date);
  const actions = useRollActions(schedule, date, roll.data?.id);
  const [mode, setMode] = useState<'list' | 'scan'>('list');
  const [ask, setAsk] = useState<AskTextRequest | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reason = useRef<string | null>(null);

  const askText = (req: Omit<AskTextRequest, 'resolve'>) =>
    new Promise<string | null>((resolve) => setAsk({ ...req, resolve: (v) => (setAsk(null), resolve(v)) }));
  const askConfirm = (req: Omit<Confirm, 'resolve'>) => new Promise<boolean>((resolve) => setConfirm({ ...req, resolve: (ok) => (setConfirm(null), resolve(ok)) }));

  /** R9/R10: after a close (or while closed) every change carries a reason, asked once per visit. */
  const changeReason = useCallback(async (): Promise<string | undefined | null> => {
    const r = roll.data;
    if (!r || (r.status !== 'CLOSED' && !r.was_closed)) return undefined;
    if (reason.current) return reason.current;
    const given = await askText({ title: 'Motivo del cambio', label: 'Motivo', description: 'La lista ya se había cerrado: el cambio queda registrado con su motivo (5 a 300 caracteres).', minLength: 5 });
    if (given) reason.current = given;
    return given;
  }, [roll.data]);

  const mark = useCallback(
    async (row: RosterRow, status: Mark['status']) => {
      setError(null);
      const m: Mark = { student_id: row.student_id, status };
      if (status === 'EXCUSED') {
        const notes = await askText({ title: `Excusar a ${row.full_name}`, label: 'Nota de la excusa', description: 'Entre 5 y 500 caracteres.', minLength: 5 });
        if (!notes) return;
        m.notes = notes;
      }
      const why = await changeReason();
      if (why === null) return;
      try {
        await actions.marks.mutateAsync({ marks: [m], ...(why ? { reason: why } : {}) });
      } catch (err) {
        setError(err);
        throw err;
      }
    },
    [actions.marks, changeReason],
  );

  if (roll.isPending) return <Loading label="Abriendo la lista…" />;
  // A failed refresh keeps the roll on screen (and the camera running): only a first load failure replaces it.
  if (!roll.data) return <ErrorState error={roll.error} title="No se pudo abrir la lista" />;
  const r = roll.data;
  const closed = r.status === 'CLOSED';

  async function markRest() {
    if (!(await askConfirm({ title: 'Marcar el resto ausente', body: `Los ${r.counts.unmarked} aprendices sin marcar quedarán ausentes.`, confirm: 'Marcar ausentes' }))) return;
    const why = await changeReason();
    if (why === null) return;
    await actions.marks.mutateAsync({ marks: [], mark_rest: 'ABSENT', ...(why ? { reason: why } : {}) }).catch(setError);
  }

  async function close() {
    const empty = r.counts.unmarked === r.counts.roster;
    const ok = await askConfirm({
      title: 'Cerrar la lista',
      body: empty ? 'Nadie está marcado: todos quedarán ausentes. ¿Cerrar de todas formas?' : `Los ${r.counts.unmarked} sin marcar quedarán ausentes y se avisará a los aprendices.`,
      confirm: 'Cerrar lista',
    });
    if (ok) await actions.close.mutateAsync(empty).catch(setError);
  }

  return (
    <Stack>
      <div>
        <Title order={1}>Tomar asistencia</Title>
        <Text>
          {r.subject} · Ficha {r.group_number} · {formatShortDate(r.session_date)} · {formatClock(r.start_time)} – {formatClock(r.end_time)}
        </Text>
      </div>
      <Group gap="xs">
        <Badge color={closed ? 'gray.8' : 'sena.8'}>{closed ? 'Lista cerrada' : 'Lista abierta'}</Badge>
        <Text size="sm">
          Presentes {r.counts.present} · Tarde {r.counts.late} · Ausentes {r.counts.absent} · Sin marcar {r.counts.unmarked} de {r.counts.roster}
        </Text>
      </Group>
      {roll.isError && <ErrorState error={roll.error} title="No se pudo actualizar la lista" />}
      {error !== null && (
        <Alert color="red" role="alert" withCloseButton onClose={() => setError(null)}>
          {messageOf(error)}
        </Alert>
      )}
      {!closed && (
        <SegmentedControl
          aria-label="Modo de registro"
          value={mode}
          onChange={(v) => setMode(v as 'list' | 'scan')}
          data={[
            { value: 'list', label: 'Lista' },
            { value: 'scan', label: 'Escanear' },
          ]}
        />
      )}
      {mode === 'scan' && !closed ? (
        <Scanner send={actions.scan} roster={r.roster} markPresent={(row) => mark(row, 'PRESENT')} />
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Aprendices de la ficha">
          {r.roster.map((row) => (
            <Card key={row.student_id} withBorder padding="xs" component="li" data-student={row.student_id}>
              <Group justify="space-between" wrap="wrap" gap="xs">
                <Group gap="sm" wrap="nowrap">
                  <Avatar src={row.avatar_url} alt="" color="sena" radius="xl">
                    {initials(row.full_name)}
                  </Avatar>
                  <div>
                    <Text fw={600}>{row.full_name}</Text>
                    <Badge size="sm" color={STATUS_COLOR[row.status] ?? 'gray.7'}>
                      {STATUS_LABEL[row.status] ?? row.status}
                    </Badge>
                  </div>
                </Group>
                {r.can_mark && row.status !== 'JUSTIFIED' && (
                  <Group gap={4} role="group" aria-label={`Marcar a ${row.full_name}`}>
                    {SETTABLE.map((s) => (
                      <Button
                        key={s}
                        size="compact-sm"
                        variant={row.status === s ? 'filled' : 'default'}
                        color={STATUS_COLOR[s]}
                        aria-pressed={row.status === s}
                        onClick={() => void mark(row, s).catch(() => undefined)}
                      >
                        {STATUS_LABEL[s]}
                      </Button>
                    ))}
                  </Group>
                )}
              </Group>
            </Card>
          ))}
        </Stack>
      )}
      {r.can_mark && (
        <Group>
          {!closed && r.counts.unmarked > 0 && (
            <Button variant="light" onClick={() => void markRest()}>
              Marcar el resto ausente
            </Button>
          )}
          {!closed ? (
            <Button color="red.8" onClick={() => void close()} loading={actions.close.isPending}>
              Cerrar lista
            </Button>
          ) : (
            <Button variant="light" onClick={() => actions.reopen.mutate()} loading={actions.reopen.isPending}>
              Reabrir lista
            </Button>
          )}
        </Group>
      )}
      <AskText request={ask} />
      <ConfirmModal request={confirm} />
    </Stack>
  );
}
