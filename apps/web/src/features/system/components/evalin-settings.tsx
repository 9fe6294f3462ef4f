import { Alert, Button, Group, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useEvalinConfig, type EvalinSettings } from '../api/system.ts';
import { inRange, IntField } from './number-field.tsx';

interface Form {
  min_responses_for_results: number | '';
  min_participation_percent_for_average: number | '';
  manual_reminder_min_interval_hours: number | '';
  enable_qualitative_comments: boolean;
  comments_require_review: boolean;
  allow_overlapping_periods: boolean;
  notifications_enabled: boolean;
  blocked_terms: string;
  auto_reminder_days_before_end: string;
}

const toForm = (s: EvalinSettings): Form => ({ ...s, blocked_terms: s.blocked_terms.join('\n'), auto_reminder_days_before_end: s.auto_reminder_days_before_end.join(', ') });

/** evalin R45's bounds: terms 2–50 characters, at most 500; reminders 0–3 distinct days, each 0–14. */
export function parseTerms(text: string): { terms: string[]; error?: string } {
  const terms = [...new Set(text.split('\n').map((t) => t.trim()).filter(Boolean))];
  if (terms.length > 500) return { terms, error: 'Como máximo 500 términos' };
  const bad = terms.find((t) => t.length < 2 || t.length > 50);
  return bad ? { terms, error: `"${bad}" debe tener entre 2 y 50 caracteres` } : { terms };
}
export function parseReminderDays(text: string): { days: number[]; error?: string } {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  const days = parts.map(Number);
  if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 14)) return { days, error: 'Cada día entre 0 y 14' };
  if (new Set(days).size !== days.length) return { days, error: 'Sin días repetidos' };
  if (days.length > 3) return { days, error: 'Como máximo 3 días' };
  return { days };
}

/** evalin E52/E53 (the version read goes back; a stale one answers 409 and the form reloads). */
export function EvalinSettingsForm() {
  const { read, save } = useEvalinConfig();
  const [form, setForm] = useState<Form | null>(null);
  useEffect(() => {
    if (read.data) setForm(toForm(read.data.settings));
  }, [read.data]);
  if (read.isPending || (!form && !read.isError)) return <Loading />;
  if (read.isError || !form) return <ErrorState error={read.error} />;

  const fields = save.error instanceof ApiError ? save.error.fields : {};
  const terms = parseTerms(form.blocked_terms);
  const reminders = parseReminderDays(form.auto_reminder_days_before_end);
  const valid =
    inRange(form.min_responses_for_results, 2, 50) &&
    inRange(form.min_participation_percent_for_average, 0, 100) &&
    inRange(form.manual_reminder_min_interval_hours, 1, 168) &&
    !terms.error &&
    !reminders.error;
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          version: read.data.version,
          min_responses_for_results: form.min_responses_for_results as number,
          min_participation_percent_for_average: form.min_participation_percent_for_average as number,
          manual_reminder_min_interval_hours: form.manual_reminder_min_interval_hours as number,
          enable_qualitative_comments: form.enable_qualitative_comments,
          comments_require_review: form.comments_require_review,
          allow_overlapping_periods: form.allow_overlapping_periods,
          notifications_enabled: form.notifications_enabled,
          blocked_terms: terms.terms,
          auto_reminder_days_before_end: reminders.days,
        });
      }}
    >
      <Stack>
        <Text size="sm">
          Versión {read.data.version} (actualizada {formatDateTime(read.data.updated_at)}).
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <IntField label="Respuestas mínimas para mostrar resultados" min={2} max={50} value={form.min_responses_for_results} error={fields.min_responses_for_results} onChange={(v) => set({ min_responses_for_results: v })} />
          <IntField
            label="Participación mínima para promediar (%)"
            min={0}
            max={100}
            value={form.min_participation_percent_for_average}
            error={fields.min_participation_percent_for_average}
            onChange={(v) => set({ min_participation_percent_for_average: v })}
          />
          <IntField
            label="Horas entre recordatorios manuales"
            min={1}
            max={168}
            value={form.manual_reminder_min_interval_hours}
            error={fields.manual_reminder_min_interval_hours}
            onChange={(v) => set({ manual_reminder_min_interval_hours: v })}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Switch label="Permitir comentarios cualitativos" checked={form.enable_qualitative_comments} onChange={(e) => set({ enable_qualitative_comments: e.currentTarget.checked })} />
          <Switch label="Revisar comentarios antes de publicarlos" checked={form.comments_require_review} onChange={(e) => set({ comments_require_review: e.currentTarget.checked })} />
          <Switch label="Permitir periodos superpuestos" checked={form.allow_overlapping_periods} onChange={(e) => set({ allow_overlapping_periods: e.currentTarget.checked })} />
          <Switch label="Enviar notificaciones" checked={form.notifications_enabled} onChange={(e) => set({ notifications_enabled: e.currentTarget.checked })} />
        </SimpleGrid>
        <TextInput
          label="Recordatorios automáticos (días antes del cierre, separados por coma)"
          description="Hasta 3 días distintos entre 0 y 14; 0 es el último día"
          value={form.auto_reminder_days_before_end}
          onChange={(e) => set({ auto_reminder_days_before_end: e.currentTarget.value })}
          error={reminders.error ?? fields.auto_reminder_days_before_end}
        />
        <Textarea
          label="Términos bloqueados (uno por línea)"
          description={`${terms.terms.length} de 500; cada uno de 2 a 50 caracteres`}
          rows={5}
          value={form.blocked_terms}
          onChange={(e) => set({ blocked_terms: e.currentTarget.value })}
          error={terms.error ?? fields.blocked_terms}
        />
        {save.isError && (
          <Alert color="#a51d1d" role="alert" title="No se guardó">
            {messageOf(save.error)}
            {save.error instanceof ApiError && save.error.code === 'CONFIG_VERSION_CONFLICT' ? ' Se cargó la versión actual: revise y guarde de nuevo.' : ''}
          </Alert>
        )}
        {save.isSuccess && !save.isPending && (
          <Alert color="#1f5c00" role="status" title="Guardado">
            Configuración de evaluación en la versión {save.data.version}.
          </Alert>
        )}
        <Group>
          <Button type="submit" disabled={!valid} loading={save.isPending}>
            Guardar evaluación
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
