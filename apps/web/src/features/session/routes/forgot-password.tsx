import { Alert, Anchor, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useApi } from '../../../app/context.tsx';
import { ApiError, messageOf, unwrap } from '../../../lib/errors.ts';
import { AuthLayout } from '../components/auth-layout.tsx';

/** users A4: the answer is the same whether the account exists or not. */
export default function ForgotPasswordPage() {
  const api = useApi();
  const [identifier, setIdentifier] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/v1/auth/forgot-password', { body: { identifier: identifier.trim() } }));
      setSent(true);
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
            Recuperar contraseña
          </Title>
          {sent ? (
            <Alert color="sena" role="status">
              Si la cuenta existe, enviaremos un enlace de restablecimiento a su correo.
            </Alert>
          ) : (
            <>
              <Text>Escriba su documento o correo y le enviaremos un enlace para crear una nueva contraseña.</Text>
              {error !== null && (
                <Alert color="red" role="alert">
                  {messageOf(error)}
                </Alert>
              )}
              <TextInput
                label="Documento o correo"
                required
                value={identifier}
                onChange={(e) => setIdentifier(e.currentTarget.value)}
                error={error instanceof ApiError ? error.fields.identifier : undefined}
              />
              <Button type="submit" loading={busy}>
                Enviar enlace
              </Button>
            </>
          )}
          <Text size="sm" ta="center">
            <Anchor component={Link} to="/login">
              Volver a ingresar
            </Anchor>
          </Text>
        </Stack>
      </Paper>
    </AuthLayout>
  );
}
