import { Pagination } from '@mantine/core';

const CONTROL: Record<string, string> = { first: 'Primera página', previous: 'Página anterior', next: 'Página siguiente', last: 'Última página' };

/** Mantine's Pagination with a Spanish name on every button (its arrows are icons only). */
export function Pager({ value, total, onChange, label }: { value: number; total: number; onChange: (page: number) => void; label: string }) {
  return (
    <Pagination
      value={value}
      onChange={onChange}
      total={total}
      aria-label={label}
      getControlProps={(control) => ({ 'aria-label': CONTROL[control] })}
      getItemProps={(page) => ({ 'aria-label': `Página ${page}` })}
    />
  );
}
