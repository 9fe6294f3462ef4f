import { IconServerCog } from '@tabler/icons-react';
import type { NavItem } from './nav.ts';

export const nav: NavItem[] = [{ to: '/sistema', label: 'Sistema', icon: <IconServerCog size={18} aria-hidden />, roles: ['admin'] }];
