'use client';
// The app's singletons (transport, auth, live events) and the React hooks
// that read them. One instance per tab, created on first use in the browser.
import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { HttpTransport, defaultEndpoint } from '@/lib/api/client';
import { AuthManager, sessionStorageStore, type AuthState } from '@/lib/auth/auth';
import { EventStream, type ConnectionStatus, type LiveEvent } from '@/lib/api/events';

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
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<LiveContextValue>({
  status: 'stopped',
  online: true,
  subscribe: () => () => {},
});

/** Runs the event stream while signed in and fans events out to listeners. */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const state = useAuth();
  const [status, setStatus] = useState<ConnectionStatus>('stopped');
  const [online, setOnline] = useState(true);
  const listeners = useRef(new Set<Listener>());
  const userId = state.status === 'signedIn' ? state.user.id : null;
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
    setStatus('connecting');
    const stream = new EventStream({
      url: defaultEndpoint().ws,
      getToken: () => auth.getAccessToken(),
      onStatus: setStatus,
      onEvent: (ev) => {
        if (ev.__typename === 'SessionRevokedEvent' && sessionId && ev.sessionId === sessionId) {
          auth.sessionEnded('revoked');
          return;
        }
        for (const l of listeners.current) l(ev);
      },
    });
    return () => stream.stop();
  }, [userId, sessionId]);

  const value = useMemo<LiveContextValue>(
    () => ({
      status,
      online,
      subscribe: (l) => {
        listeners.current.add(l);
        return () => listeners.current.delete(l);
      },
    }),
    [status, online],
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
