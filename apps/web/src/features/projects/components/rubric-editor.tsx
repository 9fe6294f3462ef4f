import { ActionIcon, Alert, Button, Card, Group, NumberInput, Paper, Progress, Stack, Table, Text, TextInput, Textarea, Title, SimpleGrid } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import type { GradeBand, Rubric } from '../api/types.ts';
import { weightCheck } from './grading.ts';
import { RUBRIC_STATUS, StateBadge } from './labels.tsx';

export interface RubricBody {
  name: string;
  description: string | null;
  program_code: string | null;
  trimester: number | null;
  criteria: Array<{ name: string; description: string | null; weight: number; levels?: Rubric['criteria'][number]['levels'] }>;
  grade_bands?: GradeBand[];
}

interface Row {
  key: number;
  name: string;
  description: string;
  weight: number | '';
  levels?: Rubric['criteria'][number]['levels'];
}

/** R17's default bands, shown for a new rubric (the server stores them when none are sent). */
export const DEFAULT_BANDS: GradeBand[] = [
  { code: 'A', label: 'Excelente', min_score: 90, is_passing: true },
  { code: 'B', label: 'Bueno', min_score: 80, is_passing: true },
  { code: 'C', label: 'Aceptable', min_score: 70, is_passing: true },
  { code: 'D', label: 'Suficiente', min_score: 60, is_passing: true },
  { code: 'F', label: 'Insuficiente', min_score: 0, is_passing: false },
];

let nextKey = 1;
const rowsOf = (rubric: Rubric | null): Row[] =>
  rubric
    ? rubric.criteria.map((c) => ({ key: nextKey++, name: c.name, description: c.description ?? '', weight: c.weight, levels: c.levels }))
    : [
        { key: nextKey++, name: '', description: '', weight: '' },
        { key: nextKey++, name: '', description: '', weight: '' },
      ];

interface Props {
  rubric: Rubric | null;
  /** Only drafts change (R16); active and archived rubrics are shown read-only. */
  readOnly?: boolean;
  /** P28 (new) or P30 (replace the draft whole). */
  onSave: (body: RubricBody) => Promise<unknown>;
  /** P31 after saving: 2–20 criteria totalling 100. */
  onActivate?: (body: RubricBody) => Promise<unknown>;
}

/**
 * The coordinator's rubric editor (projecteval R16/R17, P28–P31): criteria with their weights, the sum
 * shown as it is typed, activation allowed only when it reaches exactly 100; grade bands as they stand.
 */
export function RubricEditor({ rubric, readOnly = false, onSave, onActivate }: Props) {
  const [name, setName] = useState(rubric?.name ?? '');
  const [description, setDescription] = useState(rubric?.description ?? '');
  const [programCode, setProgramCode] = useState(rubric?.program_code ?? '');
  const [trimester, setTrimester] = useState<number | ''>(rubric?.trimester ?? '');
  const [rows, setRows] = useState<Row[]>(() => rowsOf(rubric));
  const [busy, setBusy] = useState<null | 'save' | 'activate'>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const bands = rubric?.grade_bands.length ? rubric.grade_bands : DEFAULT_BANDS;
  const locked = readOnly || (rubric !== null && rubric.status !== 'draft');

  const weights = rows.map((r) => (r.weight === '' ? 0 : r.weight));
  const check = weightCheck(weights);
  const namesOk = name.trim().length >= 5 && rows.every((r) => r.name.trim().length >= 3);
  const weightsOk = rows.every((r) => r.weight !== '' && r.weight >= 1 && r.weight <= 100);

  const body = (): RubricBody => ({
    name: name.trim(),
    description: description.trim() || null,
    program_code: programCode.trim() || null,
    trimester: trimester === '' ? null : trimester,
    criteria: rows.map((r) => ({ name: r.name.trim(), description: r.description.trim() || null, weight: Number(r.weight), ...(r.levels?.length ? { levels: r.levels } : {}) })),
    ...(rubric?.grade_bands.length ? { grade_bands: rubric.grade_bands } : {}),
  });
  const update = (key: number, patch: Partial<Row>) => setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  async function run(kind: 'save' | 'activate', fn: () => Promise<unknown>, done: string) {
    setBusy(kind);
    setError(null);
    setNotice(null);
    try {
      await fn();
      setNotice(done);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }
  const save = (e: FormEvent) => {
    e.preventDefault();
    void run('save', () => onSave(body()), 'Rúbrica guardada como borrador.');
  };
  const fields = error instanceof ApiError ? error.fields : {};
  const serverTotal = error instanceof ApiError && typeof error.details.total === 'number' ? error.details.total : null;

  return (
    <Paper withBorder p="md" component="form" onSubmit={save} noValidate aria-label="Editor de rúbrica">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4">
            {rubric ? rubric.name : 'Nueva rúbrica'}
          </Title>
          {rubric && <StateBadge status={rubric.status} labels={RUBRIC_STATUS} />}
        </Group>
        {locked && rubric && rubric.status !== 'draft' && <Text size="sm">Solo las rúbricas en borrador se editan; duplíquela para cambiarla.</Text>}
        {error !== null && (
          <Alert color="red" role="alert" title="No se pudo guardar">
            {messageOf(error)}
            {serverTotal !== null && ` (suman ${serverTotal})`}
          </Alert>
        )}
        {notice && (
          <Alert color="sena" role="status">
            {notice}
          </Alert>
        )}
        <TextInput label="Nombre" required minLength={5} maxLength={200} value={name} onChange={(e) => setName(e.currentTarget.value)} disabled={locked} error={fields.name} />
        <Textarea label="Descripción" maxLength={2000} autosize minRows={1} value={description} onChange={(e) => setDescription(e.currentTarget.value)} disabled={locked} />
        <Group grow>
          <TextInput label="Programa" description="Por ejemplo ADSO" maxLength={20} value={programCode} onChange={(e) => setProgramCode(e.currentTarget.value)} disabled={locked} />
          <NumberInput label="Trimestre" min={1} max={7} allowDecimal={false} value={trimester} onChange={(v) => setTrimester(v === '' ? '' : Number(v))} disabled={locked} />
        </Group>
        <Title order={3} size="h5">
          Criterios
        </Title>
        {rows.map((r, i) => (
          <Card key={r.key} withBorder padding="sm">
            <Stack gap="xs">
              <Group align="flex-end" wrap="nowrap">
                <TextInput style={{ flex: 1 }} label={`Criterio ${i + 1}`} required minLength={3} maxLength={100} value={r.name} onChange={(e) => update(r.key, { name: e.currentTarget.value })} disabled={locked} />
                <NumberInput
                  w={120}
                  label={`Peso del criterio ${i + 1}`}
                  min={1}
                  max={100}
                  allowDecimal={false}
                  allowNegative={false}
                  suffix=" %"
                  value={r.weight}
                  onChange={(v) => update(r.key, { weight: v === '' ? '' : Number(v) })}
                  disabled={locked}
                />
                {!locked && (
                  <ActionIcon variant="subtle" color="red.8" size="lg" aria-label={`Quitar el criterio ${i + 1}`} onClick={() => setRows((all) => all.filter((x) => x.key !== r.key))} disabled={rows.length <= 1}>
                    <IconTrash size={18} aria-hidden />
                  </ActionIcon>
                )}
              </Group>
              <Textarea label={`Descripción del criterio ${i + 1}`} maxLength={1000} autosize minRows={1} value={r.description} onChange={(e) => update(r.key, { description: e.currentTarget.value })} disabled={locked} />
            </Stack>
          </Card>
        ))}
        {!locked && (
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setRows((all) => [...all, { key: nextKey++, name: '', description: '', weight: '' }])} disabled={rows.length >= 20}>
            Agregar criterio
          </Button>
        )}
        <Stack gap={4} aria-live="polite">
          <Group justify="space-between">
            <Text fw={700} data-testid="weight-total">
              Suma de pesos: {check.total} de 100
            </Text>
          </Group>
          <Progress value={Math.min(check.total, 100)} color={check.ok ? 'sena.8' : check.total > 100 ? 'red.8' : 'yellow.7'} aria-label="Suma de pesos" />
          <Text size="sm" c={check.ok ? undefined : check.total > 100 ? 'red.8' : undefined}>
            {check.message}
          </Text>
        </Stack>
        <Title order={3} size="h5">
          Bandas de calificación
        </Title>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Código</Table.Th>
              <Table.Th>Banda</Table.Th>
              <Table.Th>Desde</Table.Th>
              <Table.Th>Aprueba</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {bands.map((b) => (
              <Table.Tr key={b.code}>
                <Table.Td>{b.code}</Table.Td>
                <Table.Td>{b.label}</Table.Td>
                <Table.Td>{b.min_score.toLocaleString('es-CO', { minimumFractionDigits: 1 })}</Table.Td>
                <Table.Td>{b.is_passing ? 'Sí' : 'No'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {!locked && (
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
            <Button type="submit" variant="default" loading={busy === 'save'} disabled={!namesOk || !weightsOk || busy !== null}>
              Guardar borrador
            </Button>
            {onActivate && (
              <Button loading={busy === 'activate'} disabled={!check.ok || !namesOk || busy !== null} onClick={() => void run('activate', () => onActivate(body()), 'Rúbrica activada.')}>
                Activar
              </Button>
            )}
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}
