import { IconGavel, IconRocket } from '@tabler/icons-react';
import type { NavItem } from './nav.ts';

export const nav: NavItem[] = [
  { to: '/proyectos', label: 'Mis proyectos', icon: <IconRocket size={18} aria-hidden />, roles: ['aprendiz'] },
  { to: '/jurado', label: 'Jurado', icon: <IconGavel size={18} aria-hidden />, roles: ['instructor'] },
  { to: '/proyectos/admin', label: 'Proyectos', icon: <IconRocket size={18} aria-hidden />, roles: ['admin', 'coordinador', 'administrativo'] },
];
