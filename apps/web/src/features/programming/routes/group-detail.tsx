import { Badge, Button, Card, Group, Modal, Pagination, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Link, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatShortDate } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useAssignmentActions, useGroup, useGroupApprentices, useGroupInstructors, useInstructors, type Group as Ficha } from '../api/programming.ts';
import { SHIFT } from '../components/labels.ts';
import { ProgrammingHeader, useCanWrite } from '../components/section-nav.tsx';
import { useUrlState } from '../components/url-state.ts';

const ROLE: Record<string, string> = { director: 'Director', instructor: 'Instructor' };
const VIA: Record<string, string> = { assignment: 'asignación', schedule: 'horario', exception: 'cambio puntual' };

function AssignForm({ group, onClose }: { group: Ficha; onClose: () => void }) {
  const instructors = useInstructors();
  const { add } = useAssignmentActions(group.id);
  const [form, setForm] = useState({ instructor_id: '', role: 'instructor', subject: '', start_date: group.start_date, end_date: '' });
  const fields = add.error instanceof ApiError ? add.error.fields : {};
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate(
          {
            instructor_id: form.instructor_id,
            role: form.role as 'director' | 'instructor',
            subject: form.subject.trim() || undefined,
            start_date: form.start_date || undefined,
            end_date: form.end_date || undefined,
          },
          { onSuccess: onClose },
        );
      }}
    >
      <Stack>
        <Select
          label="Instructor"
          required
          searchable
          value={form.instructor_id || null}
          onChange={(v) => setForm({ ...form, instructor_id: v ?? '' })}
          data={(instructors.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.full_name} (${i.document_number})` }))}
          error={fields.instructor_id}
        />
        <Select label="Rol" required value={form.role} onChange={(v) => setForm({ ...form, role: v ?? 'instructor' })} data={Object.entries(ROLE).map(([value, label]) => ({ value, label }))} allowDeselect={false} />
        <TextInput label="Competencia" maxLength={200} value={form.subject} onChange={(e) => setForm({ ...form, subject: e.currentTarget.value })} error={fields.subject} />
        <TextInput type="date" label="Desde" min={group.start_date} max={group.end_date} value={form.start_date} onChange={(e) => setForm({ ...form, start_date: e.currentTarget.value })} error={fields.start_date} />
        <TextInput
          type="date"
          label="Hasta (vacío: fin de la ficha)"
          min={group.start_date}
          max={group.end_date}
          value={form.end_date}
          onChange={(e) => setForm({ ...form, end_date: e.currentTarget.value })}
          error={fields.end_date}
        />
        {add.isError && (
          <Text c="red.8" role="alert">
            {messageOf(add.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancelar
          </Button>
          <Button type="submit" loading={add.isPending} disabled={!form.instructor_id}>
            Asignar
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** `/programacion/fichas/:id`: the ficha (G3), its apprentices (G7) and instructors with assignments (G8, G10, G12). */
export default function GroupDetailPage() {
  const { id } = useParams({ strict: false }) as { id: string };
  const [search, set] = useUrlState<{ page?: number }>();
  const page = search.page ?? 1;
  const group = useGroup(id);
  const apprentices = useGroupApprentices(id, page);
  const instructors = useGroupInstructors(id);
  const { remove } = useAssignmentActions(id);
  const canWrite = useCanWrite();
  const [assigning, setAssigning] = useState(false);
  const [confirm, setConfirm] = useState<{ title: string; body: string; confirm: string; resolve: (ok: boolean) => void } | null>(null);

  if (group.isPending) return <Loading />;
  if (group.isError) return <ErrorState error={group.error} />;
  const g = group.data;

  function unassign(assignmentId: string, name: string) {
    setConfirm({
      title: 'Quitar asignación',
      body: `¿Quitar la asignación de ${name} en la ficha ${g.number}? Sus clases del horario no cambian.`,
      confirm: 'Quitar',
      resolve: (ok) => {
        setConfirm(null);
        if (ok) remove.mutate(assignmentId);
      },
    });
  }

  return (
    <Stack>
      <ProgrammingHeader title={`Ficha ${g.number}`}>
        <Button variant="light" component={Link} to="/programacion/horario" search={{ view: 'group', id: g.id } as never}>
          Horario semanal
        </Button>
      </ProgrammingHeader>
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <Text>
            <b>Programa:</b> {g.program.code} · {g.program.name}
          </Text>
          <Text>
            <b>Sede:</b> {g.campus.name}
          </Text>
          <Text>
            <b>Jornada:</b> {SHIFT[g.shift]} · trimestre {g.current_quarter}
          </Text>
          <Text>
            <b>Periodo:</b> {formatShortDate(g.start_date)} – {formatShortDate(g.end_date)}
          </Text>
          <Text>
            <b>Director:</b> {g.director?.full_name ?? 'Sin director asignado'}
          </Text>
          <Text>
            <b>Aprendices activos:</b> {g.apprentice_count ?? '—'}
            {g.max_apprentices ? ` de ${g.max_apprentices}` : ''}
          </Text>
        </SimpleGrid>
      </Card>

      <Group justify="space-between">
        <Title order={2} size="h3">
          Instructores
        </Title>
        {canWrite && (
          <Button size="sm" onClick={() => setAssigning(true)}>
            Asignar instructor
          </Button>
        )}
      </Group>
      {remove.isError && (
        <Text c="red.8" role="alert">
          {messageOf(remove.error)}
        </Text>
      )}
      {instructors.isPending ? (
        <Loading />
      ) : instructors.isError ? (
        <ErrorState error={instructors.error} />
      ) : instructors.data.length === 0 ? (
        <Empty>La ficha no tiene instructores.</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {instructors.data.map((i) => (
            <Card key={i.instructor_id} withBorder padding="sm" component="li">
              <Group justify="space-between" wrap="wrap">
                <div>
                  <Text fw={600}>{i.full_name ?? 'Nombre no disponible'}</Text>
                  <Text size="sm">
                    {i.subjects.join(', ') || 'Sin competencia registrada'} · {i.weekly_hours} h/semana · por {i.via.map((v) => VIA[v] ?? v).join(', ')}
                  </Text>
                  <Text size="sm">
                    {formatShortDate(i.first_date)} – {formatShortDate(i.last_date)}
                  </Text>
                </div>
                <Group gap="xs">
                  {i.roles.map((r) => (
                    <Badge key={r} color={r === 'director' ? 'sena.8' : 'gray.7'}>
                      {ROLE[r] ?? r}
                    </Badge>
                  ))}
                  {canWrite &&
                    i.assignment_ids.map((a) => (
                      <Button key={a} size="xs" color="#a51d1d" variant="light" onClick={() => unassign(a, i.full_name ?? 'el instructor')}>
                        Quitar asignación
                      </Button>
                    ))}
                </Group>
              </Group>
            </Card>
          ))}
        </Stack>
      )}

      <Title order={2} size="h3">
        Aprendices
      </Title>
      {apprentices.isPending ? (
        <Loading />
      ) : apprentices.isError ? (
        <ErrorState error={apprentices.error} />
      ) : apprentices.data.items.length === 0 ? (
        <Empty>La ficha no tiene aprendices activos.</Empty>
      ) : (
        <>
          <Table.ScrollContainer minWidth={480}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Nombre</Table.Th>
                  <Table.Th>Documento</Table.Th>
                  <Table.Th>Correo</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {apprentices.data.items.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>{a.full_name}</Table.Td>
                    <Table.Td>
                      {a.document_type} {a.document_number}
                    </Table.Td>
                    <Table.Td>{a.email}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {apprentices.data.totalPages > 1 && <Pagination value={page} onChange={(p) => set({ page: p })} total={apprentices.data.totalPages} aria-label="Páginas de aprendices" />}
        </>
      )}
      <Modal opened={assigning} onClose={() => setAssigning(false)} title={`Asignar instructor a la ficha ${g.number}`} centered>
        {assigning && <AssignForm group={g} onClose={() => setAssigning(false)} />}
      </Modal>
      <ConfirmModal request={confirm} />
    </Stack>
  );
}
