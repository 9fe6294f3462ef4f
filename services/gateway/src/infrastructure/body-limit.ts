/**
 * Request bodies on their way upstream: counted while streaming and cut at the limit (gateway.md R50),
 * or read into memory when small enough to replay on a retry (R28).
 */
import { Transform, type Readable } from 'node:stream';
import { proxyErrors } from '../core/proxy-errors.ts';

/** The AppError a cut body fails with; undici rejects the attempt with it, so it reaches the client as 413. */
export function limitStream(source: Readable, limitBytes: number): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limitBytes) callback(proxyErrors.payloadTooLarge(limitBytes));
      else callback(null, chunk);
    },
  });
  source.on('error', (err) => counter.destroy(err));
  return source.pipe(counter);
}

export async function readWhole(source: Readable, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of source as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > limitBytes) throw proxyErrors.payloadTooLarge(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
