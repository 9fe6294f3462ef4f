import { describe, expect, it } from 'vitest';
import { AppError } from '@sicora/platform/errors';
import { draftNote } from './note.ts';

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('__name__ note rules', () => {
  it('when the title and body have surrounding spaces, then the draft keeps them trimmed', () => {
    expect(draftNote({ title: '  Acta de comité ', body: ' Puntos tratados \n' })).toEqual({ title: 'Acta de comité', body: 'Puntos tratados' });
  });

  it('when the body is omitted, then the draft has an empty body', () => {
    expect(draftNote({ title: 'Recordatorio' })).toEqual({ title: 'Recordatorio', body: '' });
  });

  it('when the title is only spaces, then VALIDATION_ERROR names the title', () => {
    const err = thrown(() => draftNote({ title: '   ' }));
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.details).toEqual({ fields: [expect.objectContaining({ field: 'title', reason: 'blank' })] });
  });
});
