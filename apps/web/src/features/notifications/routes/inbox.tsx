import { Badge, Button, Card, Group, Pagination, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { useInbox, useMarkAllRead, useMarkRead, type InboxItem } from '../api/inbox.ts';

const PRIORITY: Record<string, { label: string; color: string }> = {
  critical: { label: 'Crítica', color: 'red.8' },
  high: { label: 'Alta', color: '#9a3c00' },
};

/** `/notificaciones` (notification I1, I4, I6): an item opens its `action_url` (00-conventions §9). */
export default function InboxPage() {
  const [filter, setFilter] = useState<'all' | 'unread'>('all');
  const [page, setPage] = useState(1);
  const inbox = useInbox(filter, page);
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const navigate = useNavigate();

  async function open(item: InboxItem) {
    if (!item.is_read) markRead.mutate(item.id);
    if (item.action_url?.startsWith('/')) await navigate({ to: item.action_url });
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Notificaciones</Title>
        <Button variant="light" onClick={() => markAll.mutate()} loading={markAll.isPending}>
          Marcar todas como leídas
        </Button>
      </Group>
      <SegmentedControl
        aria-label="Filtrar notificaciones"
        value={filter}
        onChange={(v) => {
          setFilter(v as 'all' | 'unread');
          setPage(1);
        }}
        data={[
          { value: 'all', label: 'Todas' },
          { value: 'unread', label: 'Sin leer' },
        ]}
      />
      {inbox.isPending ? (
        <Loading />
      ) : inbox.isError ? (
        <ErrorState error={inbox.error} />
      ) : inbox.data.items.length === 0 ? (
        <Empty>No tiene notificaciones.</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {inbox.data.items.map((item) => (
            <Card key={item.id} component="li" withBorder padding="sm" bg={item.is_read ? undefined : 'sena.0'}>
              <Stack gap={6}>
                <Text fw={item.is_read ? 400 : 700}>{item.body}</Text>
                <Group gap="xs" justify="space-between">
                  <Group gap="xs">
                    <Text size="sm" c="dimmed">
                      {formatDateTime(item.created_at)}
                    </Text>
                    {!item.is_read && <Badge color="sena.8">Nueva</Badge>}
                    {PRIORITY[item.priority] && <Badge color={PRIORITY[item.priority].color}>{PRIORITY[item.priority].label}</Badge>}
                  </Group>
                  {(item.action_url || !item.is_read) && (
                    <Button size="xs" variant="light" onClick={() => void open(item)}>
                      {item.action_url ? 'Abrir' : 'Marcar leída'}
                    </Button>
                  )}
                </Group>
              </Stack>
            </Card>
          ))}
        </Stack>
      )}
      {inbox.data && inbox.data.totalPages > 1 && <Pagination value={page} onChange={setPage} total={inbox.data.totalPages} aria-label="Páginas" />}
    </Stack>
  );
}
