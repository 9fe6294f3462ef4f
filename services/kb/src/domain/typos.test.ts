import { describe, expect, it } from 'vitest';
import { correct, Vocabulary } from './typos.ts';

// Words and document frequencies as ts_stat gives them, with ties on purpose (same distance, same frequency).
const words = new Map<string, number>([
  ['inasistencia', 12], ['inasistencias', 9], ['justificacion', 7], ['justificar', 7], ['aprendiz', 20], ['aprendices', 11],
  ['contrasena', 4], ['contrasenas', 4], ['falta', 8], ['faltas', 8], ['salta', 8], ['qr', 30], ['del', 50], ['desercion', 3],
]);

describe('Vocabulary (typo corrections by length bucket, remembered)', () => {
  it('when words are corrected, then every answer equals correct() over the whole vocabulary, ties included', () => {
    const v = new Vocabulary(words);
    const typos = ['inacistencias', 'justificasion', 'aprendis', 'contrasea', 'falte', 'fslta', 'desersion', 'qrr', 'xyz', 'inasistencia', 'aprendicez', 'justificr'];
    for (const t of typos) expect(v.correct(t), t).toBe(correct(t, words));
    // Remembered: the same answer again.
    for (const t of typos) expect(v.correct(t), t).toBe(correct(t, words));
    expect(v.correct('falte')).toBe('falta');
    expect(v.correct('inasistencia')).toBeNull();
    expect(v.has('qr')).toBe(true);
  });
});
