import { Group, TextInput } from '@mantine/core';
import { addDays, todayLocal } from '../../../lib/dates.ts';
import type { Period } from '../api/reports.ts';

const ISO = /^\d{4}-\d{2}-\d{2}$/;

/** The reports' period from the URL (attendance R41: the last 30 days ending today by default). */
export function periodOf(desde: string | undefined, hasta: string | undefined): Period {
  const today = todayLocal();
  const end = hasta && ISO.test(hasta) ? hasta : today;
  const start = desde && ISO.test(desde) && desde <= end ? desde : addDays(end, -29);
  return { start_date: start, end_date: end };
}

export function PeriodPicker({ period, onChange, maxDays }: { period: Period; onChange: (p: Period) => void; maxDays: number }) {
  const today = todayLocal();
  return (
    <Group align="flex-end" wrap="wrap" gap="sm">
      <TextInput
        type="date"
        label="Desde"
        value={period.start_date}
        max={period.end_date}
        min={addDays(period.end_date, -(maxDays - 1))}
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (ISO.test(v) && v <= period.end_date) onChange({ ...period, start_date: v });
        }}
      />
      <TextInput
        type="date"
        label="Hasta"
        value={period.end_date}
        min={period.start_date}
        max={today}
        onChange={(e) => {
          const v = e.currentTarget.value;
          if (ISO.test(v) && v >= period.start_date) onChange({ ...period, end_date: v });
        }}
      />
    </Group>
  );
}
