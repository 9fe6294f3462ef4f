import { Alert, List, Text } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';

/**
 * The anonymity promise (evalin O2, R29, R33, R38) in the apprentice's words: what is kept, what is not and
 * who sees what. `minResponses` is the publication threshold of E52 (R33).
 */
export function AnonymityNotice({ minResponses, compact = false }: { minResponses?: number; compact?: boolean }) {
  const threshold = minResponses ?? 3;
  if (compact) {
    return (
      <Alert color="sena" variant="light" icon={<IconShieldLock aria-hidden />} title="Su evaluación es anónima">
        <Text size="sm">
          Sus respuestas se guardan sin su nombre ni la hora. El instructor solo verá resultados consolidados cuando el período cierre y si al menos {threshold}{' '}
          aprendices respondieron.
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="sena" variant="light" icon={<IconShieldLock aria-hidden />} title="Su evaluación es anónima">
      <List size="sm" spacing={4}>
        <List.Item>Al enviarla, sus respuestas se guardan sin su nombre, su documento ni la hora: nadie puede saber qué respondió, ni el instructor, ni la coordinación, ni el administrador.</List.Item>
        <List.Item>El sistema solo anota que usted ya evaluó a ese instructor, para no pedírselo otra vez.</List.Item>
        <List.Item>
          El instructor ve resultados consolidados después de que el período cierra y la coordinación los publica, y solo si al menos {threshold} aprendices lo evaluaron.
        </List.Item>
        <List.Item>Los comentarios escritos los revisa la coordinación antes de que el instructor los lea.</List.Item>
      </List>
    </Alert>
  );
}
