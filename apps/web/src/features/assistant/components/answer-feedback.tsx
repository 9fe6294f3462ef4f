import { Button, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { IconThumbDown, IconThumbUp } from '@tabler/icons-react';
import { useState } from 'react';
import { messageOf } from '../../../lib/errors.ts';
import { FEEDBACK_REASONS, useAnswerFeedback, type Message } from '../api/assistant.ts';

/** ai R20 per answer: "Sí" at once; "No" asks the reason (required) and an optional comment. */
export function AnswerFeedback({ conversationId, message }: { conversationId: string; message: Message }) {
  const save = useAnswerFeedback(conversationId);
  const current = message.feedback;
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState<string | null>(current?.reason ?? null);
  const [comment, setComment] = useState(current?.comment ?? '');

  const send = (helpful: boolean) =>
    save.mutate({ messageId: message.id, helpful, reason: helpful ? null : reason, comment: helpful ? null : comment }, { onSuccess: () => setAsking(false) });

  return (
    <Stack gap={6}>
      <Group gap={6}>
        <Text size="xs" c="dimmed">
          ¿Le sirvió?
        </Text>
        <Button size="compact-xs" variant={current?.helpful === true ? 'filled' : 'default'} aria-pressed={current?.helpful === true} leftSection={<IconThumbUp size={14} aria-hidden />} onClick={() => send(true)} loading={save.isPending && !asking}>
          Sí
        </Button>
        <Button size="compact-xs" variant={current?.helpful === false ? 'filled' : 'default'} aria-pressed={current?.helpful === false} leftSection={<IconThumbDown size={14} aria-hidden />} onClick={() => setAsking(true)}>
          No
        </Button>
        {current && !asking && (
          <Text size="xs" c="dimmed">
            Gracias por su opinión.
          </Text>
        )}
      </Group>
      {asking && (
        <Stack gap={6}>
          <Select label="¿Qué faltó?" data={FEEDBACK_REASONS.map((r) => ({ ...r }))} value={reason} onChange={setReason} size="xs" allowDeselect={false} required />
          <Textarea label="Comentario (opcional)" value={comment} onChange={(e) => setComment(e.currentTarget.value)} maxLength={1000} size="xs" autosize minRows={2} />
          <Group gap={6}>
            <Button size="compact-sm" disabled={!reason} onClick={() => send(false)} loading={save.isPending}>
              Enviar opinión
            </Button>
            <Button size="compact-sm" variant="subtle" onClick={() => setAsking(false)}>
              Cancelar
            </Button>
          </Group>
        </Stack>
      )}
      {save.isError && (
        <Text size="xs" c="red.8" role="alert">
          {messageOf(save.error)}
        </Text>
      )}
    </Stack>
  );
}
