import { describe, expect, it } from 'vitest';
import { safeOriginalName } from './files.ts';

describe('safeOriginalName (§6)', () => {
  it('when a name is longer than 255 characters, then the stem is cut and the extension kept', () => {
    const kept = safeOriginalName(`${'informe-final-'.repeat(25)}.pdf`);
    expect([...kept]).toHaveLength(255);
    expect(kept.endsWith('.pdf')).toBe(true);
  });

  it('when a name carries a path or control characters, then only its clean base name is kept', () => {
    expect(safeOriginalName('../../etc/avance\u0000.pdf')).toBe('avance.pdf');
    expect(safeOriginalName('C:\\datos\\entrega.zip')).toBe('entrega.zip');
    expect(safeOriginalName('\u0007 ')).toBe('archivo');
  });

  it('when a long name has no extension, then it is simply cut to 255', () => {
    expect([...safeOriginalName('x'.repeat(300))]).toHaveLength(255);
  });
});
