import { Alert, Anchor, Button, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useApi, useServices, useSessionState } from '../../../app/context.tsx';
import { ApiError, messageOf, unwrap } from '../../../lib/errors.ts';
import { AuthLayout } from '../components/auth-layout.tsx';

interface DemoAccount {
  role: 'coordinador' | 'administrativo' | 'instructor' | 'aprendiz';
  full_name: string;
  document_number: string;
  first_password_rule: 'document_number';
}

const DEMO_ROLE_LABELS: Record<DemoAccount['role'], string> = {
  coordinador: 'Coordinador',
  administrativo: 'Administrativo',
  instructor: 'Instructor',
  aprendiz: 'Aprendiz',
};

/** users A9: answered only on a demo installation; any refusal (404 elsewhere) shows nothing. */
function useDemoAccounts() {
  const api = useApi();
  return useQuery({
    queryKey: ['session', 'demo-accounts'],
    queryFn: () => unwrap<DemoAccount[]>(api.GET('/api/v1/auth/demo-accounts') as never),
    staleTime: Infinity,
  });
}

/** "Cuentas de demostración" (web.md §3): one per role, first password = document number; "Usar" fills the form. */
function DemoAccounts({ accounts, onUse }: { accounts: DemoAccount[]; onUse: (a: DemoAccount) => void }) {
  return (
    <Paper withBorder p="lg" mt="md" component="section" aria-labelledby="demo-accounts-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="demo-accounts-title">
          Cuentas de demostración
        </Title>
        <Text size="sm">
          Esta instalación tiene datos de demostración. La primera contraseña de cada cuenta es su número de documento; al ingresar se le pedirá cambiarla.
        </Text>
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {accounts.map((a) => (
            <Group key={a.role} component="li" justify="space-between" wrap="nowrap" gap="xs">
              <div>
                <Text fw={700} size="sm">
                  {DEMO_ROLE_LABELS[a.role] ?? a.role}: {a.full_name}
                </Text>
                <Text size="sm">
                  Documento {a.document_number} · contraseña inicial: {a.first_password_rule === 'document_number' ? 'el mismo documento' : a.first_password_rule}
                </Text>
              </div>
              <Button size="xs" variant="light" onClick={() => onUse(a)} aria-label={`Usar la cuenta de ${DEMO_ROLE_LABELS[a.role] ?? a.role}`}>
                Usar
              </Button>
            </Group>
          ))}
        </Stack>
      </Stack>
    </Paper>
  );
}

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
  const demo = useDemoAccounts();

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
      {demo.data && demo.data.length > 0 && (
        <DemoAccounts
          accounts={demo.data}
          onUse={(a) => {
            setIdentifier(a.document_number);
            setPassword(a.document_number);
            setError(null);
          }}
        />
      )}
    </AuthLayout>
  );
}
