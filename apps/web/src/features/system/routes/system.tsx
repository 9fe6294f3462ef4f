import { Stack, Tabs, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { AttendanceSettingsForm } from '../components/attendance-settings.tsx';
import { EvalinSettingsForm } from '../components/evalin-settings.tsx';
import { HealthPanel } from '../components/health-panel.tsx';
import { RiskSettingsForm } from '../components/risk-settings.tsx';
import { SecurityEvents } from '../components/security-events.tsx';
import { SigningKeys } from '../components/signing-keys.tsx';

export const TABS = [
  { value: 'salud', label: 'Salud' },
  { value: 'seguridad', label: 'Seguridad' },
  { value: 'claves', label: 'Claves de firma' },
  { value: 'asistencia', label: 'Asistencia' },
  { value: 'evaluacion', label: 'Evaluación' },
  { value: 'riesgo', label: 'Riesgo' },
] as const;

/** `/sistema` (admin): platform health, security log, signing keys and the services' settings; the tab is in the URL. */
export default function SystemPage() {
  const search = useSearch({ strict: false }) as { tab?: string };
  const navigate = useNavigate();
  const tab = TABS.some((t) => t.value === search.tab) ? search.tab! : 'salud';
  return (
    <Stack>
      <Title order={1}>Sistema</Title>
      <Tabs value={tab} onChange={(v) => void navigate({ to: '.', search: { tab: v ?? 'salud' }, replace: true } as never)} keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'wrap' }}>
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="salud" pt="md">
          <HealthPanel />
        </Tabs.Panel>
        <Tabs.Panel value="seguridad" pt="md">
          <SecurityEvents />
        </Tabs.Panel>
        <Tabs.Panel value="claves" pt="md">
          <SigningKeys />
        </Tabs.Panel>
        <Tabs.Panel value="asistencia" pt="md">
          <AttendanceSettingsForm />
        </Tabs.Panel>
        <Tabs.Panel value="evaluacion" pt="md">
          <EvalinSettingsForm />
        </Tabs.Panel>
        <Tabs.Panel value="riesgo" pt="md">
          <RiskSettingsForm />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
