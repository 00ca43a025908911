import { describe, expect, it } from 'vitest';
import { AuthManager, REFRESH_MARGIN_MS, sessionIdOf, type Clock, type TokenStore } from './auth';
import { ApiError } from '@/lib/api/errors';
import type { GraphQLTransport, RequestOptions } from '@/lib/api/client';
import type { TypedDocumentString } from '@/gql/graphql';
import { MeDocument } from '@/lib/api/operations';

const user = { id: 'U1', displayName: 'Ada', email: 'ada@example.test', createdAt: '2026-01-01T00:00:00.000Z' };

function jwt(sid: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'EdDSA' })}.${b64({ sub: 'U1', sid })}.sig`;
}

class FakeClock implements Clock {
  t = Date.parse('2026-06-01T12:00:00.000Z');
  timers: { at: number; fn: () => void; id: number }[] = [];
  private next = 1;
  now() { return this.t; }
  setTimeout(fn: () => void, ms: number) { const id = this.next++; this.timers.push({ at: this.t + ms, fn, id }); return id; }
  clearTimeout(h: unknown) { this.timers = this.timers.filter((x) => x.id !== h); }
  async advance(ms: number) {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const d of due) d.fn();
    await flush();
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

class MemoryStore implements TokenStore {
  mode: 'cookie' | null = null;
  constructor(public token: string | null = null) {}
  load() { return this.token; }
  save(t: string | null) { this.token = t; }
  loadMode() { return this.mode; }
  saveMode(m: 'cookie' | null) { this.mode = m; }
}

interface Call { op: string; variables: Record<string, unknown>; token?: string | null }

// A fake server: issues rotating refresh tokens and refuses reused ones the
// way parleyd does (reuse revokes the whole family).
class FakeServer implements GraphQLTransport {
  calls: Call[] = [];
  valid = new Set<string>();
  revoked = false;
  serial = 0;
  failNetwork = false;
  /** Like parleyd for an opted-in browser on a secure origin: the refresh token lives in the cookie jar. */
  cookies = false;
  jar: string | null = null;
  clock: FakeClock;
  constructor(clock: FakeClock) { this.clock = clock; }
  issue(options: RequestOptions = {}) {
    this.serial += 1;
    let refreshToken = `r${this.serial}`;
    this.valid.add(refreshToken);
    if (this.cookies && options.headers?.['x-parley-refresh'] === 'cookie') {
      this.jar = refreshToken;
      refreshToken = '';
    }
    return {
      accessToken: jwt(`S1`) + this.serial,
      accessTokenExpiresAt: new Date(this.clock.now() + 15 * 60_000).toISOString(),
      refreshToken,
      user,
    };
  }
  async request<R, V>(doc: TypedDocumentString<R, V>, variables: V, options: RequestOptions = {}): Promise<R> {
    const text = doc.toString();
    const op = /(?:mutation|query)\s+(\w+)/.exec(text)?.[1] ?? '?';
    this.calls.push({ op, variables: variables as Record<string, unknown>, token: options.token });
    const sentJar = this.jar; // the browser attaches the cookie when it sends
    await flush();
    if (this.failNetwork) throw new ApiError({ message: 'offline', code: 'NETWORK' });
    const unauth = () => new ApiError({ message: 'no', code: 'UNAUTHENTICATED' });
    switch (op) {
      case 'SignIn': return { signIn: this.issue(options) } as R;
      case 'SignUp': return { signUp: this.issue(options) } as R;
      case 'RefreshSession': {
        let t = (variables as { refreshToken: string }).refreshToken;
        if (!t && this.cookies && options.headers?.['x-parley-refresh'] === 'cookie') t = sentJar ?? '';
        if (this.revoked || !this.valid.has(t)) { this.revoked = true; this.jar = null; throw unauth(); }
        this.valid.delete(t);
        return { refreshSession: this.issue(options) } as R;
      }
      case 'SignOut': this.revoked = true; return { signOut: true } as R;
      case 'Me': {
        if (this.revoked || !options.token) throw unauth();
        return { me: user } as R;
      }
    }
    throw new Error('unexpected op ' + op);
  }
}

function setup(stored: string | null = null) {
  const clock = new FakeClock();
  const server = new FakeServer(clock);
  const store = new MemoryStore(stored);
  const auth = new AuthManager(server, store, clock);
  return { clock, server, store, auth };
}

describe('AuthManager', () => {
  it('starts signed out without a stored refresh token', async () => {
    const { auth, server } = setup();
    expect(auth.getState().status).toBe('restoring');
    await auth.restore();
    expect(auth.getState()).toEqual({ status: 'signedOut', reason: null });
    expect(server.calls).toHaveLength(0);
  });

  it('signs in, keeps only the refresh token in the store, and knows the session id', async () => {
    const { auth, store } = setup();
    await auth.restore();
    await auth.signIn('ada@example.test', 'pw');
    const s = auth.getState();
    expect(s.status).toBe('signedIn');
    expect(s.status === 'signedIn' && s.sessionId).toBe('S1');
    expect(store.token).toBe('r1');
  });

  it('restores a session across a reload by rotating the stored refresh token', async () => {
    const first = setup();
    await first.auth.restore();
    await first.auth.signUp('ada@example.test', 'pw', 'Ada');
    // "Reload": a new manager with the same storage and server.
    const auth2 = new AuthManager(first.server, first.store, first.clock);
    await auth2.restore();
    expect(auth2.getState().status).toBe('signedIn');
    expect(first.store.token).toBe('r2');
    expect(first.server.valid.has('r1')).toBe(false);
  });

  it('refreshes once even when restore() and requests race (never reuses a token)', async () => {
    const { auth, server } = setup('seed');
    server.valid.add('seed');
    const results = await Promise.all([auth.restore(), auth.restore(), auth.getAccessToken(), auth.getAccessToken()]);
    expect(results[2]).toBe(results[3]);
    expect(server.calls.filter((c) => c.op === 'RefreshSession')).toHaveLength(1);
    expect(server.revoked).toBe(false);
  });

  it('refreshes shortly before the access token expires', async () => {
    const { auth, server, clock, store } = setup();
    await auth.restore();
    await auth.signIn('a@b.c', 'pw');
    await clock.advance(15 * 60_000 - REFRESH_MARGIN_MS - 1_000);
    expect(server.calls.filter((c) => c.op === 'RefreshSession')).toHaveLength(0);
    await clock.advance(2_000);
    await flush();
    expect(server.calls.filter((c) => c.op === 'RefreshSession')).toHaveLength(1);
    expect(store.token).toBe('r2');
    expect(auth.getState().status).toBe('signedIn');
  });

  it('falls back to the sign-in screen with "expired" when the refresh token is refused', async () => {
    const { auth, server, store } = setup('stolen');
    await auth.restore();
    expect(auth.getState()).toEqual({ status: 'signedOut', reason: 'expired' });
    expect(store.token).toBeNull();
    expect(server.calls.map((c) => c.op)).toEqual(['RefreshSession']);
  });

  it('keeps the stored token and retries while the server is unreachable at load', async () => {
    const { auth, server, clock, store } = setup('seed');
    server.valid.add('seed');
    server.failNetwork = true;
    const done = auth.restore();
    await flush(); await flush();
    expect(auth.getState()).toEqual({ status: 'restoring', offline: true });
    expect(store.token).toBe('seed');
    server.failNetwork = false;
    await clock.advance(1_000);
    await done;
    expect(auth.getState().status).toBe('signedIn');
  });

  it('opens offline as the remembered user, then goes online when the server answers', async () => {
    const { auth, server, clock, store } = setup('seed');
    const remembered = { ...user, displayName: 'Ada (remembered)' };
    let saved: typeof user | null = remembered;
    Object.assign(store, { loadUser: () => saved, saveUser: (u: typeof user | null) => { saved = u; } });
    server.valid.add('seed');
    server.failNetwork = true;
    const done = auth.restore();
    await flush(); await flush();
    expect(auth.getState()).toEqual({ status: 'signedIn', user: remembered, sessionId: null, offline: true });
    server.failNetwork = false;
    await clock.advance(1_000);
    await done;
    const s = auth.getState();
    expect(s.status === 'signedIn' && !s.offline && s.sessionId).toBe('S1');
    expect(saved).toEqual(user);
    auth.sessionEnded();
    expect(saved).toBeNull();
  });

  it('sign out calls the server with the access token and forgets everything', async () => {
    const { auth, server, store } = setup();
    await auth.restore();
    await auth.signIn('a@b.c', 'pw');
    const token = await auth.getAccessToken();
    await auth.signOut();
    expect(auth.getState()).toEqual({ status: 'signedOut', reason: 'signedOut' });
    expect(store.token).toBeNull();
    expect(server.calls.at(-1)).toMatchObject({ op: 'SignOut', token });
    await expect(auth.getAccessToken()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('retries a request once with a fresh token after UNAUTHENTICATED', async () => {
    const { auth, server } = setup();
    await auth.restore();
    await auth.signIn('a@b.c', 'pw');
    let first = true;
    const orig = server.request.bind(server);
    server.request = (async (doc: TypedDocumentString<unknown, unknown>, v: unknown, o?: RequestOptions) => {
      if (first && doc.toString().includes('query Me')) { first = false; throw new ApiError({ message: 'expired', code: 'UNAUTHENTICATED' }); }
      return orig(doc, v, o);
    }) as typeof server.request;
    const me = await auth.request(MeDocument, {});
    expect(me.me.id).toBe('U1');
    expect(server.calls.filter((c) => c.op === 'RefreshSession')).toHaveLength(1);
  });

  it('notifies subscribers on every state change', async () => {
    const { auth } = setup();
    const seen: string[] = [];
    auth.subscribe(() => seen.push(auth.getState().status));
    await auth.restore();
    await auth.signIn('a@b.c', 'pw');
    auth.sessionEnded();
    expect(seen).toEqual(['signedOut', 'signedIn', 'signedOut']);
    expect(auth.getState()).toEqual({ status: 'signedOut', reason: 'revoked' });
  });
});

describe('AuthManager with the HttpOnly cookie', () => {
  // One browser: tabs share the cookie jar (the server's) and the stored mode, each has its own memory.
  function browser() {
    const clock = new FakeClock();
    const server = new FakeServer(clock);
    server.cookies = true;
    const store = new MemoryStore();
    let chain: Promise<unknown> = Promise.resolve();
    const lock = <T,>(fn: () => Promise<T>): Promise<T> => {
      const run = chain.then(fn, fn);
      chain = run.catch(() => {});
      return run;
    };
    const tab = () => new AuthManager(server, store, clock, lock);
    return { clock, server, store, tab };
  }

  it('keeps no refresh token in script-readable storage and restores through the cookie', async () => {
    const { server, store, tab } = browser();
    const first = tab();
    await first.restore();
    await first.signIn('a@b.c', 'pw');
    expect(store.token).toBeNull();
    expect(store.mode).toBe('cookie');
    expect(server.jar).toBe('r1');
    const reloaded = tab();
    await reloaded.restore();
    expect(reloaded.getState().status).toBe('signedIn');
    expect(server.calls.at(-1)).toMatchObject({ op: 'RefreshSession', variables: { refreshToken: '' } });
    expect(server.jar).toBe('r2');
  });

  it('two tabs refreshing at once take turns, so the shared token is never presented twice', async () => {
    const { server, tab, clock } = browser();
    const a = tab();
    await a.restore();
    await a.signIn('a@b.c', 'pw');
    const b = tab();
    await b.restore();
    await clock.advance(15 * 60_000);
    await Promise.all([a.getAccessToken(), b.getAccessToken()]);
    expect(server.revoked).toBe(false);
    expect(a.getState().status).toBe('signedIn');
    expect(b.getState().status).toBe('signedIn');
  });

  it('forgets the mode when the cookie is refused, and after signing out', async () => {
    const { server, store, tab } = browser();
    const t = tab();
    await t.restore();
    await t.signIn('a@b.c', 'pw');
    server.jar = 'stale';
    const other = tab();
    await other.restore();
    expect(other.getState()).toEqual({ status: 'signedOut', reason: 'expired' });
    expect(store.mode).toBeNull();
    const again = tab();
    await again.restore();
    await again.signIn('a@b.c', 'pw');
    await again.signOut();
    expect(store.mode).toBeNull();
    expect(server.calls.at(-1)).toMatchObject({ op: 'SignOut' });
  });
});

describe('sessionIdOf', () => {
  it('reads the sid claim and tolerates garbage', () => {
    expect(sessionIdOf(jwt('01HSESSION'))).toBe('01HSESSION');
    expect(sessionIdOf('nope')).toBeNull();
    expect(sessionIdOf('a.###.c')).toBeNull();
  });
});
