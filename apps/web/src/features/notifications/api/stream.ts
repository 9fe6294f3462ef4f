/**
 * The inbox stream (notification I3) read with fetch, since EventSource cannot send the bearer header.
 * One stream per browser: the tab holding the `sicora-inbox-stream` lock reads it and relays `unread` to
 * the other tabs over a BroadcastChannel (notification R51 allows 3 streams per user). Reconnects with
 * back-off; after a 429 it polls I2 instead until the next attempt.
 */
export interface StreamEvent {
  event: string;
  data: string;
}

/** Splits an SSE byte stream into events; comments (`: ping`) and empty blocks are skipped. */
export function createSseParser(onEvent: (e: StreamEvent) => void) {
  let buffer = '';
  return (chunk: string) => {
    buffer += chunk.replace(/\r\n/g, '\n');
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent({ event, data: data.join('\n') });
      cut = buffer.indexOf('\n\n');
    }
  };
}

export interface InboxStreamDeps {
  fetch: (request: Request) => Promise<Response>;
  url: string;
  onUnread: (unread: number) => void;
  onItem: () => void;
  /** Called while the stream is refused (429) or down: the bell falls back to polling I2. */
  poll: () => void;
  signal: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

export async function runInboxStream(deps: InboxStreamDeps): Promise<void> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let backoff = 1_000;
  while (!deps.signal.aborted) {
    try {
      const response = await deps.fetch(new Request(deps.url, { headers: { accept: 'text/event-stream' }, signal: deps.signal }));
      if (response.ok && response.body) {
        backoff = 1_000;
        const parse = createSseParser((e) => {
          if (e.event === 'unread') deps.onUnread((JSON.parse(e.data) as { unread: number }).unread);
          else if (e.event === 'item') deps.onItem();
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parse(value);
        }
      } else if (response.status === 401 || response.status === 403) {
        return; // signed out or not allowed: the session decides what happens next
      } else {
        deps.poll();
        if (response.status === 429) backoff = Math.max(backoff, 30_000);
      }
    } catch {
      if (deps.signal.aborted) return;
      deps.poll();
    }
    await sleep(backoff);
    backoff = Math.min(backoff * 2, 60_000);
  }
}
