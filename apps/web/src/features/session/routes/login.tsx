import { Alert, Anchor, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useServices, useSessionState } from '../../../app/context.tsx';
import { ApiError, messageOf, unwrap } from '../../../lib/errors.ts';
import { AuthLayout } from '../components/auth-layout.tsx';

/** users A1 by document number or e-mail (web.md §3). */
export default function LoginPage() {
  const { api, session } = useServices();
  const { notice } = useSessionState();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as { redirect?: string };
  const [identifier, setIdentifier] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const pair = await unwrap(api.POST('/api/v1/auth/login', { body: { identifier: identifier.trim(), password } }));
      session.establish(pair);
      const target = pair.must_change_password ? '/cambiar-contrasena' : search.redirect?.startsWith('/') ? search.redirect : '/';
      await navigate({ to: target });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = error instanceof ApiError ? error.fields : {};
  return (
    <AuthLayout>
      <Paper withBorder p="lg" component="form" onSubmit={submit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            Ingresar
          </Title>
          {notice && !error && (
            <Alert color="yellow" role="status">
              {notice}
            </Alert>
          )}
          {error !== null && (
            <Alert color="red" role="alert" title="No se pudo ingresar">
              {messageOf(error)}
            </Alert>
          )}
          <TextInput
            label="Documento o correo"
            description="Su número de documento o su correo institucional"
            autoComplete="username"
            required
            value={identifier}
            onChange={(e) => setIdentifier(e.currentTarget.value)}
            error={fields.identifier}
            maxLength={254}
          />
          <PasswordInput label="Contraseña" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={fields.password} />
          <Button type="submit" loading={busy} fullWidth size="md">
            Ingresar
          </Button>
          <Text size="sm" ta="center">
            <Anchor component={Link} to="/olvide-contrasena">
              ¿Olvidó su contraseña?
            </Anchor>
          </Text>
        </Stack>
      </Paper>
    </AuthLayout>
  );
}
