import { Anchor, Container, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';

export function NotFound() {
  return (
    <Container size="sm" py="xl" component="main">
      <Stack>
        <Title order={1}>Página no encontrada</Title>
        <Text>La dirección no corresponde a ninguna pantalla de SICORA.</Text>
        <Anchor component={Link} to="/">
          Ir al inicio
        </Anchor>
      </Stack>
    </Container>
  );
}
