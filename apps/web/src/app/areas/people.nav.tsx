import { IconUsers } from '@tabler/icons-react';
import type { NavItem } from './nav.ts';

export const nav: NavItem[] = [{ to: '/personas', label: 'Personas', icon: <IconUsers size={18} aria-hidden />, roles: ['coordinador', 'administrativo', 'admin'] }];
