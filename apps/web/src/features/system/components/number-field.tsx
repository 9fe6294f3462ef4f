import { NumberInput } from '@mantine/core';

/** An integer input with the OpenAPI/spec bounds shown in its description. */
export function IntField({ label, value, min, max, error, onChange }: { label: string; value: number | ''; min: number; max: number; error?: string; onChange: (v: number | '') => void }) {
  return (
    <NumberInput
      label={label}
      description={`${min}–${max}`}
      value={value}
      min={min}
      max={max}
      allowDecimal={false}
      allowNegative={min < 0}
      clampBehavior="none"
      onChange={(v) => onChange(typeof v === 'number' ? v : v === '' ? '' : Number(v))}
      error={error ?? (value === '' ? 'Obligatorio' : value < min || value > max ? `Entre ${min} y ${max}` : undefined)}
    />
  );
}

export const inRange = (value: number | '', min: number, max: number) => value !== '' && Number.isInteger(value) && value >= min && value <= max;
