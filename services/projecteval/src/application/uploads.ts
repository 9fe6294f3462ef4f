/**
 * §6 uploads: each file is streamed to disk beside its destination while its size (per file and per
 * request) is counted, then its extension and first bytes are checked. Anything refused removes what
 * the request already staged.
 */
import { errors } from '@sicora/platform/errors';
import { isTextName, MAX_FILE_BYTES, mediaTypeOf, safeOriginalName } from '../domain/files.ts';
import type { Deps } from './context.ts';
import type { StagedFile } from './ports.ts';

export const tooLarge = (maxRequest: number) => errors.payloadTooLarge('Cada archivo puede tener hasta 25 MiB y la solicitud hasta 100 MiB', { max_file_bytes: MAX_FILE_BYTES, max_bytes: maxRequest });
export const unsupported = () => errors.unsupportedMediaType('Tipo de archivo no admitido: use PDF, documentos de oficina, texto, CSV, SQL, ZIP, PNG o JPEG cuyo contenido coincida con la extensión');

export interface UploadBatch {
  /** Streams one part to disk and checks it; throws 413/415 (the part is removed). */
  add(stream: AsyncIterable<Buffer> | NodeJS.ReadableStream, filename: string): Promise<StagedFile>;
  staged: StagedFile[];
  /** Removes every staged file of the request. */
  discard(): Promise<void>;
}

export function createUploads(deps: Pick<Deps, 'files'>) {
  return {
    batch(maxRequestBytes: number): UploadBatch {
      let total = 0;
      const staged: StagedFile[] = [];
      return {
        staged,
        async add(stream, filename) {
          let size = 0;
          const originalName = safeOriginalName(filename);
          const { staged: s, head, utf8Valid } = await deps.files.stage(
            stream,
            (n) => {
              size += n;
              total += n;
              if (size > MAX_FILE_BYTES || total > maxRequestBytes) throw tooLarge(maxRequestBytes);
            },
            isTextName(originalName),
          );
          const mimeType = mediaTypeOf(originalName, head, utf8Valid);
          if (!mimeType || s.sizeBytes === 0) {
            await deps.files.discard([s]);
            throw unsupported();
          }
          const file = { ...s, originalName, mimeType };
          staged.push(file);
          return file;
        },
        discard: () => deps.files.discard(staged),
      };
    },
  };
}

export type Uploads = ReturnType<typeof createUploads>;
