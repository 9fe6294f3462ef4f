import { Badge, Button, Card, Group, Modal, Pagination, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { PAGE_SIZE, useCampuses, useVenues } from '../api/programming.ts';
import { VENUE_TYPE } from '../components/labels.ts';
import { CampusForm, VenueForm } from '../components/master-forms.tsx';
import { ProgrammingHeader, useCanWrite } from '../components/section-nav.tsx';
import { useUrlState } from '../components/url-state.ts';

interface Filters {
  search?: string;
  campus_id?: string;
  type?: string;
  page?: number;
}

/** `/programacion/sedes`: campuses (C1) and venues (V1) with filters and the page in the URL. */
export default function CampusesPage() {
  const [filters, set] = useUrlState<Filters>();
  const page = filters.page ?? 1;
  const [search, setSearch] = useState(filters.search ?? '');
  useEffect(() => setSearch(filters.search ?? ''), [filters.search]);
  const canWrite = useCanWrite();
  const [creating, setCreating] = useState<'campus' | 'venue' | null>(null);
  const campuses = useCampuses();
  const venues = useVenues({ search: filters.search, campus_id: filters.campus_id, type: filters.type, page, page_size: PAGE_SIZE, sort: 'code' });

  return (
    <Stack>
      <ProgrammingHeader title="Sedes y ambientes">
        {canWrite && (
          <Group gap="xs">
            <Button variant="light" onClick={() => setCreating('campus')}>
              Nueva sede
            </Button>
            <Button onClick={() => setCreating('venue')}>Nuevo ambiente</Button>
          </Group>
        )}
      </ProgrammingHeader>
      <Modal opened={creating !== null} onClose={() => setCreating(null)} title={creating === 'campus' ? 'Nueva sede' : 'Nuevo ambiente'} size="lg" centered>
        {creating === 'campus' && <CampusForm onDone={() => setCreating(null)} />}
        {creating === 'venue' && <VenueForm onDone={() => setCreating(null)} />}
      </Modal>
      {campuses.isPending ? (
        <Loading />
      ) : campuses.isError ? (
        <ErrorState error={campuses.error} />
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {campuses.data.items.map((c) => (
            <Card key={c.id} withBorder padding="sm" component="li">
              <Group justify="space-between">
                <Text fw={700}>{c.name}</Text>
                <Badge color={c.is_active ? 'sena.8' : 'gray.7'}>{c.is_active ? 'Activa' : 'Inactiva'}</Badge>
              </Group>
              <Text size="sm">
                {c.code} · {c.address ? `${c.address}, ` : ''}
                {c.city}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      )}
      <Title order={2} size="h3">
        Ambientes
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          set({ search: search.trim() || undefined, page: undefined });
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Buscar ambiente" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maxLength={100} />
          <Select
            label="Sede"
            clearable
            clearButtonProps={{ 'aria-label': 'Quitar selección' }}
            value={filters.campus_id ?? null}
            onChange={(v) => set({ campus_id: v ?? undefined, page: undefined })}
            data={(campuses.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
          <Select
            label="Tipo"
            clearable
            clearButtonProps={{ 'aria-label': 'Quitar selección' }}
            value={filters.type ?? null}
            onChange={(v) => set({ type: v ?? undefined, page: undefined })}
            data={Object.entries(VENUE_TYPE).map(([value, label]) => ({ value, label }))}
          />
        </SimpleGrid>
        <Button type="submit" mt="sm" variant="light">
          Buscar
        </Button>
      </form>
      {venues.isPending ? (
        <Loading />
      ) : venues.isError ? (
        <ErrorState error={venues.error} />
      ) : venues.data.items.length === 0 ? (
        <Empty>No hay ambientes con estos filtros.</Empty>
      ) : (
        <>
          <Table.ScrollContainer minWidth={520}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Código</Table.Th>
                  <Table.Th>Nombre</Table.Th>
                  <Table.Th>Sede</Table.Th>
                  <Table.Th>Tipo</Table.Th>
                  <Table.Th>Capacidad</Table.Th>
                  <Table.Th>Estado</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {venues.data.items.map((v) => (
                  <Table.Tr key={v.id}>
                    <Table.Td>{v.code}</Table.Td>
                    <Table.Td>{v.name}</Table.Td>
                    <Table.Td>{v.campus.name}</Table.Td>
                    <Table.Td>{VENUE_TYPE[v.type] ?? v.type}</Table.Td>
                    <Table.Td>{v.capacity}</Table.Td>
                    <Table.Td>{v.is_active ? 'Activo' : 'Inactivo'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {venues.data.totalPages > 1 && <Pagination value={page} onChange={(p) => set({ page: p })} total={venues.data.totalPages} aria-label="Páginas" />}
        </>
      )}
    </Stack>
  );
}
