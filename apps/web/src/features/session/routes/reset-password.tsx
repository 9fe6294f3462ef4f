import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { Link, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../../app/context.tsx';
import { ApiError, messageOf, unwrap } from '../../../lib/errors.ts';
import { usePasswordPolicy } from '../api/password-policy.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { PasswordChecklist } from '../components/password-checklist.tsx';

/** users A5 from the e-mailed link `/reset-password?token=` (users §7 `reset_url`). */
export default function ResetPasswordPage() {
  const api = useApi();
  const policy = usePasswordPolicy();
  const { token = '' } = useSearch({ strict: false }) as { token?: string };
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/v1/auth/reset-password', { body: { token, new_password: next } }));
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout>
      <Paper withBorder p="lg" component="form" onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            Nueva contraseña
          </Title>
          {!token && <Alert color="red">El enlace no es válido: ábralo de nuevo desde su correo.</Alert>}
          {done ? (
            <Alert color="sena" role="status">
              Su contraseña fue cambiada. Ya puede ingresar.
            </Alert>
          ) : (
            <>
              {error !== null && (
                <Alert color="red" role="alert">
                  {messageOf(error)}
                </Alert>
              )}
              <PasswordInput
                label="Nueva contraseña"
                autoComplete="new-password"
                required
                value={next}
                onChange={(e) => setNext(e.currentTarget.value)}
                error={error instanceof ApiError ? error.fields.new_password : undefined}
              />
              {policy.data && <PasswordChecklist password={next} policy={policy.data} />}
              <Button type="submit" loading={busy} disabled={!token || !next}>
                Guardar contraseña
              </Button>
            </>
          )}
          <Text size="sm" ta="center">
            <Anchor component={Link} to="/login">
              Ir a ingresar
            </Anchor>
          </Text>
        </Stack>
      </Paper>
    </AuthLayout>
  );
}
