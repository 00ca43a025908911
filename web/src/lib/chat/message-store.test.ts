import { describe, expect, it } from 'vitest';
import {
  addPending, applyCreated, applyPage, applyUpdated, emptyTimeline, items, lastOwnEditable, markPending,
  newClientId, newestSeq, trimAround, type Timeline,
} from './message-store';
import type { Message, PendingMessage } from './types';

const ada = { id: 'UA', displayName: 'Ada' };
const bob = { id: 'UB', displayName: 'Bob' };

function msg(seq: number, extra: Partial<Message> = {}): Message {
  return {
    id: `M${seq}`, conversationId: 'C1', seq, clientId: null, sender: bob, kind: 'TEXT', body: `message ${seq}`,
    replyToId: null, reactions: [], createdAt: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(), editedAt: null,
    deleted: false, ...extra,
  };
}

function pending(clientId: string, body = 'hi'): PendingMessage {
  return { clientId, conversationId: 'C1', sender: ada, body, replyToId: null, createdAt: '2026-01-01T01:00:00.000Z', state: 'queued' };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => msg(a + i));
const seqs = (t: Timeline) => t.messages.map((m) => m.seq);

describe('history pages', () => {
  it('loads the newest page, then older pages, without duplicates, oldest first', () => {
    let t = applyPage(emptyTimeline('C1'), range(51, 100), 'newest', 50);
    expect(t.loaded).toBe(true);
    expect(t.hasOlder).toBe(true);
    t = applyPage(t, range(1, 55), 'older', 55); // overlapping page
    expect(seqs(t)).toEqual(range(1, 100).map((m) => m.seq));
    expect(t.hasOlder).toBe(false); // reached seq 1
  });

  it('knows there is nothing older when a page comes back short', () => {
    let t = applyPage(emptyTimeline('C1'), range(1, 20), 'newest', 50);
    expect(t.hasOlder).toBe(false);
    t = applyPage(emptyTimeline('C1'), range(31, 80), 'newest', 50);
    t = applyPage(t, range(20, 30), 'older', 50);
    expect(t.hasOlder).toBe(false);
  });

  it('ignores messages of other conversations', () => {
    const t = applyPage(emptyTimeline('C1'), [msg(1), msg(2, { conversationId: 'C2', id: 'X' })], 'newest', 50);
    expect(seqs(t)).toEqual([1]);
  });
});

describe('live events', () => {
  it('appends new messages and ignores a replayed one', () => {
    let t = applyPage(emptyTimeline('C1'), range(1, 3), 'newest', 50);
    t = applyCreated(t, msg(4));
    const again = applyCreated(t, msg(4));
    expect(seqs(again)).toEqual([1, 2, 3, 4]);
    expect(again.messages).toEqual(t.messages);
  });

  it('puts an event that overtook the history page in its place', () => {
    let t = applyCreated(emptyTimeline('C1'), msg(10));
    t = applyPage(t, range(1, 9), 'newest', 50);
    expect(seqs(t)).toEqual(range(1, 10).map((m) => m.seq));
  });

  it('detects a gap in live messages and clears it when filled', () => {
    let t = applyPage(emptyTimeline('C1'), range(1, 5), 'newest', 50);
    t = applyCreated(t, msg(9));
    expect(t.gapAfter).toBe(5);
    t = applyPage(t, range(6, 9), 'newer', 50);
    expect(t.gapAfter).toBeNull();
    expect(seqs(t)).toEqual(range(1, 9).map((m) => m.seq));
  });

  it('applies edits, deletes and reactions to loaded messages only', () => {
    let t = applyPage(emptyTimeline('C1'), range(1, 3), 'newest', 50);
    t = applyUpdated(t, msg(2, { body: 'edited', editedAt: '2026-01-02T00:00:00.000Z' }));
    expect(t.messages[1]!.body).toBe('edited');
    t = applyUpdated(t, msg(2, { body: 'edited', editedAt: '2026-01-02T00:00:00.000Z', reactions: [{ emoji: '👍', count: 1, users: [ada] }] }));
    expect(t.messages[1]!.reactions).toHaveLength(1);
    t = applyUpdated(t, msg(3, { body: '', deleted: true }));
    expect(t.messages[2]!.deleted).toBe(true);
    // An older copy (from a page fetched before the delete) cannot resurrect it.
    t = applyPage(t, [msg(3)], 'older', 50);
    expect(t.messages[2]!.deleted).toBe(true);
    t = applyUpdated(t, msg(3));
    expect(t.messages[2]!.deleted).toBe(true);
    // Not loaded: ignored.
    expect(applyUpdated(t, msg(99, { body: 'x' }))).toBe(t);
  });

  it('keeps the viewer-only delivery status when an event (status null) replaces a message', () => {
    let t = applyPage(emptyTimeline('C1'), [msg(1, { sender: ada, status: 'READ' })], 'newest', 50);
    t = applyUpdated(t, msg(1, { sender: ada, status: null, reactions: [{ emoji: '🎉', count: 1, users: [bob] }] }));
    expect(t.messages[0]!.status).toBe('READ');
  });
});

describe('jumping back in history (aroundSeq)', () => {
  // The server's answer to aroundSeq: up to ceil(limit/2) messages at or before seq, the rest after.
  const around = (seq: number, limit: number, last: number) => {
    const before = range(Math.max(1, seq - Math.ceil(limit / 2) + 1), seq);
    return [...before, ...range(seq + 1, Math.min(last, seq + limit - before.length))];
  };

  it('replaces a held range it does not touch, and scrolls both ways from there without holes', () => {
    let t = applyPage(emptyTimeline('C1'), range(951, 1000), 'newest', 50);
    t = applyPage(t, around(300, 50, 1000), 'around', 50, 300);
    expect(seqs(t)).toEqual(range(276, 325).map((m) => m.seq));
    expect(t).toMatchObject({ hasOlder: true, hasNewer: true, gapAfter: null, loaded: true });
    t = applyPage(t, range(226, 275), 'older', 50);
    t = applyPage(t, range(326, 375), 'newer', 50);
    expect(seqs(t)).toEqual(range(226, 375).map((m) => m.seq));
    expect(t.hasNewer).toBe(true);
    t = applyPage(t, range(376, 400), 'newer', 50); // short: the end
    expect(t.hasNewer).toBe(false);
  });

  it('merges with a held range it touches, keeping what that range knew', () => {
    let t = applyPage(emptyTimeline('C1'), range(51, 100), 'newest', 50);
    t = applyPage(t, around(40, 50, 100), 'around', 50, 40);
    expect(seqs(t)).toEqual(range(16, 100).map((m) => m.seq));
    expect(t.hasNewer).toBe(false); // the held range reached the newest message
    expect(t.hasOlder).toBe(true);
  });

  it('knows the ends from a short side of the page', () => {
    let t = applyPage(emptyTimeline('C1'), around(3, 50, 1000), 'around', 50, 3);
    expect(t).toMatchObject({ hasOlder: false, hasNewer: true });
    t = applyPage(emptyTimeline('C1'), around(990, 50, 1000), 'around', 50, 990);
    expect(t).toMatchObject({ hasOlder: true, hasNewer: false });
  });

  it('leaves live messages past a range back in history to the newer pages, and hides pending sends there', () => {
    let t = applyPage(emptyTimeline('C1'), around(300, 50, 1000), 'around', 50, 300);
    t = addPending(t, pending('c1'));
    t = applyCreated(t, msg(1001));
    expect(seqs(t)).toEqual(range(276, 325).map((m) => m.seq));
    expect(t.gapAfter).toBeNull();
    expect(items(t).some((i) => i.kind === 'pending')).toBe(false);
    // Its confirmation still settles the pending message.
    t = applyCreated(t, msg(1002, { sender: ada, clientId: 'c1' }));
    expect(t.pending).toEqual([]);
    // Back to the newest page: it replaces the old range.
    t = applyPage(t, range(953, 1002), 'newest', 50);
    expect(seqs(t)).toEqual(range(953, 1002).map((m) => m.seq));
    expect(t).toMatchObject({ hasNewer: false, hasOlder: true });
  });

  it('drops an older or newer page that no longer touches the held range (asked for before a jump)', () => {
    let t = applyPage(emptyTimeline('C1'), around(300, 50, 1000), 'around', 50, 300);
    expect(applyPage(t, range(901, 950), 'older', 50)).toBe(t);
    expect(applyPage(t, range(10, 20), 'newer', 50)).toBe(t);
    t = applyPage(t, range(326, 330), 'newer', 50);
    expect(newestSeq(t)).toBe(330);
  });

  it('never shows a hole after a long time away: a newest page far ahead of a saved range replaces it', () => {
    let t = applyPage(emptyTimeline('C1'), range(1, 50), 'newest', 50);
    t = applyPage(t, range(500, 549), 'newest', 50);
    expect(seqs(t)).toEqual(range(500, 549).map((m) => m.seq));
    expect(t.hasOlder).toBe(true);
  });
});

describe('trimming a long history', () => {
  it('keeps the messages around the one in view, and marks the dropped sides as having more', () => {
    let t = applyPage(emptyTimeline('C1'), range(1, 2000), 'newest', 50);
    t = { ...t, hasOlder: false };
    expect(trimAround(t, 1500, 3000, 1000)).toBe(t); // under the limit: untouched
    const mid = trimAround(t, 1500, 1500, 1000);
    expect(seqs(mid)[0]).toBe(1000);
    expect(seqs(mid).at(-1)).toBe(1999);
    expect(mid).toMatchObject({ hasOlder: true, hasNewer: true });
    // Near the oldest end: only newer ones go, and nothing older is invented.
    const low = trimAround(t, 10, 1500, 1000);
    expect(seqs(low)).toEqual(range(1, 1000).map((m) => m.seq));
    expect(low).toMatchObject({ hasOlder: false, hasNewer: true });
    // Near the newest end: only older ones go; live messages still append.
    let high = trimAround(t, 1990, 1500, 1000);
    expect(seqs(high)).toEqual(range(1001, 2000).map((m) => m.seq));
    expect(high).toMatchObject({ hasOlder: true, hasNewer: false });
    high = applyCreated(high, msg(2001));
    expect(newestSeq(high)).toBe(2001);
  });
});

describe('optimistic sends', () => {
  it('shows a pending message after the confirmed ones', () => {
    let t = applyPage(emptyTimeline('C1'), range(1, 2), 'newest', 50);
    t = addPending(t, pending('c1'));
    expect(items(t).map((i) => i.key)).toEqual(['M1', 'M2', 'local:c1']);
  });

  it('dedupes by clientId whether the event or the mutation answer comes first', () => {
    const base = addPending(applyPage(emptyTimeline('C1'), range(1, 2), 'newest', 50), pending('c1'));
    const stored = msg(3, { sender: ada, clientId: 'c1', body: 'hi' });
    const viaEventThenAnswer = applyCreated(applyCreated(base, stored), stored);
    const viaAnswerThenEvent = applyCreated(applyCreated(base, { ...stored, status: 'SENT' }), stored);
    for (const t of [viaEventThenAnswer, viaAnswerThenEvent]) {
      expect(t.pending).toEqual([]);
      expect(items(t).map((i) => i.key)).toEqual(['M1', 'M2', 'M3']);
    }
    expect(viaAnswerThenEvent.messages[2]!.status).toBe('SENT');
  });

  it('dedupes against a history page fetched after reconnecting', () => {
    let t = addPending(applyPage(emptyTimeline('C1'), range(1, 2), 'newest', 50), pending('c1'));
    t = applyPage(t, [...range(1, 2), msg(3, { sender: ada, clientId: 'c1' })], 'newest', 50);
    expect(t.pending).toEqual([]);
    expect(seqs(t)).toEqual([1, 2, 3]);
  });

  it('does not drop a pending message for someone else\'s equal clientId', () => {
    let t = addPending(emptyTimeline('C1'), pending('c1'));
    t = applyCreated(t, msg(1, { sender: bob, clientId: 'c1' }));
    expect(t.pending).toHaveLength(1);
  });

  it('refuses to add the same pending message twice, or one already stored', () => {
    let t = addPending(emptyTimeline('C1'), pending('c1'));
    expect(addPending(t, pending('c1'))).toBe(t);
    t = applyCreated(t, msg(1, { sender: ada, clientId: 'c2' }));
    expect(addPending(t, pending('c2'))).toBe(t);
  });

  it('marks a refused message failed with a reason', () => {
    const t = markPending(addPending(emptyTimeline('C1'), pending('c1')), 'c1', 'failed', 'too long');
    expect(t.pending[0]).toMatchObject({ state: 'failed', error: 'too long' });
  });
});

describe('helpers', () => {
  it('finds the last own editable message', () => {
    const t = applyPage(emptyTimeline('C1'), [
      msg(1, { sender: ada }), msg(2, { sender: ada, deleted: true }), msg(3), msg(4, { sender: ada, kind: 'SYSTEM' }),
    ], 'newest', 50);
    expect(lastOwnEditable(t, ada)?.seq).toBe(1);
    expect(lastOwnEditable(t, { id: 'UZ', displayName: 'Z' })).toBeNull();
  });

  it('makes distinct, short client ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newClientId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(64);
    expect(newestSeq(emptyTimeline('C'))).toBe(0);
  });
});
