/**
 * Coded errors of the notification service (§8).
 */
import { AppError, errors, type FieldError } from '@sicora/platform/errors';

export const notificationErrors = {
  validation: (fields: FieldError[]) => errors.validation(fields),
  noTargets: () => new AppError('NO_TARGETS', 'invalid', 'Indique al menos un destinatario (usuarios, roles o fichas)'),
  tooManyTargets: (field: string, max: number) => new AppError('TOO_MANY_TARGETS', 'invalid', `Demasiados destinatarios en ${field} (máximo ${max})`, { field, max }),
  scheduleTooFar: () => new AppError('SCHEDULE_TOO_FAR', 'invalid', 'La fecha programada no puede superar 90 días'),
  idempotencyMismatch: () => new AppError('IDEMPOTENCY_KEY_MISMATCH', 'invalid', 'La clave de idempotencia ya se usó con otra solicitud'),
  typeNotAllowed: () => new AppError('TYPE_NOT_ALLOWED', 'forbidden', 'Solo puede enviar anuncios (manual.announcement)'),
  priorityNotAllowed: () => new AppError('PRIORITY_NOT_ALLOWED', 'forbidden', 'No puede enviar notificaciones con esa prioridad'),
  targetNotAllowed: () => new AppError('TARGET_NOT_ALLOWED', 'forbidden', 'Solo puede enviar anuncios a sus fichas asignadas'),
  groupNotAssigned: (group: string) => new AppError('GROUP_NOT_ASSIGNED', 'forbidden', 'No está asignado hoy a una de las fichas indicadas', { group }),
  notificationNotFound: () => errors.notFound('NOTIFICATION_NOT_FOUND', 'Notificación no encontrada'),
  notCancellable: () => errors.conflict('NOTIFICATION_NOT_CANCELLABLE', 'La notificación ya terminó o fue cancelada'),
  inboxItemNotFound: () => errors.notFound('INBOX_ITEM_NOT_FOUND', 'Elemento de la bandeja no encontrado'),
  deviceNotFound: () => errors.notFound('DEVICE_NOT_FOUND', 'Dispositivo no encontrado'),
  deliveryNotFound: () => errors.notFound('DELIVERY_NOT_FOUND', 'Entrega no encontrada'),
  deliveryNotDead: () => errors.conflict('DELIVERY_NOT_DEAD', 'La entrega no está en estado fallido definitivo'),
  templateNotFound: () => errors.notFound('TEMPLATE_NOT_FOUND', 'Plantilla no encontrada'),
  templateVersionNotFound: () => errors.notFound('TEMPLATE_VERSION_NOT_FOUND', 'Versión de plantilla no encontrada'),
  templateExists: () => errors.conflict('TEMPLATE_ALREADY_EXISTS', 'Ya existe una plantilla para ese tipo, canal e idioma'),
  templateVersionConflict: (current: number) => errors.conflict('TEMPLATE_VERSION_CONFLICT', 'La plantilla cambió; recargue la versión actual', { current_version: current }),
  templateIsSystem: () => errors.conflict('TEMPLATE_IS_SYSTEM', 'Las plantillas del sistema no se pueden eliminar'),
  templateSyntax: (field: string, line: number | null, column: number | null, detail: string) =>
    new AppError('TEMPLATE_SYNTAX_ERROR', 'invalid', 'La plantilla tiene un error de sintaxis', { field, line, column, detail }),
  templateUnsafe: (field: string, identifier: string) => new AppError('TEMPLATE_UNSAFE', 'invalid', 'La plantilla usa un identificador no permitido', { field, identifier }),
  templateVariableUnknown: (field: string, variables: string[]) =>
    new AppError('TEMPLATE_VARIABLE_UNKNOWN', 'invalid', 'La plantilla usa variables que el tipo no ofrece', { field, variables }),
  templateRender: (missing: string[], detail: string) =>
    new AppError('TEMPLATE_RENDER_ERROR', 'invalid', 'No se pudo generar el mensaje con los datos dados', { missing_variables: missing, detail }),
};
