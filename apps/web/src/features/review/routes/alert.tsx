import { Alert, Anchor, Badge, Button, Card, Group, Modal, Radio, Stack, Text, Textarea, Timeline, Title } from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useAlert, useAlertActions } from '../api/alerts.ts';
import { ALERT_TYPE_LABELS, LEVEL_LABELS, LevelBadge, RESOLUTION_LABELS, STATE_LABELS, type Level } from '../components/labels.tsx';

// attendance AL5–AL7 bounds (OpenAPI): notes 3–1000, a resolution note 5–500.
const NOTE = { min: 3, max: 1000 };
const RESOLVE = { min: 5, max: 500 };

function Failure({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title="No se pudo guardar">
      {messageOf(error)}
    </Alert>
  );
}

function NoteForm({ id, canAcknowledge }: { id: string; canAcknowledge: boolean }) {
  const actions = useAlertActions(id);
  const [text, setText] = useState('');
  const n = text.trim().length;
  const bad = n > 0 && (n < NOTE.min || n > NOTE.max);
  const busy = actions.note.isPending || actions.acknowledge.isPending;
  const error = actions.note.error ?? actions.acknowledge.error;
  const done = () => setText('');
  return (
    <Stack gap="xs">
      <Textarea
        label="Nota de seguimiento"
        description={`Entre ${NOTE.min} y ${NOTE.max} caracteres. Solo la ve el personal.`}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        maxLength={NOTE.max}
        minRows={2}
        error={bad ? `Escriba entre ${NOTE.min} y ${NOTE.max} caracteres.` : error instanceof ApiError ? (error.fields.body ?? error.fields.note) : undefined}
      />
      <Group gap="xs">
        {canAcknowledge && (
          <Button loading={actions.acknowledge.isPending} disabled={busy || bad} onClick={() => actions.acknowledge.mutate(text.trim(), { onSuccess: done })}>
            {n > 0 ? 'Atender con esta nota' : 'Marcar en seguimiento'}
          </Button>
        )}
        <Button variant="default" loading={actions.note.isPending} disabled={busy || n < NOTE.min || bad} onClick={() => actions.note.mutate(text.trim(), { onSuccess: done })}>
          Agregar nota
        </Button>
      </Group>
      <Failure error={error} />
    </Stack>
  );
}

function ResolveForm({ id }: { id: string }) {
  const { resolve } = useAlertActions(id);
  const [resolution, setResolution] = useState<'HANDLED' | 'DISMISSED' | null>(null);
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);
  const n = note.trim().length;
  const ok = resolution !== null && n >= RESOLVE.min && n <= RESOLVE.max;
  return (
    <Stack gap="xs" component="form" aria-label="Resolver la alerta" onSubmit={(e) => (e.preventDefault(), ok && setConfirming(true))}>
      <Radio.Group label="Resolución" value={resolution ?? ''} onChange={(v) => setResolution(v as 'HANDLED' | 'DISMISSED')}>
        <Group mt="xs">
          <Radio value="HANDLED" label="Atendida" />
          <Radio value="DISMISSED" label="Descartada" />
        </Group>
      </Radio.Group>
      <Textarea
        label="Nota de cierre"
        description={`Entre ${RESOLVE.min} y ${RESOLVE.max} caracteres.`}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        maxLength={RESOLVE.max}
        minRows={2}
        error={resolve.error instanceof ApiError ? resolve.error.fields.note : undefined}
      />
      <Group>
        <Button type="submit" disabled={!ok} loading={resolve.isPending}>
          Resolver
        </Button>
      </Group>
      <Failure error={resolve.error} />
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="¿Resolver la alerta?" centered>
        <Stack>
          <Text>Una alerta resuelta no se puede reabrir. Si la situación vuelve a presentarse se creará una nueva.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancelar
            </Button>
            <Button
              onClick={() => {
                setConfirming(false);
                resolve.mutate({ resolution: resolution!, note: note.trim() });
              }}
            >
              Resolver
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** `/asistencia/alertas/:id`: one alert with its follow-up: acknowledge, notes, resolve (AL3, AL5–AL7). */
export default function AlertPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const alert = useAlert(id);
  return (
    <Stack>
      <Anchor component={Link} to="/asistencia/alertas" size="sm">
        ← Volver a alertas
      </Anchor>
      <Title order={1}>Alerta</Title>
      {alert.isPending ? (
        <Loading />
      ) : alert.isError ? (
        <ErrorState error={alert.error} />
      ) : (
        <>
          <Card withBorder padding="sm">
            <Stack gap={6}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={700}>{alert.data.student_name ?? 'Aprendiz'}</Text>
                <Group gap={4} style={{ flex: 'none' }}>
                  {alert.data.overdue && <Badge color="red.8">Vencida</Badge>}
                  <LevelBadge level={alert.data.level} />
                </Group>
              </Group>
              <Text fw={600}>{alert.data.title}</Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {alert.data.message}
              </Text>
              <Text size="sm" c="dimmed">
                Ficha {alert.data.group_number} · {ALERT_TYPE_LABELS[alert.data.type] ?? alert.data.type} · {STATE_LABELS[alert.data.state] ?? alert.data.state}
                {alert.data.state !== 'RESOLVED' ? ` · ${alert.data.days_open} ${alert.data.days_open === 1 ? 'día' : 'días'} abierta` : ''}
              </Text>
              {alert.data.acknowledged_at && (
                <Text size="sm">
                  En seguimiento desde el {formatDateTime(alert.data.acknowledged_at)}
                  {alert.data.acknowledged_by_name ? ` por ${alert.data.acknowledged_by_name}` : ''}
                </Text>
              )}
            </Stack>
          </Card>

          {alert.data.state === 'RESOLVED' && (
            <Alert color="sena" title="Alerta resuelta" role="status">
              {RESOLUTION_LABELS[alert.data.resolution ?? ''] ?? alert.data.resolution}
              {alert.data.resolved_at ? ` · ${formatDateTime(alert.data.resolved_at)}` : ''}
              {alert.data.resolved_by_name ? ` · ${alert.data.resolved_by_name}` : ''}
              {alert.data.resolution_note ? `. ${alert.data.resolution_note}` : ''}
            </Alert>
          )}

          {alert.data.recommended_actions.length > 0 && (
            <>
              <Title order={2} size="h3">
                Acciones recomendadas
              </Title>
              <Stack gap={4} component="ul" style={{ paddingLeft: 18, margin: 0 }}>
                {alert.data.recommended_actions.map((a) => (
                  <Text component="li" key={a}>
                    {a}
                  </Text>
                ))}
              </Stack>
            </>
          )}

          <Title order={2} size="h3">
            Seguimiento
          </Title>
          {(alert.data.notes ?? []).length === 0 && alert.data.level_history.length <= 1 ? (
            <Text c="dimmed">Todavía no hay notas.</Text>
          ) : (
            <Timeline bulletSize={14} lineWidth={2} active={-1}>
              {[
                ...alert.data.level_history.map((h) => ({ at: h.at, title: `Nivel ${LEVEL_LABELS[h.level as Level]?.toLowerCase() ?? h.level}`, body: null as string | null })),
                ...(alert.data.notes ?? []).map((n) => ({ at: n.created_at, title: n.author_name ?? 'Personal', body: n.body })),
              ]
                .sort((a, b) => a.at.localeCompare(b.at))
                .map((e, i) => (
                  <Timeline.Item key={`${e.at}-${i}`} title={e.title}>
                    {e.body && (
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                        {e.body}
                      </Text>
                    )}
                    <Text size="xs">{formatDateTime(e.at)}</Text>
                  </Timeline.Item>
                ))}
            </Timeline>
          )}

          {alert.data.state !== 'RESOLVED' && (
            <>
              <NoteForm id={id} canAcknowledge={alert.data.state === 'OPEN'} />
              <Title order={2} size="h3">
                Resolver
              </Title>
              <ResolveForm id={id} />
            </>
          )}
        </>
      )}
    </Stack>
  );
}
