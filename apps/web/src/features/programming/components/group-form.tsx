import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useCampuses, useCreateGroup, usePrograms, type Group as Ficha } from '../api/programming.ts';
import { SHIFT } from './labels.ts';

/** G2's bounds (schedules §3.4): number 4–10 digits, period start < end within 1 461 days, quarter 1–12, cupo 1–100, notes ≤ 500. */
export function groupFormErrors(f: { number: string; start_date: string; end_date: string }): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.number && !/^\d{4,10}$/.test(f.number)) out.number = 'Entre 4 y 10 dígitos';
  if (f.start_date && f.end_date) {
    const days = (Date.parse(f.end_date) - Date.parse(f.start_date)) / 86_400_000;
    if (days <= 0) out.end_date = 'Debe ser posterior a la fecha inicial';
    else if (days > 1461) out.end_date = 'El periodo no puede superar 1 461 días';
  }
  return out;
}

/** A new ficha (G2). */
export function GroupForm({ onSaved, onCancel }: { onSaved: (g: Ficha) => void; onCancel: () => void }) {
  const programs = usePrograms({ is_active: true });
  const campuses = useCampuses({ is_active: true });
  const create = useCreateGroup();
  const [f, setF] = useState({ number: '', program_id: '', campus_id: '', shift: '', start_date: '', end_date: '', current_quarter: 1 as number | '', max_apprentices: '' as number | '', notes: '' });
  const local = groupFormErrors(f);
  const fields = create.error instanceof ApiError ? create.error.fields : {};
  const complete = f.number && f.program_id && f.campus_id && f.shift && f.start_date && f.end_date && f.current_quarter !== '' && Object.keys(local).length === 0;
  const set = (patch: Partial<typeof f>) => setF({ ...f, ...patch });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          {
            number: f.number,
            program_id: f.program_id,
            campus_id: f.campus_id,
            shift: f.shift as Ficha['shift'],
            start_date: f.start_date,
            end_date: f.end_date,
            current_quarter: f.current_quarter === '' ? undefined : f.current_quarter,
            max_apprentices: f.max_apprentices === '' ? undefined : f.max_apprentices,
            notes: f.notes.trim() || undefined,
          },
          { onSuccess: onSaved },
        );
      }}
    >
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Número de ficha" required inputMode="numeric" maxLength={10} value={f.number} onChange={(e) => set({ number: e.currentTarget.value.trim() })} error={local.number ?? fields.number} />
          <Select
            label="Programa"
            required
            searchable
            value={f.program_id || null}
            onChange={(v) => set({ program_id: v ?? '' })}
            data={(programs.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }))}
            error={fields.program_id}
          />
          <Select label="Sede" required value={f.campus_id || null} onChange={(v) => set({ campus_id: v ?? '' })} data={(campuses.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} error={fields.campus_id} />
          <Select label="Jornada" required value={f.shift || null} onChange={(v) => set({ shift: v ?? '' })} data={Object.entries(SHIFT).map(([value, label]) => ({ value, label }))} error={fields.shift} />
          <TextInput type="date" label="Fecha inicial" required value={f.start_date} onChange={(e) => set({ start_date: e.currentTarget.value })} error={fields.start_date} />
          <TextInput type="date" label="Fecha final" required value={f.end_date} onChange={(e) => set({ end_date: e.currentTarget.value })} error={local.end_date ?? fields.end_date} />
          <NumberInput label="Trimestre actual" required min={1} max={12} allowDecimal={false} value={f.current_quarter} onChange={(v) => set({ current_quarter: typeof v === 'number' ? v : '' })} error={fields.current_quarter} />
          <NumberInput label="Cupo (vacío: sin límite)" min={1} max={100} allowDecimal={false} value={f.max_apprentices} onChange={(v) => set({ max_apprentices: typeof v === 'number' ? v : '' })} error={fields.max_apprentices} />
        </SimpleGrid>
        <Textarea label="Observaciones" maxLength={500} rows={2} value={f.notes} onChange={(e) => set({ notes: e.currentTarget.value })} error={fields.notes} />
        {create.isError && (
          <Alert color="#a51d1d" role="alert" title="No se creó la ficha">
            {messageOf(create.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancelar
          </Button>
          <Button type="submit" disabled={!complete} loading={create.isPending}>
            Crear ficha
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
