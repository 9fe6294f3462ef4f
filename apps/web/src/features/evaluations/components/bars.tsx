import { Group, Progress, Stack, Text } from '@mantine/core';

const decimal = new Intl.NumberFormat('es-CO', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** An average on the 1–5 scale in es-CO ("4,25"), or a dash when withheld. */
export const avg = (v: number | null | undefined) => (v === null || v === undefined ? '—' : decimal.format(v));

/** A labelled horizontal bar (simple charts with Mantine Progress: @mantine/charts is not installed). */
export function Bar({ label, value, max, display, color }: { label: string; value: number | null; max: number; display: string; color?: string }) {
  return (
    <Stack gap={2}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" style={{ minWidth: 0 }}>
          {label}
        </Text>
        <Text size="sm" fw={700} style={{ flexShrink: 0 }}>
          {display}
        </Text>
      </Group>
      <Progress value={value === null ? 0 : Math.max(0, Math.min(100, (value / max) * 100))} color={color} aria-label={`${label}: ${display}`} size="md" />
    </Stack>
  );
}
