import { Badge, Button, Card, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDay, todayLocal } from '../../../lib/dates.ts';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useCampuses, useNonTeachingDayActions, useNonTeachingDays } from '../api/programming.ts';
import { ProgrammingHeader, useCanWrite } from '../components/section-nav.tsx';
import { useUrlState } from '../components/url-state.ts';

/** `/programacion/festivos`: non-teaching days of a year (K3), add a closure (K4), delete one (K5). */
export default function HolidaysPage() {
  const [search, set] = useUrlState<{ year?: number }>();
  const year = search.year ?? Number(todayLocal().slice(0, 4));
  const days = useNonTeachingDays(year);
  const campuses = useCampuses();
  const { add, remove } = useNonTeachingDayActions(year);
  const canWrite = useCanWrite();
  const [form, setForm] = useState({ date: '', name: '', campus_id: '' });
  const [confirm, setConfirm] = useState<{ title: string; body: string; confirm: string; resolve: (ok: boolean) => void } | null>(null);
  const campusName = (id: string | null) => (id ? (campuses.data?.items.find((c) => c.id === id)?.name ?? 'Una sede') : 'Todo el centro');
  const fields = add.error instanceof ApiError ? add.error.fields : {};

  return (
    <Stack>
      <ProgrammingHeader title="Días no lectivos" />
      <NumberInput label="Año" value={year} min={2000} max={2100} onChange={(v) => typeof v === 'number' && v >= 2000 && v <= 2100 && set({ year: v })} maw={160} />
      {canWrite && (
        <Card withBorder>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate({ date: form.date, name: form.name.trim(), campus_id: form.campus_id || undefined }, { onSuccess: () => setForm({ date: '', name: '', campus_id: '' }) });
            }}
          >
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput type="date" label="Fecha" required value={form.date} onChange={(e) => setForm({ ...form, date: e.currentTarget.value })} error={fields.date} />
              <TextInput label="Nombre" required minLength={3} maxLength={100} value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} error={fields.name} />
              <Select
                label="Sede (vacío: todo el centro)"
                clearable
                clearButtonProps={{ 'aria-label': 'Quitar selección' }}
                value={form.campus_id || null}
                onChange={(v) => setForm({ ...form, campus_id: v ?? '' })}
                data={(campuses.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
              />
            </SimpleGrid>
            {add.isError && (
              <Text c="red.8" role="alert" mt="xs">
                {messageOf(add.error)}
              </Text>
            )}
            <Button type="submit" mt="sm" loading={add.isPending} disabled={!form.date || form.name.trim().length < 3}>
              Agregar día no lectivo
            </Button>
          </form>
        </Card>
      )}
      {remove.isError && (
        <Text c="red.8" role="alert">
          {messageOf(remove.error)}
        </Text>
      )}
      {days.isPending ? (
        <Loading />
      ) : days.isError ? (
        <ErrorState error={days.error} />
      ) : days.data.length === 0 ? (
        <Empty>No hay días no lectivos en este año.</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {days.data.map((d) => (
            <Card key={d.id} withBorder padding="xs" component="li">
              <Group justify="space-between" wrap="wrap">
                <div>
                  <Text fw={600}>{formatDay(d.date)}</Text>
                  <Text size="sm">
                    {d.name} · {campusName(d.campus_id)}
                  </Text>
                </div>
                <Group gap="xs">
                  <Badge color={d.source === 'HOLIDAY' ? 'sena.8' : 'gray.7'}>{d.source === 'HOLIDAY' ? 'Festivo' : 'Manual'}</Badge>
                  {canWrite && (
                    <Button
                      size="xs"
                      color="#a51d1d"
                      variant="light"
                      aria-label={`Eliminar ${d.name} del ${d.date}`}
                      onClick={() =>
                        setConfirm({
                          title: 'Eliminar día no lectivo',
                          body: `Si elimina "${d.name}" (${formatDay(d.date)}), las clases de ese día vuelven a programarse.`,
                          confirm: 'Eliminar',
                          resolve: (ok) => {
                            setConfirm(null);
                            if (ok) remove.mutate(d.id);
                          },
                        })
                      }
                    >
                      Eliminar
                    </Button>
                  )}
                </Group>
              </Group>
            </Card>
          ))}
        </Stack>
      )}
      <ConfirmModal request={confirm} />
    </Stack>
  );
}
