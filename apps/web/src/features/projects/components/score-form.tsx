import { Alert, Badge, Button, Card, Group, List, NumberInput, Paper, Stack, Text, Textarea, Title, SimpleGrid } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import type { Evaluation, Rubric } from '../api/types.ts';
import { bandFor, validScore, weightedTotal } from './grading.ts';
import { EVALUATION_STATUS, score, StateBadge } from './labels.tsx';

export interface ScorePayload {
  scores: Array<{ criterion_id: string; score: number | null; comment?: string | null }>;
  general_comments: string | null;
  recommendations: string | null;
}

interface Props {
  rubric: Rubric;
  evaluation: Evaluation | null;
  /** P58 (first save) or P60: keeps the draft. */
  onSave: (payload: ScorePayload) => Promise<unknown>;
  /** P61 after the last save. */
  onComplete: (payload: ScorePayload) => Promise<unknown>;
  /** P62 (only until the result is published). */
  onReopen: () => Promise<unknown>;
}

type Entry = { score: number | ''; comment: string };

function initial(rubric: Rubric, evaluation: Evaluation | null): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  for (const c of rubric.criteria) {
    const s = evaluation?.scores.find((x) => x.criterion_id === c.id);
    out[c.id] = { score: s ? s.score : '', comment: s?.comment ?? '' };
  }
  return out;
}

/**
 * A juror's evaluation of one submission against its rubric (projecteval R30–R33): one score 0–100 (one
 * decimal) and an optional comment per criterion, the weighted total and band previewed as they are typed,
 * kept as a draft any time and completed once every criterion has its score; a completed evaluation is
 * read-only until reopened.
 */
export function ScoreForm({ rubric, evaluation, onSave, onComplete, onReopen }: Props) {
  const [entries, setEntries] = useState(() => initial(rubric, evaluation));
  const [general, setGeneral] = useState(evaluation?.general_comments ?? '');
  const [recommendations, setRecommendations] = useState(evaluation?.recommendations ?? '');
  const [busy, setBusy] = useState<null | 'save' | 'complete' | 'reopen'>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const status = evaluation?.status ?? 'draft';
  const locked = status !== 'draft';

  const numbers: Record<string, number | null> = {};
  for (const c of rubric.criteria) {
    const v = entries[c.id].score;
    numbers[c.id] = v === '' ? null : v;
  }
  const invalid = rubric.criteria.filter((c) => numbers[c.id] !== null && !validScore(numbers[c.id]!));
  const missing = rubric.criteria.filter((c) => numbers[c.id] === null);
  const total = weightedTotal(rubric.criteria, numbers);
  const band = bandFor(rubric.grade_bands, total);

  const payload = (): ScorePayload => ({
    scores: rubric.criteria.map((c) => ({ criterion_id: c.id, score: numbers[c.id], comment: entries[c.id].comment.trim() || null })),
    general_comments: general.trim() || null,
    recommendations: recommendations.trim() || null,
  });

  async function run(kind: 'save' | 'complete' | 'reopen', fn: () => Promise<unknown>, done: string) {
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

  const save = (e?: FormEvent) => {
    e?.preventDefault();
    void run('save', () => onSave(payload()), 'Borrador guardado.');
  };
  const missingIds = error instanceof ApiError && Array.isArray(error.details.missing_criterion_ids) ? (error.details.missing_criterion_ids as string[]) : [];

  return (
    <Paper withBorder p="md" component="form" onSubmit={save} noValidate aria-label="Calificación con la rúbrica">
      <Stack>
        <Group justify="space-between" align="center">
          <Title order={2} size="h4">
            {rubric.name}
          </Title>
          <StateBadge status={status} labels={EVALUATION_STATUS} />
        </Group>
        {error !== null && (
          <Alert color="red" role="alert" title="No se pudo guardar">
            {messageOf(error)}
            {missingIds.length > 0 && ` (${rubric.criteria.filter((c) => missingIds.includes(c.id)).map((c) => c.name).join(', ')})`}
          </Alert>
        )}
        {notice && (
          <Alert color="sena" role="status">
            {notice}
          </Alert>
        )}
        {rubric.criteria.map((c) => {
          const value = entries[c.id];
          const bad = invalid.includes(c);
          return (
            <Card key={c.id} withBorder padding="sm">
              <Stack gap="xs">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Text fw={600}>{c.name}</Text>
                  <Badge variant="outline" color="gray.7" style={{ flexShrink: 0 }}>
                    Peso {c.weight} %
                  </Badge>
                </Group>
                {c.description && <Text size="sm">{c.description}</Text>}
                {c.levels.length > 0 && (
                  <List size="sm" spacing={2}>
                    {c.levels.map((l) => (
                      <List.Item key={l.label}>
                        <Text span fw={600} size="sm">
                          {l.label} ({l.min_score}–{l.max_score}):
                        </Text>{' '}
                        {l.description}
                      </List.Item>
                    ))}
                  </List>
                )}
                <NumberInput
                  label={`Nota de ${c.name}`}
                  description="De 0 a 100, con un decimal"
                  min={0}
                  max={100}
                  step={0.5}
                  decimalScale={1}
                  decimalSeparator=","
                  allowNegative={false}
                  value={value.score}
                  onChange={(v) => setEntries((all) => ({ ...all, [c.id]: { ...all[c.id], score: v === '' ? '' : Number(v) } }))}
                  error={bad ? 'La nota debe estar entre 0 y 100 con un decimal' : missingIds.includes(c.id) ? 'Falta la nota' : undefined}
                  disabled={locked}
                />
                <Textarea
                  label={`Comentario sobre ${c.name}`}
                  maxLength={2000}
                  autosize
                  minRows={1}
                  value={value.comment}
                  onChange={(e) => {
                    const comment = e.currentTarget.value;
                    setEntries((all) => ({ ...all, [c.id]: { ...all[c.id], comment } }));
                  }}
                  disabled={locked}
                />
              </Stack>
            </Card>
          );
        })}
        <Textarea label="Comentarios generales" maxLength={5000} autosize minRows={2} value={general} onChange={(e) => setGeneral(e.currentTarget.value)} disabled={locked} />
        <Textarea label="Recomendaciones" maxLength={5000} autosize minRows={2} value={recommendations} onChange={(e) => setRecommendations(e.currentTarget.value)} disabled={locked} />
        <Paper bg="gray.0" p="sm" radius="sm" aria-live="polite">
          <Text fw={700} data-testid="total">
            Nota ponderada: {total === null ? '—' : score(total)}
            {band && ` · ${band.code} ${band.label}${band.is_passing ? '' : ' (no aprueba)'}`}
          </Text>
          {missing.length > 0 && (
            <Text size="sm">
              {missing.length === 1 ? 'Falta 1 criterio por calificar.' : `Faltan ${missing.length} criterios por calificar.`}
            </Text>
          )}
        </Paper>
        {locked ? (
          status === 'completed' ? (
            <Button variant="default" loading={busy === 'reopen'} onClick={() => void run('reopen', onReopen, 'Evaluación reabierta: puede corregirla.')}>
              Reabrir para corregir
            </Button>
          ) : (
            <Text size="sm">La evaluación está publicada y ya no cambia.</Text>
          )
        ) : (
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
            <Button type="submit" variant="default" loading={busy === 'save'} disabled={invalid.length > 0 || busy !== null}>
              Guardar borrador
            </Button>
            <Button
              loading={busy === 'complete'}
              disabled={missing.length > 0 || invalid.length > 0 || busy !== null}
              onClick={() => void run('complete', () => onComplete(payload()), 'Evaluación completada.')}
            >
              Completar evaluación
            </Button>
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}
