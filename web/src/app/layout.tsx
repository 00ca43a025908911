import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import './globals.css';
import { LiveEventsProvider } from '@/lib/app-state';

export const metadata: Metadata = {
  title: 'Parley',
  description: 'Chat and calls for your organisation, on your own server.',
  applicationName: 'Parley',
  icons: { icon: '/icon.svg' },
  manifest: '/manifest.webmanifest',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#0a7cff' },
    { media: '(prefers-color-scheme: dark)', color: '#0f141b' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <LiveEventsProvider>{children}</LiveEventsProvider>
      </body>
    </html>
  );
}
