import { IconBell } from '@tabler/icons-react';
import { ALL } from '../roles.ts';
import type { NavItem } from './nav.ts';

export const nav: NavItem[] = [{ to: '/notificaciones', label: 'Notificaciones', icon: <IconBell size={18} aria-hidden />, roles: ALL }];
