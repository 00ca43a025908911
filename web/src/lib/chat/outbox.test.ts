import { describe, expect, it } from 'vitest';
import { Outbox, memoryOutboxStorage, retryDelay, type Timer } from './outbox';
import { ApiError } from '@/lib/api/errors';
import type { Message, PendingMessage } from './types';
import { addPending, applyCreated, emptyTimeline, items } from './message-store';

const ada = { id: 'UA', displayName: 'Ada' };
const flush = async () => { for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0)); };

function pending(clientId: string, body = clientId): PendingMessage {
  return { clientId, conversationId: 'C1', sender: ada, body, replyToId: null, createdAt: '2026-01-01T00:00:00.000Z', state: 'queued' };
}

class FakeTimer implements Timer {
  timers: { fn: () => void; ms: number; id: number }[] = [];
  private n = 0;
  setTimeout(fn: () => void, ms: number) { const id = ++this.n; this.timers.push({ fn, ms, id }); return id; }
  clearTimeout(h: unknown) { this.timers = this.timers.filter((t) => t.id !== h); }
  fire() { const t = this.timers.shift(); t?.fn(); return t?.ms; }
}

// A server that stores each clientId once (like sendMessage does) and can
// be switched offline, or lose its answers after storing.
class FakeServer {
  stored: Message[] = [];
  offline = false;
  loseAnswers = false;
  refuse = new Set<string>();
  async send(p: PendingMessage): Promise<Message> {
    await Promise.resolve();
    if (this.offline) throw new ApiError({ message: 'offline', code: 'NETWORK' });
    if (this.refuse.has(p.clientId)) throw new ApiError({ message: 'body too long', code: 'BAD_REQUEST', field: 'body' });
    let m = this.stored.find((x) => x.clientId === p.clientId);
    if (!m) {
      m = { id: `M${this.stored.length + 1}`, conversationId: p.conversationId, seq: this.stored.length + 1, clientId: p.clientId,
        sender: p.sender, kind: 'TEXT', body: p.body, replyToId: null, reactions: [], createdAt: p.createdAt, editedAt: null, deleted: false };
      this.stored.push(m);
    }
    if (this.loseAnswers) throw new ApiError({ message: 'connection reset', code: 'NETWORK' });
    return m;
  }
}

function setup(initial: PendingMessage[] = []) {
  const server = new FakeServer();
  const storage = memoryOutboxStorage(initial);
  const timer = new FakeTimer();
  const sent: Message[] = [];
  const outbox = new Outbox((p) => server.send(p), storage, { sent: (m) => sent.push(m), changed: () => {} }, timer);
  return { server, storage, timer, sent, outbox };
}

describe('Outbox', () => {
  it('sends in order, one at a time', async () => {
    const { outbox, server, sent, storage } = setup();
    outbox.enqueue(pending('a'));
    outbox.enqueue(pending('b'));
    outbox.enqueue(pending('a')); // same clientId: ignored
    await flush();
    expect(server.stored.map((m) => m.clientId)).toEqual(['a', 'b']);
    expect(sent.map((m) => m.seq)).toEqual([1, 2]);
    expect(storage.list).toEqual([]);
  });

  it('queues while offline and delivers each message once when back', async () => {
    const { outbox, server, sent, storage } = setup();
    outbox.setOnline(false);
    outbox.enqueue(pending('a'));
    outbox.enqueue(pending('b'));
    await flush();
    expect(server.stored).toEqual([]);
    expect(storage.list.map((p) => p.clientId)).toEqual(['a', 'b']); // survives a reload
    outbox.setOnline(true);
    await flush();
    expect(server.stored.map((m) => m.clientId)).toEqual(['a', 'b']);
    expect(sent).toHaveLength(2);
  });

  it('retries with backoff after network errors, without doubling a message whose answer was lost', async () => {
    const { outbox, server, sent, timer } = setup();
    server.loseAnswers = true;
    outbox.enqueue(pending('a'));
    await flush();
    expect(server.stored).toHaveLength(1); // stored, but we never heard back
    expect(timer.timers[0]?.ms).toBe(retryDelay(0));
    server.loseAnswers = false;
    timer.fire();
    await flush();
    expect(server.stored).toHaveLength(1);
    expect(sent).toHaveLength(1);
    expect(outbox.pending).toEqual([]);
  });

  it('backs off exponentially up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('marks a refused message failed and goes on with the next; retry and discard', async () => {
    const { outbox, server } = setup();
    server.refuse.add('bad');
    outbox.enqueue(pending('bad'));
    outbox.enqueue(pending('good'));
    await flush();
    expect(server.stored.map((m) => m.clientId)).toEqual(['good']);
    expect(outbox.pending).toHaveLength(1);
    expect(outbox.pending[0]).toMatchObject({ clientId: 'bad', state: 'failed' });
    expect(outbox.pending[0]!.error).toMatch(/not valid/);
    server.refuse.clear();
    outbox.retry('bad');
    await flush();
    expect(server.stored.map((m) => m.clientId)).toEqual(['good', 'bad']);
    outbox.enqueue(pending('x'));
    outbox.setOnline(false);
    outbox.discard('x');
    expect(outbox.pending).toEqual([]);
  });

  it('picks up a queue persisted by an earlier page and sends it', async () => {
    const { outbox, server } = setup([pending('a'), pending('b')]);
    expect(outbox.pending).toHaveLength(2);
    outbox.kick();
    await flush();
    expect(server.stored.map((m) => m.clientId)).toEqual(['a', 'b']);
  });

  it('with the timeline: two messages sent offline appear once each after reconnecting', async () => {
    let t = emptyTimeline('C1');
    const { outbox, server } = setup();
    outbox.setOnline(false);
    for (const id of ['m1', 'm2']) {
      t = addPending(t, pending(id));
      outbox.enqueue(pending(id));
    }
    expect(items(t).map((i) => i.kind)).toEqual(['pending', 'pending']);
    outbox.setOnline(true);
    await flush();
    // Each message arrives twice: the mutation's answer and the live event.
    for (const m of server.stored) t = applyCreated(applyCreated(t, m), m);
    expect(items(t).map((i) => i.key)).toEqual(['M1', 'M2']);
  });
});
