import { Alert, Button, Card, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useRiskSettings, type RiskDocument, type RiskSettings } from '../api/system.ts';
import { inRange, IntField } from './number-field.tsx';

type Factor = 'low_attendance' | 'consecutive_absences' | 'unjustified_absences' | 'declining_trend' | 'frequent_lateness' | 'low_project_grade';
const FACTORS: Array<{ key: Factor; label: string; band: string; extra?: { key: 'min_sessions_per_half' | 'min_attended' | 'max_age_days'; label: string; min: number; max: number } }> = [
  { key: 'low_attendance', label: 'Baja asistencia', band: 'asistencia menor que (%)' },
  { key: 'consecutive_absences', label: 'Inasistencias seguidas', band: 'seguidas desde' },
  { key: 'unjustified_absences', label: 'Inasistencias sin justificar', band: 'desde' },
  { key: 'declining_trend', label: 'Asistencia en descenso', band: 'caída de al menos (puntos)', extra: { key: 'min_sessions_per_half', label: 'Sesiones mínimas por mitad', min: 1, max: 50 } },
  { key: 'frequent_lateness', label: 'Tardanzas frecuentes', band: 'tarde al menos (%)', extra: { key: 'min_attended', label: 'Asistencias mínimas', min: 1, max: 100 } },
  { key: 'low_project_grade', label: 'Nota baja del proyecto', band: 'nota menor que', extra: { key: 'max_age_days', label: 'Antigüedad máxima (días)', min: 1, max: 3650 } },
];
const LEVELS = [
  { value: 'medium', label: 'Medio' },
  { value: 'high', label: 'Alto' },
  { value: 'critical', label: 'Crítico' },
];

interface FactorForm {
  bands: string;
  points: string;
  extra: number | '';
}
interface Form {
  factors: Record<Factor, FactorForm>;
  evalin_points: number | '';
  medium: number | '';
  high: number | '';
  critical: number | '';
  alert_min_level: 'medium' | 'high' | 'critical';
}

const list = (text: string) =>
  text
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map(Number);

/** ai R29 bounds of one factor: 1–5 bands 0–100, as many points, integers 0–50. */
export function factorError(f: FactorForm): string | undefined {
  const bands = list(f.bands);
  const points = list(f.points);
  if (bands.length < 1 || bands.length > 5) return 'Entre 1 y 5 umbrales';
  if (bands.some((b) => !Number.isFinite(b) || b < 0 || b > 100)) return 'Cada umbral entre 0 y 100';
  if (points.length !== bands.length) return 'Un puntaje por umbral';
  if (points.some((p) => !Number.isInteger(p) || p < 0 || p > 50)) return 'Cada puntaje entero entre 0 y 50';
  return undefined;
}

/** 1 ≤ medium < high < critical ≤ 100. */
export function cutoffError(f: Pick<Form, 'medium' | 'high' | 'critical'>): string | undefined {
  if (!inRange(f.medium, 1, 100) || !inRange(f.high, 1, 100) || !inRange(f.critical, 1, 100)) return 'Cada nivel entre 1 y 100';
  return (f.medium as number) < (f.high as number) && (f.high as number) < (f.critical as number) ? undefined : 'Medio < alto < crítico';
}

function toForm(s: RiskSettings): Form {
  const factors = {} as Record<Factor, FactorForm>;
  for (const f of FACTORS) {
    const v = s.values[f.key];
    factors[f.key] = { bands: v.bands.join(', '), points: v.points.join(', '), extra: f.extra ? (v[f.extra.key] ?? '') : '' };
  }
  return { factors, evalin_points: s.values.evalin_not_submitted.points[0] ?? 0, ...s.level_cutoffs, alert_min_level: s.alert_min_level };
}

function toDocument(f: Form): RiskDocument {
  const values = {} as RiskDocument['values'];
  for (const def of FACTORS) {
    const form = f.factors[def.key];
    values[def.key] = { bands: list(form.bands), points: list(form.points), ...(def.extra ? { [def.extra.key]: form.extra } : {}) } as never;
  }
  values.evalin_not_submitted = { points: [f.evalin_points as number] };
  return { values, level_cutoffs: { medium: f.medium as number, high: f.high as number, critical: f.critical as number }, alert_min_level: f.alert_min_level };
}

/** ai risk settings (GET/PUT `/ai/risk/settings`): every save stores a new version of the whole document. */
export function RiskSettingsForm() {
  const { read, save } = useRiskSettings();
  const [form, setForm] = useState<Form | null>(null);
  useEffect(() => {
    if (read.data) setForm(toForm(read.data));
  }, [read.data]);
  if (read.isPending || (!form && !read.isError)) return <Loading />;
  if (read.isError || !form) return <ErrorState error={read.error} />;

  const fields = save.error instanceof ApiError ? save.error.fields : {};
  const cutoffs = cutoffError(form);
  const valid =
    FACTORS.every((f) => !factorError(form.factors[f.key]) && (!f.extra || inRange(form.factors[f.key].extra, f.extra.min, f.extra.max))) && inRange(form.evalin_points, 0, 50) && !cutoffs;
  const setFactor = (key: Factor, patch: Partial<FactorForm>) => setForm({ ...form, factors: { ...form.factors, [key]: { ...form.factors[key], ...patch } } });

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(toDocument(form));
      }}
    >
      <Stack>
        <Text size="sm">
          Versión {read.data.version} (creada {formatDateTime(read.data.created_at)}). Cada factor da el puntaje del primer umbral que se cumple; el riesgo es la suma (máximo 100). Las
          evaluaciones anteriores conservan la versión con la que se calcularon.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {FACTORS.map((f) => {
            const err = factorError(form.factors[f.key]);
            return (
              <Card key={f.key} withBorder padding="sm">
                <Title order={3} size="h5" mb={4}>
                  {f.label}
                </Title>
                <Group grow align="flex-start">
                  <TextInput label={`Umbrales: ${f.band}`} value={form.factors[f.key].bands} onChange={(e) => setFactor(f.key, { bands: e.currentTarget.value })} error={err ?? fields[f.key]} />
                  <TextInput label="Puntajes (0–50)" value={form.factors[f.key].points} onChange={(e) => setFactor(f.key, { points: e.currentTarget.value })} />
                </Group>
                {f.extra && (
                  <IntField label={f.extra.label} min={f.extra.min} max={f.extra.max} value={form.factors[f.key].extra} error={fields[f.extra.key]} onChange={(v) => setFactor(f.key, { extra: v })} />
                )}
              </Card>
            );
          })}
          <Card withBorder padding="sm">
            <Title order={3} size="h5" mb={4}>
              Evaluación de instructores sin diligenciar
            </Title>
            <IntField label="Puntaje" min={0} max={50} value={form.evalin_points} onChange={(v) => setForm({ ...form, evalin_points: v })} />
          </Card>
        </SimpleGrid>
        <Title order={3} size="h4">
          Niveles
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 4 }}>
          <IntField label="Medio desde" min={1} max={100} value={form.medium} error={fields.medium} onChange={(v) => setForm({ ...form, medium: v })} />
          <IntField label="Alto desde" min={1} max={100} value={form.high} error={fields.high} onChange={(v) => setForm({ ...form, high: v })} />
          <IntField label="Crítico desde" min={1} max={100} value={form.critical} error={fields.critical ?? cutoffs} onChange={(v) => setForm({ ...form, critical: v })} />
          <Select
            label="Crear alerta desde el nivel"
            allowDeselect={false}
            value={form.alert_min_level}
            onChange={(v) => setForm({ ...form, alert_min_level: (v as Form['alert_min_level']) ?? 'high' })}
            data={LEVELS}
            error={fields.alert_min_level}
          />
        </SimpleGrid>
        {save.isError && (
          <Alert color="#a51d1d" role="alert" title="No se guardó">
            {messageOf(save.error)}
          </Alert>
        )}
        {save.isSuccess && !save.isPending && (
          <Alert color="#1f5c00" role="status" title="Guardado">
            Configuración de riesgo en la versión {save.data.version}.
          </Alert>
        )}
        <Group>
          <Button type="submit" disabled={!valid} loading={save.isPending}>
            Guardar riesgo
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
