'use client';
// The own-avatar button at the top of the left pane and its menu
// (WAI-ARIA menu button: Enter/Space/ArrowDown open, arrows move, Escape closes).
import Link from 'next/link';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { User } from '@/lib/auth/auth';
import type { ConnectionStatus } from '@/lib/api/events';
import { Avatar, type Presence } from './avatar';
import { IconChevronDown, IconDevices, IconLogout } from './icons';

export function connectionLabel(status: ConnectionStatus, online: boolean): { text: string; presence: Presence } {
  if (!online) return { text: 'Offline', presence: 'offline' };
  switch (status) {
    case 'connected': return { text: 'Online', presence: 'online' };
    case 'reconnecting': return { text: 'Reconnecting…', presence: 'away' };
    default: return { text: 'Connecting…', presence: 'offline' };
  }
}

export function AccountMenu({ user, status, online, onSignOut }: {
  user: User; status: ConnectionStatus; online: boolean; onSignOut: () => void;
}) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const { text, presence } = connectionLabel(status, online);

  const items = () => Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    items()[0]?.focus();
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
        <Avatar id={user.id} name={user.displayName} size={44} presence={presence} />
        <span className="me-text">
          <span className="me-name">{user.displayName}</span>
          <span className="me-status"><span className={`status-dot ${presence}`} />{text}</span>
        </span>
        <IconChevronDown width={18} height={18} style={{ color: 'var(--text-3)', flex: 'none' }} />
      </button>
      {open ? (
        <div className="menu" id="account-menu" role="menu" aria-label="Account" ref={menuRef} onKeyDown={onMenuKey}>
          <div className="menu-head" role="none">
            <div style={{ fontWeight: 700 }}>{user.displayName}</div>
            <div className="email">{user.email}</div>
          </div>
          <Link role="menuitem" href="/settings" tabIndex={-1}><IconDevices /> Devices and sessions</Link>
          <button role="menuitem" className="danger" tabIndex={-1} onClick={() => { setOpen(false); onSignOut(); }}>
            <IconLogout /> Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
