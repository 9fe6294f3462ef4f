import { Badge } from '@mantine/core';

const EVALUATION: Record<string, { label: string; color: string }> = {
  pending: { label: 'Pendiente', color: 'gray.7' },
  draft: { label: 'Borrador', color: 'orange.9' },
  submitted: { label: 'Enviada', color: 'sena.8' },
};

export function EvaluationBadge({ status }: { status: string }) {
  const s = EVALUATION[status] ?? { label: status, color: 'gray.7' };
  return (
    <Badge color={s.color} variant="filled" style={{ flexShrink: 0 }}>
      {s.label}
    </Badge>
  );
}

export const PERIOD_STATUS: Record<string, { label: string; color: string }> = {
  draft: { label: 'Borrador', color: 'gray.7' },
  scheduled: { label: 'Programado', color: 'blue.8' },
  active: { label: 'Abierto', color: 'sena.8' },
  suspended: { label: 'Suspendido', color: 'orange.9' },
  closed: { label: 'Cerrado', color: 'grape.8' },
  published: { label: 'Publicado', color: 'indigo.8' },
};

export function PeriodBadge({ status }: { status: string }) {
  const s = PERIOD_STATUS[status] ?? { label: status, color: 'gray.7' };
  return (
    <Badge color={s.color} variant="filled" style={{ flexShrink: 0 }}>
      {s.label}
    </Badge>
  );
}
