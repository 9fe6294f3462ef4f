import { nav as attendance } from './attendance.nav.tsx';
import { nav as evaluations } from './evaluations.nav.tsx';
import { nav as kb } from './kb.nav.tsx';
import { nav as notifications } from './notifications.nav.tsx';
import { nav as people } from './people.nav.tsx';
import { nav as programming } from './programming.nav.tsx';
import { nav as projects } from './projects.nav.tsx';
import { nav as review } from './review.nav.tsx';
import { nav as schedule } from './schedule.nav.tsx';
import { nav as system } from './system.nav.tsx';
import type { NavItem } from './nav.ts';

/** The shell's menu, area by area in this order (Inicio first, Notificaciones last). */
export const MENU: NavItem[] = [...attendance, ...schedule, ...review, ...people, ...programming, ...evaluations, ...projects, ...kb, ...system, ...notifications];
