import { Button, Group, Stack, Tabs, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { ItemsList } from '../components/items-list.tsx';
import { PdfImportPanel } from '../components/pdf-import.tsx';
import { SearchReports } from '../components/search-reports.tsx';

type View = 'articulos' | 'pdf' | 'busquedas';

/** `/kb/admin?vista=` for coordinación and admin (web.md §4): items by state, PDF import, search reports. */
export default function KbAdminPage() {
  const { vista } = useSearch({ strict: false }) as { vista?: View };
  const navigate = useNavigate();
  const view: View = vista ?? 'articulos';
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1}>Base de conocimiento</Title>
        <Button component={Link} to="/kb/articulos/$id" params={{ id: 'nuevo' } as never} leftSection={<IconPlus size={16} aria-hidden />}>
          Nuevo artículo
        </Button>
      </Group>
      <Tabs value={view} onChange={(v) => void navigate({ to: '/kb/admin', search: { vista: v === 'articulos' ? undefined : (v as View) } as never })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="articulos">Artículos</Tabs.Tab>
          <Tabs.Tab value="pdf">Importar PDF</Tabs.Tab>
          <Tabs.Tab value="busquedas">Búsquedas</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="articulos" pt="sm">
          <ItemsList mine={false} />
        </Tabs.Panel>
        <Tabs.Panel value="pdf" pt="sm">
          <PdfImportPanel />
        </Tabs.Panel>
        <Tabs.Panel value="busquedas" pt="sm">
          <SearchReports />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
