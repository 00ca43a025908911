// Parley's service worker: keeps the app shell so Parley opens without a
// network (queued messages live in localStorage and show from there).
// - Pages (navigations): network first; offline, the cached copy of the page
//   or of "/" (the client routes from there).
// - /_next/static/ (content-hashed, immutable): cache first.
// - Everything else, /graphql above all, goes straight to the network.
const SHELL = 'parley-shell-v1';
const ASSETS = 'parley-assets-v1';
const PAGES = ['/', '/signin', '/signup', '/settings'];

async function precache() {
  const shell = await caches.open(SHELL);
  const assets = await caches.open(ASSETS);
  for (const page of PAGES) {
    try {
      const res = await fetch(page, { cache: 'no-cache' });
      if (!res.ok) continue;
      await shell.put(page, res.clone());
      const html = await res.text();
      const urls = new Set();
      for (const m of html.matchAll(/(?:src|href)="(\/_next\/static\/[^"]+)"/g)) urls.add(m[1]);
      await Promise.all([...urls].map(async (u) => {
        if (await assets.match(u)) return;
        const r = await fetch(u);
        if (r.ok) await assets.put(u, r);
      }));
    } catch {
      // Offline during install: the next visit fills the caches.
    }
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== SHELL && name !== ASSETS) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function shellKey(url) {
  const path = url.pathname.replace(/\.html$/, '').replace(/\/$/, '') || '/';
  return PAGES.includes(path) ? path : '/';
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;

  if (req.mode === 'navigate') {
    event.respondWith((async () => {
      try {
        const res = await fetch(req);
        if (res.ok) {
          const copy = res.clone();
          event.waitUntil(caches.open(SHELL).then((c) => c.put(shellKey(url), copy)));
        }
        return res;
      } catch {
        const cached = (await caches.match(shellKey(url), { cacheName: SHELL })) || (await caches.match('/', { cacheName: SHELL }));
        return cached || new Response('Parley is offline.', { status: 503, headers: { 'content-type': 'text/plain' } });
      }
    })());
    return;
  }

  if (url.pathname.startsWith('/_next/static/') || url.pathname === '/icon.svg' || url.pathname === '/manifest.webmanifest') {
    event.respondWith((async () => {
      const cached = await caches.match(req, { cacheName: ASSETS });
      if (cached) return cached;
      const res = await fetch(req);
      if (res.ok && url.pathname.startsWith('/_next/static/')) {
        const copy = res.clone();
        event.waitUntil(caches.open(ASSETS).then((c) => c.put(req, copy)));
      }
      return res;
    })());
  }
});
