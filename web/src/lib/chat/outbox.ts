// Messages written on this device wait here until the server has stored
// them. One is in flight at a time, in the order written, so they keep their
// order in the conversation. A network failure keeps the message queued and
// retries with backoff (and at once when the browser comes back online); a
// refusal (too long, not a member, ...) marks it failed for the user to
// retry or discard. Retries reuse the message's clientId, which the server
// deduplicates: a message is never stored twice, even when the first
// attempt's answer was lost. The queue is persisted (OutboxStorage) so a
// reload or a restart while offline keeps it.
import { ApiError, humanMessage } from '@/lib/api/errors';
import type { Message, PendingMessage } from './types';

export interface OutboxStorage {
  load(): PendingMessage[];
  save(list: PendingMessage[]): void;
}

export function memoryOutboxStorage(initial: PendingMessage[] = []): OutboxStorage & { list: PendingMessage[] } {
  const s = { list: initial, load: () => s.list.slice(), save: (l: PendingMessage[]) => { s.list = l.slice(); } };
  return s;
}

export function localOutboxStorage(key: string): OutboxStorage {
  return {
    load: () => {
      try {
        const raw = window.localStorage.getItem(key);
        const parsed = raw ? (JSON.parse(raw) as PendingMessage[]) : [];
        return Array.isArray(parsed) ? parsed : [];
      } catch { return []; }
    },
    save: (list) => {
      try {
        if (list.length) window.localStorage.setItem(key, JSON.stringify(list));
        else window.localStorage.removeItem(key);
      } catch { /* quota or disabled storage: the queue lives in memory only */ }
    },
  };
}

export interface OutboxListener {
  /** The server stored it (answer of sendMessage). */
  sent(message: Message, pending: PendingMessage): void;
  /** The queue changed (enqueue, state change, removal). */
  changed(list: readonly PendingMessage[]): void;
}

export interface Timer {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(h: unknown): void;
}

const realTimer: Timer = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function retryDelay(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
}

export class Outbox {
  private list: PendingMessage[];
  private running = false;
  private online = true;
  private attempt = 0;
  private timer: unknown = null;

  constructor(
    private readonly send: (p: PendingMessage) => Promise<Message>,
    private readonly storage: OutboxStorage,
    private readonly listener: OutboxListener,
    private readonly timer_: Timer = realTimer,
  ) {
    this.list = storage.load();
  }

  get pending(): readonly PendingMessage[] {
    return this.list;
  }

  enqueue(p: PendingMessage): void {
    if (this.list.some((x) => x.clientId === p.clientId)) return;
    this.update([...this.list, { ...p, state: 'queued', error: undefined }]);
    this.kick();
  }

  retry(clientId: string): void {
    this.update(this.list.map((p) => (p.clientId === clientId ? { ...p, state: 'queued' as const, error: undefined } : p)));
    this.attempt = 0;
    this.kick();
  }

  discard(clientId: string): void {
    this.update(this.list.filter((p) => p.clientId !== clientId));
  }

  setOnline(online: boolean): void {
    this.online = online;
    if (online) {
      this.attempt = 0;
      this.kick();
    }
  }

  /** Starts sending unless already sending, offline, or waiting to retry. */
  kick(): void {
    if (this.timer !== null) {
      this.timer_.clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.running && this.online) void this.drain();
  }

  /** Resolves when nothing is in flight (for tests). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 0));
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        const next = this.list.find((p) => p.state === 'queued');
        if (!next || !this.online) return;
        try {
          const message = await this.send(next);
          this.attempt = 0;
          // Show the stored message before the pending copy goes (no flicker).
          this.listener.sent(message, next);
          this.update(this.list.filter((p) => p.clientId !== next.clientId));
        } catch (e) {
          if (e instanceof ApiError && (e.code === 'NETWORK' || e.code === 'INTERNAL' || e.code === 'RATE_LIMITED' || e.code === 'UNAUTHENTICATED')) {
            // Transient: keep it queued and try again later.
            const wait = e.code === 'RATE_LIMITED' && e.retryAfter ? e.retryAfter * 1_000 : retryDelay(this.attempt);
            this.attempt += 1;
            this.timer = this.timer_.setTimeout(() => { this.timer = null; this.kick(); }, wait);
            return;
          }
          this.update(this.list.map((p) => (p.clientId === next.clientId ? { ...p, state: 'failed' as const, error: humanMessage(e) } : p)));
        }
      }
    } finally {
      this.running = false;
    }
  }

  private update(list: PendingMessage[]): void {
    this.list = list;
    this.storage.save(list);
    this.listener.changed(list);
  }
}
