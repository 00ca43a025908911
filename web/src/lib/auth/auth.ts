// The signed-in state of this tab.
//
// Tokens: the access token (a 15-minute JWT) lives only in memory. The
// refresh token lives in parleyd's HttpOnly cookie when the server keeps one
// for this origin (X-Parley-Refresh: cookie; see server/src/api/auth_cookie.hpp
// and docs/web.md), else in a TokenStore (sessionStorage in the browser: a
// reload stays signed in, closing the tab forgets it). Refresh tokens
// rotate, and presenting a used one makes the server sign the session out
// everywhere. So there is never more than one refresh in flight in a tab
// (single-flight promise) nor across tabs (a RefreshLock: Web Locks), and
// the new token is saved before anything else happens.
//
// Framework-free: React reads it through subscribe()/getState()
// (useSyncExternalStore); tests drive it with a fake transport and clock.
import { ApiError } from '@/lib/api/errors';
import { backoffWait } from '@/lib/api/backoff';
import type { GraphQLTransport } from '@/lib/api/client';
import type { TypedDocumentString } from '@/gql/graphql';
import {
  RefreshSessionDocument,
  SignInDocument,
  SignOutDocument,
  SignUpDocument,
} from '@/lib/api/operations';

export interface User {
  id: string;
  displayName: string;
  email: string | null;
  createdAt: string | null;
}

export type SignedOutReason = 'signedOut' | 'expired' | 'revoked';

export type AuthState =
  | { status: 'restoring'; offline: boolean }
  | { status: 'signedOut'; reason: SignedOutReason | null }
  | { status: 'signedIn'; user: User; sessionId: string | null; offline?: boolean };

export interface TokenStore {
  load(): string | null;
  save(token: string | null): void;
  /** 'cookie' once the server keeps the refresh token in its HttpOnly cookie. */
  loadMode?(): 'cookie' | null;
  saveMode?(mode: 'cookie' | null): void;
  /** The last signed-in user (not a secret): lets the app open offline. */
  loadUser?(): User | null;
  saveUser?(user: User | null): void;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Runs `fn` while no other tab of this origin runs a refresh (Web Locks). */
export type RefreshLock = <T>(fn: () => Promise<T>) => Promise<T>;

export const webLock: RefreshLock = (fn) => {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  return locks ? (locks.request('parley-refresh', fn) as Promise<Awaited<ReturnType<typeof fn>>>) : fn();
};

/** Asks the server to keep the refresh token in its HttpOnly cookie (api/auth_cookie.hpp). */
export const COOKIE_MODE = { 'x-parley-refresh': 'cookie' };

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export function sessionStorageStore(key = 'parley.refresh'): TokenStore {
  return {
    // Shared by the tabs and kept across restarts, like the cookie itself.
    loadMode: () => {
      try { return window.localStorage.getItem(`${key}.mode`) === 'cookie' ? 'cookie' : null; } catch { return null; }
    },
    saveMode: (mode) => {
      try {
        if (mode) window.localStorage.setItem(`${key}.mode`, mode);
        else window.localStorage.removeItem(`${key}.mode`);
      } catch { /* not remembered */ }
    },
    loadUser: () => {
      try {
        const raw = window.sessionStorage.getItem(`${key}.user`);
        return raw ? (JSON.parse(raw) as User) : null;
      } catch { return null; }
    },
    saveUser: (user) => {
      try {
        if (user) window.sessionStorage.setItem(`${key}.user`, JSON.stringify(user));
        else window.sessionStorage.removeItem(`${key}.user`);
      } catch { /* not remembered */ }
    },
    load: () => {
      try { return window.sessionStorage.getItem(key); } catch { return null; }
    },
    save: (token) => {
      try {
        if (token) window.sessionStorage.setItem(key, token);
        else window.sessionStorage.removeItem(key);
      } catch { /* storage disabled: the session lasts until reload */ }
    },
  };
}

interface AuthPayload {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  user: User;
}

/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 60_000;
/** After a failed background refresh (network), try again after this long. */
export const REFRESH_RETRY_MS = 15_000;

/** The session id (`sid` claim) of an access token, or null. */
export function sessionIdOf(accessToken: string): string | null {
  const part = accessToken.split('.')[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const json = atob(b64);
    const claims = JSON.parse(json) as { sid?: unknown };
    return typeof claims.sid === 'string' ? claims.sid : null;
  } catch {
    return null;
  }
}

export class AuthManager {
  private state: AuthState = { status: 'restoring', offline: false };
  private listeners = new Set<() => void>();
  private accessToken: string | null = null;
  private expiresAt = 0;
  private refreshing: Promise<string> | null = null;
  private restoring: Promise<void> | null = null;
  private timer: unknown = null;
  private generation = 0;

  constructor(
    private readonly transport: GraphQLTransport,
    private readonly store: TokenStore,
    private readonly clock: Clock = systemClock,
    private readonly lock: RefreshLock = webLock,
  ) {}

  private hasRefresh(): boolean {
    return !!this.store.load() || this.store.loadMode?.() === 'cookie';
  }

  getState = (): AuthState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** On page load: turns a stored refresh token into a session. Idempotent. */
  restore(): Promise<void> {
    if (!this.restoring) this.restoring = this.doRestore();
    return this.restoring;
  }

  private async doRestore(): Promise<void> {
    let wait = 1_000;
    // Until a refresh works: while restoring, or signed in offline from the remembered user.
    while (this.state.status === 'restoring' || (this.state.status === 'signedIn' && this.state.offline)) {
      if (!this.hasRefresh()) {
        this.clear({ status: 'signedOut', reason: null });
        return;
      }
      try {
        await this.refresh();
        return;
      } catch (e) {
        if (!(e instanceof ApiError) || e.code !== 'NETWORK') return; // refresh() settled the state
        // Server unreachable at load: keep the token and try again. With a
        // remembered user the app opens offline (queued messages, cached chats).
        if (this.state.status === 'restoring') {
          const user = this.store.loadUser?.() ?? null;
          this.setState(user ? { status: 'signedIn', user, sessionId: null, offline: true } : { status: 'restoring', offline: true });
        }
        // Again after the backoff, or at once when the browser is back online.
        await backoffWait(wait, typeof window !== 'undefined' ? window : null, {
          set: (fn, ms) => this.clock.setTimeout(fn, ms), clear: (h) => this.clock.clearTimeout(h),
        });
        wait = Math.min(wait * 2, 30_000);
      }
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    const data = await this.transport.request(SignInDocument, { input: { email, password } }, { headers: COOKIE_MODE });
    this.accept(data.signIn);
  }

  async signUp(email: string, password: string, displayName: string): Promise<void> {
    const data = await this.transport.request(SignUpDocument, { input: { email, password, displayName } }, { headers: COOKIE_MODE });
    this.accept(data.signUp);
  }

  /** Signs this device out on the server (best effort) and forgets the tokens. */
  async signOut(): Promise<void> {
    const token = this.accessToken;
    if (token) {
      try {
        // Answered before the state changes: its Set-Cookie clears the
        // refresh cookie before the app shows the sign-in page.
        await this.transport.request(SignOutDocument, {}, { token, headers: COOKIE_MODE });
      } catch {
        // Offline or already revoked: the refresh token is forgotten here
        // either way and expires on the server by itself.
      }
    }
    this.clear({ status: 'signedOut', reason: 'signedOut' });
  }

  /** The server said this session is gone (revoked from another device). */
  sessionEnded(reason: SignedOutReason = 'revoked'): void {
    this.clear({ status: 'signedOut', reason });
  }

  /** A valid access token, refreshing first when it is about to expire. */
  async getAccessToken(): Promise<string> {
    if (this.accessToken && this.clock.now() < this.expiresAt - REFRESH_MARGIN_MS) return this.accessToken;
    if (this.state.status === 'signedOut') throw new ApiError({ message: 'signed out', code: 'UNAUTHENTICATED' });
    return this.refresh();
  }

  /**
   * Runs an operation as the signed-in user. An UNAUTHENTICATED answer
   * (token expired while we slept) triggers one refresh and one retry.
   */
  async request<R, V>(doc: TypedDocumentString<R, V>, variables: V): Promise<R> {
    const token = await this.getAccessToken();
    try {
      return await this.transport.request(doc, variables, { token });
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'UNAUTHENTICATED') throw e;
      // Unless someone refreshed meanwhile, this token is dead: force a refresh.
      if (token === this.accessToken) this.accessToken = null;
      const fresh = await this.getAccessToken();
      return this.transport.request(doc, variables, { token: fresh });
    }
  }

  /** Single-flight refresh; resolves to the new access token. */
  private refresh(): Promise<string> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => { this.refreshing = null; });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    if (!this.hasRefresh()) {
      this.clear({ status: 'signedOut', reason: this.state.status === 'signedIn' ? 'expired' : null });
      throw new ApiError({ message: 'no refresh token', code: 'UNAUTHENTICATED' });
    }
    const generation = this.generation;
    try {
      // One refresh at a time across this origin's tabs: with the cookie they
      // share one token, and presenting it twice would revoke the session.
      // ('' asks the server to use the cookie.)
      const data = await this.lock(() =>
        this.transport.request(RefreshSessionDocument, { refreshToken: this.store.load() ?? '' }, { headers: COOKIE_MODE }));
      if (generation !== this.generation) {
        // Signed out (or in as someone else) while this was in flight.
        throw new ApiError({ message: 'session changed', code: 'UNAUTHENTICATED' });
      }
      this.accept(data.refreshSession);
      return data.refreshSession.accessToken;
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'UNAUTHENTICATED' || e.code === 'NOT_FOUND')) {
        // Expired, revoked elsewhere, or reused (theft): the session is over.
        if (generation === this.generation) this.clear({ status: 'signedOut', reason: 'expired' });
      } else if (this.state.status === 'signedIn') {
        this.schedule(REFRESH_RETRY_MS);
      }
      throw e;
    }
  }

  private accept(p: AuthPayload): void {
    this.generation += 1;
    // An empty refreshToken means the server put it in its HttpOnly cookie.
    this.store.save(p.refreshToken || null);
    this.store.saveMode?.(p.refreshToken ? null : 'cookie');
    this.store.saveUser?.(p.user);
    this.accessToken = p.accessToken;
    const parsed = Date.parse(p.accessTokenExpiresAt);
    this.expiresAt = Number.isFinite(parsed) ? parsed : this.clock.now() + 5 * 60_000;
    this.schedule(Math.max(1_000, this.expiresAt - REFRESH_MARGIN_MS - this.clock.now()));
    this.setState({ status: 'signedIn', user: p.user, sessionId: sessionIdOf(p.accessToken) });
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      if (this.state.status === 'signedIn') this.refresh().catch(() => {});
    }, ms);
  }

  private clear(next: AuthState): void {
    this.generation += 1;
    this.store.save(null);
    this.store.saveMode?.(null);
    this.store.saveUser?.(null);
    this.accessToken = null;
    this.expiresAt = 0;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.setState(next);
  }

  private setState(next: AuthState): void {
    this.state = next;
    for (const l of this.listeners) l();
  }
}
