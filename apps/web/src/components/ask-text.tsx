import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';

export interface AskTextRequest {
  title: string;
  label: string;
  description?: string;
  minLength: number;
  resolve: (value: string | null) => void;
}

/** A confirmation that needs a text (EXCUSED note, the reason for changing a closed roll). */
export function AskText({ request }: { request: AskTextRequest | null }) {
  const [value, setValue] = useState('');
  const close = (v: string | null) => {
    request?.resolve(v);
    setValue('');
  };
  return (
    <Modal opened={request !== null} onClose={() => close(null)} title={request?.title} centered>
      {request && (
        <Stack>
          {request.description && <Text size="sm">{request.description}</Text>}
          <Textarea label={request.label} value={value} onChange={(e) => setValue(e.currentTarget.value)} minRows={2} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => close(null)}>
              Cancelar
            </Button>
            <Button disabled={value.trim().length < request.minLength} onClick={() => close(value.trim())}>
              Aceptar
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

export function ConfirmModal({ request }: { request: { title: string; body: string; confirm: string; resolve: (ok: boolean) => void } | null }) {
  return (
    <Modal opened={request !== null} onClose={() => request?.resolve(false)} title={request?.title} centered>
      {request && (
        <Stack>
          <Text>{request.body}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => request.resolve(false)}>
              Cancelar
            </Button>
            <Button color="red.8" onClick={() => request.resolve(true)}>
              {request.confirm}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
