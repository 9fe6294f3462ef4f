/**
 * §6 upload rules: allowed extensions, the content each must show in its first bytes, and the safe
 * original name kept for downloads. Pure: the bytes come from the stream that stored them.
 */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_SUBMISSION_BYTES = 100 * 1024 * 1024;
export const MAX_SUBMISSION_FILES = 5;

type Kind = 'pdf' | 'zip' | 'ole' | 'png' | 'jpeg' | 'text';

const TYPES: Record<string, { kind: Kind; mime: string }> = {
  pdf: { kind: 'pdf', mime: 'application/pdf' },
  doc: { kind: 'ole', mime: 'application/msword' },
  docx: { kind: 'zip', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  odt: { kind: 'zip', mime: 'application/vnd.oasis.opendocument.text' },
  txt: { kind: 'text', mime: 'text/plain; charset=utf-8' },
  md: { kind: 'text', mime: 'text/markdown; charset=utf-8' },
  ppt: { kind: 'ole', mime: 'application/vnd.ms-powerpoint' },
  pptx: { kind: 'zip', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  odp: { kind: 'zip', mime: 'application/vnd.oasis.opendocument.presentation' },
  xls: { kind: 'ole', mime: 'application/vnd.ms-excel' },
  xlsx: { kind: 'zip', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  ods: { kind: 'zip', mime: 'application/vnd.oasis.opendocument.spreadsheet' },
  csv: { kind: 'text', mime: 'text/csv; charset=utf-8' },
  sql: { kind: 'text', mime: 'application/sql; charset=utf-8' },
  zip: { kind: 'zip', mime: 'application/zip' },
  png: { kind: 'png', mime: 'image/png' },
  jpg: { kind: 'jpeg', mime: 'image/jpeg' },
  jpeg: { kind: 'jpeg', mime: 'image/jpeg' },
};

export const ALLOWED_EXTENSIONS = Object.keys(TYPES);

export function extensionOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? '' : name.slice(i + 1).toLowerCase();
}

const starts = (head: Buffer, bytes: number[]) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);

/** Whether the name's type is checked as UTF-8 text (§6). */
export function isTextName(name: string): boolean {
  return TYPES[extensionOf(name)]?.kind === 'text';
}

/** The stored media type when the name's extension is allowed and the content matches it; else undefined (415). */
export function mediaTypeOf(name: string, head: Buffer, utf8Valid: boolean): string | undefined {
  const t = TYPES[extensionOf(name)];
  if (!t) return undefined;
  const ok =
    t.kind === 'pdf' ? head.subarray(0, 4).toString('latin1') === '%PDF'
    : t.kind === 'zip' ? starts(head, [0x50, 0x4b, 0x03, 0x04])
    : t.kind === 'ole' ? starts(head, [0xd0, 0xcf, 0x11, 0xe0])
    : t.kind === 'png' ? starts(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    : t.kind === 'jpeg' ? starts(head, [0xff, 0xd8, 0xff])
    : utf8Valid;
  return ok ? t.mime : undefined;
}

/**
 * §6: ≤ 255 characters, path separators and control characters removed. A longer name is shortened in its
 * stem, so the extension (which, with the content, decides the type) survives the cut.
 */
export function safeOriginalName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = [...base.replace(/[\u0000-\u001f\u007f]/g, '').trim()];
  if (cleaned.length === 0) return 'archivo';
  if (cleaned.length <= 255) return cleaned.join('');
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : [];
  return [...cleaned.slice(0, 255 - ext.length), ...ext].join('');
}

/** `yyyy/mm/<id>` under the files root (§6). */
export function storageKeyFor(id: string, at: Date): string {
  return `${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
}
