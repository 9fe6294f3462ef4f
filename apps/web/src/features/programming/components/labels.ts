/** Spanish labels of the schedules enums (schedules.md §3). */
export const SHIFT: Record<string, string> = { MANANA: 'Mañana', TARDE: 'Tarde', NOCHE: 'Noche' };
export const DAYS = ['', 'Lunes', 'Martes', 'Miércoles', 'Jueves', 'Viernes', 'Sábado', 'Domingo'];
export const LEVEL: Record<string, string> = {
  TECNICO: 'Técnico',
  TECNOLOGO: 'Tecnólogo',
  ESPECIALIZACION: 'Especialización',
  COMPLEMENTARIO: 'Complementario',
  CURSO_CORTO: 'Curso corto',
};
export const VENUE_TYPE: Record<string, string> = { AULA: 'Aula', LABORATORIO: 'Laboratorio', TALLER: 'Taller', AUDITORIO: 'Auditorio', BIBLIOTECA: 'Biblioteca' };
export const CONFLICT_KIND: Record<string, string> = { INSTRUCTOR: 'Instructor ocupado', VENUE: 'Ambiente ocupado', GROUP: 'Ficha ocupada' };
/** `YYYY-MM-DD` → `dd/mm/yyyy`, as the service writes dates in its messages. */
export const dmy = (date: string) => date.split('-').reverse().join('/');
/** Whole hours 06:00–22:00 (the widest shift windows, §3.5). */
export const HOURS = Array.from({ length: 17 }, (_, i) => `${String(i + 6).padStart(2, '0')}:00`);

/** Session cancel reasons (schedules §3.8) in Spanish: `HOLIDAY: <name>`, `EXCEPTION: <reason>`. */
export function reasonLabel(reason: string | null): string {
  if (!reason) return 'Sin clase';
  if (reason.startsWith('HOLIDAY: ')) return `Sin clase: ${reason.slice(9)}`;
  if (reason.startsWith('EXCEPTION: ')) return `Sin clase: ${reason.slice(11)}`;
  return `Sin clase: ${reason}`;
}
