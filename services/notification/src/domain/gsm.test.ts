import { describe, expect, it } from 'vitest';
import { gsmLength, smsInfo, toGsm7 } from './gsm.ts';

describe('GSM-7 SMS text (R38)', () => {
  it('when the text has Spanish accents, then á í ó ú lose them, ñ é ü stay, dashes and quotes become GSM-7', () => {
    expect(toGsm7('Inasistencia número 3 – día lúnes')).toEqual({ text: 'Inasistencia numero 3 - dia lunes', truncated: false });
    expect(toGsm7('ÁÍÓÚ ñÑ é ü “hola” ‘sí’').text).toBe('AIOU ñÑ é ü "hola" \'si\'');
  });

  it('when a character is outside GSM-7, then it becomes "?"', () => {
    expect(toGsm7('Alerta 🚨 ç ê').text).toBe('Alerta ? ? ?');
    expect(toGsm7('Ç').text).toBe('Ç');
  });

  it('when the text is longer than 306 septets, then it is cut to 303 plus "..." and flagged', () => {
    const long = toGsm7('a'.repeat(400));
    expect(long.truncated).toBe(true);
    expect(long.text).toHaveLength(306);
    expect(long.text.endsWith('...')).toBe(true);
    expect(toGsm7('a'.repeat(306))).toEqual({ text: 'a'.repeat(306), truncated: false });
    // Extended characters take two septets, so fewer of them fit.
    const ext = toGsm7('€'.repeat(200));
    expect(ext.truncated).toBe(true);
    expect(gsmLength(ext.text)).toBeLessThanOrEqual(306);
  });

  it('when segments are counted, then 160 fit in one and 153 per part beyond', () => {
    expect(smsInfo('a'.repeat(160))).toEqual({ encoding: 'GSM-7', length: 160, segments: 1 });
    expect(smsInfo('a'.repeat(161)).segments).toBe(2);
    expect(smsInfo('a'.repeat(306)).segments).toBe(2);
    expect(smsInfo('{}').length).toBe(4);
  });
});
