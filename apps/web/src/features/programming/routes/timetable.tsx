import { ActionIcon, Alert, Badge, Button, Card, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useState } from 'react';
import { AskText, type AskTextRequest } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { addDays, formatDay, formatDayMonth, mondayOf, todayLocal } from '../../../lib/dates.ts';
import { messageOf } from '../../../lib/errors.ts';
import { useEntries, useEntryActions, useGroups, useInstructors, useTimetable, useVenues, type Entry, type TimetableSession, type TimetableView } from '../api/programming.ts';
import { EntryEditor } from '../components/entry-editor.tsx';
import { DAYS, dmy, reasonLabel } from '../components/labels.ts';
import { ProgrammingHeader, useCanWrite } from '../components/section-nav.tsx';
import { useUrlState } from '../components/url-state.ts';

interface Search {
  view?: TimetableView;
  id?: string;
  week?: string;
}

const VIEWS: Array<{ value: TimetableView; label: string }> = [
  { value: 'group', label: 'Ficha' },
  { value: 'instructor', label: 'Instructor' },
  { value: 'venue', label: 'Ambiente' },
];

function SessionCard({ s }: { s: TimetableSession }) {
  const cancelled = s.status === 'CANCELLED';
  return (
    <Card withBorder padding="xs" component="li">
      <Text fw={700} td={cancelled ? 'line-through' : undefined}>
        {s.subject}
      </Text>
      <Text size="sm">
        {s.start_time}–{s.end_time} · Ficha {s.group.number}
      </Text>
      <Text size="sm">
        {s.instructor?.full_name ?? 'Instructor sin nombre'} · {s.venue ? `${s.venue.code} ${s.venue.name}` : 'Sin ambiente'}
      </Text>
      {cancelled && (
        <Badge color="red.8" mt={4} style={{ height: 'auto', whiteSpace: 'normal', textTransform: 'none' }}>
          {reasonLabel(s.cancel_reason)}
        </Badge>
      )}
      {s.is_changed && !cancelled && (
        <Badge color="#7a4a00" mt={4}>
          Cambio puntual
        </Badge>
      )}
    </Card>
  );
}

function EntryRow({ e, canWrite, onCancel }: { e: Entry; canWrite: boolean; onCancel: (e: Entry) => void }) {
  return (
    <Card withBorder padding="xs" component="li">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <div>
          <Text fw={600}>
            {DAYS[e.day_of_week]} {e.start_time}–{e.end_time} · {e.subject}
          </Text>
          <Text size="sm">
            Ficha {e.group.number} · {e.instructor.full_name ?? 'Instructor sin nombre'} · ambiente {e.venue.code} · del {dmy(e.start_date)} al {dmy(e.effective_end_date)}
          </Text>
        </div>
        {canWrite && (
          <Button size="xs" color="#a51d1d" variant="light" onClick={() => onCancel(e)} aria-label={`Cancelar clase: ${e.subject}, ${DAYS[e.day_of_week].toLowerCase()} ${e.start_time}`}>
            Cancelar clase
          </Button>
        )}
      </Group>
    </Card>
  );
}

/** `/programacion/horario`: a week of a ficha, instructor or venue (W4), its entries (S1), new entries with the conflict check, cancel (S6). */
export default function TimetablePage() {
  const [search, set] = useUrlState<Search>();
  const view = search.view ?? 'group';
  const id = search.id ?? '';
  const today = todayLocal();
  const week = mondayOf(search.week ?? today);
  const canWrite = useCanWrite();
  const [editing, setEditing] = useState(false);
  const [ask, setAsk] = useState<AskTextRequest | null>(null);
  const groups = useGroups({ is_active: true, page_size: 100, sort: 'number' });
  const instructors = useInstructors();
  const venues = useVenues({ is_active: true, sort: 'code' });
  const timetable = useTimetable(view, id, week);
  const entries = useEntries(view, id, today);
  const { cancel } = useEntryActions();

  const options =
    view === 'group'
      ? (groups.data?.items ?? []).map((g) => ({ value: g.id, label: `Ficha ${g.number} · ${g.program.code}` }))
      : view === 'instructor'
        ? (instructors.data?.items ?? []).map((i) => ({ value: i.id, label: i.full_name }))
        : (venues.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.code} · ${v.name}` }));
  const label = VIEWS.find((v) => v.value === view)!.label;

  function askCancel(e: Entry) {
    setAsk({
      title: 'Cancelar clase',
      label: 'Motivo (se informa al instructor y a la ficha)',
      description: `Se cancelan las sesiones de "${e.subject}" (${DAYS[e.day_of_week]} ${e.start_time}–${e.end_time}) desde hoy o desde la próxima que no haya empezado. Las anteriores se conservan.`,
      minLength: 3,
      resolve: (reason) => {
        setAsk(null);
        if (reason)
          cancel.mutate(
            { id: e.id, reason: reason.slice(0, 300) },
            { onSuccess: () => notifications.show({ color: 'sena.8', closeButtonProps: { 'aria-label': 'Cerrar aviso' }, message: 'Clase cancelada' }) },
          );
      },
    });
  }

  return (
    <Stack>
      <ProgrammingHeader title="Horario semanal">
        {canWrite && !editing && (
          <Button onClick={() => setEditing(true)}>
            Agregar clase
          </Button>
        )}
      </ProgrammingHeader>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <SegmentedControl
          aria-label="Ver el horario por"
          value={view}
          onChange={(v) => {
            setEditing(false);
            set({ view: v as TimetableView, id: undefined });
          }}
          data={VIEWS}
        />
        <Select label={label} placeholder={`Elija ${label.toLowerCase()}`} searchable value={id || null} onChange={(v) => set({ id: v ?? undefined })} data={options} />
      </SimpleGrid>

      {editing && (
        <EntryEditor
          key={`${view}-${id}`}
          fixed={view === 'group' && id ? { group_id: id } : view === 'instructor' && id ? { instructor_id: id } : view === 'venue' && id ? { venue_id: id } : {}}
          onCancel={() => setEditing(false)}
          onSaved={(entry) => {
            setEditing(false);
            notifications.show({ color: 'sena.8', closeButtonProps: { 'aria-label': 'Cerrar aviso' }, message: `Clase guardada: ${entry.subject}, ${DAYS[entry.day_of_week].toLowerCase()} ${entry.start_time}–${entry.end_time}` });
            set({ week: mondayOf(entry.start_date > today ? entry.start_date : today) });
          }}
        />
      )}

      {!id ? (
        <Empty>{`Elija ${label.toLowerCase()} para ver su semana.`}</Empty>
      ) : (
        <>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <ActionIcon variant="light" size="lg" onClick={() => set({ week: addDays(week, -7) })} aria-label="Semana anterior">
              <IconChevronLeft aria-hidden />
            </ActionIcon>
            <Button variant="subtle" size="sm" px="xs" title="Volver a esta semana" onClick={() => set({ week: undefined })}>
              {formatDayMonth(week)} – {formatDayMonth(addDays(week, 5))}
            </Button>
            <ActionIcon variant="light" size="lg" onClick={() => set({ week: addDays(week, 7) })} aria-label="Semana siguiente">
              <IconChevronRight aria-hidden />
            </ActionIcon>
          </Group>
          {timetable.isPending ? (
            <Loading />
          ) : timetable.isError ? (
            <ErrorState error={timetable.error} />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} data-testid="timetable">
              {timetable.data.days
                .filter((d) => d.day_of_week <= 6)
                .map((d) => (
                  <Card key={d.date} withBorder padding="sm" style={d.date === today ? { borderColor: '#39A900', borderWidth: 3 } : undefined} aria-current={d.date === today ? 'date' : undefined}>
                    <Title order={2} size="h4" mb="xs">
                      {formatDay(d.date)}
                      {d.date === today ? ' · hoy' : ''}
                    </Title>
                    {d.non_teaching_day && (
                      <Badge color="#7a4a00" mb="xs" style={{ height: 'auto', whiteSpace: 'normal', textTransform: 'none' }}>
                        No lectivo: {d.non_teaching_day.name}
                      </Badge>
                    )}
                    {d.sessions.length === 0 ? (
                      <Text size="sm">Sin clases</Text>
                    ) : (
                      <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                        {[...d.sessions]
                          .sort((a, b) => a.start_time.localeCompare(b.start_time))
                          .map((s) => (
                            <SessionCard key={`${s.schedule_id}-${s.date}`} s={s} />
                          ))}
                      </Stack>
                    )}
                  </Card>
                ))}
            </SimpleGrid>
          )}
          <Title order={2} size="h3">
            Clases semanales vigentes
          </Title>
          {cancel.isError && (
            <Alert color="#a51d1d" role="alert" title="No se pudo cancelar">
              {messageOf(cancel.error)}
            </Alert>
          )}
          {entries.isPending ? (
            <Loading />
          ) : entries.isError ? (
            <ErrorState error={entries.error} />
          ) : entries.data.items.length === 0 ? (
            <Empty>No hay clases vigentes.</Empty>
          ) : (
            <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {entries.data.items.map((e) => (
                <EntryRow key={e.id} e={e} canWrite={canWrite} onCancel={askCancel} />
              ))}
            </Stack>
          )}
        </>
      )}
      <AskText request={ask} />
    </Stack>
  );
}
