/** kb's notification producer (00-conventions §9): requests go to the outbox in the caller's transaction. */
import { createNotificationProducer } from '@sicora/platform/notify';
import { outbox } from './db/schema.ts';

export const notifications = createNotificationProducer({ service: 'kb', table: outbox });
