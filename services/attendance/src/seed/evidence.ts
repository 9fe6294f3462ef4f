/**
 * The demo evidence of §11: a one-page PDF with the text "Documento de demostración — SICORA" and a small
 * PNG, generated (nothing binary is committed). Both start with the magic bytes §6.1 checks.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** A one-page PDF 1.4 (Helvetica, WinAnsi) with a correct cross-reference table. */
export function demoPdf(title: string): Buffer {
  // Latin-1 letters as octal escapes (WinAnsi agrees with Latin-1 there); the em dash is WinAnsi 0x97.
  const text = (s: string) =>
    s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[\u00a0-\u00ff—]/g, (c) => `\\${(c === '—' ? 0x97 : c.charCodeAt(0)).toString(8)}`);
  const stream = [
    'BT /F1 18 Tf 72 720 Td (' + text('Documento de demostración — SICORA') + ') Tj ET',
    'BT /F1 12 Tf 72 690 Td (' + text(title) + ') Tj ET',
    'BT /F1 10 Tf 72 660 Td (' + text('Este archivo acompaña los datos de demostración de asistencia.') + ') Tj ET',
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 32 × 32 RGB PNG: a light page with a darker band, enough to be a valid image. */
export function demoPng(): Buffer {
  const size = 32;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const band = y >= 4 && y < 8 && x >= 4 && x < 28;
      row.set(band ? [0x39, 0xa9, 0x00] : [0xf4, 0xf4, 0xf4], 1 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

export const sha256Hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');
