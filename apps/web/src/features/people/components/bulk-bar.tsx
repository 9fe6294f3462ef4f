import { Alert, Button, Group, List, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { bulkItemErrors, useBulkDelete, useBulkUpdate, type UserView } from '../api/people.ts';

type Ask = { kind: 'move' } | { kind: 'activate' } | { kind: 'deactivate' } | { kind: 'delete' };

const TITLES: Record<Ask['kind'], string> = {
  move: 'Mover a otra ficha',
  activate: 'Activar personas',
  deactivate: 'Desactivar personas',
  delete: 'Eliminar personas',
};

/** B3/B4's 422: every failing item by the person's name (nothing was written). */
function BulkFailure({ error, chosen }: { error: unknown; chosen: UserView[] }) {
  const items = error instanceof ApiError ? bulkItemErrors(error.details) : [];
  return (
    <Alert color="red" role="alert" title="No se guardó ningún cambio">
      <Text size="sm">{messageOf(error)}</Text>
      {items.length > 0 && (
        <List size="sm" mt="xs">
          {items.map((i) => (
            <List.Item key={`${i.index}-${i.field ?? ''}`}>
              {chosen[i.index]?.full_name ?? chosen.find((u) => u.id === i.id)?.full_name ?? i.id}: {i.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/**
 * What to do with the chosen people: B3 (move apprentices to a ficha, activate, deactivate) for admin and
 * coordinador, B4 (soft delete) for the admin only; each asks for confirmation first.
 */
export function BulkBar({ chosen, canDelete, onDone }: { chosen: UserView[]; canDelete: boolean; onDone: (message: string) => void }) {
  const [ask, setAsk] = useState<Ask | null>(null);
  const [ficha, setFicha] = useState('');
  const update = useBulkUpdate();
  const remove = useBulkDelete();
  const pending = update.isPending || remove.isPending;
  const error = update.error ?? remove.error;
  const n = chosen.length;
  const people = n === 1 ? '1 persona' : `${n} personas`;

  const close = () => {
    setAsk(null);
    setFicha('');
    update.reset();
    remove.reset();
  };

  async function confirm() {
    if (!ask) return;
    try {
      if (ask.kind === 'delete') {
        const { deleted } = await remove.mutateAsync(chosen.map((u) => u.id));
        onDone(`${deleted === 1 ? '1 persona eliminada' : `${deleted} personas eliminadas`}.`);
      } else {
        const patch = ask.kind === 'move' ? { group_number: ficha.trim() } : { is_active: ask.kind === 'activate' };
        const { updated } = await update.mutateAsync(chosen.map((u) => ({ id: u.id, ...patch })));
        onDone(`${updated === 1 ? '1 persona actualizada' : `${updated} personas actualizadas`}.`);
      }
      close();
    } catch {
      // Shown in the dialog; the choice stays.
    }
  }

  const body =
    ask?.kind === 'move'
      ? `Las ${people} elegidas pasarán a la ficha que indique (solo aprendices).`
      : ask?.kind === 'activate'
        ? `Se activarán ${people}.`
        : ask?.kind === 'deactivate'
          ? `Se desactivarán ${people}: no podrán ingresar y sus sesiones se cierran.`
          : `Se eliminarán ${people}. Solo un administrador puede restaurarlas después.`;

  return (
    <Paper withBorder p="sm" bg="gray.0" role="region" aria-label="Acciones sobre las personas elegidas">
      <Group justify="space-between" gap="xs">
        <Text fw={700}>{n === 1 ? '1 persona elegida' : `${n} personas elegidas`}</Text>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => setAsk({ kind: 'move' })}>
            Mover a ficha
          </Button>
          <Button size="xs" variant="default" onClick={() => setAsk({ kind: 'activate' })}>
            Activar
          </Button>
          <Button size="xs" variant="default" onClick={() => setAsk({ kind: 'deactivate' })}>
            Desactivar
          </Button>
          {canDelete && (
            <Button size="xs" color="red.8" onClick={() => setAsk({ kind: 'delete' })}>
              Eliminar
            </Button>
          )}
        </Group>
      </Group>
      <Modal opened={ask !== null} onClose={close} title={ask ? TITLES[ask.kind] : ''} centered>
        {ask && (
          <Stack>
            <Text>{body}</Text>
            {ask.kind === 'move' && (
              <TextInput label="Número de la ficha" required maxLength={10} inputMode="numeric" value={ficha} onChange={(e) => setFicha(e.currentTarget.value)} data-autofocus />
            )}
            {error && <BulkFailure error={error} chosen={chosen} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancelar
              </Button>
              <Button
                color={ask.kind === 'delete' || ask.kind === 'deactivate' ? 'red.8' : undefined}
                loading={pending}
                disabled={ask.kind === 'move' && !/^\d{4,10}$/.test(ficha.trim())}
                onClick={() => void confirm()}
              >
                {ask.kind === 'delete' ? `Eliminar ${people}` : 'Confirmar'}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Paper>
  );
}
