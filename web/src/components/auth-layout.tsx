'use client';
// The frame of the sign-in and sign-up pages: a brand panel beside the form
// (the form alone on phones).
import type { ReactNode } from 'react';
import { IconChat, IconPhone, IconShield, Logo } from './icons';

export function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="auth-page">
      <aside className="auth-hero" aria-hidden>
        <span className="brand"><Logo style={{ color: 'rgba(255,255,255,.2)' }} /> Parley</span>
        <div>
          <h2>Talk to your people, on your own server.</h2>
          <p>Chat, voice and video calls, and calls to ordinary phones: one app for your whole organisation.</p>
          <ul>
            <li><IconChat /> Conversations that follow you to every device</li>
            <li><IconPhone /> Calls to Panama, Singapore and Switzerland</li>
            <li><IconShield /> Your data stays on your machines</li>
          </ul>
        </div>
        <span style={{ opacity: 0.7, fontSize: 13 }}>Self-hosted. No per-user licence.</span>
        <svg className="bubbles" viewBox="0 0 100 100"><circle cx="50" cy="50" r="48" fill="#fff" /></svg>
      </aside>
      <main className="auth-panel">
        <div className="auth-card">
          <span className="brand mobile-brand"><Logo /> <span style={{ color: 'var(--text)' }}>Parley</span></span>
          {children}
        </div>
      </main>
    </div>
  );
}

export function Splash({ label = 'Loading Parley', detail }: { label?: string; detail?: string }) {
  return (
    <div className="splash" role="status" aria-live="polite">
      <div className="splash-inner">
        <span className="brand"><Logo /> <span style={{ color: 'var(--text)' }}>Parley</span></span>
        <div className="spinner" aria-hidden />
        <span>{detail ?? label}</span>
      </div>
    </div>
  );
}
