import { Pagination } from '@mantine/core';

const CONTROL: Record<string, string> = { first: 'Primera página', previous: 'Página anterior', next: 'Página siguiente', last: 'Última página' };

/** Mantine's Pagination with a name on every control (axe: button-name). */
export function Pager({ value, total, onChange, label }: { value: number; total: number; onChange: (page: number) => void; label: string }) {
  if (total <= 1) return null;
  return (
    <Pagination
      value={value}
      onChange={onChange}
      total={total}
      aria-label={label}
      getControlProps={(control) => ({ 'aria-label': CONTROL[control] })}
      getItemProps={(page) => ({ 'aria-label': `Página ${page}` })}
      mt="xs"
    />
  );
}
