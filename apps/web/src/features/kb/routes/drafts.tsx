import { Button, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { ItemsList } from '../components/items-list.tsx';
import { PdfImportPanel } from '../components/pdf-import.tsx';

/** `/kb/borradores`: an instructor's own proposals (kb §2 contributor) in every state, and PDF uploads. */
export default function DraftsPage() {
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1}>Mis borradores</Title>
        <Button component={Link} to="/kb/articulos/$id" params={{ id: 'nuevo' } as never} leftSection={<IconPlus size={16} aria-hidden />}>
          Proponer borrador
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Sus propuestas para la Ayuda: edítelas mientras sean borradores y envíelas a revisión; la coordinación las publica.
      </Text>
      <Tabs defaultValue="mios" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="mios">Mis artículos</Tabs.Tab>
          <Tabs.Tab value="pdf">Desde un PDF</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="mios" pt="sm">
          <ItemsList mine />
        </Tabs.Panel>
        <Tabs.Panel value="pdf" pt="sm">
          <PdfImportPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
