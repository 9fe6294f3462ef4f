/**
 * Demo data (users.md §11): fixed ids so the schedules demo refers to the same people, written straight
 * into this service's tables (no ficha call, no welcome), insert-if-absent, completion recorded in
 * `seed_runs` so an interrupted first start finishes on the next one.
 */
import type { Database } from '@sicora/platform/db';
import { fold, searchTextOf } from '../domain/identity.rules.ts';
import { truncSeconds } from '../domain/time.ts';
import { createUnitOfWork } from '../infrastructure/repos.ts';
import type { NewUser } from '../infrastructure/users.repo.ts';

export const DEMO_SEED = 'users-demo';
export const demoUserId = (nn: number) => `5eed0001-0000-4000-8000-${String(nn).padStart(12, '0')}`;
export const DEMO_GROUPS = {
  '2826503': '5eed0005-0000-4000-8000-000000000001',
  '2901817': '5eed0005-0000-4000-8000-000000000002',
} as const;

const STAFF: Array<[number, 'coordinador' | 'administrativo' | 'instructor', string, string, string, string]> = [
  [2, 'coordinador', 'Martha Lucía Herrera Castro', '51876234', 'martha.herrera', 'Coordinación Académica'],
  [3, 'coordinador', 'Jorge Enrique Salazar Múnera', '79456120', 'jorge.salazar', 'Coordinación de Formación'],
  [4, 'administrativo', 'Diana Marcela Pardo Ríos', '52987345', 'diana.pardo', 'Registro y Certificación'],
  [10, 'instructor', 'Carlos Andrés Rodríguez Peña', '79845123', 'carlos.rodriguez', 'Teleinformática'],
  [11, 'instructor', 'Luz Adriana Moreno Quintero', '52345678', 'luz.moreno', 'Bases de datos'],
  [12, 'instructor', 'Andrés Felipe Castaño Gil', '1019023456', 'andres.castano', 'Desarrollo web'],
  [13, 'instructor', 'Paola Andrea Vargas Useche', '1032456789', 'paola.vargas', 'Inglés'],
  [14, 'instructor', 'Hernán Darío Ospina Lozano', '80234567', 'hernan.ospina', 'Ética y emprendimiento'],
  [15, 'instructor', 'Sandra Milena Beltrán Duarte', '1020765432', 'sandra.beltran', 'Matemáticas y física'],
];

const FICHA_2826503 = [
  'Laura Valentina Gómez Ruiz', 'Juan Sebastián Martínez López', 'María José Rojas Cárdenas', 'Santiago Alejandro Torres Díaz',
  'Valentina Castro Ramírez', 'Daniel Esteban Suárez Mejía', 'Camila Andrea Ortiz Vega', 'Nicolás Ramírez Acosta',
  'Sofía Alejandra Jiménez Parra', 'David Felipe Moreno Salinas', 'Isabella Gutiérrez Cruz', 'Mateo Hernández Ávila',
  'Natalia Cristina Álvarez Rincón', 'Samuel David Peña Galindo', 'Mariana Restrepo Londoño',
];
const FICHA_2901817 = [
  'Kevin Alexander Muñoz Pineda', 'Luisa Fernanda Cárdenas Mora', 'Brayan Stiven Rincón Garzón', 'Yuliana Marcela Quintero Zapata',
  'Johan Sebastián Arias Bermúdez', 'Paula Andrea Sánchez Molina', 'Cristian Camilo León Cortés', 'Daniela Sofía Vargas Quiroga',
  'Julián David Medina Forero', 'Ana María Pulido Rubio', 'Andrés Camilo Guzmán Niño', 'Karen Julieth Ruiz Sierra',
  'Esteban Rojas Patiño', 'Manuela Ospina Giraldo', 'Felipe Andrés Cruz Barrera',
];
const INACTIVE = new Set([35, 55]);

/** The last two words are the surnames; the rest are the given names. */
function split(full: string) {
  const words = full.split(' ');
  return { firstName: words.slice(0, -2).join(' '), lastName: words.slice(-2).join(' ') };
}

export function demoUsers(at: Date): NewUser[] {
  const rows: NewUser[] = [];
  const base = { documentType: 'CC' as const, passwordHash: null, mustChangePassword: true, tokensValidAfter: truncSeconds(at), createdAt: at, updatedAt: at };
  for (const [nn, role, full, doc, local, area] of STAFF) {
    const { firstName, lastName } = split(full);
    const email = `${local}@demo.sicora.test`;
    rows.push({ ...base, id: demoUserId(nn), firstName, lastName, email, documentNumber: doc, role, area, isActive: true, searchText: searchTextOf({ firstName, lastName, email }) });
  }
  for (const [start, number, names] of [[21, '2826503', FICHA_2826503], [41, '2901817', FICHA_2901817]] as const) {
    names.forEach((full, i) => {
      const nn = start + i;
      const { firstName, lastName } = split(full);
      const email = `${fold(firstName.split(' ')[0])}.${fold(lastName.split(' ')[0])}${nn}@demo.sicora.test`;
      rows.push({
        ...base, id: demoUserId(nn), firstName, lastName, email, documentNumber: `10234560${nn}`, role: 'aprendiz',
        groupId: DEMO_GROUPS[number], groupNumber: number, isActive: !INACTIVE.has(nn), searchText: searchTextOf({ firstName, lastName, email }),
      });
    });
  }
  return rows;
}

/** The demo people's ids per role in §11's order: the candidates A9 shows (one per role). */
export function demoAccountCandidates(): Record<'coordinador' | 'administrativo' | 'instructor' | 'aprendiz', string[]> {
  const staff = (role: string) => STAFF.filter(([, r]) => r === role).map(([nn]) => demoUserId(nn));
  const apprentices = [...FICHA_2826503.map((_, i) => 21 + i), ...FICHA_2901817.map((_, i) => 41 + i)].map(demoUserId);
  return { coordinador: staff('coordinador'), administrativo: staff('administrativo'), instructor: staff('instructor'), aprendiz: apprentices };
}

export async function seedUsersDemo(database: Database, opts: { now?: () => Date } = {}): Promise<void> {
  const at = (opts.now ?? (() => new Date()))();
  const repos = createUnitOfWork(database);
  if (await repos.seedRuns.isDone(DEMO_SEED)) return;
  await repos.transaction(async (tx) => {
    // A demo e-mail or document already taken by a real account is left to that account.
    await tx.users.insertIfAbsent(demoUsers(at));
    await tx.seedRuns.markDone(DEMO_SEED, at);
  });
}
