'use client';
// The open conversation: header with calls, the message history (newest at
// the bottom, older pages loaded when scrolling up), typing and receipts,
// and the composer. Loaded on demand (next/dynamic) so the home screen's
// first load stays small.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { HOLD_MAX, type ChatClient, type ChatState } from '@/lib/chat/chat-client';
import { activeTypists, deliveryOf, peerOf, seenBy, typingText, type Conversation } from '@/lib/chat/conversations';
import { items as timelineItems, lastOwnEditable, type TimelineItem } from '@/lib/chat/message-store';
import type { Message, PendingMessage } from '@/lib/chat/types';
import { humanMessage } from '@/lib/api/errors';
import { relativeTime } from '@/lib/format';
import { Avatar } from './avatar';
import { presenceOf, presenceText, systemText } from './conversation-list';
import { IconBack, IconClock, IconClose, IconDown, IconEdit, IconInfo, IconPhone, IconReply, IconSend, IconSmile, IconTrash, IconVideo } from './icons';
import { DetailsDialog } from './group-dialogs';
import { useCalls } from '@/lib/app-state';
import { callText } from '@/lib/call/call-text';
import { placeCall, sessionStore } from '@/lib/call/call-session';
import { sessionDeps } from '@/lib/call/browser-deps';
import { anchorAt, rowAt, rowTops, topFor, visibleRange, type Anchor } from '@/lib/ui/windowing';

const QUICK = ['👍', '❤️', '😂', '😮', '😢', '🎉'];
const GROUP_MS = 5 * 60_000;

function dayLabel(iso: string): string {
  const d = new Date(iso);
  const today = new Date();
  const yesterday = new Date(Date.now() - 86400000);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', ...(d.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' }) });
}

const clock = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

interface Row {
  item: TimelineItem;
  senderId: string;
  createdAt: string;
  first: boolean; // first of a group (show name/avatar)
  day: string | null; // a day separator before it
}

function rows(list: TimelineItem[]): Row[] {
  const out: Row[] = [];
  let prev: { senderId: string; at: number; day: string; system: boolean } | null = null;
  for (const item of list) {
    const m = item.kind === 'message' ? item.message : null;
    const senderId = m ? m.sender.id : item.kind === 'pending' ? item.pending.sender.id : '';
    const createdAt = m ? m.createdAt : item.kind === 'pending' ? item.pending.createdAt : '';
    const at = Date.parse(createdAt);
    const day = new Date(at).toDateString();
    const system = !!m && m.kind !== 'TEXT';
    const newDay = !prev || prev.day !== day;
    const first = newDay || !prev || prev.senderId !== senderId || prev.system || system || at - prev.at > GROUP_MS;
    out.push({ item, senderId, createdAt, first, day: newDay ? dayLabel(createdAt) : null });
    prev = { senderId, at, day, system };
  }
  return out;
}

export default function ConversationView({ chat, state, id, onBack }: {
  chat: ChatClient; state: ChatState; id: string; onBack: () => void;
}) {
  const conv = state.conversations.find((c) => c.id === id) ?? null;
  const timeline = state.timelines[id];
  const me = chat.me.id;
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [editing, setEditing] = useState<Message | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [details, setDetails] = useState(false);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  // Set by the composer on send: the list follows to the bottom (MessageList owns the scrolling).
  const follow = useRef(false);
  const { hub, state: calls } = useCalls();
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.get, () => null);
  const activeCall = Object.values(calls.calls).find((c) => c.conversationId === id) ?? null;
  const inThisCall = !!session && session.getState().phase !== 'ended' && session.getState().conversationId === id;
  const startCall = (video: boolean) => {
    if (!hub) return;
    placeCall(sessionDeps(hub), id, video).catch((e) => setError(humanMessage(e)));
  };

  useEffect(() => { setReplyTo(null); setEditing(null); setError(null); }, [id]);
  const typists = activeTypists(state.typing[id] ?? [], now);
  useEffect(() => {
    if (!(state.typing[id] ?? []).length) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [state.typing, id]);

  const act = useCallback(async (fn: () => Promise<unknown>) => {
    try { await fn(); setError(null); } catch (e) { setError(humanMessage(e)); }
  }, []);

  if (!conv) {
    return <div className="welcome"><div className="spinner" role="status" aria-label="Loading conversation" /></div>;
  }
  const peer = peerOf(conv, me);
  const presence = peer ? presenceOf(peer.user.presence?.status) : undefined;
  const lastSeen = peer?.user.presence?.status === 'OFFLINE' && peer.user.presence.lastSeenAt
    ? `Last seen ${relativeTime(peer.user.presence.lastSeenAt)}` : null;
  const subtitle = peer
    ? [presence ? lastSeen ?? presenceText[presence] : '', peer.user.presence?.text].filter(Boolean).join(' · ')
    : `${conv.members.length} members`;

  return (
    <>
      <header className="main-head">
        <button className="icon-btn back-btn" onClick={onBack} aria-label="Back to conversations"><IconBack /></button>
        <Avatar id={peer?.user.id ?? conv.id} name={conv.title} size={40} presence={presence} />
        <div className="grow">
          <h2 id="conversation-title">{conv.title}</h2>
          <div className="sub">{subtitle}</div>
        </div>
        <div className="head-actions">
          <button className="icon-btn accent" aria-label="Video call" disabled={!hub || inThisCall} onClick={() => startCall(true)}><IconVideo /></button>
          <button className="icon-btn accent" aria-label="Call" disabled={!hub || inThisCall} onClick={() => startCall(false)}><IconPhone /></button>
          <button className="icon-btn" aria-label={conv.kind === 'GROUP' ? 'Group details' : 'Contact details'} onClick={() => setDetails(true)}><IconInfo /></button>
        </div>
      </header>
      {activeCall && !inThisCall && activeCall.state === 'ONGOING' && !activeCall.ringing.some((u) => u.id === me) ? (
        <div className="call-banner" role="status">
          <IconPhone width={18} height={18} aria-hidden />
          <span className="grow">A call is in progress ({activeCall.participants.length} in it)</span>
          <button className="btn btn-secondary btn-small" onClick={() => startCall(true)}>Join with video</button>
          <button className="btn btn-primary btn-small" onClick={() => startCall(false)}>Join call</button>
        </div>
      ) : null}
      {details ? <DetailsDialog chat={chat} state={state} conv={conv} onClose={() => setDetails(false)} /> : null}
      {error ? <div className="alert" role="alert" style={{ margin: '8px 16px 0' }}>{error}</div> : null}
      <MessageList
        key={id} chat={chat} conv={conv} me={me} items={timeline ? timelineItems(timeline) : []}
        loaded={!!timeline?.loaded} hasOlder={!!timeline?.hasOlder} hasNewer={!!timeline?.hasNewer}
        focus={state.focus?.conversationId === id ? state.focus : null} follow={follow}
        onReply={(m) => { setEditing(null); setReplyTo(m); composerRef.current?.focus(); }}
        onEdit={(m) => { setReplyTo(null); setEditing(m); composerRef.current?.focus(); }}
        act={act}
      />
      <div className="typing" aria-live="polite">{typingText(typists) ?? ''}</div>
      <Composer
        key={`composer-${id}`} inputRef={composerRef} chat={chat} conv={conv} me={me}
        replyTo={replyTo} editing={editing}
        onCancel={() => { setReplyTo(null); setEditing(null); }}
        onEditLast={() => {
          const m = timeline ? lastOwnEditable(timeline, chat.me) : null;
          if (m) { setReplyTo(null); setEditing(m); }
        }}
        onSent={() => { follow.current = true; setReplyTo(null); setEditing(null); }}
        act={act}
      />
    </>
  );
}

// The history is windowed: only rows within OVERSCAN pixels of the viewport
// are in the DOM, between two spacers sized from measured heights (an
// estimate until a row has been rendered once). Each row is one <li> (its
// day separator and its message) so its height is one measurement. What is
// on screen stays put when older pages load or rows are measured (an anchor:
// the row at the top of the viewport and how far into it we are); at the
// bottom the list follows new messages.
const OVERSCAN = 1200;
const estimate = (r: Row) => (r.day ? 48 : 0) + (r.first ? 60 : 42);

function MessageList({ chat, conv, me, items, loaded, hasOlder, hasNewer, focus, follow, onReply, onEdit, act }: {
  chat: ChatClient; conv: Conversation; me: string; items: TimelineItem[]; loaded: boolean; hasOlder: boolean; hasNewer: boolean;
  focus: ChatState['focus']; follow: React.RefObject<boolean>;
  onReply: (m: Message) => void; onEdit: (m: Message) => void; act: (fn: () => Promise<unknown>) => Promise<void>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const anchor = useRef<Anchor | null>(null);
  const heights = useRef(new Map<string, number>());
  // A row to bring to the middle and highlight: a search result (focus) or a quoted message.
  const want = useRef<{ key: string; n: number } | null>(null);
  const focused = useRef(0);
  const [measured, setMeasured] = useState(0);
  // The viewport in list coordinates; height 0 until known (then the newest rows are rendered).
  const [view, setView] = useState({ top: 0, height: 0 });
  const [flashKey, setFlashKey] = useState<string | null>(null);
  // Scrolled away from the newest message (or holding a range back in history): offer "Jump to latest".
  const [away, setAway] = useState(false);
  const list = useMemo(() => rows(items), [items]);
  const keys = useMemo(() => list.map((r) => r.item.key), [list]);
  const indexOf = useMemo(() => {
    const m = new Map<string, number>();
    keys.forEach((k, i) => m.set(k, i));
    return (k: string) => m.get(k) ?? -1;
  }, [keys]);
  const byId = useMemo(() => {
    const m = new Map<string, Message>();
    for (const it of items) if (it.kind === 'message') m.set(it.message.id, it.message);
    return m;
  }, [items]);
  // Row tops: `measured` changes whenever a rendered row was measured at a new height.
  const tops = useMemo(() => rowTops(list.length, (i) => heights.current.get(keys[i]!) ?? estimate(list[i]!)), [list, keys, measured]);

  // Last own confirmed message: where "Seen by" goes.
  let lastOwnSeq = 0;
  for (const it of items) if (it.kind === 'message' && it.message.sender.id === me && it.message.kind === 'TEXT') lastOwnSeq = it.message.seq;
  const seen = lastOwnSeq ? seenBy(lastOwnSeq, conv.members, me) : [];

  // A new search result to show.
  if (focus && focus.n !== focused.current) {
    const k = list.find((r) => r.item.kind === 'message' && r.item.message.seq === focus.seq)?.item.key;
    if (k) { focused.current = focus.n; want.current = { key: k, n: focus.n }; }
  }

  const wantIndex = want.current ? indexOf(want.current.key) : -1;
  const total = tops[list.length] ?? 0;
  const [start, end] = view.height === 0
    ? [Math.max(0, rowAt(tops, total - 3000)), list.length]
    : visibleRange(tops, view.top, view.height, OVERSCAN, wantIndex);

  const listTop = (el: HTMLDivElement, ol: HTMLOListElement) => ol.getBoundingClientRect().top - el.getBoundingClientRect().top + el.scrollTop;

  // After every render: measure the rendered rows, then put the scroll position where it belongs
  // (the row to show, the bottom, or the anchor), then widen the window if that moved it.
  useLayoutEffect(() => {
    const el = ref.current;
    const ol = listRef.current;
    if (!el || !ol) return;
    let changed = false;
    for (const li of Array.from(ol.children) as HTMLElement[]) {
      const k = li.dataset.row;
      if (!k) continue;
      const h = li.offsetHeight;
      if (h > 0 && heights.current.get(k) !== h) { heights.current.set(k, h); changed = true; }
    }
    const fresh = changed ? rowTops(list.length, (i) => heights.current.get(keys[i]!) ?? estimate(list[i]!)) : tops;
    const base = listTop(el, ol);
    if (follow.current && !hasNewer) { follow.current = false; stick.current = true; want.current = null; }
    const w = want.current;
    const wi = w ? indexOf(w.key) : -1;
    if (w && wi >= 0) {
      const h = fresh[wi + 1]! - fresh[wi]!;
      el.scrollTop = base + fresh[wi]! + h / 2 - el.clientHeight / 2;
      stick.current = false;
      const row = ol.querySelector<HTMLElement>(`[data-row="${CSS.escape(w.key)}"]`);
      if (row && !changed) {
        want.current = null;
        setFlashKey(w.key);
        setTimeout(() => setFlashKey((k) => (k === w.key ? null : k)), 1500);
        row.querySelector<HTMLElement>('[tabindex="-1"]')?.focus({ preventScroll: true });
        if (w.n > 0) chat.focusShown(w.n);
      }
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    } else if (anchor.current) {
      const t = topFor(anchor.current, fresh, indexOf);
      if (t !== null) el.scrollTop = base + t;
    }
    const top = el.scrollTop - base;
    anchor.current = anchorAt(fresh, keys, top);
    setAway(hasNewer || el.scrollHeight - el.scrollTop - el.clientHeight > 600);
    if (changed) setMeasured((m) => m + 1);
    if (Math.abs(top - view.top) > 1 || el.clientHeight !== view.height) setView({ top, height: el.clientHeight });
  });

  // The viewport changes size (window resized, composer grows): keep the window filled.
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setView((v) => (v.height === el.clientHeight ? v : { ...v, height: el.clientHeight })));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // The first render of a loaded conversation: the end of the "open" measurement.
  useEffect(() => {
    if (!loaded) return;
    if (typeof performance !== 'undefined' && performance.getEntriesByName('parley:open:start').length) {
      requestAnimationFrame(() => {
        try { performance.measure('parley:open', 'parley:open:start'); } catch { /* no start mark */ }
        performance.clearMarks('parley:open:start');
      });
    }
  }, [loaded]);

  const onScroll = () => {
    const el = ref.current;
    const ol = listRef.current;
    if (!el || !ol) return;
    const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
    stick.current = !hasNewer && fromBottom < 80;
    setAway(hasNewer || fromBottom > 600);
    const top = el.scrollTop - listTop(el, ol);
    anchor.current = anchorAt(tops, keys, top);
    if (Math.abs(top - view.top) > 1) setView({ top, height: el.clientHeight });
    // Far back in a long history: drop what is far from here (it loads again when scrolled to).
    if (items.length > HOLD_MAX && anchor.current) {
      const r = list[indexOf(anchor.current.key)];
      if (r?.item.kind === 'message') chat.trim(conv.id, r.item.message.seq);
    }
    // Back in history: newer pages load below (appending does not move what is on screen).
    if (fromBottom < 600 && hasNewer && loaded) void chat.loadNewer(conv.id);
    if (el.scrollTop < 600 && hasOlder && loaded) void chat.loadOlder(conv.id);
  };

  const jump = (id: string) => {
    const k = byId.has(id) ? id : null;
    if (!k || indexOf(k) < 0) return;
    want.current = { key: k, n: 0 };
    setMeasured((m) => m + 1);
  };

  const toLatest = async () => {
    if (hasNewer && !(await chat.loadNewest(conv.id))) return;
    stick.current = true;
    want.current = null;
    setAway(false);
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
    setMeasured((m) => m + 1);
  };

  const first = items.find((i) => i.kind === 'message');
  const last = [...items].reverse().find((i) => i.kind === 'message');
  return (
    <div className="messages-wrap">
    {away || hasNewer ? (
      <button className="jump-latest" onClick={() => void toLatest()} aria-label="Jump to latest messages"><IconDown width={18} height={18} /> Latest</button>
    ) : null}
    <div className="messages" ref={ref} onScroll={onScroll} tabIndex={0} role="log" aria-label={`Messages with ${conv.title}`} aria-live="off"
      data-loaded={items.length} data-rendered={end - start}
      data-first-seq={first?.kind === 'message' ? first.message.seq : undefined} data-last-seq={last?.kind === 'message' ? last.message.seq : undefined}>
      {!loaded ? <div className="center-pad"><div className="spinner" role="status" aria-label="Loading messages" /></div> : null}
      {loaded && !hasOlder ? <div className="history-start">This is the beginning of your conversation{conv.kind === 'DIRECT' ? ` with ${conv.title}` : ''}.</div> : null}
      {loaded && hasOlder ? <div className="center-pad"><div className="spinner" aria-hidden /></div> : null}
      <ol className="message-list" ref={listRef} style={{ paddingTop: tops[start], paddingBottom: total - (tops[end] ?? total) }}>
        {list.slice(start, end).map((r) => (
          <li key={r.item.key} className="row" data-row={r.item.key}>
            {r.day ? <div className="day" role="separator"><span>{r.day}</span></div> : null}
            {r.item.kind === 'message' ? (
              r.item.message.kind === 'SYSTEM' ? (
                <div className="system" data-message-id={r.item.message.id} data-seq={r.item.message.seq} tabIndex={-1}>{systemText(r.item.message, me)}</div>
              ) : r.item.message.kind === 'CALL' && r.item.message.call ? (
                <CallRow m={r.item.message} me={me} />
              ) : (
                <MessageRow
                  m={r.item.message} first={r.first} own={r.senderId === me} conv={conv} me={me} flash={flashKey === r.item.key}
                  quoted={r.item.message.replyToId ? byId.get(r.item.message.replyToId) ?? null : null}
                  seen={r.item.message.seq === lastOwnSeq ? seen : []}
                  onReply={onReply} onEdit={onEdit} onJump={jump}
                  onDelete={(m) => act(() => chat.remove(m.id))}
                  onReact={(m, e, add) => act(() => chat.react(m.id, e, add))}
                />
              )
            ) : (
              <PendingRow p={r.item.pending} first={r.first} onRetry={() => chat.retry(r.item.key.slice(6))} onDiscard={() => chat.discard(r.item.key.slice(6))} />
            )}
          </li>
        ))}
      </ol>
      {loaded && hasNewer ? <div className="center-pad"><div className="spinner" aria-hidden /></div> : null}
    </div>
    </div>
  );
}

function Ticks({ status }: { status: 'SENT' | 'DELIVERED' | 'READ' }) {
  const label = status === 'SENT' ? 'Sent' : status === 'DELIVERED' ? 'Delivered' : 'Read';
  return (
    <span className={`ticks ${status.toLowerCase()}`} role="img" aria-label={label} title={label}>
      <svg viewBox="0 0 20 12" aria-hidden><path d="M1 6.5 4.5 10 11 2.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />{status !== 'SENT' ? <path d="M8 9.5 8.5 10 15 2.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" /> : null}</svg>
    </span>
  );
}

function MessageRow({ m, first, own, conv, me, flash, quoted, seen, onReply, onEdit, onDelete, onReact, onJump }: {
  m: Message; first: boolean; flash: boolean; own: boolean; conv: Conversation; me: string; quoted: Message | null; seen: { id: string; displayName: string }[];
  onReply: (m: Message) => void; onEdit: (m: Message) => void; onDelete: (m: Message) => void;
  onReact: (m: Message, emoji: string, add: boolean) => void; onJump: (id: string) => void;
}) {
  const [picker, setPicker] = useState(false);
  const status = own ? deliveryOf(m.seq, conv.members, me) : null;
  const showName = first && !own && conv.kind === 'GROUP';
  return (
    <div className={`msg${own ? ' own' : ''}${first ? ' first' : ''}${flash ? ' flash' : ''}`} data-message-id={m.id} data-seq={m.seq} tabIndex={-1}>
      {!own ? <span className="msg-avatar">{first ? <Avatar id={m.sender.id} name={m.sender.displayName} size={32} /> : null}</span> : null}
      <div className="msg-col">
        {showName ? <div className="msg-name">{m.sender.displayName}</div> : null}
        <div className={`bubble${m.deleted ? ' deleted' : ''}`}>
          {quoted && !m.deleted ? (
            <button className="quote" onClick={() => onJump(quoted.id)} aria-label={`Replying to ${quoted.sender.displayName}: ${quoted.deleted ? 'deleted message' : quoted.body.slice(0, 80)}. Show it`}>
              <strong>{quoted.sender.displayName}</strong>
              <span>{quoted.deleted ? 'Message deleted' : quoted.body}</span>
            </button>
          ) : null}
          <span className="text">{m.deleted ? 'This message was deleted' : m.body}</span>
          <span className="meta">
            {m.editedAt && !m.deleted ? <span className="edited">edited</span> : null}
            <time dateTime={m.createdAt}>{clock(m.createdAt)}</time>
            {status && !m.deleted ? <Ticks status={status} /> : null}
          </span>
        </div>
        {m.reactions.length ? (
          <div className="reactions">
            {m.reactions.map((r) => {
              const mine = r.users.some((u) => u.id === me);
              return (
                <button key={r.emoji} className={`reaction${mine ? ' mine' : ''}`} aria-pressed={mine}
                  aria-label={`${r.emoji} ${r.count}: ${r.users.map((u) => u.displayName).join(', ')}`}
                  onClick={() => onReact(m, r.emoji, !mine)}>
                  <span aria-hidden>{r.emoji}</span> <span aria-hidden>{r.count}</span>
                </button>
              );
            })}
          </div>
        ) : null}
        {seen.length ? <div className="seen">Seen by {seen.map((u) => u.displayName.split(/\s+/)[0]).join(', ')}</div> : null}
        {!m.deleted ? (
          <div className="msg-tools" role="toolbar" aria-label="Message actions">
            <button className="icon-btn sm" aria-label="React" aria-expanded={picker} onClick={() => setPicker((p) => !p)}><IconSmile /></button>
            <button className="icon-btn sm" aria-label="Reply" onClick={() => onReply(m)}><IconReply /></button>
            {own ? <button className="icon-btn sm" aria-label="Edit message" onClick={() => onEdit(m)}><IconEdit /></button> : null}
            {own ? <button className="icon-btn sm" aria-label="Delete message" onClick={() => { if (window.confirm('Delete this message for everyone?')) onDelete(m); }}><IconTrash /></button> : null}
            {picker ? (
              <div className="picker" role="menu" aria-label="Reactions" onKeyDown={(e) => { if (e.key === 'Escape') setPicker(false); }}>
                {QUICK.map((e) => (
                  <button key={e} role="menuitem" aria-label={`React with ${e}`} onClick={() => {
                    setPicker(false);
                    onReact(m, e, !m.reactions.some((r) => r.emoji === e && r.users.some((u) => u.id === me)));
                  }}>{e}</button>
                ))}
              </div>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}

function PendingRow({ p, first, onRetry, onDiscard }: { p: PendingMessage; first: boolean; onRetry: () => void; onDiscard: () => void }) {
  return (
    <div className={`msg own${first ? ' first' : ''} pending`} data-client-id={p.clientId}>
      <div className="msg-col">
        <div className="bubble">
          <span className="text">{p.body}</span>
          <span className="meta">
            <time dateTime={p.createdAt}>{clock(p.createdAt)}</time>
            {p.state === 'queued' ? <span className="ticks" role="img" aria-label="Sending" title="Sending"><IconClock width={13} height={13} /></span> : null}
          </span>
        </div>
        {p.state === 'failed' ? (
          <div className="failed" role="alert">
            Not sent. {p.error}
            <button className="link-btn" onClick={onRetry}>Retry</button>
            <button className="link-btn" onClick={onDiscard}>Discard</button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function Composer({ inputRef, chat, conv, me, replyTo, editing, onCancel, onEditLast, onSent, act }: {
  inputRef: React.RefObject<HTMLTextAreaElement | null>; chat: ChatClient; conv: Conversation; me: string;
  replyTo: Message | null; editing: Message | null; onCancel: () => void; onEditLast: () => void; onSent: () => void;
  act: (fn: () => Promise<unknown>) => Promise<void>;
}) {
  const [text, setText] = useState('');
  const [mentions, setMentions] = useState<{ id: string; name: string }[]>([]);
  const [suggest, setSuggest] = useState<{ query: string; start: number; index: number } | null>(null);

  useEffect(() => {
    if (editing) { setText(editing.body); requestAnimationFrame(() => inputRef.current?.setSelectionRange(editing.body.length, editing.body.length)); }
  }, [editing, inputRef]);

  const candidates = useMemo(() => {
    if (!suggest) return [];
    const q = suggest.query.toLowerCase();
    return conv.members.filter((m) => m.user.id !== me && m.user.displayName.toLowerCase().startsWith(q)).slice(0, 6);
  }, [suggest, conv.members, me]);

  const updateSuggest = (value: string, caret: number) => {
    const before = value.slice(0, caret);
    const m = /(^|\s)@([\p{L}\p{N}_.-]{0,30})$/u.exec(before);
    setSuggest(m && conv.kind === 'GROUP' ? { query: m[2] ?? '', start: caret - (m[2]?.length ?? 0) - 1, index: 0 } : null);
  };

  const pick = (member: Conversation['members'][number]) => {
    if (!suggest) return;
    const el = inputRef.current;
    const caret = el?.selectionStart ?? text.length;
    const insert = `@${member.user.displayName} `;
    const next = text.slice(0, suggest.start) + insert + text.slice(caret);
    setText(next);
    setMentions((ms) => (ms.some((x) => x.id === member.user.id) ? ms : [...ms, { id: member.user.id, name: member.user.displayName }]));
    setSuggest(null);
    requestAnimationFrame(() => { el?.focus(); el?.setSelectionRange(suggest.start + insert.length, suggest.start + insert.length); });
  };

  const submit = () => {
    const body = text.trim();
    if (editing) {
      if (body && body !== editing.body) void act(() => chat.edit(editing.id, body));
      setText(''); onSent();
      return;
    }
    if (!body) return;
    const ids = mentions.filter((m) => body.includes(`@${m.name}`)).map((m) => m.id);
    chat.send(conv.id, text, replyTo?.id ?? null, ids);
    setText(''); setMentions([]); onSent();
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (suggest && candidates.length) {
      if (e.key === 'ArrowDown') { e.preventDefault(); setSuggest({ ...suggest, index: (suggest.index + 1) % candidates.length }); return; }
      if (e.key === 'ArrowUp') { e.preventDefault(); setSuggest({ ...suggest, index: (suggest.index - 1 + candidates.length) % candidates.length }); return; }
      if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); pick(candidates[suggest.index] ?? candidates[0]!); return; }
      if (e.key === 'Escape') { e.preventDefault(); setSuggest(null); return; }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) { e.preventDefault(); submit(); return; }
    if (e.key === 'Escape' && (replyTo || editing)) { e.preventDefault(); setText(''); onCancel(); return; }
    if (e.key === 'ArrowUp' && text === '' && !editing) { e.preventDefault(); onEditLast(); }
  };

  return (
    <div className="composer-wrap">
      {replyTo || editing ? (
        <div className="composer-context">
          <div className="grow">
            <strong>{editing ? 'Editing message' : `Replying to ${replyTo!.sender.displayName}`}</strong>
            <span>{(editing ?? replyTo)!.body}</span>
          </div>
          <button className="icon-btn sm" aria-label={editing ? 'Cancel editing' : 'Cancel reply'} onClick={() => { if (editing) setText(''); onCancel(); }}><IconClose /></button>
        </div>
      ) : null}
      {suggest && candidates.length ? (
        <ul className="mentions" role="listbox" id="mention-list" aria-label="Mention someone">
          {candidates.map((m, i) => (
            <li key={m.user.id} role="option" aria-selected={i === suggest.index} onMouseDown={(e) => { e.preventDefault(); pick(m); }}>
              <Avatar id={m.user.id} name={m.user.displayName} size={24} /> {m.user.displayName}
            </li>
          ))}
        </ul>
      ) : null}
      <form className="composer" onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <label htmlFor="composer" className="sr-only">Message</label>
        <textarea
          id="composer" ref={inputRef} rows={1} value={text} placeholder={`Message ${conv.title}`} maxLength={16000}
          aria-autocomplete="list" aria-controls={suggest && candidates.length ? 'mention-list' : undefined}
          onChange={(e) => { setText(e.target.value); updateSuggest(e.target.value, e.target.selectionStart); if (!editing) chat.typing(conv.id, e.target.value.length > 0); }}
          onKeyDown={onKey}
          style={{ height: `${Math.min(160, 22 * Math.max(1, text.split('\n').length) + 20)}px` }}
        />
        <button className="send-btn" type="submit" aria-label={editing ? 'Save edit' : 'Send'} disabled={!text.trim()}><IconSend /></button>
      </form>
    </div>
  );
}

function CallRow({ m, me }: { m: Message; me: string }) {
  const c = m.call!;
  const mine = m.sender.id === me;
  const missed = !mine && c.result !== 'COMPLETED' && c.result !== 'DECLINED';
  return (
    <div className={`call-entry${missed ? ' missed' : ''}`} data-message-id={m.id} data-seq={m.seq} tabIndex={-1}>
      {c.video ? <IconVideo width={16} height={16} /> : <IconPhone width={16} height={16} />}
      <span>{callText(c, mine)}</span>
      <time dateTime={m.createdAt}>{clock(m.createdAt)}</time>
    </div>
  );
}
