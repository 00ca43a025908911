// One conversation's timeline as the client holds it: pages of history,
// live events and this device's optimistic sends, merged into one ordered,
// duplicate-free list. Pure functions over immutable values (React state
// and tests use them the same way).
//
// Invariants:
// - `messages` is sorted by seq with no two entries of the same id or seq;
// - a pending message disappears the moment a message with its clientId
//   (same sender) is known, whichever arrives first: the mutation's answer,
//   the live event, or a history page fetched after a reconnect;
// - `hasOlder` is true until a page shorter than asked for comes back;
// - `gapAfter` is set when a live message skips seqs past the newest one we
//   hold: the view then fetches messages(afterSeq) to fill it;
// - the held messages are one contiguous range, never two with a silent hole
//   between them: a page that neither overlaps nor touches it (the newest
//   page after a long time offline, or the page around a search result far
//   back in history) replaces it, and an answer for a range no longer held
//   (an older page requested before such a jump) is dropped;
// - `hasNewer` is true while the held range stops short of the newest
//   message (after jumping back in history): live messages past it are left
//   to the next messages(afterSeq) page, and pending sends are not shown at
//   its end (the view returns to the newest page to send).
import type { Message, PendingMessage, UserRef } from './types';

export interface Timeline {
  conversationId: string;
  messages: Message[];
  pending: PendingMessage[];
  hasOlder: boolean;
  /** More recent messages exist than the held range (opened around an old message). */
  hasNewer: boolean;
  /** Set when seqs are missing after this one (fetch afterSeq to fill). */
  gapAfter: number | null;
  /** True once the newest page was loaded. */
  loaded: boolean;
}

export function emptyTimeline(conversationId: string): Timeline {
  return { conversationId, messages: [], pending: [], hasOlder: true, hasNewer: false, gapAfter: null, loaded: false };
}

export function newestSeq(t: Timeline): number {
  return t.messages.length ? t.messages[t.messages.length - 1]!.seq : 0;
}

export function oldestSeq(t: Timeline): number {
  return t.messages.length ? t.messages[0]!.seq : 0;
}

function isNewer(a: Message, b: Message): boolean {
  // The same message seen twice: prefer the later edit; a tombstone wins.
  if (a.deleted !== b.deleted) return a.deleted;
  return (a.editedAt ?? '') >= (b.editedAt ?? '');
}

/** Merges messages (any order, any overlap) into a sorted, deduplicated list. */
function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return existing;
  const bySeq = new Map<number, Message>();
  for (const m of existing) bySeq.set(m.seq, m);
  for (const m of incoming) {
    const old = bySeq.get(m.seq);
    if (!old || isNewer(m, old)) bySeq.set(m.seq, old ? keepViewerFields(m, old) : m);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

// Events carry no per-viewer fields (status is null in events): keep ours.
function keepViewerFields(next: Message, prev: Message): Message {
  if (next.status == null && prev.status != null) return { ...next, status: prev.status };
  return next;
}

function dropConfirmed(pending: PendingMessage[], confirmed: Message[]): PendingMessage[] {
  if (pending.length === 0) return pending;
  const done = new Set<string>();
  for (const m of confirmed) if (m.clientId) done.add(`${m.sender.id}\u0000${m.clientId}`);
  const left = pending.filter((p) => !done.has(`${p.sender.id}\u0000${p.clientId}`));
  return left.length === pending.length ? pending : left;
}

function withMessages(t: Timeline, incoming: Message[], live: boolean): Timeline {
  const mine = incoming.filter((m) => m.conversationId === t.conversationId);
  if (mine.length === 0) return t;
  const before = newestSeq(t);
  // Past the end of a range that stops short of the newest: the afterSeq pages bring it, in order.
  const kept = live && t.hasNewer ? mine.filter((m) => m.seq <= before) : mine;
  const messages = mergeMessages(t.messages, kept);
  let gapAfter = t.gapAfter;
  if (live && t.loaded) {
    // A live message beyond newest+1 means we missed some in between.
    const first = Math.min(...mine.map((m) => m.seq));
    if (first > before + 1 && gapAfter === null) gapAfter = before;
  }
  if (live && t.hasNewer) gapAfter = null;
  if (gapAfter !== null && isContiguousFrom(messages, gapAfter)) gapAfter = null;
  return { ...t, messages, pending: dropConfirmed(t.pending, mine), gapAfter };
}

function isContiguousFrom(messages: Message[], seq: number): boolean {
  let expect = seq + 1;
  for (const m of messages) {
    if (m.seq <= seq) continue;
    if (m.seq !== expect) return false;
    expect += 1;
  }
  return true;
}

/** Whether `page` (sorted) overlaps or adjoins the held range (always true when nothing is held). */
function touches(t: Timeline, page: Message[]): boolean {
  if (t.messages.length === 0 || page.length === 0) return true;
  return page[0]!.seq <= newestSeq(t) + 1 && page[page.length - 1]!.seq >= oldestSeq(t) - 1;
}

export type PageDirection = 'newest' | 'older' | 'newer' | 'around';

/**
 * A page from messages(conversationId, beforeSeq? | afterSeq? | aroundSeq?, limit).
 * `direction` says which: 'newest' (none), 'older' (beforeSeq), 'newer'
 * (afterSeq: scrolling down, or filling a gap) or 'around' (aroundSeq =
 * `around`: up to ceil(limit/2) messages at or before it, the rest after).
 */
export function applyPage(t: Timeline, page: Message[], direction: PageDirection, limit: number, around = 0): Timeline {
  const mine = page.filter((m) => m.conversationId === t.conversationId).sort((a, b) => a.seq - b.seq);
  const joins = touches(t, mine);
  // older/newer pages are asked for next to the held range: one that no longer touches it is stale.
  if (!joins && (direction === 'older' || direction === 'newer')) return t;
  const base: Timeline = joins ? t : { ...t, messages: [], gapAfter: null };
  let next = withMessages(base, mine, false);
  if (next === base) next = { ...base };
  const first = mine[0]?.seq ?? 1;
  const last = mine[mine.length - 1]?.seq ?? 0;
  // What the held range already knew beyond this page's ends stays true.
  const olderKnown = base.messages.length > 0 && oldestSeq(base) < first;
  const newerKnown = base.messages.length > 0 && newestSeq(base) > last;
  if (direction === 'newest') {
    next.loaded = true;
    next.hasNewer = false;
    next.hasOlder = olderKnown ? base.hasOlder : mine.length >= limit && first > 1;
  } else if (direction === 'older') {
    next.hasOlder = mine.length >= limit && first > 1;
  } else if (direction === 'newer') {
    if (mine.length < limit) { next.gapAfter = null; next.hasNewer = false; }
  } else {
    const atOrBefore = mine.filter((m) => m.seq <= around).length;
    const after = mine.length - atOrBefore;
    next.loaded = true;
    next.hasOlder = olderKnown ? base.hasOlder : atOrBefore >= Math.ceil(limit / 2) && first > 1;
    next.hasNewer = newerKnown ? base.hasNewer : after >= limit - atOrBefore;
  }
  return next;
}

/**
 * Keeps the `keep` messages nearest `seq` (the one in view) when more than
 * `max` are held, so reading far back through a long history does not grow
 * memory without end. A side that loses messages is marked as having more
 * (hasOlder, or hasNewer: then it behaves as after a jump back in history).
 */
export function trimAround(t: Timeline, seq: number, max: number, keep: number): Timeline {
  const n = t.messages.length;
  if (n <= max || keep >= n) return t;
  let at = t.messages.findIndex((m) => m.seq >= seq);
  if (at < 0) at = n - 1;
  let start = Math.max(0, at - Math.floor(keep / 2));
  const end = Math.min(n, start + keep);
  start = Math.max(0, end - keep);
  const droppedNewer = end < n;
  return {
    ...t,
    messages: t.messages.slice(start, end),
    hasOlder: start > 0 || t.hasOlder,
    hasNewer: droppedNewer || t.hasNewer,
    gapAfter: droppedNewer ? null : t.gapAfter,
  };
}

/** MessageCreatedEvent, or the answer to sendMessage. */
export function applyCreated(t: Timeline, m: Message): Timeline {
  return withMessages(t, [m], true);
}

/** MessageEditedEvent / MessageDeletedEvent / ReactionEvent: replace if we hold it. */
export function applyUpdated(t: Timeline, m: Message): Timeline {
  if (m.conversationId !== t.conversationId) return t;
  const i = t.messages.findIndex((x) => x.id === m.id);
  if (i < 0) return t; // not loaded: the next page fetch brings the current version
  const old = t.messages[i]!;
  const merged = keepViewerFields(m, old);
  // Reactions change without editedAt moving: an update event always wins
  // unless it would resurrect a deleted message.
  if (old.deleted && !merged.deleted) return t;
  const messages = t.messages.slice();
  messages[i] = merged;
  return { ...t, messages };
}

/** Shows a message this device is about to send (optimistic). */
export function addPending(t: Timeline, p: PendingMessage): Timeline {
  if (t.pending.some((x) => x.clientId === p.clientId)) return t;
  if (t.messages.some((m) => m.clientId === p.clientId && m.sender.id === p.sender.id)) return t;
  return { ...t, pending: [...t.pending, p] };
}

export function markPending(t: Timeline, clientId: string, state: PendingMessage['state'], error?: string): Timeline {
  const i = t.pending.findIndex((p) => p.clientId === clientId);
  if (i < 0) return t;
  const pending = t.pending.slice();
  pending[i] = { ...pending[i]!, state, error };
  return { ...t, pending };
}

export function removePending(t: Timeline, clientId: string): Timeline {
  const pending = t.pending.filter((p) => p.clientId !== clientId);
  return pending.length === t.pending.length ? t : { ...t, pending };
}

/** What the view renders: confirmed messages then pending ones. */
export type TimelineItem =
  | { kind: 'message'; key: string; message: Message }
  | { kind: 'pending'; key: string; pending: PendingMessage };

export function items(t: Timeline): TimelineItem[] {
  const out: TimelineItem[] = t.messages.map((m) => ({ kind: 'message', key: m.id, message: m }));
  if (t.hasNewer) return out; // they belong after messages not loaded yet
  for (const p of t.pending) out.push({ kind: 'pending', key: `local:${p.clientId}`, pending: p });
  return out;
}

/** The newest message of `user` that they may still edit (for Up-arrow editing). */
export function lastOwnEditable(t: Timeline, user: UserRef): Message | null {
  for (let i = t.messages.length - 1; i >= 0; i--) {
    const m = t.messages[i]!;
    if (m.sender.id === user.id && m.kind === 'TEXT' && !m.deleted) return m;
  }
  return null;
}

/** A new clientId: unique per device and time-ordered. */
export function newClientId(now: number = Date.now(), random: () => number = Math.random): string {
  return `c${now.toString(36)}${Math.floor(random() * 36 ** 8).toString(36).padStart(8, '0')}`;
}
