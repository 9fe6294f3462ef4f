import { Alert, Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useSessionState } from './context.tsx';

/** Coordinator, administrative and admin screens come after this slice (docs/web.md "what is left"). */
export default function StaffHome() {
  const { claims } = useSessionState();
  return (
    <Stack>
      <Title order={1}>Hola, {claims?.name?.split(' ')[0] ?? ''}</Title>
      <Alert color="sena" title="Pantallas en construcción">
        <Text>
          Las pantallas de su rol todavía no están en la aplicación web. Mientras tanto puede revisar sus{' '}
          <Anchor component={Link} to="/notificaciones">
            notificaciones
          </Anchor>{' '}
          y usar la API documentada en <Anchor href="/docs">/docs</Anchor>.
        </Text>
      </Alert>
    </Stack>
  );
}
