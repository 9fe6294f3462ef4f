/** S9 templates: header plus two example rows from the demo data (§11). */
export const TEMPLATES = {
  schedules: [
    ['group_number', 'instructor_document', 'venue_code', 'subject', 'day_of_week', 'start_time', 'end_time', 'blocks', 'start_date', 'end_date', 'notes'],
    ['2826503', '1019023456', '205', 'Construcción de software: backend', '1', '06:00', '09:00', '', '2026-03-02', '2026-05-24', ''],
    ['2826503', '52345678', '413', 'Bases de datos: modelado y SQL', '', '', '', 'MMAR1-MMAR3', '2026-03-02', '2026-05-24', 'Traer portátil'],
  ],
  groups: [
    ['number', 'program_code', 'campus_code', 'shift', 'start_date', 'end_date', 'current_quarter', 'max_apprentices', 'director_document'],
    ['2826503', 'ADSO', 'CALLE52', 'MANANA', '2025-09-08', '2027-09-06', '3', '35', '79845123'],
    ['2901817', 'PROGSOFT', 'FONTIBON', 'TARDE', '2026-02-09', '2027-06-29', '1', '30', '52345678'],
  ],
  programs: [
    ['code', 'name', 'level', 'duration_months', 'quarters', 'description'],
    ['ADSO', 'Análisis y Desarrollo de Software', 'TECNOLOGO', '24', '7', ''],
    ['PROGSOFT', 'Programación de Software', 'TECNICO', '18', '', ''],
  ],
  venues: [
    ['code', 'name', 'campus_code', 'type', 'capacity', 'floor', 'building', 'equipment'],
    ['205', 'Laboratorio de software', 'CALLE52', 'LABORATORIO', '30', '2', '', ''],
    ['F201', 'Laboratorio de programación', 'FONTIBON', 'LABORATORIO', '28', '', '', ''],
  ],
} as const;
