/**
 * The event catalogue (§7) as code: per type its default priority, channels, flags, the subject and the
 * one-sentence body its seeded Spanish templates are built from (see templates.defaults.ts).
 * Flags: M mandatory (ignores preferences and throttle), I allowed for inactive recipients, S sensitive keys.
 */
import type { Channel, Priority } from './enums.ts';

export interface CatalogueEntry {
  type: string;
  priority: Priority;
  channels: Channel[];
  mandatory: boolean;
  inactiveAllowed: boolean;
  sensitive: string[];
  subject: string;
  /** One sentence for every channel; e-mail adds greeting, action line and layout. */
  body: string;
  /** SMS text when it differs from "SICORA: " + body. */
  sms?: string;
  /** Template variables beyond those the texts use (producers' §7 lists). */
  extra: string[];
}

const CH: Record<string, Channel> = { A: 'in_app', E: 'email', P: 'push', S: 'sms' };

type Row = [type: string, priority: Priority, channels: string, flags: string, subject: string, body: string, extra?: string[], sms?: string];

const ROWS: Row[] = [
  ['user.welcome', 'normal', 'AE', 'M', 'Bienvenido a SICORA, {{ first_name }}', "Ya tienes cuenta en SICORA como {{ role_label }}. Ingresa en {{ login_url }} con tu correo o tu número de documento. {% if initial_password_hint == 'document_number' %}Tu contraseña inicial es tu número de documento; deberás cambiarla al ingresar.{% endif %}", ['initial_password_hint']],
  ['user.password_reset_requested', 'high', 'E', 'MS:reset_url', 'Restablece tu contraseña de SICORA', 'Recibimos una solicitud para restablecer tu contraseña. Usa este enlace antes de {{ expires_in_minutes }} minutos: {{ reset_url }}. Si no la hiciste, ignora este mensaje.'],
  ['user.password_changed', 'high', 'AE', 'M', 'Tu contraseña de SICORA fue cambiada', 'Tu contraseña se cambió el {{ changed_at | fecha_hora }}. Si no fuiste tú, contacta a la coordinación de inmediato.'],
  ['user.account_locked', 'high', 'AE', 'M', 'Bloqueamos temporalmente el acceso a tu cuenta', 'Detectamos varios intentos fallidos de ingreso; podrás intentarlo de nuevo a las {{ locked_until | hora }}.'],
  ['user.security_alert', 'high', 'AEP', 'M', 'Alerta de seguridad en tu cuenta de SICORA', 'Detectamos una actividad inusual en tu cuenta: {{ description }}.'],
  ['user.deactivated', 'normal', 'E', 'MI', 'Tu cuenta de SICORA fue {{ "eliminada" if reason == "deleted" else "desactivada" }}', 'Tu cuenta ya no permite el ingreso a SICORA. Si crees que es un error, comunícate con la coordinación académica.'],
  ['user.activated', 'normal', 'AE', '', 'Tu cuenta de SICORA está activa de nuevo', 'Ya puedes ingresar de nuevo a SICORA con tus datos habituales.'],
  ['schedule.published', 'normal', 'AE', '', 'Horario publicado para la ficha {{ group_number }}', 'Ya está publicado el horario de la ficha {{ group_number }}: {{ count }} clases semanales.', ['program_name', 'entries']],
  ['schedule.changed', 'normal', 'AEP', '', 'Cambio de horario: {{ subject }} (ficha {{ group_number }})', 'El horario de {{ subject }} de la ficha {{ group_number }} cambió; revisa los nuevos bloques.'],
  ['schedule.cancelled', 'normal', 'AEP', '', 'Clase cancelada: {{ subject }} desde el {{ from_date }}', 'La clase de {{ subject }} de la ficha {{ group_number }} se canceló desde el {{ from_date }}.'],
  ['schedule.session_changed', 'normal', 'AEP', '', 'Novedad en la clase de {{ subject }} del {{ date }}', 'La clase de {{ subject }} del {{ date }} tiene una novedad: {{ change_label }}.'],
  ['group.instructor_assigned', 'normal', 'AE', '', 'Te asignaron a la ficha {{ group_number }}', 'Desde el {{ from_date }} acompañas a la ficha {{ group_number }} ({{ program_name }}).'],
  ['attendance.absence_recorded', 'normal', 'AEP', '', 'Registramos tu inasistencia a {{ subject }} del {{ session_date }}', 'Quedó registrada tu inasistencia a {{ subject }} del {{ session_date }}; puedes justificarla en SICORA.'],
  ['attendance.record_changed', 'low', 'A', '', 'Se corrigió tu asistencia del {{ session_date }}', 'Tu registro de asistencia del {{ session_date }} quedó como {{ to_status_label }}.', ['from_status_label', 'changed_by_name', 'reason']],
  ['attendance.justification_submitted', 'normal', 'AE', '', 'Justificación de {{ student_name }} por revisar', '{{ student_name }} envió una justificación de la ficha {{ group_number }} que espera tu revisión.'],
  ['attendance.justification_reviewed', 'normal', 'AEP', '', 'Tu justificación fue {{ decision_label | lower }}', 'Tu justificación fue {{ decision_label | lower }}.{% if review_comment %} Comentario: {{ review_comment }}{% endif %}', ['reviewer_name', 'sessions', 'resubmit_until']],
  ['attendance.justification_overdue', 'normal', 'AE', '', 'Justificación de {{ student_name }} sin revisar hace {{ days_pending }} días', 'La justificación de {{ student_name }} lleva {{ days_pending }} días sin revisión.'],
  ['attendance.alert_for_student', 'normal', 'AEPS', '', 'Alerta de asistencia: {{ title }}', '{{ title }}. Revisa tu asistencia en {{ alert_url }}.', [], 'SICORA: {{ title }}. Revisa tu asistencia en {{ alert_url }}'],
  ['attendance.alert_for_staff', 'normal', 'AEP', '', 'Alerta de asistencia de {{ student_name }} (ficha {{ group_number }})', '{{ student_name }} de la ficha {{ group_number }} tiene una alerta de asistencia: {{ title }}.'],
  ['attendance.alert_overdue', 'normal', 'AE', '', 'Alerta sin atender: {{ student_name }}, {{ days_open }} días', 'La alerta de asistencia de {{ student_name }} lleva {{ days_open }} días abierta.'],
  ['attendance.roll_missing', 'normal', 'AEP', '', 'Falta tomar asistencia: {{ subject }} del {{ session_date }}', 'Aún no registras la asistencia de {{ subject }} del {{ session_date }}.'],
  ['attendance.missing_rolls_digest', 'normal', 'AE', '', 'Tomas de asistencia pendientes del {{ date }}: {{ sessions_missing }}', 'El {{ date }} quedaron {{ sessions_missing }} tomas de asistencia sin registrar.'],
  ['evalin.period_started', 'high', 'AEP', '', 'Ya puedes evaluar a tus instructores: {{ period_name }}', 'El período {{ period_name }} está abierto hasta el {{ end_date | fecha }}.', ['end_date']],
  ['evalin.period_ending', 'high', 'AEP', '', 'Quedan {{ days_remaining }} días para evaluar a tus instructores', 'El período {{ period_name }} cierra en {{ days_remaining }} días; completa tus evaluaciones.'],
  ['evalin.evaluation_reminder', 'normal', 'AEP', '', 'Recordatorio: evalúa a tus instructores ({{ period_name }})', 'Aún tienes evaluaciones pendientes en el período {{ period_name }}.{% if custom_message %} {{ custom_message }}{% endif %}'],
  ['evalin.period_suspended', 'normal', 'AE', '', 'Período de evaluación suspendido: {{ period_name }}', 'El período {{ period_name }} quedó suspendido; te avisaremos cuando se reanude.'],
  ['evalin.period_resumed', 'normal', 'AE', '', 'Se reanudó el período de evaluación {{ period_name }}', 'Ya puedes continuar tus evaluaciones del período {{ period_name }}.'],
  ['evalin.period_extended', 'normal', 'AE', '', 'Ampliamos el período {{ period_name }} hasta el {{ end_date | fecha }}', 'Tienes hasta el {{ end_date | fecha }} para evaluar a tus instructores.'],
  ['evalin.period_closed', 'low', 'AE', '', 'Período de evaluación cerrado: {{ period_name }}', 'El período {{ period_name }} cerró. Gracias por participar.'],
  ['evalin.results_published', 'normal', 'AE', '', 'Ya puedes consultar tus resultados: {{ period_name }}', 'Los resultados del período {{ period_name }} ya están disponibles.'],
  ['evalin.evaluation_submitted', 'low', 'A', '', 'Evaluación enviada ({{ submitted }} de {{ total }})', 'Llevas {{ submitted }} de {{ total }} evaluaciones enviadas.'],
  ['projecteval.team_member_added', 'low', 'AE', '', 'Te agregaron al equipo {{ team_name }}', 'Ahora haces parte del equipo {{ team_name }}.'],
  ['projecteval.idea_submitted', 'low', 'AE', '', 'Nueva idea de proyecto: {{ idea_title }}', 'El equipo {{ team_name }} presentó la idea {{ idea_title }}.'],
  ['projecteval.idea_decided', 'normal', 'AE', '', 'Decisión sobre la idea {{ idea_title }}', 'La idea {{ idea_title }} fue {{ decision_label | lower }}.'],
  ['projecteval.deliverable_assigned', 'normal', 'AE', '', 'Nuevo entregable: {{ deliverable_title }}', 'Se asignó el entregable {{ deliverable_title }}, con entrega hasta el {{ due_at | fecha_hora }}.'],
  ['projecteval.deliverable_due_soon', 'high', 'AEP', '', '{{ deliverable_title }} vence en {{ hours_left }} horas', 'El entregable {{ deliverable_title }} vence en {{ hours_left }} horas.'],
  ['projecteval.submission_received', 'low', 'A', '', 'Entrega recibida: {{ deliverable_title }} ({{ team_name }})', 'El equipo {{ team_name }} entregó {{ deliverable_title }}.'],
  ['projecteval.submission_returned', 'normal', 'AEP', '', 'Tu entrega de {{ deliverable_title }} fue devuelta', 'Tu entrega de {{ deliverable_title }} fue devuelta con observaciones.'],
  ['projecteval.session_invitation', 'high', 'AEP', '', 'Invitación como jurado: {{ session_title }}', 'Te invitamos como jurado a {{ session_title }} el {{ starts_at | fecha_hora }}.'],
  ['projecteval.session_scheduled', 'normal', 'AEP', '', 'Sesión de evaluación programada: {{ session_title }}', 'La sesión {{ session_title }} quedó programada para el {{ starts_at | fecha_hora }}.'],
  ['projecteval.session_changed', 'high', 'AEP', '', 'Cambio en la sesión {{ session_title }}', 'La sesión {{ session_title }} ahora es el {{ starts_at | fecha_hora }}.'],
  ['projecteval.session_reminder', 'normal', 'AEP', '', 'Recordatorio: sesión {{ session_title }}', 'La sesión {{ session_title }} empieza el {{ starts_at | fecha_hora }}.'],
  ['projecteval.juror_declined', 'normal', 'AE', '', '{{ juror_name }} no participará en {{ session_title }}', '{{ juror_name }} rechazó la invitación como jurado de {{ session_title }}.'],
  ['projecteval.result_published', 'high', 'AEP', '', 'Resultado publicado: {{ deliverable_title }}', 'El resultado de {{ deliverable_title }} ya está publicado: {{ score | numero }} puntos.'],
  ['projecteval.change_request_submitted', 'normal', 'AE', '', 'Solicitud de cambio: {{ request_title }}', 'Se presentó la solicitud de cambio {{ request_title }}.'],
  ['projecteval.change_request_decided', 'normal', 'AE', '', 'Decisión sobre la solicitud {{ request_title }}', 'La solicitud {{ request_title }} fue {{ decision_label | lower }}.'],
  ['projecteval.scope_lock_changed', 'low', 'A', '', 'Alcance de {{ project_title }} {{ "bloqueado" if locked else "desbloqueado" }}', 'El alcance del proyecto {{ project_title }} cambió de estado.'],
  ['projecteval.document_reviewed', 'low', 'AE', '', 'Revisión de {{ document_title }} (versión {{ version }})', 'Hay una revisión nueva de {{ document_title }}, versión {{ version }}.'],
  ['kb.item.published', 'low', 'AE', '', 'Nuevo contenido: {{ item_title }}', 'Publicamos {{ item_title }} en la base de conocimiento.'],
  ['kb.item.review_requested', 'low', 'AE', '', 'Contenido por revisar: {{ item_title }}', 'El contenido {{ item_title }} espera tu revisión.'],
  ['kb.item.review_decided', 'normal', 'AE', '', 'Tu contenido fue {{ decision }}: {{ item_title }}', 'Tu contenido {{ item_title }} fue {{ decision }}.'],
  ['kb.import.completed', 'low', 'A', '', 'Importación lista: {{ file_name }}', 'Terminamos de importar {{ file_name }}.'],
  ['kb.import.failed', 'normal', 'AE', '', 'No pudimos importar {{ file_name }}', 'La importación de {{ file_name }} falló; revisa el archivo e inténtalo de nuevo.'],
  ['ai.risk_alert.created', 'high', 'AEP', '', 'Riesgo de deserción {{ level }}: {{ apprentice_name }}', 'El análisis marcó a {{ apprentice_name }} con riesgo de deserción {{ level }}.'],
  ['ai.risk_alert.escalated', 'high', 'AEP', '', 'Aumentó el riesgo de {{ apprentice_name }}: {{ level }}', 'El riesgo de deserción de {{ apprentice_name }} subió a {{ level }}.'],
  ['ai.risk_alert.overdue', 'normal', 'AE', '', 'Alerta de riesgo sin atender: {{ apprentice_name }}', 'La alerta de riesgo de {{ apprentice_name }} sigue sin atención.'],
  ['ai.risk_run.failed', 'normal', 'AE', '', 'Falló el análisis de riesgo ({{ error_count }} errores)', 'El análisis de riesgo terminó con {{ error_count }} errores.'],
  ['gateway.service_down', 'high', 'AE', '', 'Servicio caído: {{ display_name }}', 'El servicio {{ display_name }} no responde desde el {{ since | fecha_hora }}.'],
  ['gateway.service_recovered', 'normal', 'AE', '', 'Servicio restablecido: {{ display_name }}', 'El servicio {{ display_name }} volvió a responder.'],
  ['manual.announcement', 'normal', 'AEPS', '', '{{ title }}', '{{ message }}'],
  ['system.digest', 'normal', 'E', '', 'Tu resumen de SICORA: {{ items | length }} notificaciones', 'Estas son tus notificaciones recientes:{% for item in items %}\n- {{ item.title }} ({{ item.created_at | hora }}){% endfor %}{% if more_count %}\ny {{ more_count }} más en {{ app.inbox_url }}{% endif %}', ['more_count']],
  ['system.delivery_alert', 'high', 'AE', '', 'Problemas en el envío de notificaciones', '{{ dead_count }} entregas fallaron en la última hora. Revisa el tablero de notificaciones.', ['breaker_provider']],
  ['system.test', 'high', 'AEPS', 'M', 'Mensaje de prueba de SICORA', '{{ message or "Este es un mensaje de prueba de SICORA." }}'],
  ['system.generic', 'normal', 'AEPS', '', '{{ title or "Tienes una nueva notificación en SICORA" }}', '{{ message or "Ingresa a SICORA para ver el detalle." }}'],
];

/** Identifiers a template text reads at top level (ignoring strings, filters, loop variables, keywords). */
export function variablesOf(text: string): string[] {
  const names = new Set<string>();
  const loopVars = new Set([...text.matchAll(/{%\s*for\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1]));
  for (const tag of text.matchAll(/{{([\s\S]*?)}}|{%([\s\S]*?)%}/g)) {
    const inner = (tag[1] ?? tag[2]).replace(/"[^"]*"|'[^']*'/g, ' ').replace(/\|\s*[a-z_]+/gi, ' ');
    for (const m of inner.matchAll(/(?<![.\w])([a-z_][a-z0-9_]*)/gi)) {
      if (!KEYWORDS.has(m[1]) && !loopVars.has(m[1])) names.add(m[1]);
    }
  }
  return [...names];
}

const KEYWORDS = new Set(['if', 'else', 'elif', 'endif', 'for', 'in', 'endfor', 'and', 'or', 'not', 'is', 'true', 'false', 'none', 'set', 'endset', 'loop', 'length', 'lower', 'upper']);

export const CATALOGUE: ReadonlyMap<string, CatalogueEntry> = new Map(
  ROWS.map(([type, priority, channels, flags, subject, body, extra = [], sms]) => {
    const sensitive = flags.includes('S:') ? flags.split('S:')[1].split(',') : [];
    const entry: CatalogueEntry = {
      type, priority, channels: [...channels].map((c) => CH[c]), mandatory: flags.startsWith('M'), inactiveAllowed: /I/.test(flags.split('S:')[0]),
      sensitive, subject, body, sms, extra: [...new Set([...extra, ...variablesOf(subject), ...variablesOf(body), ...variablesOf(sms ?? '')])],
    };
    return [type, entry];
  }),
);

export function catalogueEntry(type: string): CatalogueEntry | undefined {
  return CATALOGUE.get(type);
}

/** Variables every template may read besides the type's own (R12). */
export const CONTEXT_VARIABLES = ['recipient', 'app', 'notification', 'title', 'message', 'action_url'];
