import { ActionIcon, Indicator, Tooltip } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect } from 'react';
import { useServices } from '../../../app/context.tsx';
import { inboxKeys, useUnreadCount } from '../api/inbox.ts';
import { runInboxStream } from '../api/stream.ts';

/** The bell with the unread count, live over I3 (one stream per browser, shared with the other tabs). */
export function NotificationBell() {
  const { authedFetch, baseUrl } = useServices();
  const qc = useQueryClient();
  const unread = useUnreadCount().data?.unread ?? 0;

  useEffect(() => {
    const abort = new AbortController();
    const channel = 'BroadcastChannel' in window ? new BroadcastChannel('sicora-inbox') : null;
    const setUnread = (n: number) => qc.setQueryData(inboxKeys.unread(), { unread: n });
    channel?.addEventListener('message', (e) => {
      const msg = e.data as { unread?: number; item?: boolean };
      if (typeof msg.unread === 'number') setUnread(msg.unread);
      if (msg.item) void qc.invalidateQueries({ queryKey: inboxKeys.all });
    });
    const run = () =>
      runInboxStream({
        fetch: authedFetch,
        url: `${baseUrl}/api/v1/notifications/inbox/stream`,
        signal: abort.signal,
        onUnread: (n) => {
          setUnread(n);
          channel?.postMessage({ unread: n });
        },
        onItem: () => {
          void qc.invalidateQueries({ queryKey: inboxKeys.all });
          channel?.postMessage({ item: true });
        },
        poll: () => void qc.invalidateQueries({ queryKey: inboxKeys.unread() }),
      });
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (locks) locks.request('sicora-inbox-stream', { signal: abort.signal }, run).catch(() => undefined);
    else void run();
    return () => {
      abort.abort();
      channel?.close();
    };
  }, [authedFetch, baseUrl, qc]);

  const label = unread === 0 ? 'Notificaciones, ninguna sin leer' : `Notificaciones, ${unread} sin leer`;
  return (
    <Tooltip label="Notificaciones">
      <Indicator label={unread > 99 ? '99+' : unread} size={18} color="red.8" disabled={unread === 0} offset={6}>
        <ActionIcon component={Link} to="/notificaciones" variant="subtle" color="white" size="lg" aria-label={label}>
          <IconBell aria-hidden />
        </ActionIcon>
      </Indicator>
    </Tooltip>
  );
}
