/**
 * §6 storage on disk: `<data dir>/projecteval/files/<yyyy>/<mm>/<stored_file_id>`, outside any web root,
 * named by id only. An upload is streamed to `<final path>.part-<random>` beside its destination (same
 * file system, so the final rename is atomic), hashed and measured while it arrives, and moved into
 * place only after its rows committed; a refused request's parts are removed.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import type { FileStore, StagedFile } from '../application/ports.ts';
import { storageKeyFor } from '../domain/files.ts';

export interface StageResult {
  staged: Omit<StagedFile, 'mimeType' | 'originalName'>;
  head: Buffer;
  utf8Valid: boolean;
}

export function createFileStore(root: string, now: () => Date): FileStore {
  const pathOf = (key: string) => join(root, key);
  return {
    async stage(input, onChunk, checkUtf8 = true) {
      const id = randomUUID();
      const storageKey = storageKeyFor(id, now());
      const finalPath = pathOf(storageKey);
      await mkdir(dirname(finalPath), { recursive: true });
      const tempPath = `${finalPath}.part-${randomBytes(6).toString('hex')}`;
      const out = createWriteStream(tempPath);
      const hash = createHash('sha256');
      const decoder = new TextDecoder('utf-8', { fatal: true });
      // Only text types need the UTF-8 check (§6); binary uploads skip the decoding work.
      let utf8Valid = checkUtf8;
      let size = 0;
      const headChunks: Buffer[] = [];
      let headLen = 0;
      try {
        for await (const chunk of input as AsyncIterable<Buffer>) {
          onChunk(chunk.length);
          size += chunk.length;
          hash.update(chunk);
          if (headLen < 16) {
            headChunks.push(chunk);
            headLen += chunk.length;
          }
          if (utf8Valid) {
            try {
              decoder.decode(chunk, { stream: true });
            } catch {
              utf8Valid = false;
            }
          }
          // Backpressure: the request stream waits while the disk catches up, so memory stays flat.
          if (!out.write(chunk)) await once(out, 'drain');
        }
        if (utf8Valid && checkUtf8) {
          try {
            decoder.decode();
          } catch {
            utf8Valid = false;
          }
        }
        out.end();
        await once(out, 'finish');
      } catch (err) {
        // The stream opens its file asynchronously: a refusal on the first chunk can come before the open,
        // which would then create the file after it was removed. Wait for the close, then remove.
        const closed = out.closed ? Promise.resolve() : once(out, 'close').then(() => undefined, () => undefined);
        out.destroy();
        await closed;
        await rm(tempPath, { force: true });
        throw err;
      }
      return { staged: { id, tempPath, storageKey, sizeBytes: size, sha256: hash.digest('hex') }, head: Buffer.concat(headChunks).subarray(0, 16), utf8Valid };
    },
    async commit(files: StagedFile[]) {
      for (const f of files) await rename(f.tempPath, pathOf(f.storageKey));
    },
    async discard(files: Array<Pick<StagedFile, 'tempPath'>>) {
      await Promise.all(files.map((f) => rm(f.tempPath, { force: true })));
    },
    async remove(keys: string[]) {
      await Promise.all(keys.map((k) => rm(pathOf(k), { force: true })));
    },
    open(key: string) {
      const p = pathOf(key);
      return existsSync(p) ? createReadStream(p) : undefined;
    },
  };
}
