'use client';
// The signed-in home screen, laid out the way Skype users know it: the left
// pane holds the user's own avatar and menu, search and the conversation
// list; the right pane the open conversation. Below 760 px only one pane
// shows at a time.
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { forgetLocalData } from '@/lib/chat/snapshot';
import { getAuth, useAuth, useCalls, useChat, useLive } from '@/lib/app-state';
import { ringingFor } from '@/lib/call/call-hub';
import type { User } from '@/lib/auth/auth';
import { Splash } from './auth-layout';
import { AccountMenu } from './account-menu';
import { ConversationList } from './conversation-list';
import { IconChat, IconDevices, IconGroupAdd, IconSearch, IconUsers } from './icons';

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

const ConversationView = dynamic(() => import('./conversation-view'), {
  ssr: false,
  loading: () => <div className="welcome"><div className="spinner" role="status" aria-label="Loading conversation" /></div>,
});

const ContactsPanel = dynamic(() => import('./contacts-panel').then((m) => m.ContactsPanel), {
  ssr: false,
  loading: () => <div className="list"><div className="empty"><div className="spinner" role="status" aria-label="Loading contacts" /></div></div>,
});

// Calls: loaded the first time one rings or starts on this device.
const CallLayer = dynamic(() => import('./call-layer'), { ssr: false });

// Message search results: loaded when a search of two characters or more starts.
const MessageSearch = dynamic(() => import('./message-search'), { ssr: false });

const NewGroupDialog = dynamic(() => import('./group-dialogs').then((m) => m.NewGroupDialog), { ssr: false });

/** The open conversation lives in the URL (?c=ID) so reload and Back work. */
function useOpenConversation(): [string | null, (id: string | null) => void] {
  const [id, setId] = useState<string | null>(null);
  useEffect(() => {
    const read = () => setId(new URLSearchParams(window.location.search).get('c'));
    read();
    window.addEventListener('popstate', read);
    return () => window.removeEventListener('popstate', read);
  }, []);
  const open = useCallback((next: string | null) => {
    const url = next ? `/?c=${encodeURIComponent(next)}` : '/';
    if (next && new URLSearchParams(window.location.search).get('c')) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
    setId(next);
  }, []);
  return [id, open];
}

function HomeScreen({ user }: { user: User }) {
  const { status, online } = useLive();
  const { chat, state } = useChat();
  const { hub, state: calls } = useCalls();
  const [query, setQuery] = useState('');
  const [tab, setTab] = useState<'chats' | 'contacts'>('chats');
  const [newGroup, setNewGroup] = useState(false);
  const [openId, setOpenId] = useOpenConversation();
  const router = useRouter();

  useEffect(() => {
    if (!chat) return;
    performance.mark('parley:open:start');
    void chat.open(openId);
  }, [chat, openId]);

  const signOut = async () => {
    forgetLocalData(user.id);
    await getAuth().signOut();
    router.replace('/signin');
  };

  const open = (id: string) => { setTab('chats'); setOpenId(id); };
  const back = () => setOpenId(null);
  const pendingRequests = state ? state.requests.filter((r) => r.to.id === user.id).length : 0;
  const totalUnread = state ? state.conversations.reduce((n, c) => n + (c.unreadCount ?? 0), 0) : 0;

  // Away after presenceSettings.awayAfterSeconds without input (the server decides what others see).
  useEffect(() => {
    if (!chat || !state) return;
    const limit = state.awayAfterSeconds * 1000;
    let last = Date.now();
    const active = () => { last = Date.now(); if (chat.isIdle) chat.setIdle(false); };
    const events = ['pointerdown', 'keydown', 'mousemove', 'wheel', 'touchstart', 'focus'] as const;
    for (const e of events) window.addEventListener(e, active, { passive: true });
    const timer = setInterval(() => { if (Date.now() - last >= limit && !chat.isIdle) chat.setIdle(true); }, 5000);
    return () => { for (const e of events) window.removeEventListener(e, active); clearInterval(timer); };
  }, [chat, state?.awayAfterSeconds]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    document.title = totalUnread ? `(${totalUnread}) Parley` : 'Parley';
  }, [totalUnread]);

  const selectTab = (t: 'chats' | 'contacts') => { setTab(t); setQuery(''); };
  const onTabKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const next = tab === 'chats' ? 'contacts' : 'chats';
      selectTab(next);
      document.getElementById(`tab-${next}`)?.focus();
    }
  };

  return (
    <div className="app">
      <a className="skip-link" href="#conversations">Skip to conversations</a>
      <ConnectionBanner />
      {hub && (calls.engaged || ringingFor(calls, hub.me, null).length) ? (
        <CallLayer hub={hub} titleOf={(c) => state?.conversations.find((x) => x.id === c)?.title ?? null} />
      ) : null}
      <div className="shell" data-pane={openId ? 'conversation' : 'list'}>
        <nav className="sidebar" aria-label="Conversations and contacts">
          <AccountMenu
            user={user} status={status} online={online} onSignOut={signOut}
            presence={state?.status === 'ready' ? state.presence : null}
            onPresence={(p, text) => { void chat?.setPresence(p, text).catch(() => {}); }}
          />
          <div className="search" role="search" style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <div className="search-box" style={{ flex: 1 }}>
              <IconSearch />
              <label className="sr-only" htmlFor="search">{tab === 'chats' ? 'Search conversations' : 'Find people by name or email'}</label>
              <input
                id="search" type="search" value={query} autoComplete="off"
                placeholder={tab === 'chats' ? 'Search conversations' : 'Find people: name or email'}
                onChange={(e) => setQuery(e.target.value)}
              />
            </div>
            <button className="icon-btn accent" aria-label="New group" disabled={!state || state.status !== 'ready'} onClick={() => setNewGroup(true)}>
              <IconGroupAdd />
            </button>
          </div>
          {newGroup && chat && state ? <NewGroupDialog chat={chat} state={state} onClose={() => setNewGroup(false)} onCreated={open} /> : null}
          <div className="tabs" role="tablist" aria-label="Lists" onKeyDown={onTabKey}>
            <button className="tab" role="tab" id="tab-chats" aria-selected={tab === 'chats'} aria-controls="conversations"
              tabIndex={tab === 'chats' ? 0 : -1} onClick={() => selectTab('chats')}>
              <IconChat width={18} height={18} /> Chats
              {totalUnread ? <span className="badge" aria-label={`${totalUnread} unread`}>{totalUnread > 99 ? '99+' : totalUnread}</span> : null}
            </button>
            <button className="tab" role="tab" id="tab-contacts" aria-selected={tab === 'contacts'} aria-controls="contacts-panel"
              tabIndex={tab === 'contacts' ? 0 : -1} onClick={() => selectTab('contacts')}>
              <IconUsers width={18} height={18} /> Contacts
              {pendingRequests ? <span className="badge" aria-label={`${pendingRequests} pending requests`}>{pendingRequests}</span> : null}
            </button>
          </div>
          {tab === 'chats' ? (
            <>
              <ConversationList
                conversations={state?.conversations ?? []} me={user.id} openId={openId} onOpen={open}
                query={query} status={state?.status ?? null} error={state?.error ?? null}
              />
              {chat && query.trim().length >= 2 ? <MessageSearch chat={chat} query={query.trim()} onOpen={(c, seq) => { void chat.reveal(c, seq); setOpenId(c); }} /> : null}
            </>
          ) : chat && state ? (
            <ContactsPanel chat={chat} state={state} query={query} onOpen={open} />
          ) : null}
          <div className="sidebar-foot">
            <span className={`status-dot ${status === 'connected' && online ? 'online' : ''}`} aria-hidden />
            {status === 'connected' && online ? 'Connected, updates arrive live' : 'Waiting for the server'}
          </div>
        </nav>
        <main className="main" id="main" aria-label="Conversation">
          {openId && chat && state ? (
            <ConversationView chat={chat} state={state} id={openId} onBack={back} />
          ) : (
            <div className="welcome">
              <div className="welcome-card">
                <WelcomeArt />
                <h2>Welcome, {user.displayName.split(/\s+/)[0]}</h2>
                <p>Pick a conversation on the left to read and reply, or find colleagues under Contacts. Everything shows up live on your other devices too.</p>
                <div className="welcome-actions">
                  <button className="btn btn-primary" onClick={() => { selectTab('contacts'); document.getElementById('search')?.focus(); }}>
                    <IconUsers width={18} height={18} /> Find people
                  </button>
                  <Link className="btn btn-secondary" href="/settings"><IconDevices width={18} height={18} /> Devices and sessions</Link>
                </div>
              </div>
            </div>
          )}
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
