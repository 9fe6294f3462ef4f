import { IconChartBar, IconChecklist, IconClipboardData } from '@tabler/icons-react';
import type { NavItem } from './nav.ts';

export const nav: NavItem[] = [
  { to: '/evaluaciones', label: 'Evaluar instructores', icon: <IconChecklist size={18} aria-hidden />, roles: ['aprendiz'] },
  { to: '/resultados', label: 'Mis resultados', icon: <IconChartBar size={18} aria-hidden />, roles: ['instructor'] },
  { to: '/evaluaciones/admin', label: 'Evaluaciones', icon: <IconClipboardData size={18} aria-hidden />, roles: ['admin', 'coordinador', 'administrativo'] },
];
