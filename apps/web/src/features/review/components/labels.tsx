import { Badge } from '@mantine/core';
import type { JustificationStatus } from '../api/justifications.ts';
import { STATUS_LABELS } from '../api/justifications.ts';

// Darker shades keep white text above 4.5:1 (axe-core color-contrast); the words carry the meaning.
const JUSTIFICATION_COLORS: Record<JustificationStatus, string> = { PENDING: '#9a3c00', APPROVED: 'sena.8', REJECTED: 'red.8' };

export function JustificationBadge({ status }: { status: JustificationStatus }) {
  return <Badge color={JUSTIFICATION_COLORS[status] ?? 'gray.7'}>{STATUS_LABELS[status] ?? status}</Badge>;
}

export const LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
export type Level = (typeof LEVELS)[number];
export const LEVEL_LABELS: Record<Level, string> = { CRITICAL: 'Crítica', HIGH: 'Alta', MEDIUM: 'Media', LOW: 'Baja' };
const LEVEL_COLORS: Record<Level, string> = { CRITICAL: '#8f1d1d', HIGH: 'red.8', MEDIUM: '#9a3c00', LOW: 'gray.7' };

export function LevelBadge({ level }: { level: string }) {
  return <Badge color={LEVEL_COLORS[level as Level] ?? 'gray.7'}>{`Nivel ${LEVEL_LABELS[level as Level]?.toLowerCase() ?? level}`}</Badge>;
}

export const STATE_LABELS: Record<string, string> = { OPEN: 'Abierta', ACKNOWLEDGED: 'En seguimiento', RESOLVED: 'Resuelta' };
export const ALERT_TYPE_LABELS: Record<string, string> = {
  CONSECUTIVE_ABSENCES: 'Inasistencias consecutivas',
  LOW_ATTENDANCE: 'Baja asistencia',
  FREQUENT_LATENESS: 'Llegadas tarde frecuentes',
  CUSTOM: 'Personalizada',
};
export const RESOLUTION_LABELS: Record<string, string> = {
  AUTO_CLEARED: 'Se resolvió sola (la condición dejó de cumplirse)',
  HANDLED: 'Atendida',
  DISMISSED: 'Descartada',
  STUDENT_INACTIVE: 'Aprendiz inactivo',
};
