import { Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { Submission } from '../api/types.ts';
import { score } from './labels.tsx';

/**
 * A result with its rubric breakdown (R34/R36): final score and band, the mean per criterion with its
 * weight, and each juror's scores and comments. Apprentices get this only once published.
 */
export function GradeBreakdown({ submission }: { submission: Submission }) {
  const criteria = new Map<string, { name: string; weight: number }>();
  for (const e of submission.evaluations) for (const s of e.scores) criteria.set(s.criterion_id, { name: s.criterion_name, weight: s.weight });
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Text fw={700} size="lg">
          Nota final: {score(submission.final_score)}
        </Text>
        {submission.band_label && (
          <Badge color={submission.is_passing ? 'sena.8' : 'red.8'} variant="filled">
            {submission.band_code} · {submission.band_label} · {submission.is_passing ? 'Aprobado' : 'No aprobado'}
          </Badge>
        )}
      </Group>
      {submission.criterion_averages.length > 0 && (
        <Table.ScrollContainer minWidth={280}>
          <Table striped withTableBorder aria-label="Promedio por criterio">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Criterio</Table.Th>
                <Table.Th>Peso</Table.Th>
                <Table.Th>Promedio</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {submission.criterion_averages.map((a) => (
                <Table.Tr key={a.criterion_id}>
                  <Table.Td>{criteria.get(a.criterion_id)?.name ?? 'Criterio'}</Table.Td>
                  <Table.Td>{criteria.get(a.criterion_id)?.weight ?? '—'} %</Table.Td>
                  <Table.Td>{score(a.average)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {submission.evaluations.map((e) => (
        <Paper key={e.id} withBorder p="sm">
          <Stack gap={4}>
            <Text fw={600}>
              {e.evaluator_name ?? 'Jurado'} · {score(e.total_score)}
              {e.band_code ? ` (${e.band_code})` : ''}
            </Text>
            {e.scores.map((s) => (
              <Text key={s.criterion_id} size="sm">
                {s.criterion_name}: {score(s.score)}
                {s.comment ? ` — ${s.comment}` : ''}
              </Text>
            ))}
            {e.general_comments && <Text size="sm">Comentarios: {e.general_comments}</Text>}
            {e.recommendations && <Text size="sm">Recomendaciones: {e.recommendations}</Text>}
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
