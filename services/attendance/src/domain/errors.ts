/**
 * Coded errors of attendance.md §8 used by rolls, records and settings. Use cases throw these; the platform
 * maps kind → status and writes the envelope.
 */
import { AppError, errors } from '@sicora/platform/errors';

export interface MarkProblem {
  index: number;
  student_id: string;
  code: string;
  message: string;
}

export const attendanceErrors = {
  rollNotFound: () => errors.notFound('ROLL_NOT_FOUND', 'Toma de asistencia no encontrada'),
  recordNotFound: () => errors.notFound('RECORD_NOT_FOUND', 'Registro de asistencia no encontrado'),
  sessionNotFound: () => errors.notFound('SESSION_NOT_FOUND', 'La clase no existe en esa fecha'),
  sessionCancelled: () => new AppError('SESSION_CANCELLED', 'invalid', 'La clase está cancelada en esa fecha'),
  sessionNotStarted: () => errors.conflict('SESSION_NOT_STARTED', 'La toma de asistencia aún no está abierta para esta clase'),
  editWindowClosed: () => errors.conflict('EDIT_WINDOW_CLOSED', 'Ya pasó el plazo para modificar la asistencia de esta clase'),
  notSessionInstructor: () => new AppError('NOT_SESSION_INSTRUCTOR', 'forbidden', 'Solo el instructor de la clase puede tomar o modificar su asistencia'),
  outOfScope: (field: string) => new AppError('OUT_OF_SCOPE', 'forbidden', 'No tiene acceso a los datos solicitados', { field }),
  emptyRoll: () => errors.conflict('EMPTY_ROLL_CONFIRMATION_REQUIRED', 'La toma no tiene registros; confirme que todos quedan con inasistencia'),
  marksInvalid: (items: MarkProblem[]) => new AppError('MARKS_VALIDATION_FAILED', 'invalid', 'Algunas marcas no son válidas; no se guardó ninguna', { items }),
  reasonRequired: () => new AppError('CHANGE_REASON_REQUIRED', 'invalid', 'Indique el motivo del cambio (5 a 300 caracteres)', { field: 'reason' }),
  statusNotSettable: () => new AppError('STATUS_NOT_SETTABLE', 'invalid', 'El estado JUSTIFIED solo resulta de una justificación aprobada', { field: 'status' }),
  versionConflict: (current: unknown) => errors.conflict('VERSION_CONFLICT', 'El registro cambió desde que lo leyó', { current }),
  recordJustified: () => errors.conflict('RECORD_JUSTIFIED', 'El registro está justificado y no se puede modificar'),
  pendingJustification: () => errors.conflict('RECORD_HAS_PENDING_JUSTIFICATION', 'El registro tiene una justificación pendiente de revisión'),
  studentNotFound: () => errors.notFound('STUDENT_NOT_FOUND', 'Aprendiz no encontrado'),
  rangeTooLong: (max: number) => new AppError('RANGE_TOO_LONG', 'invalid', `El periodo no puede superar ${max} días`, { field: 'end_date', max_days: max }),
  field: (field: string, reason: string, message: string) => errors.validation([{ field, reason, message }], message),
};

/** Q1/Q2's own answers (R13, R16, R17); the code refusals themselves are domain/qr.ts's `qrRefusalError`. */
export const qrErrors = {
  notForStudent: () => new AppError('SESSION_NOT_FOR_STUDENT', 'forbidden', 'La clase no es de su ficha'),
  ended: () => new AppError('SESSION_ENDED', 'conflict', 'La clase ya terminó'),
  rollClosed: () => new AppError('ROLL_CLOSED', 'conflict', 'La toma de asistencia de esta clase ya está cerrada'),
  alreadyRecorded: () => new AppError('ATTENDANCE_ALREADY_RECORDED', 'conflict', 'Su asistencia a esta clase ya está registrada'),
  deviceInUse: () => new AppError('QR_DEVICE_IN_USE', 'conflict', 'Este dispositivo ya generó un código para otro aprendiz en esta clase'),
  notInGroup: () => new AppError('STUDENT_NOT_IN_GROUP', 'invalid', 'El aprendiz no pertenece a la ficha de la clase'),
};
