import { ActionIcon, AppShell, Burger, Group, NavLink, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconHome, IconLogout } from '@tabler/icons-react';
import { Link, Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { NotificationBell } from '../features/notifications/components/bell.tsx';
import { useServices, useSessionState } from './context.tsx';
import { MENU } from './areas/menu.ts';
import type { NavItem } from './areas/nav.ts';
import { ALL, type Role } from './roles.ts';

const HOME: NavItem = { to: '/', label: 'Inicio', icon: <IconHome size={18} aria-hidden />, roles: ALL };

const ROLE_NAMES: Record<Role, string> = { admin: 'Administrador', coordinador: 'Coordinación', administrativo: 'Administrativo', instructor: 'Instructor', aprendiz: 'Aprendiz' };

export function Shell() {
  const { claims } = useSessionState();
  const { session, api } = useServices();
  const location = useLocation();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure(false);

  // The route's beforeLoad guards navigation; this follows a session that ends or changes while on a page
  // (sign-out, a refused refresh, another tab signing out).
  useEffect(() => {
    if (!claims) void navigate({ to: '/login' });
    else if (claims.must_change_password) void navigate({ to: '/cambiar-contrasena' });
  }, [claims, navigate]);
  if (!claims || claims.must_change_password) return null;

  async function signOut() {
    const refresh_token = session.storedRefreshToken() ?? undefined;
    // Without this browser's refresh token A3 would end every session of the user.
    await api.POST('/api/v1/auth/logout', { body: refresh_token ? { refresh_token } : {} }).catch(() => undefined);
    session.end(null);
  }

  const items = [HOME, ...MENU].filter((i) => i.roles.includes(claims.role));
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header bg="sena.6" withBorder={false}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" color="white" aria-label={opened ? 'Cerrar menú' : 'Abrir menú'} />
            <UnstyledButton component={Link} to="/" onClick={close} aria-label="SICORA, ir al inicio">
              <Text c="white" fw={800} fz={24}>
                SICORA
              </Text>
            </UnstyledButton>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NotificationBell />
            <Tooltip label="Salir">
              <ActionIcon variant="subtle" color="white" size="lg" onClick={signOut} aria-label="Salir">
                <IconLogout aria-hidden />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Navegación principal">
        <Text size="sm" fw={600} mb="xs">
          {claims.name} · {ROLE_NAMES[claims.role]}
        </Text>
        {items.map((item) => (
          <NavLink key={item.to} component={Link} to={item.to} label={item.label} leftSection={item.icon} active={location.pathname === item.to} onClick={close} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
