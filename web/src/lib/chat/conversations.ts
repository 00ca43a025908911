// The conversation list (left pane) and per-conversation receipts, as pure
// functions over immutable arrays. Conversation values come from queries
// (with the viewer's unreadCount, lastMessage, myRole) or from events
// (where those are null): merging keeps the last known viewer fields.
import type { ConversationFieldsFragment } from '@/gql/graphql';
import type { DeliveryStatus, Message, UserRef } from './types';

export type Conversation = ConversationFieldsFragment;
export type Member = Conversation['members'][number];

export function byActivity(a: Conversation, b: Conversation): number {
  return a.lastActivityAt < b.lastActivityAt ? 1 : a.lastActivityAt > b.lastActivityAt ? -1 : a.id < b.id ? -1 : 1;
}

/** Inserts or refreshes a conversation (from a query or a MembershipEvent). */
export function upsertConversation(list: Conversation[], c: Conversation): Conversation[] {
  const old = list.find((x) => x.id === c.id);
  const merged: Conversation = old
    ? {
        ...c,
        myRole: c.myRole ?? old.myRole,
        unreadCount: c.unreadCount ?? old.unreadCount,
        lastMessage: newerMessage(c.lastMessage, old.lastMessage),
        members: c.members.map((m) => {
          // Events carry no presence: keep what we knew.
          const prev = old.members.find((p) => p.user.id === m.user.id);
          return prev && m.user.presence == null ? { ...m, user: { ...m.user, presence: prev.user.presence } } : m;
        }),
      }
    : c;
  return [...list.filter((x) => x.id !== c.id), merged].sort(byActivity);
}

function newerMessage<T extends { seq: number } | null | undefined>(a: T, b: T): T {
  if (!a) return b;
  if (!b) return a;
  return a.seq >= b.seq ? a : b;
}

export function removeConversation(list: Conversation[], id: string): Conversation[] {
  return list.filter((c) => c.id !== id);
}

/**
 * A new message: moves its conversation to the top, updates the preview and,
 * for others' messages in a conversation not being read, the unread count.
 * Returns null when the conversation is unknown (the caller fetches it).
 */
export function applyMessage(list: Conversation[], m: Message, me: string, openId: string | null): Conversation[] | null {
  const c = list.find((x) => x.id === m.conversationId);
  if (!c) return null;
  if (m.seq <= c.lastSeq && c.lastMessage && c.lastMessage.seq >= m.seq) return list; // replayed
  const unread = m.sender.id !== me && m.kind === 'TEXT' && openId !== c.id ? (c.unreadCount ?? 0) + 1 : c.unreadCount;
  const next: Conversation = {
    ...c,
    lastSeq: Math.max(c.lastSeq, m.seq),
    lastActivityAt: m.createdAt > c.lastActivityAt ? m.createdAt : c.lastActivityAt,
    lastMessage: m as Conversation['lastMessage'],
    unreadCount: unread,
  };
  return [...list.filter((x) => x.id !== c.id), next].sort(byActivity);
}

/** An edit, delete or reaction: refreshes the preview when it is the last message. */
export function applyMessageUpdate(list: Conversation[], m: Message): Conversation[] {
  const i = list.findIndex((x) => x.id === m.conversationId && x.lastMessage?.id === m.id);
  if (i < 0) return list;
  const out = list.slice();
  out[i] = { ...out[i]!, lastMessage: m as Conversation['lastMessage'] };
  return out;
}

export function markReadLocally(list: Conversation[], id: string): Conversation[] {
  const i = list.findIndex((x) => x.id === id);
  if (i < 0 || !list[i]!.unreadCount) return list;
  const out = list.slice();
  out[i] = { ...out[i]!, unreadCount: 0 };
  return out;
}

/** ReceiptEvent: a member's read/delivered marks moved (never backwards). */
export function applyReceipt(list: Conversation[], conversationId: string, userId: string, readSeq: number, deliveredSeq: number): Conversation[] {
  const i = list.findIndex((x) => x.id === conversationId);
  if (i < 0) return list;
  const c = list[i]!;
  const members = c.members.map((m) =>
    m.user.id === userId
      ? { ...m, readSeq: Math.max(m.readSeq, readSeq), deliveredSeq: Math.max(m.deliveredSeq, deliveredSeq, readSeq) }
      : m,
  );
  const out = list.slice();
  out[i] = { ...c, members };
  return out;
}

/** Presence of a user wherever they appear as a member. */
export function applyPresence(list: Conversation[], userId: string, presence: Member['user']['presence']): Conversation[] {
  let changed = false;
  const out = list.map((c) => {
    if (!c.members.some((m) => m.user.id === userId)) return c;
    changed = true;
    return { ...c, members: c.members.map((m) => (m.user.id === userId ? { ...m, user: { ...m.user, presence } } : m)) };
  });
  return changed ? out : list;
}

/** How far one of my messages got, from the other members' marks. */
export function deliveryOf(seq: number, members: readonly Member[], me: string): DeliveryStatus {
  const others = members.filter((m) => m.user.id !== me);
  if (others.length === 0) return 'READ';
  if (others.every((m) => m.readSeq >= seq)) return 'READ';
  if (others.every((m) => m.deliveredSeq >= seq || m.readSeq >= seq)) return 'DELIVERED';
  return 'SENT';
}

/** Members other than me who have read up to `seq` ("Seen by ..."). */
export function seenBy(seq: number, members: readonly Member[], me: string): UserRef[] {
  return members.filter((m) => m.user.id !== me && m.readSeq >= seq).map((m) => ({ id: m.user.id, displayName: m.user.displayName }));
}

/** The other person of a direct conversation. */
export function peerOf(c: Conversation, me: string): Member | null {
  if (c.kind !== 'DIRECT') return null;
  return c.members.find((m) => m.user.id !== me) ?? null;
}

/** Someone typing, until expiresAt. */
export interface Typist { user: UserRef; expiresAt: number }

export function applyTyping(typists: readonly Typist[], user: UserRef, typing: boolean, expiresAt: number): Typist[] {
  const rest = typists.filter((t) => t.user.id !== user.id);
  return typing ? [...rest, { user, expiresAt }] : rest;
}

export function activeTypists(typists: readonly Typist[], now: number): Typist[] {
  return typists.filter((t) => t.expiresAt > now);
}

/** "Ada is typing…", "Ada and Bob are typing…", "3 people are typing…". */
export function typingText(typists: readonly Typist[]): string | null {
  const names = typists.map((t) => t.user.displayName.split(/\s+/)[0] ?? t.user.displayName);
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}
