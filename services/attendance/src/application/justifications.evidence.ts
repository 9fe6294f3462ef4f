/**
 * Justification errors (§8) and the evidence checks of §6.1 and R24: the type is decided by the first
 * bytes (never the name or the declared part type, which may only agree), the name is reduced to a safe
 * base name, and each file carries its sha256. Everything here runs before any transaction opens, so a
 * refused file writes nothing.
 */
import { createHash } from 'node:crypto';
import { AppError, errors } from '@sicora/platform/errors';

export const MAX_FILES = 3;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export const justificationErrors = {
  notFound: () => errors.notFound('JUSTIFICATION_NOT_FOUND', 'Justificación no encontrada'),
  evidenceNotFound: () => errors.notFound('EVIDENCE_NOT_FOUND', 'Archivo de soporte no encontrado'),
  notPending: () => errors.conflict('JUSTIFICATION_NOT_PENDING', 'La justificación ya fue revisada'),
  evidenceRequired: () => new AppError('EVIDENCE_REQUIRED', 'invalid', 'Adjunte al menos un archivo de soporte', { field: 'files' }),
  tooManyFiles: (max = MAX_FILES) => new AppError('TOO_MANY_FILES', 'invalid', `Se admiten como máximo ${MAX_FILES} archivos por justificación`, { field: 'files', max_files: max }),
  duplicateFile: (name: string) => new AppError('DUPLICATE_FILE', 'invalid', 'El mismo archivo se adjuntó dos veces', { field: 'files', file_name: name }),
  fileTooLarge: () => errors.payloadTooLarge('Cada archivo puede tener hasta 5 MiB y la solicitud hasta 16 MiB', { max_file_bytes: MAX_FILE_BYTES, max_bytes: MAX_REQUEST_BYTES }),
  unsupportedType: () => errors.unsupportedMediaType('Solo se admiten archivos PDF, JPEG o PNG'),
  lastFile: () => errors.conflict('LAST_EVIDENCE_FILE', 'La justificación debe conservar al menos un archivo'),
  notAbsent: () => errors.conflict('SESSION_NOT_ABSENT', 'Solo se justifican clases con inasistencia registrada'),
  deadlinePassed: () => errors.conflict('JUSTIFICATION_DEADLINE_PASSED', 'Ya pasó el plazo para justificar esta inasistencia'),
  tooFar: () => new AppError('ADVANCE_NOTICE_TOO_FAR', 'invalid', 'El aviso previo solo cubre clases de los próximos días permitidos', { field: 'sessions' }),
  mixedKinds: () => new AppError('JUSTIFICATION_MIXED_KINDS', 'invalid', 'No mezcle clases ya iniciadas con clases futuras', { field: 'sessions' }),
  alreadyCovered: () => errors.conflict('SESSION_ALREADY_COVERED', 'Una de las clases ya tiene una justificación activa'),
  resubmissionLimit: () => errors.conflict('RESUBMISSION_LIMIT_REACHED', 'Ya envió dos justificaciones para una de estas clases'),
  commentRequired: () => new AppError('REVIEW_COMMENT_REQUIRED', 'invalid', 'Explique el rechazo (10 a 1000 caracteres)', { field: 'comment' }),
};

export type EvidenceType = 'application/pdf' | 'image/jpeg' | 'image/png';

const EXTENSIONS: Record<EvidenceType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/** §6.1: the media type the first bytes show, or undefined. */
export function sniffType(bytes: Buffer): EvidenceType | undefined {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

/** Declared part types that say nothing (browsers send these for unknown files) or agree with the bytes. */
function declaredAgrees(declared: string, actual: EvidenceType): boolean {
  const d = declared.split(';')[0].trim().toLowerCase();
  if (d === '' || d === 'application/octet-stream') return true;
  if (actual === 'image/jpeg') return d === 'image/jpeg' || d === 'image/jpg' || d === 'image/pjpeg';
  return d === actual;
}

/** §6.1 name: base name only, no control or reserved characters, ≤120, `documento.<ext>` when empty. */
export function safeFileName(raw: string, type: EvidenceType): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g, '').trim();
  const cut = [...cleaned].slice(0, 120).join('').trim();
  return cut === '' ? `documento.${EXTENSIONS[type]}` : cut;
}

/** One uploaded file part as the route read it. */
export interface UploadedFile {
  filename: string;
  mimetype: string;
  bytes: Buffer;
}

export interface CheckedFile {
  fileName: string;
  mediaType: EvidenceType;
  sizeBytes: number;
  sha256: string;
  content: Buffer;
}

/**
 * R24 and §6.1 for the files of one request: 1–3 in all (with `existing` already stored), each non-empty
 * PDF/JPEG/PNG, no sha256 twice (also against `existingHashes`).
 */
export function checkFiles(files: UploadedFile[], existing: { count: number; hashes: string[] } = { count: 0, hashes: [] }): CheckedFile[] {
  if (files.length === 0) throw justificationErrors.evidenceRequired();
  if (files.length + existing.count > MAX_FILES) throw justificationErrors.tooManyFiles();
  const seen = new Set(existing.hashes);
  return files.map((f) => {
    if (f.bytes.length === 0) throw errors.validation([{ field: 'files', reason: 'empty', message: 'El archivo está vacío' }]);
    if (f.bytes.length > MAX_FILE_BYTES) throw justificationErrors.fileTooLarge();
    const type = sniffType(f.bytes);
    if (!type || !declaredAgrees(f.mimetype, type)) throw justificationErrors.unsupportedType();
    const sha256 = createHash('sha256').update(f.bytes).digest('hex');
    const fileName = safeFileName(f.filename, type);
    if (seen.has(sha256)) throw justificationErrors.duplicateFile(fileName);
    seen.add(sha256);
    return { fileName, mediaType: type, sizeBytes: f.bytes.length, sha256, content: f.bytes };
  });
}
