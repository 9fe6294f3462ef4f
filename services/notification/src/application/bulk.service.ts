/**
 * N2 (R7): each item is validated and stored on its own (own transaction and key); the answer lists
 * every item's outcome; all rejected → 422 BULK_VALIDATION_FAILED with the same list.
 */
import type { AuthUser } from '@sicora/platform/auth';
import { AppError, isAppError } from '@sicora/platform/errors';
import type { SendRequest } from '../domain/send-request.ts';
import type { SendService } from './send.service.ts';

export interface FieldError { field: string; reason: string; message: string }

export interface BulkItemResult { index: number; status: 'accepted' | 'replayed' | 'rejected'; notification_id?: string; error?: { code: string; message: string; details?: unknown } }

/**
 * `check` is N1's body validation applied to one item (its schema lives at the HTTP edge): the field
 * errors, or null for a well-formed request.
 */
export function createBulkService(d: { send: SendService; check: (item: unknown) => FieldError[] | null }) {
  return {
    async send(items: unknown[], user: AuthUser, requestId: string) {
      const results: BulkItemResult[] = [];
      for (const [index, item] of items.entries()) {
        const fields = d.check(item);
        if (fields) {
          results.push({ index, status: 'rejected', error: { code: 'VALIDATION_ERROR', message: 'Los datos enviados no son válidos', details: { fields } } });
          continue;
        }
        try {
          const out = await d.send.send(item as SendRequest, user, { requestId });
          results.push({ index, status: out.replayed ? 'replayed' : 'accepted', notification_id: out.notification.id });
        } catch (err) {
          // A database failure is the whole request's problem, not one item's: the producer retries.
          if (!isAppError(err) || err.kind === 'unavailable') throw err;
          results.push({ index, status: 'rejected', error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
        }
      }
      const count = (s: BulkItemResult['status']) => results.filter((r) => r.status === s).length;
      const summary = { accepted: count('accepted'), replayed: count('replayed'), rejected: count('rejected'), items: results };
      if (summary.rejected === results.length) throw new AppError('BULK_VALIDATION_FAILED', 'invalid', 'Ningún elemento del lote es válido', { items: results });
      return summary;
    },
  };
}

export type BulkService = ReturnType<typeof createBulkService>;
