/**
 * Coded errors of ai.md §8. Use cases throw these; the platform maps kind → status and writes the envelope.
 */
import { AppError, errors } from '@sicora/platform/errors';

export const aiErrors = {
  conversationNotFound: () => errors.notFound('CONVERSATION_NOT_FOUND', 'Conversación no encontrada'),
  messageNotFound: () => errors.notFound('MESSAGE_NOT_FOUND', 'Mensaje no encontrado'),
  feedbackNotFound: () => errors.notFound('FEEDBACK_NOT_FOUND', 'No has calificado esta respuesta'),
  conversationArchived: () => errors.conflict('CONVERSATION_ARCHIVED', 'La conversación está archivada; reactívala para seguir preguntando'),
  conversationFull: (max: number) => errors.conflict('CONVERSATION_FULL', `La conversación alcanzó el máximo de ${max} mensajes; inicia una nueva`, { max_messages: max }),
  requestInProgress: () => errors.conflict('REQUEST_IN_PROGRESS', 'Una solicitud con la misma clave de idempotencia aún está en curso'),
  idempotencyMismatch: () => new AppError('IDEMPOTENCY_KEY_MISMATCH', 'invalid', 'La clave de idempotencia ya se usó con otra solicitud', { field: 'Idempotency-Key' }),
  notAnAnswer: () => new AppError('NOT_AN_ANSWER', 'invalid', 'Solo se pueden calificar las respuestas del asistente'),
  rateLimited: (retryAfterS: number, limit: number, window: 'minute' | 'day' | 'streams', headers: Record<string, string> = {}) =>
    new AppError('RATE_LIMITED', 'rate_limited', 'Has hecho demasiadas preguntas; intenta de nuevo más tarde', { limit, window }, { headers: { ...headers, 'Retry-After': String(Math.max(1, retryAfterS)) } }),
  groupNotFound: () => errors.notFound('GROUP_NOT_FOUND', 'Ficha no encontrada'),
  groupNotAssigned: () => new AppError('GROUP_NOT_ASSIGNED', 'forbidden', 'La ficha no está asignada a usted'),
  apprenticeNotFound: () => errors.notFound('APPRENTICE_NOT_FOUND', 'Aprendiz no encontrado'),
  runNotFound: () => errors.notFound('RISK_RUN_NOT_FOUND', 'Análisis de riesgo no encontrado'),
  alertNotFound: () => errors.notFound('ALERT_NOT_FOUND', 'Alerta de riesgo no encontrada'),
  runInProgress: () => errors.conflict('RISK_RUN_IN_PROGRESS', 'Ya hay un análisis de riesgo en curso'),
  runTooSoon: (retryAfterS: number) => errors.conflict('RISK_RUN_TOO_SOON', 'La ficha se analizó hace menos de 10 minutos', { retry_after_s: retryAfterS }),
  invalidTransition: (from: string, to: string) => errors.conflict('INVALID_ALERT_TRANSITION', `La alerta no puede pasar de ${from} a ${to}`, { from, to }),
  insufficientData: (scheduled: number, minimum: number) => new AppError('INSUFFICIENT_DATA', 'invalid', 'No hay suficientes sesiones programadas para calcular el riesgo', { scheduled, minimum }),
  unavailable: (service: string) => errors.unavailable({ service }, `El servicio ${service} no pudo responder; intente más tarde`),
  field: (field: string, reason: string, message: string) => errors.validation([{ field, reason, message }], message),
};
