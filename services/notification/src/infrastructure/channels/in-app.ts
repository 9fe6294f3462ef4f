/**
 * The in-app channel: writes the inbox item and marks the delivery `delivered` in one transaction
 * (R28, R49); the unique `delivery_id` makes a repeated send a no-op.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '@sicora/platform/db';
import type { ChannelProvider, OutgoingMessage } from '../../application/ports.ts';
import { deliveries, inboxItems } from '../db/schema.ts';

export function createInAppProvider(db: Db, now: () => Date, onItem?: (userId: string) => void): ChannelProvider {
  return {
    name: 'in_app',
    channel: 'in_app',
    async send(m: OutgoingMessage) {
      const at = now().toISOString();
      const id = await db.transaction(async (tx) => {
        await tx.insert(inboxItems).values({
          id: randomUUID(), userId: m.user_id, notificationId: m.notification_id, deliveryId: m.delivery_id, type: m.type, category: m.category, priority: m.priority,
          title: m.subject ?? '', body: m.text, actionUrl: m.action_url, entityType: m.entity_type, entityId: m.entity_id, createdAt: at,
        }).onConflictDoNothing();
        const [item] = await tx.select({ id: inboxItems.id }).from(inboxItems).where(eq(inboxItems.deliveryId, m.delivery_id));
        await tx.update(deliveries).set({ status: 'delivered', deliveredAt: at, inboxItemId: item.id, provider: 'in_app', leaseUntil: null, updatedAt: at })
          .where(and(eq(deliveries.id, m.delivery_id), eq(deliveries.status, 'sending')));
        return item.id;
      });
      onItem?.(m.user_id);
      return { provider: 'in_app', provider_message_id: id };
    },
  };
}
