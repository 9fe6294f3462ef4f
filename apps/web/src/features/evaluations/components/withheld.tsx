import { Alert, Text } from '@mantine/core';
import { IconEyeOff } from '@tabler/icons-react';
import { percent } from '../../../lib/dates.ts';

/**
 * Why results are not shown (evalin R33, R34), in words: the two publication thresholds protect the
 * apprentices' anonymity. `minResponses` and `minParticipation` come from E52.
 */
export function WithheldNotice(props: {
  reason: 'insufficient_responses' | 'low_participation' | null;
  responseCount: number;
  expectedCount: number;
  responseRate: number | null;
  minResponses?: number;
  minParticipation?: number;
}) {
  const { reason, responseCount, expectedCount, responseRate, minResponses, minParticipation } = props;
  if (!reason) return null;
  if (reason === 'insufficient_responses') {
    return (
      <Alert color="yellow" icon={<IconEyeOff aria-hidden />} title="Resultados reservados: pocas respuestas" data-withheld={reason}>
        <Text size="sm">
          En este período {responseCount === 1 ? 'respondió 1 aprendiz' : `respondieron ${responseCount} aprendices`}
          {expectedCount > 0 ? ` de ${expectedCount} esperados` : ''}. Los resultados se muestran solo cuando responden al menos {minResponses ?? 'el mínimo de'}{' '}
          aprendices, para que nadie pueda deducir las respuestas de una persona. Por eso no se muestran promedios, distribuciones ni comentarios.
        </Text>
      </Alert>
    );
  }
  return (
    <Alert color="yellow" icon={<IconEyeOff aria-hidden />} title="Promedios reservados: participación baja" data-withheld={reason}>
      <Text size="sm">
        Respondió el {percent(responseRate)} de los aprendices esperados ({responseCount} de {expectedCount}). Los promedios generales y por categoría se
        muestran cuando participa al menos el {minParticipation ?? '—'} %, porque con menos respuestas no representan al grupo. Las respuestas por pregunta sí se
        muestran.
      </Text>
    </Alert>
  );
}
