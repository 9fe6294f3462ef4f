import { Alert, Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import type { ReviewInput } from '../api/justifications.ts';

// attendance J9's bounds (OpenAPI): a comment of at most 1000 characters, 10–1000 when rejecting (R26).
export const COMMENT_MAX = 1000;
export const REJECT_MIN = 10;

/** What is wrong with the note for this decision, or null. */
export function commentProblem(decision: ReviewInput['decision'], comment: string): string | null {
  const n = comment.trim().length;
  if (n > COMMENT_MAX) return `Máximo ${COMMENT_MAX} caracteres.`;
  if (decision === 'REJECTED' && n < REJECT_MIN) return `Para rechazar escriba el motivo (mínimo ${REJECT_MIN} caracteres).`;
  return null;
}

/**
 * Approve or reject a justification with a note (attendance J9). The decision is final (R26), so it is
 * confirmed before it is sent; what was typed stays when the server refuses.
 */
export function ReviewForm({ onSubmit, pending, error }: { onSubmit: (input: ReviewInput) => void; pending: boolean; error: unknown }) {
  const [decision, setDecision] = useState<ReviewInput['decision'] | null>(null);
  const [comment, setComment] = useState('');
  const [touched, setTouched] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const local = decision && touched ? commentProblem(decision, comment) : null;
  const server = error instanceof ApiError ? (error.fields.comment ?? (error.code === 'REVIEW_COMMENT_REQUIRED' ? error.message : null)) : null;
  const verb = decision === 'REJECTED' ? 'Rechazar' : 'Aprobar';

  function ask() {
    setTouched(true);
    if (!decision || commentProblem(decision, comment)) return;
    setConfirming(true);
  }
  function send() {
    setConfirming(false);
    const text = comment.trim();
    onSubmit(text ? { decision: decision!, comment: text } : { decision: decision! });
  }

  return (
    <Stack component="form" aria-label="Decisión" onSubmit={(e) => (e.preventDefault(), ask())}>
      <Radio.Group label="Resultado de la revisión" value={decision ?? ''} onChange={(v) => setDecision(v as ReviewInput['decision'])} required error={touched && !decision ? 'Elija aprobar o rechazar.' : undefined}>
        <Group mt="xs">
          <Radio value="APPROVED" label="Aprobar" />
          <Radio value="REJECTED" label="Rechazar" />
        </Group>
      </Radio.Group>
      <Textarea
        label="Nota para el aprendiz"
        description={decision === 'REJECTED' ? `Obligatoria al rechazar: ${REJECT_MIN} a ${COMMENT_MAX} caracteres.` : `Opcional, hasta ${COMMENT_MAX} caracteres.`}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        onBlur={() => setTouched(true)}
        maxLength={COMMENT_MAX}
        minRows={3}
        error={local ?? server ?? undefined}
      />
      {error !== null && error !== undefined && !server && (
        <Alert color="red" role="alert" title="No se pudo guardar la decisión">
          {messageOf(error)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button type="submit" loading={pending} color={decision === 'REJECTED' ? 'red.8' : undefined}>
          {decision ? `${verb} justificación` : 'Guardar decisión'}
        </Button>
      </Group>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={`¿${verb} la justificación?`} centered>
        <Stack>
          <Text>
            {decision === 'APPROVED'
              ? 'Las inasistencias de la justificación quedarán como justificadas. La decisión no se puede cambiar.'
              : 'Las inasistencias quedarán como están y el aprendiz verá su nota. La decisión no se puede cambiar.'}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancelar
            </Button>
            <Button color={decision === 'REJECTED' ? 'red.8' : undefined} onClick={send}>
              {verb}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
