import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Role } from './roles.ts';
import { useSessionState } from './context.tsx';

export type { Role } from './roles.ts';

/** A route the role cannot use answers "no tiene acceso" (web.md §3); the API still decides. */
export function RoleGate({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { claims } = useSessionState();
  if (!claims || !roles.includes(claims.role)) {
    return (
      <Alert color="yellow" title="No tiene acceso" role="alert">
        Esta página no está disponible para su rol.
      </Alert>
    );
  }
  return <>{children}</>;
}
