import { Group, Progress, Stack, Text } from '@mantine/core';
import { percent } from '../../../lib/dates.ts';

export interface Bar {
  key: string;
  label: string;
  /** 0–100, or null when there is nothing to measure. */
  value: number | null;
  /** What is written beside the bar (the percentage by default). */
  note?: string;
}

const colorOf = (v: number) => (v >= 90 ? 'sena.8' : v >= 80 ? 'yellow.7' : 'red.8');

/**
 * A plain horizontal bar chart: every bar carries its figure in words beside it, so nothing is said by
 * colour or length alone (and it reads well on a 360 px phone).
 */
export function Bars({ title, bars, thresholds = true }: { title: string; bars: Bar[]; thresholds?: boolean }) {
  return (
    <Stack gap={6} component="figure" m={0} aria-label={title}>
      <Text fw={600} component="figcaption">
        {title}
      </Text>
      {bars.map((b) => (
        <div key={b.key}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {b.label}
            </Text>
            <Text size="sm" fw={600} style={{ flex: 'none' }}>
              {b.note ?? percent(b.value)}
            </Text>
          </Group>
          <Progress value={b.value ?? 0} color={thresholds && b.value !== null ? colorOf(b.value) : 'sena.8'} size="md" aria-label={`${b.label}: ${b.note ?? percent(b.value)}`} />
        </div>
      ))}
    </Stack>
  );
}

/** One figure in a card-like block. */
export function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Stack gap={0}>
      <Text size="sm">{label}</Text>
      <Text fw={800} fz={26} lh={1.2}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Stack>
  );
}
