/**
 * SMS text (R38): GSM-7 only. Accented vowels lose their accent, other characters outside the GSM-7
 * alphabet become "?", at most 306 characters (2 segments); longer texts end in "...".
 */
const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENDED = '^{}\\[~]|€';
const STRIP: Record<string, string> = { á: 'a', í: 'i', ó: 'o', ú: 'u', Á: 'A', Í: 'I', Ó: 'O', Ú: 'U', '–': '-', '—': '-', '“': '"', '”': '"', '‘': "'", '’': "'" };
const MAX = 306;

/** GSM-7 length: extended characters take two septets. */
export function gsmLength(text: string): number {
  let n = 0;
  for (const ch of text) n += EXTENDED.includes(ch) ? 2 : 1;
  return n;
}

export function toGsm7(text: string): { text: string; truncated: boolean } {
  let out = '';
  for (const ch of text) {
    const c = STRIP[ch] ?? ch;
    out += BASIC.includes(c) || EXTENDED.includes(c) ? c : '?';
  }
  if (gsmLength(out) <= MAX) return { text: out, truncated: false };
  let cut = '';
  for (const ch of out) {
    if (gsmLength(cut + ch) > MAX - 3) break;
    cut += ch;
  }
  return { text: `${cut}...`, truncated: true };
}

/** Segments of a GSM-7 text: 160 in one, 153 each when concatenated. */
export function smsInfo(text: string): { encoding: 'GSM-7'; length: number; segments: number } {
  const length = gsmLength(text);
  return { encoding: 'GSM-7', length, segments: length <= 160 ? 1 : Math.ceil(length / 153) };
}
