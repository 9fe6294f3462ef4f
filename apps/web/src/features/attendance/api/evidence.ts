/**
 * Evidence files before J1 (web.md §4): PDF, JPEG or PNG up to 5 MiB each. Phone photos (HEIC included,
 * where the browser can decode them) are redrawn as JPEG no larger than 2000 px, which also brings a 12 MP
 * photo well under the limit. A file the browser cannot decode goes as it is and the server decides.
 */
export const MAX_FILES = 3;
export const MAX_BYTES = 5 * 1024 * 1024;
const MAX_SIDE = 2000;
const ACCEPTED = ['application/pdf', 'image/jpeg', 'image/png'];

export function needsConversion(file: File): boolean {
  if (file.type === 'application/pdf') return false;
  const heic = /\.(heic|heif)$/i.test(file.name) || /heic|heif/.test(file.type);
  return heic || (file.type.startsWith('image/') && (file.size > 1024 * 1024 || !ACCEPTED.includes(file.type)));
}

export async function prepareEvidence(file: File): Promise<File> {
  if (!needsConversion(file)) return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!blob) return file;
    return new File([blob], file.name.replace(/\.[^.]+$/, '') + '.jpg', { type: 'image/jpeg' });
  } catch {
    return file;
  }
}

/** Spanish reason a chosen file will be refused, or null. */
export function evidenceProblem(file: File): string | null {
  if (!ACCEPTED.includes(file.type)) return `${file.name}: solo se aceptan PDF, JPEG o PNG.`;
  if (file.size > MAX_BYTES) return `${file.name}: supera 5 MB.`;
  return null;
}
