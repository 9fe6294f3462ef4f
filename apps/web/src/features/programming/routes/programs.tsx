import { Button, Modal, Pagination, Select, SimpleGrid, Stack, Table, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { PAGE_SIZE, usePrograms } from '../api/programming.ts';
import { LEVEL } from '../components/labels.ts';
import { ProgramForm } from '../components/master-forms.tsx';
import { ProgrammingHeader, useCanWrite } from '../components/section-nav.tsx';
import { useUrlState } from '../components/url-state.ts';

interface Filters {
  search?: string;
  level?: string;
  page?: number;
}

/** `/programacion/programas`: training programs (P1) with filters and the page in the URL. */
export default function ProgramsPage() {
  const [filters, set] = useUrlState<Filters>();
  const page = filters.page ?? 1;
  const [search, setSearch] = useState(filters.search ?? '');
  useEffect(() => setSearch(filters.search ?? ''), [filters.search]);
  const canWrite = useCanWrite();
  const [creating, setCreating] = useState(false);
  const programs = usePrograms({ search: filters.search, level: filters.level, page, page_size: PAGE_SIZE, sort: 'code' });

  return (
    <Stack>
      <ProgrammingHeader title="Programas de formación">{canWrite && <Button onClick={() => setCreating(true)}>Nuevo programa</Button>}</ProgrammingHeader>
      <Modal opened={creating} onClose={() => setCreating(false)} title="Nuevo programa" size="lg" centered>
        {creating && <ProgramForm onDone={() => setCreating(false)} />}
      </Modal>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          set({ search: search.trim() || undefined, page: undefined });
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Buscar programa" value={search} onChange={(e) => setSearch(e.currentTarget.value)} maxLength={100} />
          <Select
            label="Nivel"
            clearable
            clearButtonProps={{ 'aria-label': 'Quitar selección' }}
            value={filters.level ?? null}
            onChange={(v) => set({ level: v ?? undefined, page: undefined })}
            data={Object.entries(LEVEL).map(([value, label]) => ({ value, label }))}
          />
        </SimpleGrid>
        <Button type="submit" mt="sm" variant="light">
          Buscar
        </Button>
      </form>
      {programs.isPending ? (
        <Loading />
      ) : programs.isError ? (
        <ErrorState error={programs.error} />
      ) : programs.data.items.length === 0 ? (
        <Empty>No hay programas con estos filtros.</Empty>
      ) : (
        <>
          <Table.ScrollContainer minWidth={520}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Código</Table.Th>
                  <Table.Th>Nombre</Table.Th>
                  <Table.Th>Nivel</Table.Th>
                  <Table.Th>Duración</Table.Th>
                  <Table.Th>Estado</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {programs.data.items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>{p.code}</Table.Td>
                    <Table.Td>{p.name}</Table.Td>
                    <Table.Td>{LEVEL[p.level] ?? p.level}</Table.Td>
                    <Table.Td>
                      {p.duration_months} meses{p.quarters ? ` · ${p.quarters} trimestres` : ''}
                    </Table.Td>
                    <Table.Td>{p.is_active ? 'Activo' : 'Inactivo'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {programs.data.totalPages > 1 && <Pagination value={page} onChange={(p) => set({ page: p })} total={programs.data.totalPages} aria-label="Páginas" />}
        </>
      )}
    </Stack>
  );
}
