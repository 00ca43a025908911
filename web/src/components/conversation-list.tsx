'use client';
// The left pane's conversation list: a listbox (arrow keys move, Enter
// opens), newest activity first, with avatar, presence, preview, time and
// unread badge.
import { useRef, type KeyboardEvent } from 'react';
import type { Conversation } from '@/lib/chat/conversations';
import { peerOf } from '@/lib/chat/conversations';
import { Avatar, type Presence } from './avatar';
import { IconChat } from './icons';
import { callText } from '@/lib/call/call-text';

export function presenceOf(status: string | null | undefined): Presence {
  switch (status) {
    case 'ONLINE': return 'online';
    case 'AWAY': return 'away';
    case 'BUSY': return 'busy';
    default: return 'offline';
  }
}

export const presenceText: Record<Presence, string> = { online: 'Online', away: 'Away', busy: 'Do not disturb', offline: 'Offline' };

export function listTime(iso: string, now = Date.now()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  const today = new Date(now);
  if (t.toDateString() === today.toDateString()) return t.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  const diff = (now - t.getTime()) / 86400000;
  if (diff < 6) return t.toLocaleDateString('en-GB', { weekday: 'short' });
  return t.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

function preview(c: Conversation, me: string): string {
  const m = c.lastMessage;
  if (!m) return c.kind === 'GROUP' ? 'Group created' : 'Say hello';
  if (m.deleted) return 'Message deleted';
  if (m.kind === 'SYSTEM') return systemText(m, me);
  if (m.kind === 'CALL' && m.call) return callText(m.call, m.sender.id === me);
  const who = m.sender.id === me ? 'You: ' : c.kind === 'GROUP' ? `${m.sender.displayName.split(/\s+/)[0]}: ` : '';
  return who + m.body.replace(/\s+/g, ' ');
}

export function systemText(m: { action?: string | null; actionDetail?: string | null; actionUsers?: { id: string; displayName: string }[]; sender: { id: string; displayName: string } }, me: string): string {
  const name = (u: { id: string; displayName: string }) => (u.id === me ? 'you' : u.displayName);
  const actor = m.sender.id === me ? 'You' : m.sender.displayName;
  const users = (m.actionUsers ?? []).map(name).join(', ');
  switch (m.action) {
    case 'CREATED': return `${actor} created the group`;
    case 'ADDED': return `${actor} added ${users}`;
    case 'REMOVED': return `${actor} removed ${users}`;
    case 'LEFT': return `${actor} left`;
    case 'RENAMED': return `${actor} renamed the group to “${m.actionDetail ?? ''}”`;
    case 'ROLE_CHANGED': return `${actor} made ${users} ${(m.actionDetail ?? '').toLowerCase()}`;
    case 'OWNERSHIP_TRANSFERRED': return `${actor} made ${users} the owner`;
    default: return 'Conversation updated';
  }
}

export function ConversationList({ conversations, me, openId, onOpen, query, status, error }: {
  conversations: Conversation[]; me: string; openId: string | null; onOpen: (id: string) => void;
  query: string; status: 'loading' | 'ready' | 'failed' | null; error: string | null;
}) {
  const ref = useRef<HTMLUListElement>(null);
  const q = query.trim().toLowerCase();
  const shown = q ? conversations.filter((c) => c.title.toLowerCase().includes(q)) : conversations;

  const onKey = (e: KeyboardEvent) => {
    const items = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="option"]') ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    let next = -1;
    if (e.key === 'ArrowDown') next = Math.min(items.length - 1, i + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    if (next >= 0) { e.preventDefault(); items[next]?.focus(); }
  };

  if (shown.length === 0) {
    return (
      <div className="list" id="conversations">
        <div className="empty">
          <IconChat />
          {status === 'failed' ? (
            <><strong>Couldn&apos;t load your conversations</strong><span>{error}</span></>
          ) : status === 'loading' || status === null ? (
            <><div className="spinner" aria-hidden /><span>Loading conversations…</span></>
          ) : (
            <>
              <strong>{q ? 'No matches' : 'No conversations yet'}</strong>
              <span>{q ? `No conversation matches “${query}”.` : 'Find people under Contacts and say hello. Conversations show up here, newest first.'}</span>
            </>
          )}
        </div>
      </div>
    );
  }

  return (
    <ul className="list" id="conversations" role="listbox" aria-label="Conversations" ref={ref} onKeyDown={onKey} tabIndex={-1}>
      {shown.map((c, idx) => {
        const peer = peerOf(c, me);
        const presence = peer ? presenceOf(peer.user.presence?.status) : undefined;
        const unread = c.unreadCount ?? 0;
        const selected = c.id === openId;
        const tabbable = selected || (!openId && idx === 0) || (!!openId && !shown.some((x) => x.id === openId) && idx === 0);
        return (
          <li key={c.id} role="presentation">
            <div
              role="option" aria-selected={selected} tabIndex={tabbable ? 0 : -1}
              className={`list-item${unread ? ' unread' : ''}`} data-conversation-id={c.id}
              aria-label={`${c.title}${unread ? `, ${unread} unread` : ''}`}
              onClick={() => onOpen(c.id)}
              onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onOpen(c.id); } }}
            >
              <Avatar id={peer?.user.id ?? c.id} name={c.title} size={46} presence={presence} />
              <div className="body">
                <div className="row">
                  <span className="title">{c.title}</span>
                  <span className="time">{listTime(c.lastActivityAt)}</span>
                </div>
                <div className="row">
                  <span className="preview">{preview(c, me)}</span>
                  {unread ? <span className="badge" aria-hidden>{unread > 99 ? '99+' : unread}</span> : null}
                </div>
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
