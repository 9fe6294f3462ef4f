/**
 * Coded errors of schedules.md §8. Domain and use cases throw these; the platform maps kind → status.
 */
import { AppError, errors } from '@sicora/platform/errors';
import { DAY_NAMES } from './calendar.ts';

const field = (name: string, reason: string, message: string) => errors.validation([{ field: name, reason, message }], message);

export const scheduleErrors = {
  notFound: (code: string, message: string) => errors.notFound(code, message),
  codeExists: (code: string, message: string) => errors.conflict(code, message),
  inUse: (code: string, message: string, details?: Record<string, unknown>) => errors.conflict(code, message, details),
  referenceNotFound: (fieldName: string, id: string) =>
    new AppError('REFERENCE_NOT_FOUND', 'invalid', `La referencia ${fieldName} no existe`, { field: fieldName, id }),
  referenceInactive: (fieldName: string, id: string) =>
    new AppError('REFERENCE_INACTIVE', 'invalid', `La referencia ${fieldName} está inactiva`, { field: fieldName, id }),
  invalidInstructor: (id: string) =>
    new AppError('INVALID_INSTRUCTOR', 'invalid', 'El usuario indicado no es un instructor activo', { field: 'instructor_id', id }),
  immutable: (fieldName: string) =>
    new AppError('IMMUTABLE_FIELD', 'invalid', `El campo ${fieldName} no se puede modificar`, { field: fieldName }),
  invalidBlock: (value: string) =>
    new AppError('INVALID_BLOCK', 'invalid', `Bloque no válido: ${value}`, { field: 'blocks', value }),
  blockMismatch: (value: string) =>
    new AppError('BLOCK_MISMATCH', 'invalid', 'Los bloques no coinciden con el día y las horas indicados', { field: 'blocks', value }),
  outsideShift: (shift: string, dayOfWeek: number) =>
    new AppError('OUTSIDE_SHIFT', 'invalid', `El horario está fuera de la jornada ${shift} el ${DAY_NAMES[dayOfWeek - 1]?.toLowerCase() ?? 'día indicado'}`, {
      shift,
      day_of_week: dayOfWeek,
    }),
  slotMissing: () => field('day_of_week', 'required', 'Indique day_of_week, start_time y end_time, o blocks'),
  notWholeHours: () => field('start_time', 'whole_hours', 'Las horas deben ser en punto (HH:00)'),
  timesOrder: () => field('end_time', 'before_start', 'La hora de fin debe ser posterior a la de inicio'),
  datesOrder: (name = 'end_date') => field(name, 'before_start', 'La fecha de fin no puede ser anterior a la de inicio'),
  outsideGroupPeriod: (start: string, end: string) =>
    new AppError('OUTSIDE_GROUP_PERIOD', 'invalid', 'Las fechas están fuera del periodo de la ficha', { group_start_date: start, group_end_date: end }),
  noOccurrences: () => new AppError('NO_OCCURRENCES', 'invalid', 'El rango de fechas no contiene ningún día de la semana indicado'),
  rangeTooLong: (max: number) =>
    new AppError('DATE_RANGE_TOO_LONG', 'invalid', `El rango de fechas supera ${max} días`, { max_days: max }),
  windowTooLong: (max: number, name = 'to') => field(name, 'too_long', `La ventana supera ${max} días`),
  conflict: (message: string, conflicts: unknown[]) => errors.conflict('SCHEDULE_CONFLICT', message, { conflicts }),
  hasHistory: (message = 'El horario ya tiene clases dictadas') => errors.conflict('SCHEDULE_HAS_HISTORY', message),
  alreadyCancelled: () => errors.conflict('SCHEDULE_ALREADY_CANCELLED', 'El horario ya está cancelado'),
  dateInPast: (fieldName: string) =>
    new AppError('DATE_IN_PAST', 'invalid', 'La fecha ya pasó o su clase ya comenzó', { field: fieldName }),
  assignmentOverlap: () => errors.conflict('ASSIGNMENT_OVERLAP', 'El instructor ya tiene una asignación con ese rol en esas fechas'),
  directorAssigned: () => errors.conflict('DIRECTOR_ALREADY_ASSIGNED', 'La ficha ya tiene un instructor líder en esas fechas'),
  notAnOccurrence: () => new AppError('NOT_AN_OCCURRENCE', 'invalid', 'La fecha no corresponde a una clase de este horario'),
  exceptionExists: () => errors.conflict('EXCEPTION_EXISTS', 'Ya existe un cambio para esa clase'),
  nonTeachingDayExists: () => errors.conflict('NON_TEACHING_DAY_EXISTS', 'Ese día no hábil ya está registrado'),
  validation: field,
};
