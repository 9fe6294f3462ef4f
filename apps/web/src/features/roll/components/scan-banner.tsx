import { Alert, Avatar, Group, Stack, Text } from '@mantine/core';
import { bannerFor, flagLabel, type ScanResult } from '../api/scan-queue.ts';

const COLOR = { success: 'sena', info: 'blue', warning: 'yellow', error: 'red' } as const;

export const initials = (name: string) =>
  name
    .split(' ')
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0])
    .join('')
    .toUpperCase();

/** The banner of the last scan: outcome, the apprentice's photo (or initials) and name to check the face, flags. */
export function ScanBanner({ result }: { result: ScanResult }) {
  const b = bannerFor(result);
  return (
    <Alert color={COLOR[b.tone]} variant="filled" role={b.tone === 'error' ? 'alert' : 'status'} data-outcome={result.kind === 'accepted' ? result.answer.outcome : result.kind === 'refused' ? result.error.code : result.kind}>
      <Group wrap="nowrap" align="flex-start">
        {b.student && (
          <Avatar src={b.student.avatar_url} alt="" size="lg" color="white" radius="xl">
            {initials(b.student.full_name)}
          </Avatar>
        )}
        <Stack gap={2}>
          <Text fw={700} fz="lg">
            {b.title}
          </Text>
          {b.student?.document_last4 && <Text size="sm">Documento terminado en {b.student.document_last4}</Text>}
          {b.detail && <Text size="sm">{b.detail}</Text>}
          {b.flags?.map((f) => (
            <Text key={f} size="sm" fw={700}>
              ⚠ {flagLabel(f)}
            </Text>
          ))}
        </Stack>
      </Group>
    </Alert>
  );
}
