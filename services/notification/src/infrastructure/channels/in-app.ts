/**
 * The in-app channel: the inbox item and the delivery's `delivered` are written together by the inbox
 * repository (R28, R49); listeners of this process (I3's live streams) hear of the new item at once.
 */
import type { ChannelProvider, OutgoingMessage } from '../../application/ports.ts';
import type { InboxRepo } from '../inbox.repo.ts';

export function createInAppProvider(inbox: Pick<InboxRepo, 'deliver'>, now: () => Date, onItem?: (userId: string) => void): ChannelProvider {
  return {
    name: 'in_app',
    channel: 'in_app',
    async send(m: OutgoingMessage) {
      const id = await inbox.deliver({
        userId: m.user_id, notificationId: m.notification_id, deliveryId: m.delivery_id, type: m.type, category: m.category, priority: m.priority,
        title: m.subject ?? '', body: m.text, actionUrl: m.action_url, entityType: m.entity_type, entityId: m.entity_id,
      }, now());
      onItem?.(m.user_id);
      return { provider: 'in_app', provider_message_id: id };
    },
  };
}
