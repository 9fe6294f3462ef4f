import { ActionIcon, Alert, Button, Code, CopyButton, Group, Menu, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { IconDots, IconKey, IconLockOpen, IconPencil, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useState } from 'react';
import { messageOf } from '../../../lib/errors.ts';
import { useActivate, useDeactivate, useResetPassword, useUnlock, type ResetResult, type UserView } from '../api/people.ts';
import { actionsFor, type StaffRole, type UserAction } from '../api/permissions.ts';

const LABELS: Record<UserAction, string> = {
  edit: 'Editar',
  activate: 'Activar',
  deactivate: 'Desactivar',
  unlock: 'Desbloquear',
  reset_password: 'Restablecer contraseña',
};

const ICONS: Record<UserAction, React.ReactNode> = {
  edit: <IconPencil size={16} aria-hidden />,
  activate: <IconUserCheck size={16} aria-hidden />,
  deactivate: <IconUserOff size={16} aria-hidden />,
  unlock: <IconLockOpen size={16} aria-hidden />,
  reset_password: <IconKey size={16} aria-hidden />,
};

/**
 * One person's actions as users §2 and O1/O2 allow the caller (U4, U7–U10): edit opens the form; activate
 * and unlock act at once; deactivate and the password reset ask first. Nothing is offered when the caller
 * may not act on this person.
 */
export function UserActions({ caller, user, onEdit, onDone }: { caller: { sub: string; role: StaffRole }; user: UserView; onEdit: (u: UserView) => void; onDone: (message: string) => void }) {
  const actions = actionsFor(caller, user);
  const activate = useActivate();
  const unlock = useUnlock();
  const [asking, setAsking] = useState<'deactivate' | 'reset_password' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  if (actions.length === 0) return null;

  async function run(action: UserAction) {
    setFailure(null);
    try {
      if (action === 'edit') onEdit(user);
      else if (action === 'activate') {
        await activate.mutateAsync(user.id);
        onDone(`${user.full_name} quedó activo.`);
      } else if (action === 'unlock') {
        await unlock.mutateAsync(user.id);
        onDone(`${user.full_name} ya puede ingresar de nuevo.`);
      } else setAsking(action);
    } catch (err) {
      setFailure(err);
    }
  }

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray.8" size="lg" aria-label={`Acciones para ${user.full_name}`} loading={activate.isPending || unlock.isPending}>
            <IconDots size={18} aria-hidden />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          {actions.map((a) => (
            <Menu.Item key={a} leftSection={ICONS[a]} color={a === 'deactivate' ? 'red.8' : undefined} onClick={() => void run(a)}>
              {LABELS[a]}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={failure !== null} onClose={() => setFailure(null)} title="No se pudo completar la acción" centered>
        <Alert color="red" role="alert">
          {messageOf(failure)}
        </Alert>
      </Modal>
      <DeactivateModal user={asking === 'deactivate' ? user : null} onClose={(msg) => { setAsking(null); if (msg) onDone(msg); }} />
      <ResetModal user={asking === 'reset_password' ? user : null} onClose={(msg) => { setAsking(null); if (msg) onDone(msg); }} />
    </>
  );
}

/** U8 after confirmation, with the optional reason (≤ 300) kept in the security event. */
function DeactivateModal({ user, onClose }: { user: UserView | null; onClose: (message?: string) => void }) {
  const [reason, setReason] = useState('');
  const deactivate = useDeactivate();
  const close = (message?: string) => {
    setReason('');
    deactivate.reset();
    onClose(message);
  };
  return (
    <Modal opened={user !== null} onClose={() => close()} title="Desactivar persona" centered>
      {user && (
        <Stack>
          <Text>
            {user.full_name} no podrá ingresar hasta que alguien la active de nuevo, y sus sesiones abiertas se cierran.
          </Text>
          <Textarea label="Motivo (opcional)" maxLength={300} value={reason} onChange={(e) => setReason(e.currentTarget.value)} minRows={2} />
          {deactivate.isError && (
            <Alert color="red" role="alert">
              {messageOf(deactivate.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => close()}>
              Cancelar
            </Button>
            <Button
              color="red.8"
              loading={deactivate.isPending}
              onClick={() => deactivate.mutate({ id: user.id, reason: reason.trim() || undefined }, { onSuccess: () => close(`${user.full_name} quedó inactivo.`) })}
            >
              Desactivar
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** U9: an e-mailed link (default) or a temporary password shown once here. */
function ResetModal({ user, onClose }: { user: UserView | null; onClose: (message?: string) => void }) {
  const [delivery, setDelivery] = useState<ResetResult['delivery']>('email_link');
  const [result, setResult] = useState<ResetResult | null>(null);
  const reset = useResetPassword();
  const close = () => {
    const message = result ? (result.delivery === 'email_link' ? `Se envió el enlace a ${user?.email}.` : 'Contraseña temporal generada.') : undefined;
    setResult(null);
    setDelivery('email_link');
    reset.reset();
    onClose(message);
  };
  return (
    <Modal opened={user !== null} onClose={close} title="Restablecer contraseña" centered>
      {user && !result && (
        <Stack>
          <Text>La contraseña actual de {user.full_name} deja de servir y sus sesiones se cierran.</Text>
          <Radio.Group label="Cómo entregar la nueva" value={delivery} onChange={(v) => setDelivery(v === 'temporary_password' ? 'temporary_password' : 'email_link')}>
            <Stack gap="xs" mt="xs">
              <Radio value="email_link" label={`Enviar un enlace a ${user.email}`} />
              <Radio value="temporary_password" label="Generar una contraseña temporal para entregarla en persona" />
            </Stack>
          </Radio.Group>
          {reset.isError && (
            <Alert color="red" role="alert">
              {messageOf(reset.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancelar
            </Button>
            <Button color="red.8" loading={reset.isPending} onClick={() => reset.mutate({ id: user.id, delivery }, { onSuccess: setResult })}>
              Restablecer
            </Button>
          </Group>
        </Stack>
      )}
      {user && result && (
        <Stack>
          {result.delivery === 'temporary_password' && result.temporary_password ? (
            <>
              <Text>Entregue esta contraseña a {user.full_name}; no se volverá a mostrar. Deberá cambiarla al ingresar.</Text>
              <Group>
                <Code fz="lg">{result.temporary_password}</Code>
                <CopyButton value={result.temporary_password}>
                  {({ copied, copy }) => (
                    <Button size="xs" variant="light" onClick={copy}>
                      {copied ? 'Copiada' : 'Copiar'}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            </>
          ) : (
            <Text>Se envió a {user.email} un enlace para elegir una contraseña nueva.</Text>
          )}
          <Group justify="flex-end">
            <Button onClick={close}>Listo</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
