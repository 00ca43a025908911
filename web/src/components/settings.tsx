'use client';
// Account settings: who you are, where you are signed in (live), sign out.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { forgetLocalData } from '@/lib/chat/snapshot';
import { getAuth, useAuth, useLiveEvent } from '@/lib/app-state';
import { humanMessage } from '@/lib/api/errors';
import { RevokeSessionDocument, SessionsDocument } from '@/lib/api/operations';
import type { SessionsQuery } from '@/gql/graphql';
import type { User } from '@/lib/auth/auth';
import { describeUserAgent, longDate, relativeTime } from '@/lib/format';
import { Splash } from './auth-layout';
import { Avatar } from './avatar';
import { IconAlert, IconBack, IconLogout, IconMobile, IconMonitor } from './icons';

type Session = SessionsQuery['sessions'][number];

export function Settings() {
  const state = useAuth();
  const router = useRouter();
  useEffect(() => {
    if (state.status === 'signedOut') router.replace('/signin');
  }, [state.status, router]);
  if (state.status !== 'signedIn') return <Splash />;
  return <SettingsScreen user={state.user} />;
}

function SettingsScreen({ user }: { user: User }) {
  const router = useRouter();
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const data = await getAuth().request(SessionsDocument, {});
      // This device first, then the others as the server orders them (most recently used first).
      setSessions([...data.sessions].sort((a, b) => Number(b.current) - Number(a.current)));
      setError(null);
    } catch (e) {
      setError(humanMessage(e));
    }
  }, []);

  useEffect(() => { void load(); }, [load]);
  useLiveEvent((ev) => {
    if (ev.__typename === 'SessionCreatedEvent' || ev.__typename === 'SessionRevokedEvent') void load();
  });

  const revoke = async (s: Session) => {
    setBusy(s.id);
    try {
      await getAuth().request(RevokeSessionDocument, { id: s.id });
      setSessions((list) => list?.filter((x) => x.id !== s.id) ?? null);
      setError(null);
    } catch (e) {
      setError(humanMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const signOut = async () => {
    forgetLocalData(user.id);
    await getAuth().signOut();
    router.replace('/signin');
  };

  const others = sessions?.filter((s) => !s.current) ?? [];
  return (
    <div className="page">
      <header className="page-head">
        <Link className="icon-btn" href="/" aria-label="Back to conversations"><IconBack /></Link>
        <h1>Settings</h1>
      </header>
      <main className="page-body">
        <section className="card" aria-labelledby="profile-h">
          <h2 id="profile-h" className="sr-only">Profile</h2>
          <div className="profile">
            <Avatar id={user.id} name={user.displayName} size={64} />
            <div>
              <div className="name">{user.displayName}</div>
              <div className="email">{user.email}</div>
              <div className="meta" style={{ color: 'var(--text-3)', fontSize: 13 }}>Member since {longDate(user.createdAt ?? '')}</div>
            </div>
          </div>
        </section>
        <section className="card" aria-labelledby="sessions-h">
          <div className="card-head">
            <h2 id="sessions-h">Devices and sessions</h2>
            <p>Where your account is signed in. Sign out any device you don&apos;t recognise.</p>
          </div>
          {error ? <div className="alert" role="alert" style={{ margin: '12px 20px 0' }}><IconAlert /> {error}</div> : null}
          {sessions === null && !error ? (
            <div style={{ padding: 24, display: 'grid', placeItems: 'center' }}><div className="spinner" role="status" aria-label="Loading sessions" /></div>
          ) : null}
          <ul className="sessions" aria-label="Signed-in devices">
            {(sessions ?? []).map((s) => {
              const ua = describeUserAgent(s.userAgent);
              return (
                <li className="session" key={s.id} data-session-id={s.id}>
                  <span className="device-icon" aria-hidden>{ua.mobile ? <IconMobile /> : <IconMonitor />}</span>
                  <div className="info">
                    <div className="what">{ua.label}{s.current ? <span className="pill">This device</span> : null}</div>
                    <div className="meta">
                      {s.ip ? `${s.ip} · ` : ''}Active {relativeTime(s.lastUsedAt)} · Signed in {longDate(s.createdAt)}
                    </div>
                  </div>
                  {s.current ? null : (
                    <button
                      className="btn btn-danger btn-small" disabled={busy === s.id}
                      aria-label={`Sign out ${ua.label}, active ${relativeTime(s.lastUsedAt)}`}
                      onClick={() => revoke(s)}
                    >
                      {busy === s.id ? 'Signing out…' : 'Sign out'}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
          <div className="card-foot">
            {others.length > 0 ? (
              <button className="btn btn-secondary btn-small" onClick={async () => { for (const s of others) await revoke(s); }}>
                Sign out all other devices
              </button>
            ) : null}
            <button className="btn btn-danger btn-small" onClick={signOut}><IconLogout width={18} height={18} /> Sign out of this device</button>
          </div>
        </section>
      </main>
    </div>
  );
}
