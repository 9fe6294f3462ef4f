import { ActionIcon, Button, Group, Menu, Modal, NavLink, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconDots } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { AskText, type AskTextRequest } from '../../../components/ask-text.tsx';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatDateTime } from '../../../lib/dates.ts';
import { useConversations, useDeleteConversation, useUpdateConversation, type Conversation } from '../api/assistant.ts';

/** Own conversations (ai O1): active or archived, searchable (R3), renamed, archived, deleted. */
export function ConversationList({ selected, onDeleted }: { selected?: string; onDeleted: (id: string) => void }) {
  const [status, setStatus] = useState<'active' | 'archived'>('active');
  const [q, setQ] = useState('');
  const list = useConversations(status, q);
  const update = useUpdateConversation();
  const remove = useDeleteConversation();
  const [ask, setAsk] = useState<AskTextRequest | null>(null);
  const [deleting, setDeleting] = useState<Conversation | null>(null);

  const rename = (c: Conversation) =>
    setAsk({
      title: 'Renombrar conversación',
      label: 'Nuevo nombre',
      minLength: 1,
      resolve: (value) => {
        setAsk(null);
        if (value) update.mutate({ id: c.id, title: value.slice(0, 120) });
      },
    });

  return (
    <Stack gap="xs" component="section" aria-label="Conversaciones">
      <SegmentedControl
        aria-label="Estado de las conversaciones"
        value={status}
        onChange={(v) => setStatus(v as 'active' | 'archived')}
        data={[
          { value: 'active', label: 'Activas' },
          { value: 'archived', label: 'Archivadas' },
        ]}
        size="xs"
      />
      <TextInput label="Buscar en mis conversaciones" value={q} onChange={(e) => setQ(e.currentTarget.value)} size="xs" maxLength={100} type="search" />
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} />
      ) : list.data.length === 0 ? (
        <Empty>{status === 'active' ? 'Aún no tiene conversaciones.' : 'No tiene conversaciones archivadas.'}</Empty>
      ) : (
        <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {list.data.map((c) => (
            <Group component="li" key={c.id} gap={2} wrap="nowrap" align="flex-start">
              <NavLink
                component={Link}
                to="/asistente"
                search={{ c: c.id } as never}
                active={c.id === selected}
                label={c.title}
                description={
                  <>
                    {c.last_message_excerpt && <Text size="xs" c="dimmed" lineClamp={1} component="span" display="block">{c.last_message_excerpt.replace(/\*\*/g, '')}</Text>}
                    <Text size="xs" c="dimmed" component="span">
                      {formatDateTime(c.last_message_at ?? c.created_at)}
                    </Text>
                  </>
                }
                style={{ flex: 1, minWidth: 0 }}
              />
              <Menu position="bottom-end">
                <Menu.Target>
                  <ActionIcon variant="subtle" color="gray.7" aria-label={`Acciones de «${c.title}»`} mt={6}>
                    <IconDots size={18} aria-hidden />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => rename(c)}>Renombrar</Menu.Item>
                  <Menu.Item onClick={() => update.mutate({ id: c.id, status: c.status === 'active' ? 'archived' : 'active' })}>{c.status === 'active' ? 'Archivar' : 'Restaurar'}</Menu.Item>
                  <Menu.Item color="red.9" onClick={() => setDeleting(c)}>
                    Eliminar
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
          ))}
        </Stack>
      )}
      <AskText request={ask} />
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Eliminar conversación" centered>
        <Stack>
          <Text size="sm">Se borrarán «{deleting?.title}» y todos sus mensajes. No se puede deshacer.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Cancelar
            </Button>
            <Button
              color="red.8"
              loading={remove.isPending}
              onClick={() => {
                const c = deleting!;
                remove.mutate(c.id, {
                  onSuccess: () => {
                    setDeleting(null);
                    onDeleted(c.id);
                  },
                });
              }}
            >
              Eliminar
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
