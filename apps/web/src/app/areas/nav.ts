import type { ReactNode } from 'react';
import type { Role } from '../role-gate.tsx';

/** One entry of the shell's navigation; an area lists its own, the shell shows those of the user's role. */
export interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  roles: Role[];
}
