import { IconCalendarCog } from '@tabler/icons-react';
import { STAFF } from '../roles.ts';
import type { NavItem } from './nav.ts';

export const nav: NavItem[] = [{ to: '/programacion', label: 'Programación', icon: <IconCalendarCog size={18} aria-hidden />, roles: STAFF }];
