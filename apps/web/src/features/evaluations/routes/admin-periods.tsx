import { Anchor, Card, Group, NativeSelect, Progress, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useSessionState } from '../../../app/context.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { Pager } from '../components/pager.tsx';
import { formatShortDate, percent } from '../../../lib/dates.ts';
import { usePeriods } from '../api/evalin.ts';
import { PERIOD_STATUS, PeriodBadge } from '../components/status.tsx';
import { CreatePeriod, QuestionBank, Questionnaires } from '../components/bank.tsx';

type Search = { vista?: string; estado?: string; pagina?: number };
const day = (iso: string) => formatShortDate(new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Bogota' }).format(new Date(iso)));

function PeriodList() {
  const search = useSearch({ strict: false }) as Search;
  const navigate = useNavigate();
  const status = search.estado ?? '';
  const page = search.pagina ?? 1;
  const periods = usePeriods(status, page);
  const go = (s: Partial<Search>) => void navigate({ to: '/evaluaciones/admin', search: { ...search, ...s } as never });
  return (
    <Stack>
      <NativeSelect
        label="Estado"
        value={status}
        onChange={(e) => go({ estado: e.currentTarget.value || undefined, pagina: undefined })}
        data={[{ value: '', label: 'Todos' }, ...Object.entries(PERIOD_STATUS).map(([value, s]) => ({ value, label: s.label }))]}
        maw={260}
      />
      {periods.isPending ? (
        <Loading />
      ) : periods.isError ? (
        <ErrorState error={periods.error} />
      ) : periods.data.items.length === 0 ? (
        <Empty>No hay períodos con ese estado.</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {periods.data.items.map((p) => (
            <Card key={p.id} withBorder padding="sm" component="li" data-period={p.id}>
              <Group justify="space-between" align="flex-start" wrap="nowrap">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Anchor component={Link} to="/evaluaciones/admin/$period" params={{ period: p.id } as never} fw={700}>
                    {p.name}
                  </Anchor>
                  <Text size="sm">
                    {day(p.start_date)} – {day(p.end_date)} · {p.questionnaire.name}
                  </Text>
                  <Text size="sm">Fichas {p.groups.map((g) => g.group_number).join(', ')}</Text>
                </Stack>
                <PeriodBadge status={p.status} />
              </Group>
              {p.participation && (
                <Stack gap={2} mt="xs">
                  <Text size="sm">
                    Participación {percent(p.participation.rate)} ({p.participation.submitted} de {p.participation.expected} evaluaciones)
                  </Text>
                  <Progress value={p.participation.rate ?? 0} aria-label={`Participación de ${p.name}`} />
                </Stack>
              )}
            </Card>
          ))}
        </Stack>
      )}
      {periods.data && <Pager value={page} onChange={(n) => go({ pagina: n })} total={periods.data.totalPages} label="Páginas de períodos" />}
    </Stack>
  );
}

/** `/evaluaciones/admin` (evalin E18; the admin's question bank, questionnaires and new periods, E1–E19). */
export default function AdminPeriodsPage() {
  const { claims } = useSessionState();
  const search = useSearch({ strict: false }) as Search;
  const navigate = useNavigate();
  const isAdmin = claims?.role === 'admin';
  const phone = useMediaQuery('(max-width: 40em)');
  const view = isAdmin ? (search.vista ?? 'periodos') : 'periodos';
  return (
    <Stack>
      <Title order={1}>Evaluaciones</Title>
      {isAdmin && (
        <SegmentedControl
          value={view}
          onChange={(v) => void navigate({ to: '/evaluaciones/admin', search: { vista: v } as never })}
          data={[
            { value: 'periodos', label: 'Períodos' },
            { value: 'nuevo', label: 'Nuevo período' },
            { value: 'preguntas', label: 'Preguntas' },
            { value: 'cuestionarios', label: 'Cuestionarios' },
          ]}
          fullWidth
          orientation={phone ? 'vertical' : 'horizontal'}
          aria-label="Sección"
        />
      )}
      {view === 'preguntas' ? <QuestionBank /> : view === 'cuestionarios' ? <Questionnaires /> : view === 'nuevo' ? <CreatePeriod /> : <PeriodList />}
    </Stack>
  );
}
