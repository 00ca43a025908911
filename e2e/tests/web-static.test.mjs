// parleyd serves the web client's static export: the app at /, its routes,
// precompressed immutable assets, the PWA manifest and service worker; and
// the service worker opens the app without a network.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startParleyd } from './parleyd.mjs';
import { launchBrowser, newContext, screenshot, DESKTOP } from './browser.mjs';

const webOut = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'out', 'index.html');
const skip = !existsSync(webOut) ? 'web/out not built (scripts/build-web.sh)' : false;
let server;

before(async () => { if (!skip) server = await startParleyd(); });
after(async () => { await server?.stop(); });

test('the app, its routes and the SPA fallback are served as HTML', { skip }, async () => {
  for (const path of ['/', '/signin', '/signup', '/settings', '/some/deep/link']) {
    const r = await fetch(server.url + path, { headers: { accept: 'text/html' } });
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type'), /text\/html/);
    const html = await r.text();
    assert.match(html, /<title>[^<]*Parley<\/title>/, path);
    assert.match(html, /manifest\.webmanifest/);
  }
});

test('scripts are precompressed, immutable and revalidated by ETag elsewhere', { skip }, async () => {
  const html = await (await fetch(server.url + '/')).text();
  const src = html.match(/src="(\/_next\/static\/[^"]+\.js)"/)?.[1];
  assert.ok(src, 'no script in index.html');
  const br = await fetch(server.url + src, { headers: { 'accept-encoding': 'br' } });
  assert.equal(br.headers.get('content-encoding'), 'br');
  assert.match(br.headers.get('cache-control'), /immutable/);
  await br.arrayBuffer();
  const page = await fetch(server.url + '/', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(page.headers.get('content-encoding'), 'gzip');
  assert.match(page.headers.get('cache-control'), /no-cache/);
  const etag = page.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(server.url + '/', { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
  assert.equal(again.status, 304);
});

test('PWA: manifest and service worker', { skip }, async () => {
  const m = await fetch(server.url + '/manifest.webmanifest');
  assert.match(m.headers.get('content-type'), /application\/manifest\+json/);
  const manifest = await m.json();
  assert.equal(manifest.name, 'Parley');
  assert.equal(manifest.start_url, '/');
  const sw = await fetch(server.url + '/sw.js');
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get('content-type'), /javascript/);
});

test('the service worker opens the app shell offline', { skip }, async () => {
  const browser = await launchBrowser();
  try {
    const ctx = await newContext(browser, DESKTOP);
    const page = await ctx.newPage();
    await page.goto(server.url + '/signin');
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return reg.active?.state;
    });
    await ctx.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await page.goto(server.url + '/');
    // No session and no network: the shell still runs and routes to sign-in.
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await screenshot(page, 'offline-shell');
    await ctx.close();
  } finally {
    await browser.close();
  }
});
