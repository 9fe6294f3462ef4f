import { IconBooks, IconHelpCircle, IconMessageChatbot, IconPencilPlus } from '@tabler/icons-react';
import { ALL } from '../roles.ts';
import type { NavItem } from './nav.ts';

export const nav: NavItem[] = [
  { to: '/asistente', label: 'Asistente', icon: <IconMessageChatbot size={18} aria-hidden />, roles: ALL },
  { to: '/ayuda', label: 'Ayuda', icon: <IconHelpCircle size={18} aria-hidden />, roles: ALL },
  { to: '/kb/borradores', label: 'Mis borradores', icon: <IconPencilPlus size={18} aria-hidden />, roles: ['instructor'] },
  { to: '/kb/admin', label: 'Base de conocimiento', icon: <IconBooks size={18} aria-hidden />, roles: ['coordinador', 'admin'] },
];
