import { Badge, Card, Group, NativeSelect, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useSessionState } from '../../../app/context.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatShortDate, percent } from '../../../lib/dates.ts';
import { ApiError } from '../../../lib/errors.ts';
import { useEvalinConfig, useInstructorComments, useInstructorReport, usePublishedPeriods, useTrend, type InstructorReport } from '../api/evalin.ts';
import { avg, Bar } from '../components/bars.tsx';
import { WithheldNotice } from '../components/withheld.tsx';

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm">{label}</Text>
      <Text fw={800} fz={24}>
        {value}
      </Text>
    </Card>
  );
}

/** One published period's report about me (E41) and its approved comments (E42). */
export function InstructorResults({ report, minResponses, minParticipation, comments }: {
  report: InstructorReport;
  minResponses?: number;
  minParticipation?: number;
  comments?: Array<{ id: string; text: string; question_text: string | null; group_number: string | null }>;
}) {
  const r = report;
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label="Respuestas" value={`${r.response_count} de ${r.expected_count}`} />
        <Figure label="Participación" value={percent(r.response_rate)} />
        <Figure label="Promedio general" value={avg(r.overall_average)} />
        <Figure label="Promedio del período" value={avg(r.period_overall_average)} />
      </SimpleGrid>
      <WithheldNotice
        reason={r.withheld_reason}
        responseCount={r.response_count}
        expectedCount={r.expected_count}
        responseRate={r.response_rate}
        minResponses={minResponses}
        minParticipation={minParticipation}
      />
      {r.results_shown && (
        <>
          {r.overall_average !== null && (
            <Text size="sm">
              Mediana {avg(r.median)} · desviación estándar {avg(r.std_dev)} (escala de 1 a 5)
            </Text>
          )}
          {(r.strengths.length > 0 || r.improvement_areas.length > 0) && (
            <Group gap="xs">
              {r.strengths.map((c) => (
                <Badge key={c} color="sena.8" variant="filled">
                  Fortaleza: {c}
                </Badge>
              ))}
              {r.improvement_areas.map((c) => (
                <Badge key={c} color="orange.9" variant="filled">
                  Por mejorar: {c}
                </Badge>
              ))}
            </Group>
          )}
          {r.categories.some((c) => c.average !== null) && (
            <Card withBorder padding="sm" component="section" aria-labelledby="categorias">
              <Title order={2} size="h4" id="categorias" mb="xs">
                Por categoría
              </Title>
              <Stack gap="sm">
                {r.categories.map((c) => (
                  <Bar key={c.category} label={c.category} value={c.average} max={5} display={avg(c.average)} />
                ))}
              </Stack>
            </Card>
          )}
          <Card withBorder padding="sm" component="section" aria-labelledby="preguntas">
            <Title order={2} size="h4" id="preguntas" mb="xs">
              Por pregunta
            </Title>
            <Stack gap="md">
              {r.questions
                .filter((q) => q.likert || q.choices)
                .map((q) => (
                  <Stack key={q.question_id} gap={4}>
                    <Text size="sm" fw={600}>
                      {q.position}. {q.text}
                    </Text>
                    {q.likert && (
                      <Bar label={`Promedio (${q.answer_count} respuestas)`} value={q.likert.average} max={5} display={avg(q.likert.average)} />
                    )}
                    {q.choices?.map((c) => <Bar key={c.option} label={c.option} value={c.percent} max={100} display={percent(c.percent)} color="blue.8" />)}
                  </Stack>
                ))}
            </Stack>
          </Card>
          {comments && (
            <Card withBorder padding="sm" component="section" aria-labelledby="comentarios">
              <Title order={2} size="h4" id="comentarios" mb="xs">
                Comentarios aprobados
              </Title>
              {comments.length === 0 ? (
                <Empty>No hay comentarios aprobados en este período.</Empty>
              ) : (
                <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                  {comments.map((c) => (
                    <Card key={c.id} component="li" withBorder padding="xs">
                      <Text size="sm">“{c.text}”</Text>
                      <Text size="xs" c="dimmed">
                        {c.question_text ?? 'Comentario general'}
                        {c.group_number ? ` · Ficha ${c.group_number}` : ''}
                      </Text>
                    </Card>
                  ))}
                </Stack>
              )}
            </Card>
          )}
        </>
      )}
    </Stack>
  );
}

/** `/resultados` (evalin E41–E43): my published results, approved comments and trend. */
export default function MyResultsPage() {
  const { claims } = useSessionState();
  const me = claims?.sub;
  const { periodo } = useSearch({ strict: false }) as { periodo?: string };
  const navigate = useNavigate();
  const periods = usePublishedPeriods();
  const config = useEvalinConfig();
  const trend = useTrend(me);
  const selected = periodo ?? periods.data?.items[0]?.id;
  const report = useInstructorReport(selected, me);
  const comments = useInstructorComments(selected, me, Boolean(report.data?.results_shown));
  const settings = config.data?.settings;

  return (
    <Stack>
      <Title order={1}>Mis resultados</Title>
      <Text size="sm">
        Resultados consolidados y anónimos de las evaluaciones que sus aprendices hicieron, disponibles cuando la coordinación publica un período cerrado.
      </Text>
      {periods.isPending ? (
        <Loading />
      ) : periods.isError ? (
        <ErrorState error={periods.error} />
      ) : periods.data.items.length === 0 ? (
        <Empty>Todavía no hay períodos con resultados publicados.</Empty>
      ) : (
        <>
          <NativeSelect
            label="Período"
            value={selected}
            data={periods.data.items.map((p) => ({ value: p.id, label: `${p.name} (${formatShortDate(p.end_date.slice(0, 10))})` }))}
            onChange={(e) => void navigate({ to: '/resultados', search: { periodo: e.currentTarget.value } as never })}
          />
          {report.isPending ? (
            <Loading />
          ) : report.isError ? (
            report.error instanceof ApiError && report.error.code === 'INSTRUCTOR_NOT_IN_PERIOD' ? (
              <Empty>Usted no tuvo aprendices que lo evaluaran en este período.</Empty>
            ) : (
              <ErrorState error={report.error} />
            )
          ) : (
            <InstructorResults
              report={report.data}
              minResponses={settings?.min_responses_for_results}
              minParticipation={settings?.min_participation_percent_for_average}
              comments={comments.data?.items}
            />
          )}
        </>
      )}
      {trend.data && trend.data.length > 1 && (
        <Card withBorder padding="sm" component="section" aria-labelledby="evolucion">
          <Title order={2} size="h4" id="evolucion" mb="xs">
            Evolución (promedio general)
          </Title>
          <Stack gap="sm">
            {trend.data.map((t) => (
              <Bar key={t.period_id} label={t.name} value={t.overall_average} max={5} display={t.results_shown ? avg(t.overall_average) : 'Reservado'} />
            ))}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
