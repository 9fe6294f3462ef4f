import { Alert, Button, Card, Group, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { addDays, todayLocal } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useEntryActions, useGroups, useInstructors, useVenues, type Conflict, type Entry, type EntryDraft, type Group as Ficha } from '../api/programming.ts';
import { ConflictList } from './conflict-list.tsx';
import { DAYS, HOURS, SHIFT } from './labels.ts';

/** Bounds of S2's body (schedules §3.7): subject 3–200, notes ≤ 500, whole hours, Monday–Saturday. */
export const SUBJECT_MIN = 3;
export const SUBJECT_MAX = 200;
export const NOTES_MAX = 500;

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);

/** Default dates: from today (or the ficha's start) for twelve weeks, inside the ficha's period. */
export function defaultDates(group: Pick<Ficha, 'start_date' | 'end_date'> | undefined, today = todayLocal()) {
  const start = group ? earlier(later(today, group.start_date), group.end_date) : today;
  const end = group ? earlier(addDays(start, 83), group.end_date) : addDays(start, 83);
  return { start_date: start, end_date: end };
}

interface Props {
  /** Fixed by the view the editor was opened from (a ficha's, an instructor's or a venue's week). */
  fixed: Partial<Pick<EntryDraft, 'group_id' | 'instructor_id' | 'venue_id'>>;
  onSaved: (entry: Entry) => void;
  onCancel: () => void;
}

/**
 * A new weekly entry. "Guardar" first asks S7 for conflicts and saves (S2) only when there are none; a
 * clash found by S7, or by S2's 409 when someone else took the slot in between, lists the entries in the way.
 */
export function EntryEditor({ fixed, onSaved, onCancel }: Props) {
  const groups = useGroups({ is_active: true, page_size: 100, sort: 'number' });
  const instructors = useInstructors();
  const venues = useVenues({ is_active: true, sort: 'code' });
  const { check, create } = useEntryActions();
  const groupOf = (id: string) => groups.data?.items.find((g) => g.id === id);
  const [draft, setDraft] = useState<EntryDraft>(() => ({
    group_id: fixed.group_id ?? '',
    instructor_id: fixed.instructor_id ?? '',
    venue_id: fixed.venue_id ?? '',
    subject: '',
    day_of_week: 1,
    start_time: '',
    end_time: '',
    ...defaultDates(undefined),
    notes: '',
  }));
  const [datesTouched, setDatesTouched] = useState(false);
  const [conflicts, setConflicts] = useState<Conflict[] | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = error instanceof ApiError ? error.fields : {};
  const group = groupOf(draft.group_id);

  function change(patch: Partial<EntryDraft>) {
    let next = { ...draft, ...patch };
    if (patch.group_id && !datesTouched) next = { ...next, ...defaultDates(groupOf(patch.group_id)) };
    if (patch.start_date || patch.end_date) setDatesTouched(true);
    setDraft(next);
    setConflicts(null);
    setError(null);
  }

  const subjectError =
    draft.subject.trim().length > 0 && draft.subject.trim().length < SUBJECT_MIN ? `Escriba al menos ${SUBJECT_MIN} caracteres` : undefined;
  const timeError = draft.start_time && draft.end_time && draft.start_time >= draft.end_time ? 'La hora final debe ser posterior a la inicial' : undefined;
  const datesError = draft.start_date && draft.end_date && draft.start_date > draft.end_date ? 'La fecha final no puede ser anterior a la inicial' : undefined;
  const complete =
    draft.group_id && draft.instructor_id && draft.venue_id && draft.subject.trim().length >= SUBJECT_MIN && draft.start_time && draft.end_time && draft.start_date && draft.end_date;

  async function save() {
    const body: EntryDraft = { ...draft, subject: draft.subject.trim(), notes: draft.notes?.trim() || undefined };
    setBusy(true);
    setError(null);
    setConflicts(null);
    try {
      const found = await check.mutateAsync(body);
      if (found.has_conflicts) {
        setConflicts(found.conflicts);
        return;
      }
      onSaved(await create.mutateAsync(body));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SCHEDULE_CONFLICT' && Array.isArray(err.details.conflicts)) setConflicts(err.details.conflicts as Conflict[]);
      else setError(err as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="nueva-clase">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Stack>
          <Title order={2} size="h3" id="nueva-clase">
            Nueva clase semanal
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            <Select
              label="Ficha"
              required
              searchable
              disabled={Boolean(fixed.group_id)}
              value={draft.group_id || null}
              onChange={(v) => change({ group_id: v ?? '' })}
              data={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: `${g.number} · ${g.program.code} · ${SHIFT[g.shift]}` }))}
              error={fields.group_id}
            />
            <Select
              label="Instructor"
              required
              searchable
              disabled={Boolean(fixed.instructor_id)}
              value={draft.instructor_id || null}
              onChange={(v) => change({ instructor_id: v ?? '' })}
              data={(instructors.data?.items ?? []).map((i) => ({ value: i.id, label: i.full_name }))}
              error={fields.instructor_id}
            />
            <Select
              label="Ambiente"
              required
              searchable
              disabled={Boolean(fixed.venue_id)}
              value={draft.venue_id || null}
              onChange={(v) => change({ venue_id: v ?? '' })}
              data={(venues.data?.items ?? []).map((v) => ({ value: v.id, label: `${v.code} · ${v.name} (${v.campus.code})` }))}
              error={fields.venue_id}
            />
            <TextInput
              label="Competencia o actividad"
              required
              minLength={SUBJECT_MIN}
              maxLength={SUBJECT_MAX}
              value={draft.subject}
              onChange={(e) => change({ subject: e.currentTarget.value })}
              error={fields.subject ?? subjectError}
            />
            <Select
              label="Día"
              required
              allowDeselect={false}
              value={String(draft.day_of_week)}
              onChange={(v) => change({ day_of_week: Number(v ?? 1) })}
              data={DAYS.slice(1, 7).map((label, i) => ({ value: String(i + 1), label }))}
              error={fields.day_of_week}
            />
            <Group grow gap="xs" align="flex-start">
              <Select label="Desde" required value={draft.start_time || null} onChange={(v) => change({ start_time: v ?? '' })} data={HOURS.slice(0, -1)} error={fields.start_time} />
              <Select label="Hasta" required value={draft.end_time || null} onChange={(v) => change({ end_time: v ?? '' })} data={HOURS.slice(1)} error={fields.end_time ?? timeError} />
            </Group>
            <TextInput
              type="date"
              label="Fecha inicial"
              required
              min={group?.start_date}
              max={group?.end_date}
              value={draft.start_date}
              onChange={(e) => change({ start_date: e.currentTarget.value })}
              error={fields.start_date}
            />
            <TextInput
              type="date"
              label="Fecha final"
              required
              min={group?.start_date}
              max={group?.end_date}
              value={draft.end_date}
              onChange={(e) => change({ end_date: e.currentTarget.value })}
              error={fields.end_date ?? datesError}
            />
            <Textarea label="Observaciones" maxLength={NOTES_MAX} minRows={1} rows={1} value={draft.notes ?? ''} onChange={(e) => change({ notes: e.currentTarget.value })} error={fields.notes} />
          </SimpleGrid>
          {group && (
            <Text size="sm">
              Jornada de la ficha: {SHIFT[group.shift]}; periodo del {group.start_date.split('-').reverse().join('/')} al {group.end_date.split('-').reverse().join('/')}.
            </Text>
          )}
          {conflicts && conflicts.length > 0 && <ConflictList conflicts={conflicts} />}
          {error && (
            <Alert color="#a51d1d" title="No se pudo guardar" role="alert">
              {messageOf(error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cerrar
            </Button>
            <Button type="submit" loading={busy} disabled={!complete || Boolean(timeError || datesError)}>
              Verificar y guardar
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
