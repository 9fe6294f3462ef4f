import { Alert, Button, Card, Group, Progress, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { useEvalinConfig, useToEvaluate, type PeriodToEvaluate } from '../api/evalin.ts';
import { AnonymityNotice } from '../components/anonymity.tsx';
import { EvaluationBadge } from '../components/status.tsx';

const ACTION: Record<string, string> = { pending: 'Evaluar', draft: 'Continuar' };

function PeriodCard({ period }: { period: PeriodToEvaluate }) {
  const headingId = `periodo-${period.period_id}`;
  return (
    <Card withBorder padding="sm" component="section" aria-labelledby={headingId}>
      <Stack gap="xs">
        <div>
          <Title order={2} size="h4" id={headingId}>
            {period.name}
          </Title>
          <Text size="sm">
            Cierra el {formatDateTime(period.end_date)} · {period.days_remaining === 1 ? 'queda 1 día' : `quedan ${period.days_remaining} días`}
          </Text>
        </div>
        {!period.is_open && (
          <Alert color="orange" title="Período suspendido">
            La coordinación suspendió este período; podrá evaluar cuando se reanude.
          </Alert>
        )}
        <Text size="sm" id={`${headingId}-avance`}>
          Evaluados {period.submitted} de {period.total}
        </Text>
        <Progress value={period.total ? (period.submitted / period.total) * 100 : 0} aria-label={`Avance en ${period.name}: ${period.submitted} de ${period.total}`} />
        {period.instructors.length === 0 ? (
          <Empty>No hay instructores para evaluar en este período.</Empty>
        ) : (
          <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {period.instructors.map((i) => (
              <Card key={i.instructor_id} withBorder padding="xs" component="li" data-instructor={i.instructor_id}>
                <Group justify="space-between" wrap="nowrap" align="center">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text fw={700}>{i.instructor_name}</Text>
                    {i.subjects.length > 0 && (
                      <Text size="sm" lineClamp={2}>
                        {i.subjects.join(' · ')}
                      </Text>
                    )}
                    {i.status === 'submitted' && i.submitted_at && <Text size="sm">Enviada el {formatDateTime(i.submitted_at)}</Text>}
                  </Stack>
                  <Stack gap={6} align="flex-end" style={{ flexShrink: 0 }}>
                    <EvaluationBadge status={i.status} />
                    {ACTION[i.status] && period.is_open && (
                      <Button
                        size="xs"
                        component={Link}
                        to="/evaluaciones/$instructor"
                        params={{ instructor: i.instructor_id } as never}
                        search={{ periodo: period.period_id } as never}
                        aria-label={`${ACTION[i.status]}: ${i.instructor_name}`}
                      >
                        {ACTION[i.status]}
                      </Button>
                    )}
                  </Stack>
                </Group>
              </Card>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

/** `/evaluaciones` (evalin E30): the periods open for my ficha and whom I still have to evaluate. */
export default function EvaluateListPage() {
  const list = useToEvaluate();
  const config = useEvalinConfig();
  return (
    <Stack>
      <Title order={1}>Evaluar instructores</Title>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.periods.length === 0 ? (
        <Empty>No hay períodos de evaluación abiertos para su ficha.</Empty>
      ) : (
        list.data.periods.map((p) => <PeriodCard key={p.period_id} period={p} />)
      )}
      <AnonymityNotice minResponses={config.data?.settings.min_responses_for_results} />
    </Stack>
  );
}
