import { IconAlertTriangle, IconChartBar, IconFileCheck, IconUsersGroup } from '@tabler/icons-react';
import type { NavItem } from './nav.ts';

/** No attendance screens for administrativo (attendance grants them nothing). */
export const nav: NavItem[] = [
  { to: '/asistencia/justificaciones', label: 'Justificaciones', icon: <IconFileCheck size={18} aria-hidden />, roles: ['instructor', 'coordinador', 'admin'] },
  { to: '/asistencia/alertas', label: 'Alertas', icon: <IconAlertTriangle size={18} aria-hidden />, roles: ['instructor', 'coordinador', 'admin'] },
  { to: '/fichas', label: 'Mis fichas', icon: <IconUsersGroup size={18} aria-hidden />, roles: ['instructor'] },
  { to: '/asistencia/reportes', label: 'Reportes de asistencia', icon: <IconChartBar size={18} aria-hidden />, roles: ['coordinador', 'admin'] },
];
