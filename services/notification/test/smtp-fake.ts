/**
 * A real SMTP server for tests (smtp-server on 127.0.0.1, port 0) whose answers the test scripts,
 * with every accepted message parsed by mailparser.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface SmtpFake {
  url: string;
  received: Array<{ mail: ParsedMail; rcpt: string[] }>;
  /** Codes to answer RCPT TO with, consumed in order (then 250). */
  rcptReplies: number[];
  close(): Promise<void>;
}

export async function startSmtpFake(): Promise<SmtpFake> {
  const fake = { received: [], rcptReplies: [] } as unknown as SmtpFake;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
    onRcptTo(address, _session, callback) {
      const code = fake.rcptReplies.shift();
      if (code && code >= 400) {
        const err = new Error(code >= 500 ? 'Buzón no disponible' : 'Intente más tarde') as Error & { responseCode: number };
        err.responseCode = code;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        fake.received.push({ mail, rcpt: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  fake.url = `smtp://127.0.0.1:${port}`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}
