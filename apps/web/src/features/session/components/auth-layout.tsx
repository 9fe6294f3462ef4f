import { Box, Container, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

export function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <Box mih="100vh" bg="gray.0">
      <Box bg="sena.6" py="md" component="header">
        <Container size={420}>
          <Title order={2} c="white" fw={800} size="h1" component="p">
            SICORA
          </Title>
          <Text c="white" fw={700} fz={19}>
            Coordinación académica
          </Text>
        </Container>
      </Box>
      <Container size={420} py="lg" component="main">
        {children}
      </Container>
    </Box>
  );
}
