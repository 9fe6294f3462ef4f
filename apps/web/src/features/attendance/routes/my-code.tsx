import { Alert, Anchor, Box, Button, Center, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { Empty, ErrorState, Loading } from '../../../components/states.tsx';
import { formatClock } from '../../../lib/dates.ts';
import { useMyClasses, type ClassItem } from '../api/attendance.ts';
import { useRotatingCode } from '../api/rotating-code.ts';
import { QrImage } from '../components/qr-image.tsx';

/** Keeps the screen on while the code is shown (Wake Lock API where the browser has it). */
function useWakeLock() {
  useEffect(() => {
    let lock: { release(): Promise<void> } | null = null;
    const nav = navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<{ release(): Promise<void> }> } };
    nav.wakeLock?.request('screen').then((l) => (lock = l)).catch(() => undefined);
    return () => void lock?.release().catch(() => undefined);
  }, []);
}

function CodeFor({ item }: { item: ClassItem }) {
  const state = useRotatingCode(item.schedule_id);
  const box = useRef<HTMLDivElement>(null);
  useWakeLock();

  if (state.kind === 'loading') return <Loading label="Generando su código…" />;
  if (state.kind === 'ended') {
    return (
      <Alert color={state.error.code === 'ATTENDANCE_ALREADY_RECORDED' ? 'sena' : 'yellow'} title="Código no disponible" role="status">
        {state.error.message}
      </Alert>
    );
  }
  const issued = state.kind === 'showing' ? state.issued : state.last;
  const wait = issued ? Math.max(3, issued.refresh_after_seconds) : 1;
  return (
    <Stack align="center" gap="sm" ref={box} bg="white" p="sm">
      <Text fw={700} ta="center">
        {item.subject} · {formatClock(item.start_time)} – {formatClock(item.end_time)}
      </Text>
      {state.kind === 'retrying' && (
        <Alert color="yellow" role="alert" w="100%">
          {state.error.display} Reintentando…
        </Alert>
      )}
      {issued && (
        <Box w="100%" maw={360} style={{ opacity: state.kind === 'retrying' ? 0.3 : 1 }}>
          <QrImage value={issued.code} />
        </Box>
      )}
      {state.kind === 'showing' && (
        <Box w="100%" maw={360}>
          <Progress value={(state.secondsLeft / wait) * 100} aria-label="Tiempo hasta el nuevo código" transitionDuration={1000} />
          <Text size="sm" ta="center" mt={4} aria-live="polite">
            Nuevo código en {state.secondsLeft} s
          </Text>
        </Box>
      )}
      <Text size="sm" c="dimmed" ta="center">
        Muestre este código al instructor. Cambia solo; no tome capturas de pantalla.
      </Text>
      <Button variant="light" onClick={() => void box.current?.requestFullscreen?.().catch(() => undefined)}>
        Pantalla completa
      </Button>
    </Stack>
  );
}

/** `/mi-codigo`: the personal rotating QR for the class in progress (attendance Q1). */
export default function MyCodePage() {
  const classes = useMyClasses();
  if (classes.isPending) return <Loading />;
  if (classes.isError) return <ErrorState error={classes.error} />;
  const current = classes.data.find((c) => c.can_request_code);
  return (
    <Stack maw={420} mx="auto">
      <Title order={1}>Mi código</Title>
      {current ? (
        <Paper withBorder p={0}>
          <CodeFor item={current} />
        </Paper>
      ) : (
        <Center>
          <Stack gap="xs">
            <Empty>No tiene una clase en curso para mostrar su código.</Empty>
            <Text size="sm" ta="center">
              Revise sus clases de hoy en el{' '}
              <Anchor component={Link} to="/">
                inicio
              </Anchor>
              .
            </Text>
          </Stack>
        </Center>
      )}
    </Stack>
  );
}
