import { Group, Title } from '@mantine/core';
import { Link, useLocation } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useSessionState } from '../../../app/context.tsx';

const SECTIONS: Array<{ to: string; label: string; writers?: boolean }> = [
  { to: '/programacion', label: 'Fichas' },
  { to: '/programacion/horario', label: 'Horario semanal' },
  { to: '/programacion/importar', label: 'Importar CSV', writers: true },
  { to: '/programacion/copiar', label: 'Copiar horarios', writers: true },
  { to: '/programacion/festivos', label: 'Días no lectivos' },
  { to: '/programacion/sedes', label: 'Sedes y ambientes' },
  { to: '/programacion/programas', label: 'Programas' },
];

/** Admin and coordinador write (schedules §2); administrativo reads everything. */
export function useCanWrite(): boolean {
  const { claims } = useSessionState();
  return claims?.role === 'admin' || claims?.role === 'coordinador';
}

/** The page title and the links between Programación's screens. */
export function ProgrammingHeader({ title, children }: { title: string; children?: ReactNode }) {
  const location = useLocation();
  const canWrite = useCanWrite();
  return (
    <>
      <nav aria-label="Secciones de programación">
        <Group gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {SECTIONS.filter((s) => canWrite || !s.writers).map((s) => {
            const current = location.pathname === s.to;
            return (
              <li key={s.to}>
                <Link
                  to={s.to}
                  aria-current={current ? 'page' : undefined}
                  style={{ padding: '4px 10px', borderRadius: 16, display: 'inline-block', textDecoration: 'none', fontSize: 14, color: current ? 'white' : '#1f5e00', background: current ? '#2B7F00' : '#eef7e8' }}
                >
                  {s.label}
                </Link>
              </li>
            );
          })}
        </Group>
      </nav>
      <Group justify="space-between" align="center">
        <Title order={1}>{title}</Title>
        {children}
      </Group>
    </>
  );
}
