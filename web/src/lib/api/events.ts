// The user's live event stream: `events(since:)` over graphql-ws.
//
// - connection_init carries {authToken}; the token is fetched (and refreshed
//   if needed) for every (re)connection, so an expired token heals itself.
// - Reconnects forever with exponential backoff (1 s doubling to 30 s, plus
//   jitter), at once when the browser comes back online, reporting
//   'reconnecting' meanwhile for the UI's banner.
// - Resumes from the last cursor seen: graphql-ws re-sends a subscription's
//   payload object on every reconnect, so `since` is updated in place.
import { createClient, type Client } from 'graphql-ws/client';
import { EventsDocument } from './operations';
import { backoffWait } from './backoff';
import type { EventsSubscription } from '@/gql/graphql';

export type LiveEvent = EventsSubscription['events'];
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface EventStreamOptions {
  url: string;
  getToken: () => Promise<string>;
  onEvent: (event: LiveEvent) => void;
  onStatus: (status: ConnectionStatus) => void;
  /** The subscription was refused (e.g. UNAUTHENTICATED): the caller decides. */
  onRefused?: (error: unknown) => void;
  since?: string | null;
  /** For tests: a WebSocket implementation. */
  webSocketImpl?: unknown;
}

export function backoffMs(retries: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.min(retries, 5));
  return base + Math.floor(random() * 1_000);
}

const browserWindow = (): EventTarget | null => (typeof window !== 'undefined' ? window : null);

export class EventStream {
  private client: Client;
  private variables: { since: string | null };
  private dispose: (() => void) | null = null;
  private everConnected = false;
  private stopped = false;
  private status: ConnectionStatus = 'connecting';

  constructor(private readonly opts: EventStreamOptions) {
    this.variables = { since: opts.since ?? null };
    this.client = createClient({
      url: opts.url,
      lazy: false,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      retryWait: (retries) => backoffWait(backoffMs(retries), browserWindow()),
      keepAlive: 20_000,
      connectionParams: async () => ({ authToken: await opts.getToken() }),
      ...(opts.webSocketImpl ? { webSocketImpl: opts.webSocketImpl } : {}),
      on: {
        connected: () => {
          this.everConnected = true;
          this.setStatus('connected');
        },
        closed: () => {
          if (!this.stopped) this.setStatus(this.everConnected ? 'reconnecting' : 'connecting');
        },
      },
    });
    this.subscribe();
  }

  /** The cursor of the last event delivered. */
  get cursor(): string | null {
    return this.variables.since;
  }

  stop(): void {
    this.stopped = true;
    this.dispose?.();
    this.dispose = null;
    void this.client.dispose();
    this.setStatus('stopped');
  }

  private subscribe(): void {
    const payload = { query: EventsDocument.toString(), variables: this.variables };
    this.dispose = this.client.subscribe<{ events: LiveEvent }>(payload, {
      next: (result) => {
        const ev = result.data?.events;
        if (!ev) return;
        this.variables.since = ev.cursor;
        this.opts.onEvent(ev);
      },
      error: (err) => {
        if (this.stopped) return;
        this.opts.onRefused?.(err);
        // Try again later unless the owner stopped us meanwhile.
        setTimeout(() => { if (!this.stopped) this.subscribe(); }, backoffMs(2));
      },
      complete: () => {},
    });
  }

  private setStatus(s: ConnectionStatus): void {
    if (s === this.status) return;
    this.status = s;
    this.opts.onStatus(s);
  }
}
