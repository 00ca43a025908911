import { describe, expect, it } from 'vitest';
import { ChatClient, type Requester } from './chat-client';
import { memoryOutboxStorage } from './outbox';
import { memorySnapshotStorage } from './snapshot';
import type { TypedDocumentString } from '@/gql/graphql';
import type { Conversation } from './conversations';
import type { Message } from './types';
import { myRoleIn } from './roles';

const ada = { id: 'UA', displayName: 'Ada' };
const bob = { id: 'UB', displayName: 'Bob' };
const flush = async () => { for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0)); };

function conv(id: string, lastSeq = 0): Conversation {
  return {
    id, kind: 'DIRECT', title: 'Bob', createdAt: '2026-01-01T00:00:00.000Z', lastActivityAt: '2026-01-01T00:00:00.000Z',
    lastSeq, myRole: 'MEMBER', unreadCount: 0, lastMessage: null,
    members: [ada, bob].map((u) => ({ role: 'MEMBER' as const, joinedAt: '2026-01-01T00:00:00.000Z', readSeq: 0, deliveredSeq: 0, user: { ...u, presence: null } })),
  };
}

function msg(seq: number, sender = bob, extra: Partial<Message> = {}): Message {
  return {
    id: `M${seq}`, conversationId: 'C1', seq, clientId: null, sender, kind: 'TEXT', body: `m${seq}`, replyToId: null,
    reactions: [], createdAt: `2026-01-02T00:00:${String(seq).padStart(2, '0')}.000Z`, editedAt: null, deleted: false, status: null, ...extra,
  };
}

// A fake API that answers by operation name and records the order of calls.
class FakeApi implements Requester {
  calls: { op: string; variables: Record<string, unknown> }[] = [];
  conversations: Conversation[] = [conv('C1', 2)];
  history: Message[] = [msg(1), msg(2)];
  stored: Message[] = [];
  /** Fixed answers by operation name (checked first). */
  answers: Record<string, unknown> = {};
  async request<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R> {
    const op = /(?:query|mutation)\s+(\w+)/.exec(doc.toString())?.[1] ?? '?';
    this.calls.push({ op, variables: variables as Record<string, unknown> });
    await Promise.resolve();
    const v = variables as Record<string, unknown>;
    if (op in this.answers) return this.answers[op] as R;
    switch (op) {
      case 'EventCursor': return { eventCursor: 'cur-7' } as R;
      case 'ChatStart': return {
        me: { id: ada.id, presence: { status: 'ONLINE', text: 'Writing notes', lastSeenAt: null } },
        conversations: this.conversations, contactRequests: [], contacts: [],
        presenceSettings: { awayAfterSeconds: 300, typingTimeoutSeconds: 6 },
      } as R;
      case 'BlockedUsers': return { blockedUsers: [] } as R;
      case 'Conversation': return { conversation: conv(v.id as string, 1) } as R;
      case 'Messages': return { messages: this.history } as R;
      case 'MarkRead': return { markRead: true } as R;
      case 'SetTyping': return { setTyping: true } as R;
      case 'SendMessage': {
        const input = v.input as { clientId: string; body: string; conversationId: string };
        let m = this.stored.find((x) => x.clientId === input.clientId);
        if (!m) { m = msg(3 + this.stored.length, ada, { clientId: input.clientId, body: input.body, id: `S${this.stored.length}` }); this.stored.push(m); }
        return { sendMessage: m } as R;
      }
    }
    throw new Error('unexpected ' + op);
  }
}

function setup() {
  const api = new FakeApi();
  const chat = new ChatClient(api, ada, memoryOutboxStorage());
  return { api, chat };
}

describe('ChatClient', () => {
  it('reads the event cursor before loading state, and returns it for events(since:)', async () => {
    const { api, chat } = setup();
    const cursor = await chat.start();
    expect(cursor).toBe('cur-7');
    expect(api.calls.slice(0, 2).map((c) => c.op)).toEqual(['EventCursor', 'ChatStart']);
    expect(chat.getState().status).toBe('ready');
    expect(chat.getState().presence).toEqual({ status: 'ONLINE', text: 'Writing notes' });
  });

  it('opens a conversation: newest page, then marks it read up to the last seq', async () => {
    const { api, chat } = setup();
    await chat.start();
    await chat.open('C1');
    expect(chat.getState().timelines.C1!.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(api.calls.find((c) => c.op === 'MarkRead')?.variables).toEqual({ conversationId: 'C1', seq: 2 });
  });

  it('a live message for the open conversation is shown and read; elsewhere it counts as unread', async () => {
    const { api, chat } = setup();
    await chat.start();
    await chat.open('C1');
    chat.handleEvent({ __typename: 'MessageCreatedEvent', cursor: 'c8', message: msg(3) } as never);
    expect(chat.getState().timelines.C1!.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(api.calls.filter((c) => c.op === 'MarkRead').at(-1)?.variables).toEqual({ conversationId: 'C1', seq: 3 });
    await chat.open(null);
    chat.handleEvent({ __typename: 'MessageCreatedEvent', cursor: 'c9', message: msg(4) } as never);
    expect(chat.getState().conversations[0]!.unreadCount).toBe(1);
  });

  it('fetches a conversation it has not seen when a message arrives for it', async () => {
    const { api, chat } = setup();
    await chat.start();
    chat.handleEvent({ __typename: 'MessageCreatedEvent', cursor: 'c8', message: msg(1, bob, { conversationId: 'C9', id: 'X1' }) } as never);
    await flush();
    expect(api.calls.some((c) => c.op === 'Conversation' && c.variables.id === 'C9')).toBe(true);
    expect(chat.getState().conversations.some((c) => c.id === 'C9')).toBe(true);
  });

  it('a sent message shows at once, then once, whether the answer or the event comes first', async () => {
    const { api, chat } = setup();
    await chat.start();
    await chat.open('C1');
    chat.send('C1', 'hello  \n');
    const pending = chat.getState().timelines.C1!.pending;
    expect(pending.map((p) => p.body)).toEqual(['hello']);
    // The live event overtakes the mutation's answer.
    const stored = msg(3, ada, { clientId: pending[0]!.clientId, body: 'hello', id: 'S0' });
    api.stored.push(stored);
    chat.handleEvent({ __typename: 'MessageCreatedEvent', cursor: 'c8', message: stored } as never);
    await flush();
    const t = chat.getState().timelines.C1!;
    expect(t.pending).toEqual([]);
    expect(t.messages.filter((m) => m.body === 'hello')).toHaveLength(1);
    expect(api.stored).toHaveLength(1);
  });

  it('removes a conversation I was removed from, and clears typing when the typist sends', async () => {
    const { chat } = setup();
    await chat.start();
    const exp = new Date(Date.now() + 5000).toISOString();
    chat.handleEvent({ __typename: 'TypingEvent', cursor: 'c', conversationId: 'C1', typing: true, expiresAt: exp, user: bob } as never);
    expect(chat.getState().typing.C1).toHaveLength(1);
    chat.handleEvent({ __typename: 'MessageCreatedEvent', cursor: 'c', message: msg(3) } as never);
    expect(chat.getState().typing.C1).toHaveLength(0);
    chat.handleEvent({ __typename: 'MembershipEvent', cursor: 'c', action: 'REMOVED', users: [ada], conversation: conv('C1'), systemMessage: null } as never);
    expect(chat.getState().conversations).toEqual([]);
  });

  it('shows a role change live (the event has no myRole: the member list says it), and sends roles and notes', async () => {
    const { chat, api } = setup();
    api.conversations = [{ ...conv('C1', 2), kind: 'GROUP', myRole: 'OWNER', members: conv('C1').members.map((m) => ({ ...m, role: m.user.id === ada.id ? 'OWNER' as const : 'MEMBER' as const })) }];
    await chat.start();
    // Ada handed the group to Bob on another device: the event makes Bob owner and Ada admin.
    const after = { ...api.conversations[0]!, myRole: null, members: api.conversations[0]!.members.map((m) => ({ ...m, role: m.user.id === ada.id ? 'ADMIN' as const : 'OWNER' as const, user: { ...m.user, presence: null } })) };
    chat.handleEvent({ __typename: 'MembershipEvent', cursor: 'c', action: 'OWNERSHIP_TRANSFERRED', users: [bob], conversation: after, systemMessage: null } as never);
    const c = chat.getState().conversations[0]!;
    expect(myRoleIn(c, ada.id)).toBe('ADMIN');
    expect(c.members.find((m) => m.user.id === bob.id)!.role).toBe('OWNER');

    api.answers.SetMemberRole = { setMemberRole: after };
    api.answers.TransferOwnership = { transferOwnership: after };
    api.answers.RequestContact = { requestContact: { id: 'R1' } };
    await chat.setRole('C1', bob.id, 'ADMIN');
    await chat.transferOwnership('C1', bob.id);
    await chat.requestContact(bob.id, '  We met at the workshop  ');
    await chat.requestContact('UC', '   ');
    expect(api.calls.filter((x) => ['SetMemberRole', 'TransferOwnership', 'RequestContact'].includes(x.op)).map((x) => x.variables)).toEqual([
      { id: 'C1', userId: bob.id, role: 'ADMIN' }, { id: 'C1', userId: bob.id },
      { userId: bob.id, note: 'We met at the workshop' }, { userId: 'UC', note: null },
    ]);
  });
});

describe('ChatClient reloads racing with events', () => {
  it('a reload read before a new group arrived does not drop it, nor resurrect one left meanwhile', async () => {
    const { api, chat } = setup();
    await chat.start();
    api.conversations = [conv('C1', 2), { ...conv('OLD'), kind: 'GROUP', title: 'Old group' }];
    await chat.reload();
    expect(chat.getState().conversations.map((c) => c.id).sort()).toEqual(['C1', 'OLD']);
    // A reload starts (its answer is read now: without the new group, with the old one)...
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const original = api.request.bind(api);
    api.request = (async (doc: TypedDocumentString<unknown, unknown>, v: unknown) => {
      const answer = await original(doc, v as never);
      if (doc.toString().includes('query ChatStart')) await gate;
      return answer;
    }) as typeof api.request;
    const reloading = chat.reload();
    await flush();
    // ...then events: a new group, and the old one left.
    const group = { ...conv('G1', 1), kind: 'GROUP' as const, title: 'Launch team', lastActivityAt: '2026-02-01T00:00:00.000Z' };
    chat.handleEvent({ __typename: 'MembershipEvent', cursor: 'c', action: 'CREATED', users: [ada], conversation: group, systemMessage: null } as never);
    chat.handleEvent({ __typename: 'MembershipEvent', cursor: 'c', action: 'LEFT', users: [ada], conversation: conv('OLD'), systemMessage: null } as never);
    release();
    await reloading;
    expect(chat.getState().conversations.map((c) => c.id)).toEqual(['G1', 'C1']);
  });
});

describe('ChatClient offline copy', () => {
  it('saves a snapshot, opens from it without a network, and refetches when opened online', async () => {
    const api = new FakeApi();
    const snaps = memorySnapshotStorage();
    const first = new ChatClient(api, ada, memoryOutboxStorage(), undefined, snaps);
    await first.start();
    await first.open('C1');
    await new Promise((r) => setTimeout(r, 1100));
    expect(snaps.value?.conversations.map((c) => c.id)).toEqual(['C1']);
    expect(snaps.value?.timelines.C1?.messages.map((m) => m.seq)).toEqual([1, 2]);
    first.dispose();

    // Next start, offline: the list and history show from the copy.
    const offline = new ChatClient({ request: () => Promise.reject(new Error('offline')) }, ada, memoryOutboxStorage(), undefined, snaps);
    expect(offline.getState().conversations.map((c) => c.id)).toEqual(['C1']);
    expect(offline.getState().timelines.C1?.messages).toHaveLength(2);

    // Online again: opening refetches the newest page (an edit made meanwhile shows).
    api.history = [msg(1), msg(2, bob, { body: 'edited while away', editedAt: '2026-01-03T00:00:00.000Z' })];
    const online = new ChatClient(api, ada, memoryOutboxStorage(), undefined, snaps);
    await online.start();
    await online.open('C1');
    expect(online.getState().timelines.C1!.messages[1]!.body).toBe('edited while away');
  });
});

describe('ChatClient typing and the offline copy', () => {
  it('sends setTyping one at a time per conversation, so "stopped" never arrives before the "typing" it follows', async () => {
    const order: string[] = [];
    const api = new FakeApi();
    let first = true;
    const request = api.request.bind(api);
    api.request = async (doc, variables) => {
      const v = variables as { typing?: boolean };
      if (/mutation SetTyping/.test(doc.toString())) {
        // The first request is slow (a busy connection): the second would overtake it if sent at once.
        if (first) { first = false; await new Promise((r) => setTimeout(r, 30)); }
        order.push(v.typing ? 'typing' : 'stopped');
      }
      return request(doc, variables);
    };
    const chat = new ChatClient(api, ada, memoryOutboxStorage());
    chat.typing('C1', true);
    chat.typing('C1', false);
    await new Promise((r) => setTimeout(r, 60));
    expect(order).toEqual(['typing', 'stopped']);
  });

  it('writes the offline copy at once when the page goes away, and never after a sign-out', async () => {
    const api = new FakeApi();
    const snaps = memorySnapshotStorage();
    const chat = new ChatClient(api, ada, memoryOutboxStorage(), undefined, snaps);
    await chat.start();
    await chat.open('C1');
    chat.flushSnapshot();
    expect(snaps.value?.timelines.C1?.messages.map((m) => m.seq)).toEqual([1, 2]);
    snaps.clear();
    chat.dispose();
    chat.flushSnapshot();
    expect(snaps.value).toBeNull();
  });
});

describe('ChatClient jumping to a search result', () => {
  // A conversation of 1,000 messages, paged as the server does (oldest first, aroundSeq included).
  class LongApi extends FakeApi {
    all = Array.from({ length: 1000 }, (_, i) => msg(i + 1));
    conversations = [conv('C1', 1000)];
    override async request<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R> {
      const op = /(?:query|mutation)\s+(\w+)/.exec(doc.toString())?.[1] ?? '?';
      if (op !== 'Messages') return super.request(doc, variables);
      this.calls.push({ op, variables: variables as Record<string, unknown> });
      await Promise.resolve();
      const v = variables as { beforeSeq?: number; afterSeq?: number; aroundSeq?: number; limit: number };
      let page: Message[];
      if (v.aroundSeq) {
        const upTo = this.all.filter((m) => m.seq <= v.aroundSeq!).slice(-Math.ceil(v.limit / 2));
        page = [...upTo, ...this.all.filter((m) => m.seq > v.aroundSeq!).slice(0, v.limit - upTo.length)];
      } else if (v.beforeSeq) page = this.all.filter((m) => m.seq < v.beforeSeq!).slice(-v.limit);
      else if (v.afterSeq) page = this.all.filter((m) => m.seq > v.afterSeq!).slice(0, v.limit);
      else page = this.all.slice(-v.limit);
      return { messages: page } as R;
    }
  }
  const seqs = (chat: ChatClient) => chat.getState().timelines.C1!.messages.map((m) => m.seq);
  const asked = (api: FakeApi) => api.calls.filter((c) => c.op === 'Messages').map((c) => c.variables);

  it('loads the page around an old message, asks the view to show it, and scrolls both ways from there', async () => {
    const api = new LongApi();
    const chat = new ChatClient(api, ada, memoryOutboxStorage());
    await chat.start();
    await chat.open('C1');
    await chat.reveal('C1', 120);
    expect(asked(api).at(-1)).toMatchObject({ aroundSeq: 120 });
    expect(seqs(chat)[0]).toBe(96);
    expect(seqs(chat).at(-1)).toBe(145); // the newest page was dropped: one range, no hole
    expect(chat.getState().focus).toMatchObject({ conversationId: 'C1', seq: 120 });
    expect(chat.getState().timelines.C1).toMatchObject({ hasOlder: true, hasNewer: true });

    // A live message meanwhile is left for later; scrolling down loads in order.
    chat.handleEvent({ __typename: 'MessageCreatedEvent', cursor: 'x', message: msg(1001) } as never);
    expect(seqs(chat).at(-1)).toBe(145);
    await chat.loadNewer('C1');
    await chat.loadOlder('C1');
    expect(seqs(chat)).toEqual(Array.from({ length: 150 }, (_, i) => 46 + i));

    // Sending from back there returns to the newest page.
    chat.send('C1', 'hello');
    await flush();
    expect(asked(api).at(-1)).toEqual({ conversationId: 'C1', limit: 50 });
    expect(seqs(chat).at(-1)).toBe(1000);
    expect(chat.getState().timelines.C1!.hasNewer).toBe(false);
  });

  it('fills a short gap with older pages instead of jumping, and loads nothing for a held message', async () => {
    const api = new LongApi();
    const chat = new ChatClient(api, ada, memoryOutboxStorage());
    await chat.start();
    await chat.open('C1'); // 951..1000
    await chat.reveal('C1', 930);
    expect(asked(api).slice(1)).toEqual([{ conversationId: 'C1', beforeSeq: 951, limit: 50 }]);
    expect(seqs(chat)[0]).toBe(901);
    const n = api.calls.length;
    await chat.reveal('C1', 990);
    expect(api.calls.slice(n).filter((c) => c.op === 'Messages')).toEqual([]);
    expect(chat.getState().focus).toMatchObject({ seq: 990, n: 2 });
  });

  it('a newest page still in flight when the jump starts does not replace the jump\'s page', async () => {
    const api = new LongApi();
    const chat = new ChatClient(api, ada, memoryOutboxStorage());
    await chat.start();
    const opening = chat.open('C1');
    const revealing = chat.reveal('C1', 120);
    const reopening = chat.open('C1'); // the view's effect for the same conversation during the jump: nothing reloaded
    await Promise.all([opening, revealing, reopening]);
    expect(asked(api)).toHaveLength(2);
    expect(seqs(chat)[0]).toBe(96);
    expect(seqs(chat).at(-1)).toBe(145);
  });

  it('reopening the conversation from the list goes back to the newest page', async () => {
    const api = new LongApi();
    const chat = new ChatClient(api, ada, memoryOutboxStorage());
    await chat.start();
    await chat.reveal('C1', 10);
    expect(seqs(chat)[0]).toBe(1);
    expect(chat.getState().timelines.C1!.hasOlder).toBe(false);
    await chat.open('C1');
    expect(seqs(chat)).toEqual(Array.from({ length: 50 }, (_, i) => 951 + i));
  });
});
