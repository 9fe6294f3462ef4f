/**
 * Sample template data per catalogued type (N7 `sample_data`, T9 previews without `data`): plausible
 * Spanish values derived from each variable's name.
 */
import { catalogueEntry } from './catalogue.ts';

const SAMPLES: Record<string, unknown> = {
  first_name: 'Laura Valentina', role_label: 'aprendiz', login_url: 'http://localhost:5173/login', initial_password_hint: 'document_number',
  reset_url: 'http://localhost:5173/restablecer?token=ejemplo', expires_in_minutes: 30, group_number: '2826503', subject: 'Programación de software',
  student_name: 'Juan Sebastián Martínez López', decision_label: 'Aprobada', days_pending: 3, days_open: 5, sessions_missing: 2, period_name: 'Evaluación de instructores 2026-T1',
  days_remaining: 3, submitted: 2, total: 5, team_name: 'Equipo Innovadores', idea_title: 'App de asistencia', deliverable_title: 'Documento de requisitos y casos de uso',
  hours_left: 24, session_title: 'Sustentación de avance', juror_name: 'Carlos Andrés Rodríguez Peña', score: 82.3, request_title: 'Cambio de alcance',
  project_title: 'SICORA móvil', locked: true, document_title: 'Plan de proyecto', version: 2, item_title: '¿Por qué mi código QR cambia cada 15 segundos?',
  decision: 'aprobado', file_name: 'reglamento.pdf', level: 'alto', apprentice_name: 'Daniel Esteban Suárez Mejía', error_count: 2, display_name: 'Asistencia',
  title: '3 inasistencias consecutivas sin justificar', message: 'Mensaje de ejemplo', alert_url: 'http://localhost:5173/asistencia', description: 'ingreso desde un dispositivo nuevo',
  reason: 'deactivated', status_label: 'presente', change_label: 'cambio de ambiente', program_name: 'Análisis y desarrollo de software', dead_count: 20,
  items: [{ title: 'Nuevo contenido: Guía de QR', created_at: '2026-03-02T12:00:00Z' }, { title: 'Nuevo contenido: Reglamento', created_at: '2026-03-02T13:30:00Z' }],
  more_count: 0, breaker_provider: 'twilio',
};

export function sampleValue(name: string): unknown {
  if (name in SAMPLES) return SAMPLES[name];
  if (/_(date)$|^date$/.test(name)) return '2026-03-02';
  if (/_at$|^since$/.test(name)) return '2026-03-02T14:05:00Z';
  return `Ejemplo de ${name}`;
}

export function sampleData(type: string): Record<string, unknown> {
  const entry = catalogueEntry(type);
  return Object.fromEntries((entry?.extra ?? ['title', 'message']).map((v) => [v, sampleValue(v)]));
}
