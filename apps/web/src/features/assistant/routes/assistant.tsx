import { Alert, Anchor, Box, Button, Card, Grid, Group, Loader, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconArrowLeft, IconPlayerStop, IconPlus, IconSend } from '@tabler/icons-react';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ErrorState, Loading } from '../../../components/states.tsx';
import { ApiError, messageOf } from '../../../lib/errors.ts';
import { useAiStatus, useConversation, useCreateConversation, useSuggestions, type Message } from '../api/assistant.ts';
import { useAsk, type PendingAnswer } from '../api/use-ask.ts';
import { AnswerFeedback } from '../components/answer-feedback.tsx';
import { AnswerText, Citations, ModeBadges } from '../components/answer.tsx';
import { ConversationList } from '../components/conversation-list.tsx';

const MAX = 2000;

/**
 * `/asistente?c=` (web.md §4, ai §4.1): conversations and the chat. On a phone the list and the chat take
 * turns (the list when no conversation is open); from md up they sit side by side.
 */
export default function AssistantPage() {
  const { c } = useSearch({ strict: false }) as { c?: string };
  const navigate = useNavigate();
  const status = useAiStatus();
  const conversation = useConversation(c);
  const create = useCreateConversation();
  const { ask, stop, pending, error, notice } = useAsk();
  const [draft, setDraft] = useState('');
  const end = useRef<HTMLDivElement>(null);

  const open = (id?: string) => void navigate({ to: '/asistente', search: (id ? { c: id } : {}) as never });

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [pending?.text, pending?.question, conversation.data?.messages.length]);

  async function send(text: string) {
    const content = text.trim();
    if (!content || pending) return;
    setDraft('');
    let id = c;
    if (!id || conversation.data?.status === 'archived') {
      try {
        id = (await create.mutateAsync()).id;
      } catch {
        setDraft(content);
        return;
      }
      open(id);
    }
    const outcome = await ask(id, content);
    if (!outcome) setDraft(content);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void send(draft);
  }

  function onKey(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send(draft);
    }
  }

  const messages = c ? (conversation.data?.messages ?? []) : [];
  const showPending = pending && pending.conversationId === c ? pending : null;
  const sendError = error ?? create.error;
  const limits = status.data?.limits;

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="nowrap">
        <Title order={1}>Asistente</Title>
        <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => open()} disabled={!c}>
          Nueva
        </Button>
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4 }} display={c ? { base: 'none', md: 'block' } as never : undefined}>
          <ConversationList selected={c} onDeleted={(id) => id === c && open()} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }} style={{ order: c ? 0 : -1 }}>
          <Stack gap="sm">
            {c && (
              <Anchor component={Link} to="/asistente" hiddenFrom="md" size="sm">
                <Group gap={4}>
                  <IconArrowLeft size={16} aria-hidden />
                  Conversaciones
                </Group>
              </Anchor>
            )}
            {status.data?.answer_mode === 'extractive' && (
              <Text size="sm" c="dimmed">
                Las respuestas se arman con fragmentos de la base de conocimiento (no hay un modelo de lenguaje disponible) y citan los artículos de donde salen.
              </Text>
            )}
            {c && conversation.isPending ? (
              <Loading />
            ) : c && conversation.isError ? (
              <ErrorState error={conversation.error} title="No se pudo abrir la conversación" />
            ) : (
              <Stack gap="sm" aria-live="polite" aria-busy={Boolean(showPending)}>
                {c && conversation.data && (
                  <Title order={2} size="h4">
                    {conversation.data.title}
                  </Title>
                )}
                {conversation.data?.has_more_messages && c && (
                  <Text size="xs" c="dimmed">
                    Se muestran los últimos 50 mensajes.
                  </Text>
                )}
                {messages.map((m) => (m.role === 'user' ? <Question key={m.id} text={m.content} /> : <Answer key={m.id} conversationId={c!} message={m} />))}
                {showPending && <PendingView pending={showPending} />}
                {!c && !pending && <Suggestions onPick={(q) => void send(q)} />}
              </Stack>
            )}
            <div ref={end} />
            {notice && (
              <Alert color="yellow" variant="light">
                {notice}
              </Alert>
            )}
            {sendError !== null && sendError !== undefined && (
              <Alert color="red" role="alert" title={sendError instanceof ApiError && sendError.status === 429 ? 'Demasiadas preguntas seguidas' : 'No se pudo enviar la pregunta'}>
                {messageOf(sendError)}
              </Alert>
            )}
            {conversation.data?.status === 'archived' && c && (
              <Text size="sm" c="dimmed">
                Esta conversación está archivada: su próxima pregunta abrirá una nueva.
              </Text>
            )}
            <form onSubmit={submit}>
              <Stack gap={6}>
                <Textarea
                  label="Su pregunta"
                  placeholder="Por ejemplo: ¿cuántos días tengo para justificar una falta?"
                  value={draft}
                  onChange={(e) => setDraft(e.currentTarget.value)}
                  onKeyDown={onKey}
                  maxLength={MAX}
                  autosize
                  minRows={2}
                  maxRows={6}
                  description={`${draft.length}/${MAX}${limits ? ` · le quedan ${limits.remaining_today} preguntas hoy` : ''}`}
                />
                <Group justify="flex-end">
                  {pending ? (
                    <Button variant="default" leftSection={<IconPlayerStop size={16} aria-hidden />} onClick={stop}>
                      Detener
                    </Button>
                  ) : (
                    <Button type="submit" leftSection={<IconSend size={16} aria-hidden />} disabled={!draft.trim()} loading={create.isPending}>
                      Enviar
                    </Button>
                  )}
                </Group>
              </Stack>
            </form>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function Question({ text }: { text: string }) {
  return (
    <Box style={{ alignSelf: 'flex-end', maxWidth: '85%' }} data-role="question">
      <Card padding="xs" radius="md" bg="sena.0" withBorder>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          <span className="visually-hidden">Usted: </span>
          {text}
        </Text>
      </Card>
    </Box>
  );
}

function Answer({ conversationId, message }: { conversationId: string; message: Message }) {
  return (
    <Card padding="sm" radius="md" withBorder data-role="answer" data-mode={message.answer_mode ?? undefined} style={{ maxWidth: '100%' }}>
      <Stack gap="xs">
        <ModeBadges mode={message.answer_mode} status={message.status} fallback={message.fallback_reason} />
        <AnswerText content={message.content} citations={message.citations} />
        <Citations citations={message.citations} />
        <AnswerFeedback conversationId={conversationId} message={message} />
      </Stack>
    </Card>
  );
}

function PendingView({ pending }: { pending: PendingAnswer }) {
  const citations = pending.meta?.context ?? [];
  return (
    <>
      <Question text={pending.question} />
      <Card padding="sm" radius="md" withBorder data-role="answer-pending">
        <Stack gap="xs">
          {pending.meta && <ModeBadges mode={pending.meta.answer_mode} fallback={pending.meta.fallback_reason} />}
          {pending.text ? (
            <AnswerText content={pending.text} citations={citations} />
          ) : (
            <Group gap="xs">
              <Loader size="xs" aria-hidden />
              <Text size="sm" c="dimmed">
                Buscando en la base de conocimiento…
              </Text>
            </Group>
          )}
        </Stack>
      </Card>
    </>
  );
}

function Suggestions({ onPick }: { onPick: (q: string) => void }) {
  const suggestions = useSuggestions();
  if (!suggestions.data?.questions.length) return null;
  return (
    <Stack gap={6} component="section" aria-label="Preguntas sugeridas">
      <Text size="sm" fw={600}>
        Puede empezar con una de estas preguntas
      </Text>
      <Stack gap={6}>
        {suggestions.data.questions.map((q) => (
          <Button key={q} variant="default" justify="flex-start" onClick={() => onPick(q)} styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }} h="auto" py={8}>
            {q}
          </Button>
        ))}
      </Stack>
    </Stack>
  );
}
