import { IconCalendarWeek } from '@tabler/icons-react';
import type { NavItem } from './nav.ts';

export const nav: NavItem[] = [{ to: '/horario', label: 'Mi horario', icon: <IconCalendarWeek size={18} aria-hidden />, roles: ['aprendiz', 'instructor'] }];
