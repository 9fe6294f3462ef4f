import { IconClipboardCheck, IconQrcode } from '@tabler/icons-react';
import type { NavItem } from './nav.ts';

export const nav: NavItem[] = [
  { to: '/mi-codigo', label: 'Mi código', icon: <IconQrcode size={18} aria-hidden />, roles: ['aprendiz'] },
  { to: '/asistencia', label: 'Mi asistencia', icon: <IconClipboardCheck size={18} aria-hidden />, roles: ['aprendiz'] },
];
