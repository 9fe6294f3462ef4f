import { Badge } from '@mantine/core';

/** Spanish words for projecteval's enums (§3), and the badge colour of each state (words, never colour alone). */
export const TEAM_STATUS: Record<string, string> = { forming: 'En conformación', active: 'Activo', closed: 'Cerrado' };
export const MEMBER_ROLE: Record<string, string> = { member: 'Integrante', developer: 'Desarrollo', analyst: 'Análisis', designer: 'Diseño', tester: 'Pruebas' };
export const IDEA_STATUS: Record<string, string> = {
  proposed: 'Propuesta',
  revision_requested: 'Revisión solicitada',
  approved: 'Aprobada',
  rejected: 'Rechazada',
  not_selected: 'No seleccionada',
  withdrawn: 'Retirada',
};
export const PROJECT_STATUS: Record<string, string> = { active: 'Activo', suspended: 'Suspendido', completed: 'Terminado', cancelled: 'Cancelado' };
export const PROJECT_TYPE: Record<string, string> = {
  web_application: 'Aplicación web',
  mobile_application: 'Aplicación móvil',
  desktop_application: 'Aplicación de escritorio',
  api_service: 'Servicio API',
  data_analytics: 'Analítica de datos',
  other: 'Otro',
};
export const DELIVERABLE_TYPE: Record<string, string> = {
  documentation: 'Documentación',
  source_code: 'Código fuente',
  presentation: 'Presentación',
  demo_video: 'Video demostrativo',
  database_script: 'Script de base de datos',
  deployment_guide: 'Guía de despliegue',
  user_manual: 'Manual de usuario',
  technical_specification: 'Especificación técnica',
  other: 'Otro',
};
export const SUBMISSION_STATUS: Record<string, string> = {
  submitted: 'Entregada',
  returned: 'Devuelta',
  in_evaluation: 'En evaluación',
  evaluated: 'Evaluada',
  published: 'Calificada',
  superseded: 'Reemplazada',
};
export const SESSION_STATUS: Record<string, string> = { scheduled: 'Programada', in_progress: 'En curso', completed: 'Finalizada', cancelled: 'Cancelada' };
export const SESSION_TYPE: Record<string, string> = { progress_review: 'Revisión de avance', final_presentation: 'Sustentación final' };
export const JUROR_STATUS: Record<string, string> = { invited: 'Invitado', confirmed: 'Confirmado', declined: 'Rechazó', no_response: 'Sin respuesta', removed: 'Retirado' };
export const EVALUATION_STATUS: Record<string, string> = { draft: 'Borrador', completed: 'Completada', published: 'Publicada', missing: 'Sin empezar' };
export const RUBRIC_STATUS: Record<string, string> = { draft: 'Borrador', active: 'Activa', archived: 'Archivada' };

const GOOD = new Set(['active', 'approved', 'published', 'completed', 'confirmed', 'evaluated']);
const BAD = new Set(['rejected', 'returned', 'cancelled', 'declined', 'closed', 'withdrawn', 'no_response', 'removed', 'suspended']);
const WAIT = new Set(['revision_requested', 'in_evaluation', 'in_progress', 'invited', 'draft', 'missing']);

export function StateBadge({ status, labels }: { status: string; labels: Record<string, string> }) {
  const color = GOOD.has(status) ? 'sena.8' : BAD.has(status) ? 'red.8' : WAIT.has(status) ? '#9a3c00' : 'gray.7';
  return (
    <Badge color={color} variant="filled" radius="sm" style={{ flexShrink: 0 }}>
      {labels[status] ?? status}
    </Badge>
  );
}

/** A score as es-CO writes it, one decimal. */
export const score = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('es-CO', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
