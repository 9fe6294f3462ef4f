import { Alert, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useAttendanceSettings, type AttendanceSettings } from '../api/system.ts';
import { inRange, IntField } from './number-field.tsx';

type Flat = Omit<AttendanceSettings, 'version' | 'updated_at' | 'consecutive_absences' | 'low_attendance' | 'frequent_lateness'>;

/** attendance R47's keys with their allowed ranges (the OpenAPI descriptions of ST2). */
export const ATTENDANCE_FIELDS: Array<{ key: keyof Flat; label: string; min: number; max: number }> = [
  { key: 'open_before_minutes', label: 'Abrir la toma (min antes del inicio)', min: 0, max: 60 },
  { key: 'late_after_minutes', label: 'Tolerancia antes de tarde (min)', min: 0, max: 60 },
  { key: 'auto_close_after_minutes', label: 'Cierre automático tras el fin (min)', min: 10, max: 240 },
  { key: 'instructor_edit_days', label: 'Días extra de edición del instructor', min: 0, max: 7 },
  { key: 'roll_reminder_after_minutes', label: 'Recordatorio de toma (min)', min: 5, max: 120 },
  { key: 'qr_ttl_seconds', label: 'Vigencia del código QR (s)', min: 10, max: 60 },
  { key: 'qr_scan_grace_seconds', label: 'Gracia al escanear (s)', min: 0, max: 10 },
  { key: 'justification_deadline_business_days', label: 'Plazo para justificar (días hábiles)', min: 1, max: 15 },
  { key: 'advance_notice_max_days', label: 'Aviso anticipado máximo (días)', min: 1, max: 90 },
  { key: 'justification_overdue_days', label: 'Justificación vencida tras (días)', min: 1, max: 30 },
  { key: 'alert_window_days', label: 'Ventana de alertas (días)', min: 14, max: 90 },
  { key: 'alert_overdue_days', label: 'Alerta vencida tras (días)', min: 1, max: 30 },
  { key: 'dismissal_suppression_days', label: 'Silencio tras descartar (días)', min: 0, max: 60 },
];

type Form = Record<string, number | ''>;

function toForm(s: AttendanceSettings): Form {
  const form: Form = {};
  for (const f of ATTENDANCE_FIELDS) form[f.key] = s[f.key];
  Object.assign(form, {
    'consecutive_absences.high': s.consecutive_absences.high,
    'consecutive_absences.critical': s.consecutive_absences.critical,
    'low_attendance.min_records': s.low_attendance.min_records,
    'low_attendance.medium_below': s.low_attendance.medium_below,
    'low_attendance.high_below': s.low_attendance.high_below,
    'low_attendance.critical_below': s.low_attendance.critical_below,
    'frequent_lateness.low_at': s.frequent_lateness.low_at,
    'frequent_lateness.medium_at': s.frequent_lateness.medium_at,
  });
  return form;
}

const NESTED: Array<{ key: string; label: string; min: number; max: number }> = [
  { key: 'consecutive_absences.high', label: 'Inasistencias seguidas: alta', min: 2, max: 20 },
  { key: 'consecutive_absences.critical', label: 'Inasistencias seguidas: crítica', min: 2, max: 20 },
  { key: 'low_attendance.min_records', label: 'Baja asistencia: registros mínimos', min: 1, max: 100 },
  { key: 'low_attendance.medium_below', label: 'Baja asistencia: media bajo (%)', min: 1, max: 100 },
  { key: 'low_attendance.high_below', label: 'Baja asistencia: alta bajo (%)', min: 1, max: 100 },
  { key: 'low_attendance.critical_below', label: 'Baja asistencia: crítica bajo (%)', min: 1, max: 100 },
  { key: 'frequent_lateness.low_at', label: 'Tardanzas: baja desde', min: 1, max: 50 },
  { key: 'frequent_lateness.medium_at', label: 'Tardanzas: media desde', min: 1, max: 50 },
];

/** The orderings R47 requires between keys, as field → message. */
export function attendanceOrderErrors(f: Form): Record<string, string> {
  const out: Record<string, string> = {};
  const n = (k: string) => (typeof f[k] === 'number' ? (f[k] as number) : NaN);
  if (n('consecutive_absences.high') >= n('consecutive_absences.critical')) out['consecutive_absences.critical'] = 'Debe ser mayor que el nivel alto';
  if (n('low_attendance.medium_below') <= n('low_attendance.high_below')) out['low_attendance.high_below'] = 'Debe ser menor que el nivel medio';
  if (n('low_attendance.high_below') <= n('low_attendance.critical_below')) out['low_attendance.critical_below'] = 'Debe ser menor que el nivel alto';
  if (n('frequent_lateness.low_at') >= n('frequent_lateness.medium_at')) out['frequent_lateness.medium_at'] = 'Debe ser mayor que el nivel bajo';
  return out;
}

/** attendance ST1/ST2 (admin changes; changes apply from the next request, past records are not recomputed). */
export function AttendanceSettingsForm() {
  const { read, save } = useAttendanceSettings();
  const [form, setForm] = useState<Form | null>(null);
  useEffect(() => {
    if (read.data) setForm(toForm(read.data));
  }, [read.data]);
  if (read.isPending || (!form && !read.isError)) return <Loading />;
  if (read.isError || !form) return <ErrorState error={read.error} />;

  const serverFields = save.error instanceof ApiError ? save.error.fields : {};
  const order = attendanceOrderErrors(form);
  const all = [...ATTENDANCE_FIELDS.map((f) => ({ ...f, key: f.key as string })), ...NESTED];
  const valid = all.every((f) => inRange(form[f.key], f.min, f.max)) && Object.keys(order).length === 0;
  const fieldError = (key: string) => order[key] ?? serverFields[key] ?? serverFields[key.split('.').pop()!];

  function submit() {
    const f = form!;
    const patch: Record<string, unknown> = {};
    for (const field of ATTENDANCE_FIELDS) patch[field.key] = f[field.key];
    for (const field of NESTED) {
      const [group, key] = field.key.split('.');
      patch[group] = { ...((patch[group] as object) ?? {}), [key]: f[field.key] };
    }
    save.mutate(patch as never);
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack>
        <Text size="sm">
          Versión {read.data.version} (actualizada {formatDateTime(read.data.updated_at)}). Los cambios rigen desde la siguiente toma o evaluación; los registros pasados no se recalculan.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {ATTENDANCE_FIELDS.map((f) => (
            <IntField key={f.key} label={f.label} min={f.min} max={f.max} value={form[f.key]} error={fieldError(f.key)} onChange={(v) => setForm({ ...form, [f.key]: v })} />
          ))}
        </SimpleGrid>
        <Title order={3} size="h4">
          Alertas
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {NESTED.map((f) => (
            <IntField key={f.key} label={f.label} min={f.min} max={f.max} value={form[f.key]} error={fieldError(f.key)} onChange={(v) => setForm({ ...form, [f.key]: v })} />
          ))}
        </SimpleGrid>
        {save.isError && (
          <Alert color="#a51d1d" role="alert" title="No se guardó">
            {messageOf(save.error)}
          </Alert>
        )}
        {save.isSuccess && !save.isPending && (
          <Alert color="#1f5c00" role="status" title="Guardado">
            Configuración de asistencia en la versión {save.data.version}.
          </Alert>
        )}
        <Group>
          <Button type="submit" disabled={!valid} loading={save.isPending}>
            Guardar asistencia
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
