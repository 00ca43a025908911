'use client';
// The app's singletons (transport, auth, live events) and the React hooks
// that read them. One instance per tab, created on first use in the browser.
import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { HttpTransport, defaultEndpoint } from '@/lib/api/client';
import { AuthManager, sessionStorageStore, type AuthState } from '@/lib/auth/auth';
import { EventStream, type ConnectionStatus, type LiveEvent } from '@/lib/api/events';
import { ChatClient, type ChatState } from '@/lib/chat/chat-client';
import { localOutboxStorage } from '@/lib/chat/outbox';
import { localSnapshotStorage } from '@/lib/chat/snapshot';
import { CallHub, type CallHubState } from '@/lib/call/call-hub';

let authSingleton: AuthManager | null = null;

export function getAuth(): AuthManager {
  if (!authSingleton) {
    const { http } = defaultEndpoint();
    authSingleton = new AuthManager(new HttpTransport(http), sessionStorageStore());
  }
  return authSingleton;
}

const serverState: AuthState = { status: 'restoring', offline: false };

/** The auth state; starts restoring the stored session on first use. */
export function useAuth(): AuthState {
  const auth = typeof window === 'undefined' ? null : getAuth();
  const state = useSyncExternalStore(
    auth ? auth.subscribe : () => () => {},
    auth ? auth.getState : () => serverState,
    () => serverState,
  );
  useEffect(() => {
    void getAuth().restore().catch(() => {});
  }, []);
  return state;
}

type Listener = (e: LiveEvent) => void;

interface LiveContextValue {
  status: ConnectionStatus;
  online: boolean;
  chat: ChatClient | null;
  calls: CallHub | null;
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<LiveContextValue>({
  status: 'stopped',
  online: true,
  chat: null,
  calls: null,
  subscribe: () => () => {},
});

/**
 * While signed in: the chat state (ChatClient) and the event stream that
 * feeds it, started in the API's order (cursor, state, then events since
 * the cursor). Other listeners (settings) get every event too.
 */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const state = useAuth();
  const [status, setStatus] = useState<ConnectionStatus>('stopped');
  const [online, setOnline] = useState(true);
  const [chat, setChat] = useState<ChatClient | null>(null);
  const [calls, setCalls] = useState<CallHub | null>(null);
  const listeners = useRef(new Set<Listener>());
  const user = state.status === 'signedIn' ? state.user : null;
  const userId = user?.id ?? null;
  const displayName = user?.displayName ?? '';
  const sessionId = state.status === 'signedIn' ? state.sessionId : null;

  useEffect(() => {
    // The app shell for offline starts (public/sw.js); not in `next dev`.
    if ('serviceWorker' in navigator && process.env.NODE_ENV === 'production') {
      navigator.serviceWorker.register('/sw.js').catch(() => {});
    }
  }, []);

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);

  useEffect(() => {
    if (!userId) return;
    const auth = getAuth();
    const client = new ChatClient(
      auth, { id: userId, displayName }, localOutboxStorage(`parley.outbox.${userId}`), undefined,
      localSnapshotStorage(`parley.snapshot.${userId}`),
    );
    const hub = new CallHub(userId);
    const loadCalls = () => void hub.reload(auth).catch(() => {});
    setChat(client);
    setCalls(hub);
    // Leaving or reloading the page: keep the offline copy current.
    const flush = () => client.flushSnapshot();
    window.addEventListener('pagehide', flush);
    setStatus('connecting');
    let stream: EventStream | null = null;
    let stopped = false;
    let wasReconnecting = false;
    void client.start().then((since) => {
      if (stopped) return;
      stream = new EventStream({
        url: defaultEndpoint().ws,
        since,
        getToken: () => auth.getAccessToken(),
        onStatus: (s) => {
          setStatus(s);
          if (s === 'reconnecting') wasReconnecting = true;
          if (s === 'connected' && (wasReconnecting || client.getState().status !== 'ready')) {
            // Presence and typing are not replayed: read them again.
            wasReconnecting = false;
            void client.reload();
          }
          // CallEvents are not replayed: read the calls on each (re)connection.
          if (s === 'connected') loadCalls();
        },
        onEvent: (ev) => {
          if (ev.__typename === 'SessionRevokedEvent' && sessionId && ev.sessionId === sessionId) {
            auth.sessionEnded('revoked');
            return;
          }
          if (ev.__typename === 'CallEvent') hub.onCall(ev.call);
          else if (ev.__typename === 'CallOfferEvent') hub.onOffer(ev);
          else client.handleEvent(ev);
          for (const l of listeners.current) l(ev);
        },
      });
    });
    return () => {
      stopped = true;
      window.removeEventListener('pagehide', flush);
      stream?.stop();
      client.dispose();
      setChat(null);
      setCalls(null);
    };
  }, [userId, displayName, sessionId]);

  useEffect(() => {
    chat?.setOnline(online);
  }, [chat, online]);

  const value = useMemo<LiveContextValue>(
    () => ({
      status,
      online,
      chat,
      calls,
      subscribe: (l) => {
        listeners.current.add(l);
        return () => listeners.current.delete(l);
      },
    }),
    [status, online, chat, calls],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveContextValue {
  return useContext(LiveContext);
}

/** Calls `listener` for each live event while mounted. */
export function useLiveEvent(listener: Listener): void {
  const { subscribe } = useLive();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => subscribe((e) => ref.current(e)), [subscribe]);
}

const emptyChat: ChatState | null = null;

/** The chat state (null until signed in). */
export function useChat(): { chat: ChatClient | null; state: ChatState | null } {
  const { chat } = useLive();
  const state = useSyncExternalStore(
    chat ? chat.subscribe : () => () => {},
    chat ? chat.getState : () => emptyChat,
    () => emptyChat,
  );
  return { chat, state };
}

const noCalls: CallHubState = { calls: {}, engaged: false };

/** The calls of my conversations (null hub until signed in). */
export function useCalls(): { hub: CallHub | null; state: CallHubState } {
  const { calls } = useLive();
  const state = useSyncExternalStore(
    calls ? calls.subscribe : () => () => {},
    calls ? calls.getState : () => noCalls,
    () => noCalls,
  );
  return { hub: calls, state };
}
