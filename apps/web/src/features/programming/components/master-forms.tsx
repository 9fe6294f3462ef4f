import { Alert, Button, Group, NumberInput, Select, SimpleGrid, Stack, Textarea, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useCampuses, useCreateMaster } from '../api/programming.ts';
import { LEVEL, VENUE_TYPE } from './labels.ts';

/** Codes (schedules §3.1–§3.3): upper-cased, `^[A-Z0-9_-]+$`. */
export const codeError = (code: string, min: number) =>
  code.length === 0 ? undefined : code.length < min || code.length > 20 ? `Entre ${min} y 20 caracteres` : /^[A-Z0-9_-]+$/.test(code) ? undefined : 'Solo letras, números, guion y guion bajo';

function FormShell({ title, busy, disabled, error, onCancel, onSubmit, children }: { title: string; busy: boolean; disabled: boolean; error: unknown; onCancel: () => void; onSubmit: () => void; children: ReactNode }) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <Stack>
        {children}
        {error !== null && error !== undefined && (
          <Alert color="#a51d1d" role="alert" title="No se guardó">
            {messageOf(error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancelar
          </Button>
          <Button type="submit" disabled={disabled} loading={busy}>
            {title}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const upper = (v: string) => v.trim().toUpperCase();

/** C2: code 2–20, name 2–100, address ≤ 200, city ≤ 60. */
export function CampusForm({ onDone }: { onDone: () => void }) {
  const create = useCreateMaster('campuses');
  const [f, setF] = useState({ code: '', name: '', address: '', city: 'Bogotá D.C.' });
  const fields = create.error instanceof ApiError ? create.error.fields : {};
  const codeErr = codeError(f.code, 2);
  return (
    <FormShell
      title="Crear sede"
      busy={create.isPending}
      error={create.error}
      disabled={!f.code || Boolean(codeErr) || f.name.trim().length < 2}
      onCancel={onDone}
      onSubmit={() => create.mutate({ code: f.code, name: f.name.trim(), address: f.address.trim() || undefined, city: f.city.trim() || undefined }, { onSuccess: onDone })}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="Código" required maxLength={20} value={f.code} onChange={(e) => setF({ ...f, code: upper(e.currentTarget.value) })} error={codeErr ?? fields.code} />
        <TextInput label="Nombre" required minLength={2} maxLength={100} value={f.name} onChange={(e) => setF({ ...f, name: e.currentTarget.value })} error={fields.name} />
        <TextInput label="Dirección" maxLength={200} value={f.address} onChange={(e) => setF({ ...f, address: e.currentTarget.value })} error={fields.address} />
        <TextInput label="Ciudad" maxLength={60} value={f.city} onChange={(e) => setF({ ...f, city: e.currentTarget.value })} error={fields.city} />
      </SimpleGrid>
    </FormShell>
  );
}

/** V2: code 1–20, name 2–100, type, capacity 1–500, floor ≤ 10, building ≤ 100, equipment ≤ 1000. */
export function VenueForm({ onDone }: { onDone: () => void }) {
  const create = useCreateMaster('venues');
  const campuses = useCampuses({ is_active: true });
  const [f, setF] = useState({ campus_id: '', code: '', name: '', type: 'AULA', capacity: 30 as number | '', floor: '', building: '', equipment: '' });
  const fields = create.error instanceof ApiError ? create.error.fields : {};
  const codeErr = codeError(f.code, 1);
  const capacityOk = typeof f.capacity === 'number' && f.capacity >= 1 && f.capacity <= 500;
  return (
    <FormShell
      title="Crear ambiente"
      busy={create.isPending}
      error={create.error}
      disabled={!f.campus_id || !f.code || Boolean(codeErr) || f.name.trim().length < 2 || !capacityOk}
      onCancel={onDone}
      onSubmit={() =>
        create.mutate(
          { campus_id: f.campus_id, code: f.code, name: f.name.trim(), type: f.type, capacity: f.capacity, floor: f.floor.trim() || undefined, building: f.building.trim() || undefined, equipment: f.equipment.trim() || undefined },
          { onSuccess: onDone },
        )
      }
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select label="Sede" required value={f.campus_id || null} onChange={(v) => setF({ ...f, campus_id: v ?? '' })} data={(campuses.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} error={fields.campus_id} />
        <TextInput label="Código" required maxLength={20} value={f.code} onChange={(e) => setF({ ...f, code: upper(e.currentTarget.value) })} error={codeErr ?? fields.code} />
        <TextInput label="Nombre" required minLength={2} maxLength={100} value={f.name} onChange={(e) => setF({ ...f, name: e.currentTarget.value })} error={fields.name} />
        <Select label="Tipo" required allowDeselect={false} value={f.type} onChange={(v) => setF({ ...f, type: v ?? 'AULA' })} data={Object.entries(VENUE_TYPE).map(([value, label]) => ({ value, label }))} error={fields.type} />
        <NumberInput label="Capacidad" required min={1} max={500} allowDecimal={false} value={f.capacity} onChange={(v) => setF({ ...f, capacity: typeof v === 'number' ? v : '' })} error={fields.capacity ?? (capacityOk ? undefined : 'Entre 1 y 500')} />
        <TextInput label="Piso" maxLength={10} value={f.floor} onChange={(e) => setF({ ...f, floor: e.currentTarget.value })} error={fields.floor} />
        <TextInput label="Bloque o edificio" maxLength={100} value={f.building} onChange={(e) => setF({ ...f, building: e.currentTarget.value })} error={fields.building} />
      </SimpleGrid>
      <Textarea label="Equipamiento" maxLength={1000} rows={2} value={f.equipment} onChange={(e) => setF({ ...f, equipment: e.currentTarget.value })} error={fields.equipment} />
    </FormShell>
  );
}

/** P2: code 2–20, name 3–200, level, duration 1–60 months, quarters 1–12, description ≤ 2000. */
export function ProgramForm({ onDone }: { onDone: () => void }) {
  const create = useCreateMaster('programs');
  const [f, setF] = useState({ code: '', name: '', level: 'TECNOLOGO', duration_months: 24 as number | '', quarters: '' as number | '', description: '' });
  const fields = create.error instanceof ApiError ? create.error.fields : {};
  const codeErr = codeError(f.code, 2);
  const durationOk = typeof f.duration_months === 'number' && f.duration_months >= 1 && f.duration_months <= 60;
  const quartersOk = f.quarters === '' || (f.quarters >= 1 && f.quarters <= 12);
  return (
    <FormShell
      title="Crear programa"
      busy={create.isPending}
      error={create.error}
      disabled={!f.code || Boolean(codeErr) || f.name.trim().length < 3 || !durationOk || !quartersOk}
      onCancel={onDone}
      onSubmit={() =>
        create.mutate(
          { code: f.code, name: f.name.trim(), level: f.level, duration_months: f.duration_months, quarters: f.quarters === '' ? undefined : f.quarters, description: f.description.trim() || undefined },
          { onSuccess: onDone },
        )
      }
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="Código" required maxLength={20} value={f.code} onChange={(e) => setF({ ...f, code: upper(e.currentTarget.value) })} error={codeErr ?? fields.code} />
        <TextInput label="Nombre" required minLength={3} maxLength={200} value={f.name} onChange={(e) => setF({ ...f, name: e.currentTarget.value })} error={fields.name} />
        <Select label="Nivel" required allowDeselect={false} value={f.level} onChange={(v) => setF({ ...f, level: v ?? 'TECNOLOGO' })} data={Object.entries(LEVEL).map(([value, label]) => ({ value, label }))} error={fields.level} />
        <NumberInput label="Duración (meses)" required min={1} max={60} allowDecimal={false} value={f.duration_months} onChange={(v) => setF({ ...f, duration_months: typeof v === 'number' ? v : '' })} error={fields.duration_months ?? (durationOk ? undefined : 'Entre 1 y 60')} />
        <NumberInput label="Trimestres lectivos" min={1} max={12} allowDecimal={false} value={f.quarters} onChange={(v) => setF({ ...f, quarters: typeof v === 'number' ? v : '' })} error={fields.quarters ?? (quartersOk ? undefined : 'Entre 1 y 12')} />
      </SimpleGrid>
      <Textarea label="Descripción" maxLength={2000} rows={3} value={f.description} onChange={(e) => setF({ ...f, description: e.currentTarget.value })} error={fields.description} />
    </FormShell>
  );
}
