import type { NavItem } from './nav.ts';

export const nav: NavItem[] = [];
