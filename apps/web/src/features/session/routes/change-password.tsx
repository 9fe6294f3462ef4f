import { Alert, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useServices, useSessionState } from '../../../app/context.tsx';
import { ApiError, messageOf, unwrap } from '../../../lib/errors.ts';
import { usePasswordPolicy } from '../api/password-policy.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { PasswordChecklist } from '../components/password-checklist.tsx';

/** users A6; forced after a first sign-in (`must_change_password`). The new pair replaces every session: stored at once. */
export default function ChangePasswordPage() {
  const { api, session } = useServices();
  const { claims } = useSessionState();
  const policy = usePasswordPolicy();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const forced = claims?.must_change_password === true;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== confirm) return;
    setBusy(true);
    setError(null);
    try {
      const pair = await unwrap(api.POST('/api/v1/auth/change-password', { body: { current_password: current, new_password: next } }));
      session.establish(pair);
      await navigate({ to: '/' });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  const currentError = error instanceof ApiError && error.code === 'CURRENT_PASSWORD_INCORRECT' ? error.message : fields.current_password;
  return (
    <AuthLayout>
      <Paper withBorder p="lg" component="form" onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            Cambiar contraseña
          </Title>
          {forced && <Text>Por seguridad, cree una contraseña propia antes de continuar. La contraseña inicial es su número de documento.</Text>}
          {error !== null && (
            <Alert color="red" role="alert" title="No se pudo cambiar la contraseña">
              {messageOf(error)}
            </Alert>
          )}
          <PasswordInput label="Contraseña actual" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} error={currentError} />
          <PasswordInput label="Nueva contraseña" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.currentTarget.value)} error={fields.new_password} />
          {policy.data && <PasswordChecklist password={next} policy={policy.data} />}
          <PasswordInput
            label="Confirme la nueva contraseña"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={confirm && next !== confirm ? 'Las contraseñas no coinciden' : undefined}
          />
          <Button type="submit" loading={busy} size="md" disabled={!current || !next || next !== confirm}>
            Guardar contraseña
          </Button>
          <Button variant="subtle" onClick={() => session.end(null)}>
            Salir
          </Button>
        </Stack>
      </Paper>
    </AuthLayout>
  );
}
