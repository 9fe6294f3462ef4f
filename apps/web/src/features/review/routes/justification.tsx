import { Alert, Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatClock, formatDateTime, formatShortDate } from '../../../lib/dates.ts';
import { TYPE_LABELS, useJustification, useReview } from '../api/justifications.ts';
import { EvidenceViewer } from '../components/evidence-viewer.tsx';
import { JustificationBadge } from '../components/labels.tsx';
import { ReviewForm } from '../components/review-form.tsx';

const RECORD_LABELS: Record<string, string> = {
  PRESENT: 'Asistió',
  LATE: 'Llegó tarde',
  ABSENT: 'Inasistencia',
  JUSTIFIED: 'Inasistencia justificada',
  EXCUSED: 'Excusado',
};

/** `/asistencia/justificaciones/:id`: the request, its sessions, the evidence (J8) and the decision (J9). */
export default function JustificationPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const j = useJustification(id);
  const review = useReview(id);
  return (
    <Stack>
      <Anchor component={Link} to="/asistencia/justificaciones" size="sm">
        ← Volver a justificaciones
      </Anchor>
      <Title order={1}>Justificación</Title>
      {j.isPending ? (
        <Loading />
      ) : j.isError ? (
        <ErrorState error={j.error} />
      ) : (
        <>
          <Card withBorder padding="sm">
            <Stack gap={6}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Text fw={700}>{j.data.student_name ?? 'Aprendiz'}</Text>
                <Group gap={4} style={{ flex: 'none' }}>
                  {j.data.overdue && <Badge color="red.8">Vencida</Badge>}
                  <JustificationBadge status={j.data.status} />
                </Group>
              </Group>
              <Text size="sm">
                Ficha {j.data.group_number ?? '—'} · {TYPE_LABELS[j.data.type] ?? j.data.type} · {j.data.kind === 'ADVANCE_NOTICE' ? 'aviso previo' : 'después de la falta'}
              </Text>
              <Text size="sm" c="dimmed">
                Enviada el {formatDateTime(j.data.submitted_at)}
                {j.data.deadline_at ? ` · plazo del aprendiz hasta el ${formatDateTime(j.data.deadline_at)}` : ''}
              </Text>
              <Text fw={600} size="sm" mt="xs">
                Motivo
              </Text>
              <Text style={{ whiteSpace: 'pre-wrap' }}>{j.data.reason}</Text>
            </Stack>
          </Card>

          <Title order={2} size="h3">
            Sesiones
          </Title>
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Sesiones de la justificación">
            {j.data.items.map((it) => (
              <Card key={`${it.schedule_id}-${it.session_date}`} withBorder padding="xs" component="li">
                <Group justify="space-between" gap="xs" wrap="wrap">
                  <div>
                    <Text fw={600} size="sm">
                      {it.subject}
                    </Text>
                    <Text size="sm">
                      {formatShortDate(it.session_date)} · {formatClock(it.start_time)} – {formatClock(it.end_time)}
                      {it.instructor_name ? ` · ${it.instructor_name}` : ''}
                    </Text>
                  </div>
                  <Text size="sm" fw={600}>
                    {it.record_status ? (RECORD_LABELS[it.record_status] ?? it.record_status) : 'Sin registro'}
                  </Text>
                </Group>
              </Card>
            ))}
          </Stack>

          <Title order={2} size="h3">
            Soportes
          </Title>
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {j.data.files.map((f) => (
              <EvidenceViewer key={f.id} file={f} />
            ))}
          </Stack>

          <Title order={2} size="h3">
            Decisión
          </Title>
          {j.data.status === 'PENDING' ? (
            <ReviewForm onSubmit={(input) => review.mutate(input)} pending={review.isPending} error={review.error} />
          ) : (
            <Alert color={j.data.status === 'APPROVED' ? 'sena' : 'red'} title={j.data.status === 'APPROVED' ? 'Justificación aprobada' : 'Justificación rechazada'} role="status">
              <Text size="sm">
                {j.data.reviewer_name ? `Por ${j.data.reviewer_name}` : 'Revisada'}
                {j.data.reviewed_at ? ` el ${formatDateTime(j.data.reviewed_at)}` : ''}
              </Text>
              {review.data && <Text size="sm">{`Registros actualizados: ${review.data.records_updated}`}</Text>}
              {j.data.review_comment && <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>{`Nota: ${j.data.review_comment}`}</Text>}
            </Alert>
          )}
        </>
      )}
    </Stack>
  );
}
