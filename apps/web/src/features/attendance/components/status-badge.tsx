import { Badge } from '@mantine/core';

// Darker shades keep white text above 4.5:1 (axe-core color-contrast).
const STATUS: Record<string, { label: string; color: string }> = {
  PRESENT: { label: 'Presente', color: 'sena.8' },
  LATE: { label: 'Tarde', color: '#9a3c00' },
  ABSENT: { label: 'Ausente', color: 'red.8' },
  JUSTIFIED: { label: 'Justificada', color: 'blue.8' },
  EXCUSED: { label: 'Excusada', color: 'grape.8' },
  NOT_TAKEN: { label: 'Sin registro', color: 'gray.7' },
  UNMARKED: { label: 'Sin marcar', color: 'gray.7' },
};

export const statusLabel = (status: string) => STATUS[status]?.label ?? status;

export function StatusBadge({ status }: { status: string }) {
  const s = STATUS[status] ?? { label: status, color: 'gray.7' };
  return <Badge color={s.color}>{s.label}</Badge>;
}

const JUSTIFICATION: Record<string, string> = {
  PENDING: 'Justificación en revisión',
  APPROVED: 'Justificación aprobada',
  REJECTED: 'Justificación rechazada',
  WITHDRAWN: 'Justificación retirada',
};
export const justificationLabel = (status: string) => JUSTIFICATION[status] ?? status;
