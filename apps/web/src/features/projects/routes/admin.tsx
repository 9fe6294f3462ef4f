import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useSessionState } from '../../../app/context.tsx';
import { IdeasAdmin, ProjectsAdmin, TeamsAdmin } from '../components/admin-teams.tsx';
import { RubricsAdmin } from '../components/admin-rubrics.tsx';
import { SessionsAdmin } from '../components/admin-sessions.tsx';

/** `/proyectos/admin`: coordination's view of projecteval; administrativo reads it (projecteval §2). */
export default function ProjectsAdminPage() {
  const { claims } = useSessionState();
  const canWrite = claims?.role === 'admin' || claims?.role === 'coordinador';
  const [tab, setTab] = useState<string | null>('equipos');
  return (
    <Stack>
      <Title order={1}>Proyectos</Title>
      {!canWrite && <Text size="sm">Consulta: su rol lee los proyectos sin modificarlos.</Text>}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="equipos">Equipos</Tabs.Tab>
          <Tabs.Tab value="ideas">Ideas</Tabs.Tab>
          <Tabs.Tab value="proyectos">Proyectos</Tabs.Tab>
          <Tabs.Tab value="rubricas">Rúbricas</Tabs.Tab>
          <Tabs.Tab value="sesiones">Sesiones y jurados</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="equipos" pt="md">
          <TeamsAdmin canWrite={canWrite} />
        </Tabs.Panel>
        <Tabs.Panel value="ideas" pt="md">
          <IdeasAdmin canWrite={canWrite} />
        </Tabs.Panel>
        <Tabs.Panel value="proyectos" pt="md">
          <ProjectsAdmin canWrite={canWrite} />
        </Tabs.Panel>
        <Tabs.Panel value="rubricas" pt="md">
          <RubricsAdmin canWrite={canWrite} />
        </Tabs.Panel>
        <Tabs.Panel value="sesiones" pt="md">
          <SessionsAdmin canWrite={canWrite} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
