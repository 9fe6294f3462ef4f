import { Anchor, Badge, Card, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { Pager } from './pager.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { STATUS_COLOR, STATUS_LABEL, useAdminItems } from '../api/admin.ts';
import { KIND_LABEL } from '../api/kb.ts';

/** Items in every state (editors) or the instructor's own (`mine`), each opening the editor. */
export function ItemsList({ mine }: { mine: boolean }) {
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const list = useAdminItems(status, q, mine, page);
  return (
    <Stack gap="sm">
      <Group grow align="flex-end">
        <Select
          label="Estado"
          value={status}
          onChange={(v) => {
            setStatus(v ?? '');
            setPage(1);
          }}
          data={[{ value: '', label: 'Todos' }, ...Object.entries(STATUS_LABEL).map(([value, label]) => ({ value, label }))]}
          allowDeselect={false}
        />
        <TextInput label="Buscar por título" value={q} onChange={(e) => (setQ(e.currentTarget.value), setPage(1))} maxLength={100} type="search" />
      </Group>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>{mine ? 'Aún no ha propuesto artículos.' : 'No hay artículos con ese filtro.'}</Empty>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          <Text size="sm">{list.data.total === 1 ? '1 artículo' : `${list.data.total} artículos`}</Text>
          {list.data.items.map((i) => (
            <Card key={i.id} component="li" withBorder padding="sm" data-kb-item={i.slug}>
              <Stack gap={4}>
                <Anchor component={Link} to="/kb/articulos/$id" params={{ id: i.id } as never} fw={600}>
                  {i.title}
                </Anchor>
                <Group gap={6}>
                  <Badge color={STATUS_COLOR[i.status]}>{STATUS_LABEL[i.status]}</Badge>
                  <Text size="sm" c="dimmed">
                    {KIND_LABEL[i.kind]} · {i.category.name} · versión {i.version} · {formatDateTime(i.updated_at)}
                  </Text>
                </Group>
              </Stack>
            </Card>
          ))}
        </Stack>
      )}
      {list.data && list.data.totalPages > 1 && <Pager value={page} onChange={setPage} total={list.data.totalPages} label="Páginas" />}
    </Stack>
  );
}
