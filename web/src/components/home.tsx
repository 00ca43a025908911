'use client';
// The signed-in home screen, laid out the way Skype users know it: the left
// pane holds the user's own avatar and menu, search and the conversation
// list; the right pane the open conversation. Below 760 px only one pane
// shows at a time.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { getAuth, useAuth, useLive } from '@/lib/app-state';
import type { User } from '@/lib/auth/auth';
import { Splash } from './auth-layout';
import { AccountMenu } from './account-menu';
import { IconChat, IconDevices, IconSearch } from './icons';

export function Home() {
  const state = useAuth();
  const router = useRouter();
  useEffect(() => {
    if (state.status === 'signedOut') router.replace('/signin');
  }, [state.status, router]);
  if (state.status === 'restoring') return <Splash detail={state.offline ? "Can't reach the server. Retrying…" : undefined} />;
  if (state.status === 'signedOut') return <Splash label="Signing out" />;
  return <HomeScreen user={state.user} />;
}

function ConnectionBanner() {
  const { status, online } = useLive();
  if (online && status !== 'reconnecting') return null;
  return (
    <div className="banner" role="status" aria-live="polite">
      <span className="spinner" aria-hidden />
      {online ? 'Reconnecting…' : 'You are offline. We will reconnect when the network is back.'}
    </div>
  );
}

function HomeScreen({ user }: { user: User }) {
  const { status, online } = useLive();
  const [query, setQuery] = useState('');
  const [pane] = useState<'list' | 'conversation'>('list');
  const router = useRouter();

  const signOut = async () => {
    await getAuth().signOut();
    router.replace('/signin');
  };

  return (
    <div className="app">
      <a className="skip-link" href="#conversations">Skip to conversations</a>
      <ConnectionBanner />
      <div className="shell" data-pane={pane}>
        <nav className="sidebar" aria-label="Conversations">
          <AccountMenu user={user} status={status} online={online} onSignOut={signOut} />
          <div className="search" role="search">
            <div className="search-box">
              <IconSearch />
              <label className="sr-only" htmlFor="search">Search conversations</label>
              <input
                id="search" type="search" placeholder="Search" value={query} autoComplete="off"
                onChange={(e) => setQuery(e.target.value)}
              />
            </div>
          </div>
          <div className="tabs" role="tablist" aria-label="Lists">
            <button className="tab" role="tab" aria-selected="true" id="tab-chats" aria-controls="conversations">
              <IconChat width={18} height={18} /> Chats
            </button>
          </div>
          <ul className="list" id="conversations" role="listbox" aria-labelledby="tab-chats" tabIndex={-1}>
            <li className="empty" role="presentation">
              <IconChat />
              <strong>{query ? 'No matches' : 'No conversations yet'}</strong>
              <span>{query ? `Nothing matches “${query}”.` : 'Conversations you start or are added to show up here, newest first.'}</span>
            </li>
          </ul>
          <div className="sidebar-foot">
            <span className={`status-dot ${status === 'connected' && online ? 'online' : ''}`} aria-hidden />
            {status === 'connected' && online ? 'Connected, updates arrive live' : 'Waiting for the server'}
          </div>
        </nav>
        <main className="main" id="main" aria-label="Conversation">
          <div className="welcome">
            <div className="welcome-card">
              <WelcomeArt />
              <h2>Welcome, {user.displayName.split(/\s+/)[0]}</h2>
              <p>Pick a conversation on the left to read and reply. Everything you do here shows up live on your other devices too.</p>
              <div className="welcome-actions">
                <Link className="btn btn-secondary" href="/settings"><IconDevices width={18} height={18} /> Devices and sessions</Link>
              </div>
            </div>
          </div>
        </main>
      </div>
    </div>
  );
}

function WelcomeArt() {
  return (
    <svg className="welcome-art" viewBox="0 0 180 140" aria-hidden>
      <circle cx="90" cy="70" r="64" fill="var(--brand-soft)" />
      <rect x="34" y="34" width="82" height="46" rx="14" fill="var(--brand)" />
      <path d="M52 80v16l16-16" fill="var(--brand)" />
      <rect x="46" y="48" width="44" height="6" rx="3" fill="#fff" opacity=".9" />
      <rect x="46" y="60" width="30" height="6" rx="3" fill="#fff" opacity=".6" />
      <rect x="76" y="68" width="74" height="40" rx="14" fill="var(--surface)" stroke="var(--border)" />
      <path d="M132 108v14l-14-14" fill="var(--surface)" stroke="var(--border)" />
      <circle cx="98" cy="88" r="4" fill="var(--text-3)" />
      <circle cx="113" cy="88" r="4" fill="var(--text-3)" />
      <circle cx="128" cy="88" r="4" fill="var(--text-3)" />
    </svg>
  );
}
