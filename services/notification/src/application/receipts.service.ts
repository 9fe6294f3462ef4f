/**
 * W1 (R42): a provider's delivery receipt moves a sent message on — `delivered`, or `dead` when the
 * provider reports that it could not deliver it. Unknown message ids are ignored.
 */
import type { DeliveriesRepo } from '../infrastructure/deliveries.repo.ts';

export function createReceiptsService(d: { deliveries: Pick<DeliveriesRepo, 'applyReceipt'>; now: () => Date }) {
  return {
    apply: (providerMessageId: string, status: string, errorCode: string | null) => d.deliveries.applyReceipt(providerMessageId, status, errorCode, d.now()),
  };
}

export type ReceiptsService = ReturnType<typeof createReceiptsService>;
