import { Card, Group, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { MENU } from './areas/menu.ts';
import { useSessionState } from './context.tsx';

/**
 * The administrative staff's Inicio (web.md §4): what their role can use, as the menu gives it (each area
 * declares its entries and roles), so this page never offers a screen the role cannot open. Attendance
 * grants them nothing, so none of its screens appear.
 */
export default function StaffHome() {
  const { claims } = useSessionState();
  const items = claims ? MENU.filter((i) => i.roles.includes(claims.role)) : [];
  return (
    <Stack>
      <div>
        <Title order={1}>Hola, {claims?.name?.split(' ')[0] ?? ''}</Title>
        <Text c="dimmed">Estas son las áreas de SICORA que puede usar.</Text>
      </div>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label="Áreas">
        {items.map((item) => (
          <Card key={item.to} withBorder padding={0} component="li">
            <UnstyledButton component={Link} to={item.to} p="md" style={{ display: 'block', width: '100%' }}>
              <Group gap="sm" wrap="nowrap">
                {item.icon}
                <Text fw={700}>{item.label}</Text>
              </Group>
            </UnstyledButton>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
