'use client';
// Sign-in and sign-up forms. Errors are shown in words people use, next to
// the field at fault when the server names one.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, humanMessage } from '@/lib/api/errors';
import { getAuth, useAuth } from '@/lib/app-state';
import { AuthLayout, Splash } from './auth-layout';
import { IconAlert } from './icons';

type Mode = 'signIn' | 'signUp';

function PasswordField({ id, value, onChange, autoComplete, invalid, describedBy }: {
  id: string; value: string; onChange: (v: string) => void; autoComplete: string; invalid: boolean; describedBy?: string;
}) {
  const [shown, setShown] = useState(false);
  return (
    <div className="password-wrap">
      <input
        id={id} name="password" type={shown ? 'text' : 'password'} value={value} required
        autoComplete={autoComplete} aria-invalid={invalid} aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      />
      <button type="button" onClick={() => setShown((s) => !s)} aria-pressed={shown} aria-controls={id}>
        {shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}

const reasonText: Record<string, string> = {
  expired: 'Your session has ended. Please sign in again.',
  revoked: 'You were signed out from another device.',
  signedOut: 'You have signed out.',
};

export function AuthForm({ mode }: { mode: Mode }) {
  const router = useRouter();
  const state = useAuth();
  const ids = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (state.status === 'signedIn') router.replace('/');
  }, [state.status, router]);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  if (state.status === 'restoring') return <Splash detail={state.offline ? "Can't reach the server. Retrying…" : undefined} />;
  if (state.status === 'signedIn') return <Splash />;

  const field = error instanceof ApiError && error.code === 'BAD_REQUEST' ? error.field : undefined;
  const message = error ? humanMessage(error, mode) : null;
  const notice = state.status === 'signedOut' && state.reason ? reasonText[state.reason] : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'signIn') await getAuth().signIn(email.trim(), password);
      else await getAuth().signUp(email.trim(), password, name.trim());
      router.replace('/');
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      setBusy(false);
    }
  }

  const errId = `${ids}-error`;
  return (
    <AuthLayout>
      <h1>{mode === 'signIn' ? 'Welcome back' : 'Create your account'}</h1>
      <p className="lead">
        {mode === 'signIn' ? 'Sign in to pick up your conversations.' : 'It takes a few seconds. Your colleagues can then find you by name.'}
      </p>
      {notice && !error ? <div className="alert notice" role="status">{notice}</div> : null}
      {message ? (
        <div className="alert" role="alert" id={errId} tabIndex={-1} ref={errorRef}>
          <IconAlert /> <span>{message}</span>
        </div>
      ) : null}
      <form onSubmit={submit} noValidate={false} aria-describedby={message ? errId : undefined}>
        {mode === 'signUp' ? (
          <div className="field">
            <label htmlFor={`${ids}-name`}>Your name</label>
            <input
              id={`${ids}-name`} name="displayName" value={name} required maxLength={64} autoComplete="name"
              aria-invalid={field === 'displayName'} onChange={(e) => setName(e.target.value)}
            />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${ids}-email`}>Email</label>
          <input
            id={`${ids}-email`} name="email" type="email" value={email} required autoComplete="email"
            inputMode="email" aria-invalid={field === 'email'} onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-password`}>Password</label>
          <PasswordField
            id={`${ids}-password`} value={password} onChange={setPassword}
            autoComplete={mode === 'signIn' ? 'current-password' : 'new-password'}
            invalid={field === 'password'} describedBy={mode === 'signUp' ? `${ids}-pw-hint` : undefined}
          />
          {mode === 'signUp' ? <span className="hint" id={`${ids}-pw-hint`}>At least 10 characters. A short sentence works well.</span> : null}
        </div>
        <button className="btn btn-primary btn-block" type="submit" disabled={busy}>
          {busy ? <span className="spinner" aria-hidden style={{ width: 18, height: 18, borderWidth: 2 }} /> : null}
          {mode === 'signIn' ? (busy ? 'Signing in…' : 'Sign in') : busy ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p className="switch">
        {mode === 'signIn' ? (<>New to Parley? <Link href="/signup">Create an account</Link></>) : (<>Already have an account? <Link href="/signin">Sign in</Link></>)}
      </p>
    </AuthLayout>
  );
}
