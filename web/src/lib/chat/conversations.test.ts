import { describe, expect, it } from 'vitest';
import {
  activeTypists, applyMessage, applyMessageUpdate, applyPresence, applyReceipt, applyTyping, deliveryOf, markReadLocally,
  seenBy, typingText, upsertConversation, type Conversation,
} from './conversations';
import type { Message } from './types';

const ada = { id: 'UA', displayName: 'Ada Lovelace' };
const bob = { id: 'UB', displayName: 'Bob Byte' };
const cy = { id: 'UC', displayName: 'Cy' };

function member(u: { id: string; displayName: string }, readSeq = 0, deliveredSeq = readSeq) {
  return { role: 'MEMBER' as const, joinedAt: '2026-01-01T00:00:00.000Z', readSeq, deliveredSeq, user: { ...u, presence: null } };
}

function conv(id: string, at: string, extra: Partial<Conversation> = {}): Conversation {
  return {
    id, kind: 'DIRECT', title: id, createdAt: at, lastActivityAt: at, lastSeq: 0, myRole: 'MEMBER', unreadCount: 0,
    members: [member(ada), member(bob)], lastMessage: null, ...extra,
  };
}

function msg(convId: string, seq: number, sender = bob, extra: Partial<Message> = {}): Message {
  return {
    id: `${convId}-${seq}`, conversationId: convId, seq, clientId: null, sender, kind: 'TEXT', body: `m${seq}`, replyToId: null,
    reactions: [], createdAt: `2026-01-02T00:00:${String(seq).padStart(2, '0')}.000Z`, editedAt: null, deleted: false, ...extra,
  };
}

describe('conversation list', () => {
  const list = [conv('A', '2026-01-01T10:00:00.000Z'), conv('B', '2026-01-01T09:00:00.000Z')];

  it('moves a conversation with a new message to the top and counts unread', () => {
    const out = applyMessage(list, msg('B', 1), ada.id, null)!;
    expect(out.map((c) => c.id)).toEqual(['B', 'A']);
    expect(out[0]!.unreadCount).toBe(1);
    expect(out[0]!.lastMessage?.body).toBe('m1');
    // Replayed after a reconnect: no double count.
    expect(applyMessage(out, msg('B', 1), ada.id, null)).toBe(out);
  });

  it('does not count my own messages or the open conversation as unread', () => {
    expect(applyMessage(list, msg('B', 1, ada), ada.id, null)![0]!.unreadCount).toBe(0);
    expect(applyMessage(list, msg('B', 1), ada.id, 'B')![0]!.unreadCount).toBe(0);
  });

  it('asks for an unknown conversation', () => {
    expect(applyMessage(list, msg('Z', 1), ada.id, null)).toBeNull();
  });

  it('keeps viewer fields when an event (nulls) refreshes a conversation', () => {
    let out = applyMessage(list, msg('A', 3), ada.id, null)!;
    out = upsertConversation(out, { ...conv('A', '2026-01-02T00:00:03.000Z'), myRole: null, unreadCount: null, lastMessage: null, title: 'Renamed' });
    const a = out.find((c) => c.id === 'A')!;
    expect(a.title).toBe('Renamed');
    expect(a.unreadCount).toBe(1);
    expect(a.myRole).toBe('MEMBER');
    expect(a.lastMessage?.seq).toBe(3);
  });

  it('refreshes the preview on edit/delete of the last message and clears unread locally', () => {
    let out = applyMessage(list, msg('A', 1), ada.id, null)!;
    out = applyMessageUpdate(out, msg('A', 1, bob, { deleted: true, body: '' }));
    expect(out[0]!.lastMessage?.deleted).toBe(true);
    out = markReadLocally(out, 'A');
    expect(out[0]!.unreadCount).toBe(0);
  });

  it('applies presence to members', () => {
    const out = applyPresence(list, bob.id, { status: 'BUSY', text: 'In a meeting', lastSeenAt: null });
    expect(out[0]!.members[1]!.user.presence?.status).toBe('BUSY');
    expect(applyPresence(list, 'nobody', null)).toBe(list);
  });
});

describe('receipts', () => {
  const group = conv('G', '2026-01-01T00:00:00.000Z', { kind: 'GROUP', members: [member(ada, 5), member(bob, 2, 4), member(cy, 1, 1)] });

  it('computes delivery ticks from the other members', () => {
    expect(deliveryOf(1, group.members, ada.id)).toBe('READ');
    expect(deliveryOf(2, group.members, ada.id)).toBe('SENT'); // cy has not got it
    let list = applyReceipt([group], 'G', cy.id, 1, 4);
    expect(deliveryOf(4, list[0]!.members, ada.id)).toBe('DELIVERED');
    list = applyReceipt(list, 'G', cy.id, 4, 4);
    list = applyReceipt(list, 'G', bob.id, 4, 4);
    expect(deliveryOf(4, list[0]!.members, ada.id)).toBe('READ');
  });

  it('never moves marks backwards and lists who has seen a message', () => {
    const list = applyReceipt([group], 'G', bob.id, 1, 1);
    expect(list[0]!.members[1]).toMatchObject({ readSeq: 2, deliveredSeq: 4 });
    expect(seenBy(2, group.members, ada.id).map((u) => u.id)).toEqual([bob.id]);
    expect(seenBy(1, group.members, ada.id).map((u) => u.id)).toEqual([bob.id, cy.id]);
  });
});

describe('typing', () => {
  it('shows typists until they stop or expire', () => {
    let t = applyTyping([], bob, true, 1000);
    t = applyTyping(t, cy, true, 2000);
    expect(typingText(activeTypists(t, 500))).toBe('Bob and Cy are typing…');
    expect(typingText(activeTypists(t, 1500))).toBe('Cy is typing…');
    t = applyTyping(t, cy, false, 0);
    expect(typingText(activeTypists(t, 500))).toBe('Bob is typing…');
    t = applyTyping(applyTyping(t, cy, true, 5000), ada, true, 5000);
    expect(typingText(activeTypists(t, 500))).toBe('3 people are typing…');
    expect(typingText([])).toBeNull();
  });
});
