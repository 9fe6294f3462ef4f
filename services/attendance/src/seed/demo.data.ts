/**
 * The demo data of attendance.md §11 as data: the demo people and fichas (the fixed `5eed…` ids of the
 * users and schedules demos), the patterns per apprentice, the four justifications and the alert texts.
 * The seed (demo.seed.ts) turns them into rolls, records and the rest.
 */

/** users.md §11: `5eed0001-…-0000000000NN`. */
export const demoUserId = (nn: number) => `5eed0001-0000-4000-8000-${String(nn).padStart(12, '0')}`;
/** NN of a demo user id, or undefined for anyone else. */
export function demoNumberOf(id: string): number | undefined {
  const m = /^5eed0001-0000-4000-8000-(\d{12})$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

export const DEMO_FICHAS = {
  '2826503': '5eed0005-0000-4000-8000-000000000001',
  '2901817': '5eed0005-0000-4000-8000-000000000002',
} as const;
export type DemoFicha = keyof typeof DEMO_FICHAS;

/** How many of the ficha's sessions before D get a roll: 2826503 its 20 most recent; 2901817 all but the newest. */
export const ROLLED: Record<DemoFicha, (sessions: number) => { from: number; to: number }> = {
  '2826503': (n) => ({ from: Math.max(0, n - 20), to: n }),
  '2901817': (n) => ({ from: 0, to: Math.max(0, n - 1) }),
};

/** One letter per rolled session, oldest → newest, aligned on the newest: P T A J E, `-` no record. */
const at = (length: number, letters: Record<number, string>) => Array.from({ length }, (_, i) => letters[i + 1] ?? 'P').join('');
export const PATTERNS: Record<number, string> = {
  22: 'AAAPAPAPAPAPPPPPPPPP',
  23: 'PPPPPPPJPPPPPPPPPPAP',
  24: 'TPPPTPPPTPPPTPPPTPTP',
  25: at(20, { 14: 'A' }),
  26: 'PPAPPAPPAPPPAPPAAAAA',
  27: 'PPPPPPPPPPPEPPPPPPPP',
  28: at(20, { 6: 'A' }),
  29: 'PPPAAPPPPPPPPPPAPPPP',
  31: at(20, { 10: 'T' }),
  32: at(20, { 20: 'A' }),
  34: '----------------PPPP',
  41: 'AAA',
  47: 'APPPP',
  50: 'TPPTPPTPT',
};

/** The letter of an apprentice for the session `fromNewest` places before the newest rolled one (0 = newest). */
export function letterOf(nn: number | undefined, fromNewest: number): string {
  const pattern = nn === undefined ? undefined : PATTERNS[nn];
  if (!pattern) return 'P';
  const i = pattern.length - 1 - fromNewest;
  return i >= 0 ? pattern[i] : 'P';
}

export const seedJustificationId = (nn: number) => `5eed0008-0000-4000-8000-${String(nn).padStart(12, '0')}`;
export const CUSTOM_ALERT_ID = '5eed0009-0000-4000-8000-000000000001';

/** Martha Lucía Herrera Castro (coordinadora), Luz Adriana Moreno Quintero (director of 2901817), Andrés Felipe Castaño Gil. */
export const COORDINADORA = demoUserId(2);
export const DIRECTOR_2901817 = demoUserId(11);
export const CUSTOM_ALERT_AUTHOR = demoUserId(12);

export interface SeedJustification {
  nn: number;
  student: number;
  /** Position (1-based) in the student's pattern of the session it covers. */
  position: number;
  kind: 'AFTER_ABSENCE' | 'ADVANCE_NOTICE';
  type: 'MEDICAL' | 'PERSONAL' | 'INSTITUTIONAL';
  reason: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  comment: string | null;
  file: { name: string; kind: 'pdf' | 'png' };
}

export const JUSTIFICATIONS: SeedJustification[] = [
  { nn: 1, student: 23, position: 8, kind: 'AFTER_ABSENCE', type: 'MEDICAL', reason: 'Incapacidad médica por infección respiratoria', status: 'APPROVED', comment: 'Soporte válido', file: { name: 'incapacidad_medica.pdf', kind: 'pdf' } },
  { nn: 2, student: 23, position: 19, kind: 'AFTER_ABSENCE', type: 'MEDICAL', reason: 'Cita médica con especialista', status: 'PENDING', comment: null, file: { name: 'orden_cita_especialista.png', kind: 'png' } },
  { nn: 3, student: 22, position: 9, kind: 'AFTER_ABSENCE', type: 'PERSONAL', reason: 'Problemas de transporte', status: 'REJECTED', comment: 'El soporte no corresponde a la fecha de la inasistencia.', file: { name: 'soporte_transporte.pdf', kind: 'pdf' } },
  { nn: 4, student: 27, position: 12, kind: 'ADVANCE_NOTICE', type: 'INSTITUTIONAL', reason: 'Representación del centro en el encuentro regional SENASoft', status: 'APPROVED', comment: null, file: { name: 'citacion_senasoft.pdf', kind: 'pdf' } },
];

export const ACK_NOTE = 'Se llamó al aprendiz; reporta problemas de transporte, se acordó seguimiento.';
export const CUSTOM_ALERT = {
  student: 28,
  title: 'Seguimiento por cambio de residencia',
  message: 'El aprendiz informa que se mudó a Soacha y tarda más de dos horas en llegar.',
} as const;
