'use client';
// The own-avatar button at the top of the left pane and its menu
// (WAI-ARIA menu button: Enter/Space/ArrowDown open, arrows move, Escape closes).
import Link from 'next/link';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { User } from '@/lib/auth/auth';
import type { ConnectionStatus } from '@/lib/api/events';
import type { MyPresence } from '@/lib/chat/chat-client';
import { Avatar, type Presence } from './avatar';
import { IconChevronDown, IconDevices, IconLogout } from './icons';

const chosenText: Record<MyPresence['status'], { text: string; presence: Presence }> = {
  ONLINE: { text: 'Online', presence: 'online' },
  AWAY: { text: 'Away', presence: 'away' },
  BUSY: { text: 'Do not disturb', presence: 'busy' },
  OFFLINE: { text: 'Invisible', presence: 'offline' },
};

export function connectionLabel(status: ConnectionStatus, online: boolean, chosen: MyPresence['status'] = 'ONLINE'): { text: string; presence: Presence } {
  if (!online) return { text: 'Offline', presence: 'offline' };
  switch (status) {
    case 'connected': return chosenText[chosen];
    case 'reconnecting': return { text: 'Reconnecting…', presence: 'away' };
    default: return { text: 'Connecting…', presence: 'offline' };
  }
}

export function AccountMenu({ user, status, online, onSignOut, presence, onPresence }: {
  user: User; status: ConnectionStatus; online: boolean; onSignOut: () => void;
  presence: MyPresence | null; onPresence: (status: MyPresence['status'], text: string | null) => void;
}) {
  const [open, setOpen] = useState(false);
  const [statusText, setStatusText] = useState('');
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const { text: label, presence: dot } = connectionLabel(status, online, presence?.status);
  const text = presence?.text && status === 'connected' && online ? `${label}: ${presence.text}` : label;

  useEffect(() => { if (open) setStatusText(presence?.text ?? ''); }, [open, presence?.text]);

  const items = () => Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"], [role="menuitemradio"]') ?? []);

  // Focus moves to the first item before the menu is painted, so it is never
  // shown (nor read by a test or a screen reader) with focus still on the button.
  useLayoutEffect(() => {
    if (open) items()[0]?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = () => { setOpen(false); buttonRef.current?.focus(); };

  const onMenuKey = (e: KeyboardEvent) => {
    const list = items();
    const i = list.indexOf(document.activeElement as HTMLElement);
    if ((e.target as HTMLElement).tagName === 'INPUT' && e.key !== 'Escape' && e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    if (e.key === 'Escape') { e.preventDefault(); close(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); list[(i + 1) % list.length]?.focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); list[(i - 1 + list.length) % list.length]?.focus(); }
    else if (e.key === 'Home') { e.preventDefault(); list[0]?.focus(); }
    else if (e.key === 'End') { e.preventDefault(); list[list.length - 1]?.focus(); }
    else if (e.key === 'Tab') setOpen(false);
  };

  return (
    <div className="me-bar">
      <button
        ref={buttonRef} className="me-button" aria-haspopup="menu" aria-expanded={open} aria-controls="account-menu"
        aria-label={`Account menu for ${user.displayName}, ${text}`}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => { if (e.key === 'ArrowDown') { e.preventDefault(); setOpen(true); } }}
      >
        <Avatar id={user.id} name={user.displayName} size={44} presence={dot} />
        <span className="me-text">
          <span className="me-name">{user.displayName}</span>
          <span className="me-status"><span className={`status-dot ${dot}`} />{text}</span>
        </span>
        <IconChevronDown width={18} height={18} style={{ color: 'var(--text-3)', flex: 'none' }} />
      </button>
      {open ? (
        <div className="menu" id="account-menu" role="menu" aria-label="Account" ref={menuRef} onKeyDown={onMenuKey}>
          <div className="menu-head" role="none">
            <div style={{ fontWeight: 700 }}>{user.displayName}</div>
            <div className="email">{user.email}</div>
          </div>
          {/* The status items are always there (first in the menu, so focus lands on
              the same item whenever it opens); while the chat state loads the chosen
              status is not known: nothing is checked and choosing waits. */}
          <div className="menu-section" role="presentation">Status</div>
          <div role="group" aria-label="Status">
            {(['ONLINE', 'AWAY', 'BUSY', 'OFFLINE'] as const).map((s) => (
              <button key={s} role="menuitemradio" aria-checked={presence?.status === s} tabIndex={-1} aria-disabled={!presence}
                onClick={() => { if (presence) { onPresence(s, presence.text); close(); } }}>
                <span className={`status-dot ${chosenText[s].presence}`} aria-hidden /> {chosenText[s].text}
              </button>
            ))}
          </div>
          <form className="status-input" onSubmit={(e) => { e.preventDefault(); if (presence) { onPresence(presence.status, statusText.trim() || null); close(); } }}>
            <label className="sr-only" htmlFor="status-text">Status message</label>
            <input id="status-text" value={statusText} maxLength={200} placeholder="What are you up to?" onChange={(e) => setStatusText(e.target.value)} />
            <button className="btn btn-secondary btn-small" type="submit">Set</button>
          </form>
          <div className="menu-sep" role="separator" style={{ borderTop: '1px solid var(--border)', margin: '4px 0' }} />
          <Link role="menuitem" href="/settings" tabIndex={-1}><IconDevices /> Devices and sessions</Link>
          <button role="menuitem" className="danger" tabIndex={-1} onClick={() => { setOpen(false); onSignOut(); }}>
            <IconLogout /> Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
