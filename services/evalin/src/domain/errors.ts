/**
 * The coded errors of evalin.md §8, one factory per code. Use cases throw these; the platform maps the
 * kind to the status and writes the envelope.
 */
import { AppError, errors } from '@sicora/platform/errors';

const conflict = (code: string, message: string, details?: Record<string, unknown> | Array<Record<string, unknown>>) => new AppError(code, 'conflict', message, details);
const invalid = (code: string, message: string, details?: Record<string, unknown> | Array<Record<string, unknown>>) => new AppError(code, 'invalid', message, details);
const notFound = (code: string, message: string, details?: Record<string, unknown>) => new AppError(code, 'not_found', message, details);
const forbidden = (code: string, message: string) => new AppError(code, 'forbidden', message);
const badRequest = (code: string, message: string, details?: Record<string, unknown>) => new AppError(code, 'invalid_input', message, details);

export const evalinErrors = {
  questionNotFound: (details?: Record<string, unknown>) => notFound('QUESTION_NOT_FOUND', 'La pregunta no existe', details),
  questionExists: (questionId: string) => conflict('QUESTION_ALREADY_EXISTS', 'Ya existe una pregunta con ese texto', { question_id: questionId }),
  optionsInvalid: (reason: string) => invalid('QUESTION_OPTIONS_INVALID', 'Las opciones de la pregunta no son válidas', { reason }),
  questionLocked: (fields: string[]) => conflict('QUESTION_LOCKED', 'La pregunta ya se usa en un período y no puede cambiar', { fields }),
  questionInUse: (questionnaires: Array<{ id: string; name: string }>) => conflict('QUESTION_IN_USE', 'La pregunta pertenece a un cuestionario', { questionnaires }),
  questionInactive: (ids: string[]) => conflict('QUESTION_INACTIVE', 'La pregunta está inactiva', { question_ids: ids }),
  questionnaireNotFound: () => notFound('QUESTIONNAIRE_NOT_FOUND', 'El cuestionario no existe'),
  questionnaireExists: () => conflict('QUESTIONNAIRE_ALREADY_EXISTS', 'Ya existe un cuestionario con ese nombre'),
  questionnaireFull: () => conflict('QUESTIONNAIRE_FULL', 'El cuestionario ya tiene 50 preguntas', { max: 50 }),
  alreadyInQuestionnaire: (ids: string[]) => conflict('QUESTION_ALREADY_IN_QUESTIONNAIRE', 'La pregunta ya está en el cuestionario', { question_ids: ids }),
  notInQuestionnaire: () => notFound('QUESTION_NOT_IN_QUESTIONNAIRE', 'La pregunta no está en el cuestionario'),
  orderMismatch: (details: { missing: string[]; unexpected: string[]; duplicated: string[] }) => invalid('QUESTION_ORDER_MISMATCH', 'El nuevo orden debe incluir exactamente las preguntas actuales', details),
  questionnaireLocked: () => conflict('QUESTIONNAIRE_LOCKED', 'El cuestionario ya se usa en un período'),
  questionnaireNotUsable: (reason: 'inactive' | 'empty') => conflict('QUESTIONNAIRE_NOT_USABLE', 'El cuestionario debe estar activo y tener preguntas', { reason }),
  questionnaireInUse: (periods: string[]) => conflict('QUESTIONNAIRE_IN_USE', 'El cuestionario está asociado a períodos', { periods }),
  periodNotFound: () => notFound('PERIOD_NOT_FOUND', 'El período no existe'),
  invalidDates: (reason: 'order' | 'too_short' | 'too_long' | 'end_in_past') => invalid('INVALID_PERIOD_DATES', 'Las fechas del período no son válidas', { reason }),
  unknownGroup: (ids: string[]) => invalid('UNKNOWN_GROUP', 'Una o más fichas no existen o están inactivas', { group_ids: ids }),
  overlapping: (details: { period_id: string; period_name: string; group_numbers: string[] }) => conflict('OVERLAPPING_PERIODS', 'El período se cruza con otro período de las mismas fichas', details),
  invalidTransition: (from: string, action: string) => conflict('INVALID_PERIOD_TRANSITION', 'La acción no es posible en el estado actual del período', { from, action }),
  cannotModify: (status: string, fields: string[]) => conflict('PERIOD_CANNOT_BE_MODIFIED', 'El período no admite ese cambio en su estado actual', { status, fields }),
  notDeletable: () => conflict('PERIOD_NOT_DELETABLE', 'Solo se eliminan períodos que no han iniciado'),
  periodNotOpen: () => conflict('PERIOD_NOT_OPEN', 'El período no está abierto'),
  periodNotClosed: () => conflict('PERIOD_NOT_CLOSED', 'Los comentarios se moderan cuando el período cierra'),
  groupNotInPeriod: () => notFound('GROUP_NOT_IN_PERIOD', 'La ficha no pertenece al período'),
  instructorNotInPeriod: () => notFound('INSTRUCTOR_NOT_IN_PERIOD', 'El instructor no participa en el período'),
  notEvaluable: () => forbidden('INSTRUCTOR_NOT_EVALUABLE', 'No puedes evaluar a este instructor en este período'),
  evaluationNotFound: () => notFound('EVALUATION_NOT_FOUND', 'La evaluación no existe'),
  evaluationExists: (evaluationId: string, status: string) => conflict('EVALUATION_ALREADY_EXISTS', 'Ya evaluaste (o tienes un borrador) para este instructor en este período', { evaluation_id: evaluationId, status }),
  alreadySubmitted: () => conflict('EVALUATION_ALREADY_SUBMITTED', 'La evaluación ya fue enviada'),
  invalidAnswer: (items: Array<{ index: number; question_id: string | null; reason: string }>) => invalid('INVALID_ANSWER', 'Una o más respuestas no son válidas', items),
  incomplete: (missing: string[]) => invalid('INCOMPLETE_EVALUATION', 'Faltan respuestas obligatorias', { missing_question_ids: missing }),
  resultsNotPublished: () => conflict('RESULTS_NOT_PUBLISHED', 'Los resultados aún no están publicados'),
  resultsNotAvailable: () => conflict('RESULTS_NOT_AVAILABLE', 'Los resultados estarán disponibles al cerrar el período'),
  commentsDisabled: () => forbidden('COMMENTS_DISABLED', 'Los comentarios cualitativos están deshabilitados'),
  commentNotFound: (ids?: string[]) => notFound('COMMENT_NOT_FOUND', 'El comentario no existe', ids ? { comment_ids: ids } : undefined),
  studentNotInGroup: (ids: string[]) => invalid('STUDENT_NOT_IN_GROUP', 'Uno o más aprendices no pertenecen a la ficha', { student_ids: ids }),
  reminderRateLimited: (nextAllowedAt: Date, retryAfterSeconds: number) =>
    new AppError('REMINDER_RATE_LIMITED', 'rate_limited', 'Ya se envió un recordatorio a esta ficha recientemente', { next_allowed_at: nextAllowedAt.toISOString() }, { headers: { 'Retry-After': String(Math.max(1, retryAfterSeconds)) } }),
  notificationsDisabled: () => conflict('NOTIFICATIONS_DISABLED', 'Las notificaciones de evaluación están deshabilitadas'),
  configVersionConflict: (current: number) => conflict('CONFIG_VERSION_CONFLICT', 'La configuración cambió; recarga e intenta de nuevo', { current_version: current }),
  csvEncoding: () => badRequest('CSV_ENCODING_INVALID', 'El archivo debe estar en UTF-8'),
  csvHeader: (missing: string[], unknown: string[]) => badRequest('CSV_HEADER_INVALID', 'Las columnas del archivo no son las esperadas', { missing, unknown }),
  csvEmpty: () => badRequest('CSV_EMPTY', 'El archivo no tiene filas'),
  csvTooManyRows: (max: number) => invalid('CSV_TOO_MANY_ROWS', `El archivo supera las ${max} filas`, { max_rows: max }),
  csvFailed: (errs: Array<{ row: number; column: string | null; code: string; message: string }>) =>
    invalid('CSV_VALIDATION_FAILED', 'El archivo tiene errores; no se guardó ninguna fila', { errors: errs.slice(0, 500), error_count: errs.length }),
  field: (field: string, reason: string, message: string) => errors.validation([{ field, reason, message }], message),
};
