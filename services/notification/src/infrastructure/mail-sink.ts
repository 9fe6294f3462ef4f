/**
 * The local mail sink of the embedded default (R41): an SMTP server on 127.0.0.1 that receives through
 * the real SMTP adapter and keeps each message as SICORA_DATA_DIR/mail/<YYYY-MM-DD>/<delivery_id>.eml
 * (7 days), so e-mails such as reset links are visible in a demo without any mail server.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { localParts } from '../domain/rules.ts';

export interface SinkEntry { id: string; to: string; subject: string; received_at: string; size_bytes: number }

/** RFC 2047 encoded words (Q and B) in a header value. */
export function decodeHeader(value: string): string {
  return value.replace(/\r?\n[ \t]+/g, ' ').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=\s*(?==\?)|=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (...m) => {
    const [enc, text] = m[2] ? [m[2], m[3]] : [m[5], m[6]];
    const bytes = enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_s: string, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return bytes.toString('utf8');
  });
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0];
  const m = new RegExp(`^${name}:([^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*)`, 'im').exec(head);
  return m ? decodeHeader(m[1].trim()) : '';
}

export interface MailSink { url: string; list(): SinkEntry[]; read(id: string): Buffer | null; prune(at: Date): number; close(): Promise<void> }

/**
 * R41/R59: removes the sink's day folders (local dates) older than 7 days before `at`; at start and from
 * the daily retention job. Returns how many day folders went.
 */
export function pruneMailSink(root: string, at: Date, timezone: string): number {
  if (!existsSync(root)) return 0;
  const cutoff = localParts(new Date(at.getTime() - 7 * 86_400_000), timezone).date;
  let removed = 0;
  for (const day of readdirSync(root)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day >= cutoff) continue;
    rmSync(join(root, day), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

export async function startMailSink(opts: { dataDir: string; port: number; timezone: string; now: () => Date }): Promise<MailSink> {
  const root = join(opts.dataDir, 'mail');
  mkdirSync(root, { recursive: true });
  pruneMailSink(root, opts.now(), opts.timezone);

  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, size: 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const id = /<([0-9a-f-]{36})@sicora>/i.exec(header(raw.toString('utf8'), 'Message-ID'))?.[1] ?? `sin-id-${Date.now()}`;
        const dir = join(root, localParts(opts.now(), opts.timezone).date);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, `${id}.eml`), raw);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;

  const files = () => readdirSync(root).flatMap((day) => readdirSync(join(root, day)).filter((f) => f.endsWith('.eml')).map((f) => join(root, day, f)));
  return {
    url: `smtp://127.0.0.1:${port}`,
    list() {
      return files().map((path) => {
        const raw = readFileSync(path, 'utf8');
        const st = statSync(path);
        return { id: path.split('/').pop()!.replace(/\.eml$/, ''), to: header(raw, 'To'), subject: header(raw, 'Subject'), received_at: st.mtime.toISOString(), size_bytes: st.size };
      }).sort((a, b) => b.received_at.localeCompare(a.received_at));
    },
    read(id) {
      const path = files().find((f) => f.endsWith(`/${id}.eml`));
      return path ? readFileSync(path) : null;
    },
    prune: (at) => pruneMailSink(root, at, opts.timezone),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
