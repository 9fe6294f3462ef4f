import { Alert, Box, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { createScanQueue, type ScanAnswer, type ScanResult } from '../api/scan-queue.ts';
import type { RosterRow } from '../api/roll.ts';
import { ScanBanner } from './scan-banner.tsx';

/** A short beep and a vibration per outcome, so the instructor can keep eyes on the apprentice. */
function signal(ok: boolean) {
  try {
    navigator.vibrate?.(ok ? 80 : [80, 60, 80]);
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = ok ? 880 : 220;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.12);
    osc.onended = () => void ctx.close();
  } catch {
    // no audio: the banner is enough
  }
}

export interface ScannerProps {
  send: (code: string) => Promise<ScanAnswer>;
  roster: RosterRow[];
  /** The manual fallback: mark one apprentice present by document number (RL4). */
  markPresent: (row: RosterRow) => Promise<unknown>;
  /** Injected in tests; the real camera otherwise. */
  startCamera?: (video: HTMLVideoElement, onCode: (code: string) => void) => Promise<() => void>;
}

async function realCamera(video: HTMLVideoElement, onCode: (code: string) => void): Promise<() => void> {
  const { default: QrScanner } = await import('qr-scanner');
  const scanner = new QrScanner(video, (result) => onCode(result.data), { preferredCamera: 'environment', maxScansPerSecond: 5, returnDetailedScanResult: true });
  try {
    await scanner.start();
  } catch (err) {
    scanner.destroy();
    throw err;
  }
  return () => {
    scanner.stop();
    scanner.destroy();
  };
}

let cameraTurn: Promise<unknown> = Promise.resolve();

/** The "Escanear" mode (attendance Q2): camera, one banner per scan, pending sends, and the manual fallback. */
export function Scanner({ send, roster, markPresent, startCamera = realCamera }: ScannerProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [last, setLast] = useState<ScanResult | null>(null);
  const [pending, setPending] = useState(0);
  const [cameraProblem, setCameraProblem] = useState<string | null>(null);
  const [doc, setDoc] = useState('');
  const [manual, setManual] = useState<string | null>(null);

  // The page re-renders on every roll refresh with a new `send`: the queue (and the camera bound to it)
  // is made once and reads the latest `send` through a ref, so the camera never restarts mid-class.
  const sendRef = useRef(send);
  sendRef.current = send;
  const queue = useMemo(
    () =>
      createScanQueue({
        send: (code) => sendRef.current(code),
        onResult: (result) => {
          setLast(result);
          if (result.kind === 'accepted') signal(true);
          else if (result.kind !== 'retrying') signal(false);
        },
      }),
    [],
  );

  useEffect(() => {
    const id = setInterval(() => setPending(queue.pendingCount()), 500);
    return () => clearInterval(id);
  }, [queue]);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    if (!window.isSecureContext) {
      setCameraProblem('La cámara necesita una conexión segura (HTTPS o localhost). Use el registro manual.');
      return;
    }
    if (!video.current) return;
    const element = video.current;
    const onCode = (code: string) => {
      queue.submit(code);
      setPending(queue.pendingCount());
    };
    // A start can be cut short by another one on the same video (a quick remount): AbortError is tried again.
    const begin = async (attempt: number): Promise<void> => {
      try {
        const s = await startCamera(element, onCode);
        if (cancelled) s();
        else stop = s;
      } catch (err) {
        // A start interrupted by this effect's own clean-up (the view left, or started again) is no problem.
        if (cancelled) return;
        const name = (err as { name?: string })?.name ?? String(err);
        if (name === 'AbortError' && attempt < 4) {
          await new Promise((r) => setTimeout(r, 300 * attempt));
          return begin(attempt + 1);
        }
        console.warn('scanner: camera did not start', name, err);
        setCameraProblem(
          name === 'NotAllowedError'
            ? 'El navegador no dio permiso para usar la cámara. Actívelo en la configuración del sitio o use el registro manual.'
            : name === 'NotFoundError' || String(err).includes('Camera not found')
              ? 'No se encontró una cámara en este equipo. Use el registro manual.'
              : 'No se pudo abrir la cámara. Revise el permiso del navegador o use el registro manual.',
        );
      }
    };
    // One camera start at a time: a start still running when the view restarts (React's development
    // double effects, a quick remount) finishes and stops before the next one opens the camera.
    const run = cameraTurn.then(() => (cancelled ? undefined : begin(1)));
    cameraTurn = run.catch(() => undefined);
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [queue, startCamera]);

  async function submitManual(event: FormEvent) {
    event.preventDefault();
    const wanted = doc.replace(/\D/g, '');
    const row = roster.find((r) => r.document_number === wanted);
    if (!row) {
      setManual('Ningún aprendiz de esta ficha tiene ese documento.');
      return;
    }
    try {
      await markPresent(row);
      setManual(`${row.full_name} quedó presente.`);
      setDoc('');
    } catch (err) {
      setManual(err instanceof Error ? err.message : 'No se pudo marcar.');
    }
  }

  return (
    <Stack>
      {cameraProblem ? (
        <Alert color="yellow" role="alert">
          {cameraProblem}
        </Alert>
      ) : (
        <Box bg="dark.9" style={{ borderRadius: 8, overflow: 'hidden' }}>
          <video ref={video} muted playsInline style={{ width: '100%', maxHeight: '50vh', display: 'block' }} aria-label="Vista de la cámara para escanear códigos" />
        </Box>
      )}
      <div aria-live="assertive">{last && <ScanBanner result={last} />}</div>
      {pending > 0 && (
        <Text size="sm" role="status">
          {pending === 1 ? '1 lectura pendiente de envío' : `${pending} lecturas pendientes de envío`}
        </Text>
      )}
      <form onSubmit={submitManual} noValidate>
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            label="Registro manual por documento"
            inputMode="numeric"
            value={doc}
            onChange={(e) => setDoc(e.currentTarget.value)}
            style={{ flex: 1 }}
            description={manual ?? 'Si el código no se lee, escriba el documento del aprendiz'}
          />
          <Button type="submit" disabled={!doc}>
            Marcar presente
          </Button>
        </Group>
      </form>
    </Stack>
  );
}
