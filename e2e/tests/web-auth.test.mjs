// The web client in Debian's Chromium against a real parleyd: sign up,
// stay signed in across reloads, devices and sessions (revoked live), sign
// out, human error messages, a phone-sized screen, accessible names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startParleyd, uniqueEmail, PASSWORD } from './parleyd.mjs';
import { launchBrowser, newContext, screenshot, watchErrors, unnamedControls, overflowing, DESKTOP, PHONE } from './browser.mjs';

const webOut = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'out', 'index.html');
const skip = !existsSync(webOut) ? 'web/out not built (scripts/build-web.sh)' : false;

let server;
let browser;

before(async () => {
  if (skip) return;
  server = await startParleyd();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signUp(page, { name, email = uniqueEmail('web'), password = PASSWORD }) {
  await page.goto(server.url + '/signup');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(server.url + '/');
  await page.getByRole('button', { name: new RegExp(`^Account menu for ${name}`) }).waitFor();
  return { name, email, password };
}

async function signIn(page, { email, password }) {
  await page.goto(server.url + '/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function waitOnline(page) {
  await page.getByRole('button', { name: /, Online$/ }).waitFor();
}

test('two people sign up in two browser contexts; reload keeps the session', { skip }, async () => {
  const ctxA = await newContext(browser, DESKTOP);
  const ctxB = await newContext(browser, DESKTOP, { colorScheme: 'dark' });
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  const errorsA = watchErrors(a);

  // Signed out: / goes to the sign-in page.
  await a.goto(server.url + '/');
  await a.waitForURL(server.url + '/signin');
  await a.getByRole('heading', { name: 'Welcome back' }).waitFor();
  await screenshot(a, 'signin-desktop-light');
  await a.getByRole('link', { name: 'Create an account' }).click();
  await a.getByRole('heading', { name: 'Create your account' }).waitFor();
  await screenshot(a, 'signup-desktop-light');

  await signUp(a, { name: 'Ada Lovelace' });
  await signUp(b, { name: 'Grace Hopper' });
  await waitOnline(a);
  await waitOnline(b);
  await a.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();
  await screenshot(a, 'home-desktop-light');
  await screenshot(b, 'home-desktop-dark');

  // Reload: the refresh token survives, the access token is fetched anew.
  await a.reload();
  await a.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();
  assert.equal(new URL(a.url()).pathname, '/');
  await waitOnline(a);
  // And a second reload right away (rotation must not trip theft detection).
  await a.reload();
  await a.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();

  // Neither token is readable by script: the refresh token is in an
  // HttpOnly, Secure, SameSite=Strict cookie scoped to /graphql, the access
  // token (a JWT, "eyJ...") in memory. Storage holds the remembered user,
  // the cookie-mode marker and the offline copy of the chats.
  const cookies = await ctxA.cookies(server.url + '/graphql');
  const refresh = cookies.find((c) => c.name === 'parley_refresh');
  assert.ok(refresh?.value, 'no refresh cookie');
  assert.equal(refresh.httpOnly, true);
  assert.equal(refresh.secure, true);
  assert.equal(refresh.sameSite, 'Strict');
  assert.equal(refresh.path, '/graphql');
  assert.equal(await a.evaluate(() => document.cookie), '');
  const stored = await a.evaluate(() => ({ session: { ...sessionStorage }, local: { ...localStorage } }));
  assert.deepEqual(Object.keys(stored.session), ['parley.refresh.user']);
  for (const key of Object.keys(stored.local)) assert.match(key, /^parley\.(snapshot|outbox|presence)\.|^parley\.refresh\.mode$/);
  for (const value of [...Object.values(stored.session), ...Object.values(stored.local)]) {
    assert.doesNotMatch(value, /eyJ/);
    assert.ok(!value.includes(refresh.value));
  }
  assert.equal(JSON.parse(stored.session['parley.refresh.user']).displayName, 'Ada Lovelace');

  // A new tab of the same browser is signed in too (the cookie is shared).
  const a2 = await ctxA.newPage();
  await a2.goto(server.url + '/');
  await a2.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();
  await a2.close();
  await a.reload();
  await a.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();

  assert.deepEqual(await unnamedControls(a), []);
  assert.deepEqual(errorsA, []);
  await ctxA.close();
  await ctxB.close();
});

test('devices and sessions: a second device appears live and is signed out from the first', { skip }, async () => {
  const laptop = await newContext(browser, DESKTOP);
  const phone = await newContext(browser, PHONE);
  const l = await laptop.newPage();
  const p = await phone.newPage();
  const user = await signUp(l, { name: 'Katherine Johnson' });

  await l.getByRole('button', { name: /^Account menu for Katherine Johnson/ }).click();
  await l.getByRole('menuitem', { name: 'Devices and sessions' }).click();
  await l.waitForURL(server.url + '/settings');
  const rows = l.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');
  await assert.doesNotReject(rows.first().waitFor());
  assert.equal(await rows.count(), 1);
  await l.getByText('This device', { exact: true }).waitFor();

  // Signing in on the phone shows up on the laptop without a reload.
  await signIn(p, user);
  await p.waitForURL(server.url + '/');
  await waitOnline(p);
  await l.waitForFunction(() => document.querySelectorAll('[data-session-id]').length === 2);
  const revoke = l.getByRole('button', { name: /^Sign out Chrome on Android/ });
  await revoke.waitFor();
  await screenshot(l, 'settings-sessions-desktop');
  assert.deepEqual(await unnamedControls(l), []);

  // Revoke the phone: its page learns at once and returns to sign-in.
  await revoke.click();
  await l.waitForFunction(() => document.querySelectorAll('[data-session-id]').length === 1);
  await p.waitForURL(server.url + '/signin');
  await p.getByText('You were signed out from another device.').waitFor();
  await screenshot(p, 'signed-out-elsewhere-phone');
  // And stays signed out after a reload.
  await p.reload();
  await p.getByRole('heading', { name: 'Welcome back' }).waitFor();

  await laptop.close();
  await phone.close();
});

test('sign out ends the session on the server and survives a reload', { skip }, async () => {
  const ctx = await newContext(browser, DESKTOP);
  const page = await ctx.newPage();
  await signUp(page, { name: 'Alan Turing' });
  const refresh = (await ctx.cookies(server.url + '/graphql')).find((c) => c.name === 'parley_refresh')?.value;
  assert.ok(refresh);

  await page.getByRole('button', { name: /^Account menu for Alan Turing/ }).press('Enter');
  // Keyboard: the menu opens with focus on its first item; arrows and End move.
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
  await page.getByRole('menu', { name: 'Account' }).waitFor();
  assert.equal(await focused(), 'Online');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'Away');
  await page.keyboard.press('End');
  assert.equal(await focused(), 'Sign out');
  await page.keyboard.press('Enter');
  await page.waitForURL(server.url + '/signin');
  await page.getByText('You have signed out.').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.equal((await ctx.cookies(server.url + '/graphql')).find((c) => c.name === 'parley_refresh'), undefined);

  // The old refresh token no longer works on the server either.
  const res = await fetch(server.url + '/graphql', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }', variables: { t: refresh } }),
  }).then((r) => r.json());
  assert.equal(res.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');

  await page.reload();
  await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
  await page.goto(server.url + '/');
  await page.waitForURL(server.url + '/signin');
  await ctx.close();
});

test('errors are told in plain words: taken email, wrong password, throttling', { skip }, async () => {
  const ctx = await newContext(browser, DESKTOP);
  const page = await ctx.newPage();
  const user = await signUp(page, { name: 'Edsger Dijkstra' });
  await page.evaluate(() => sessionStorage.clear());
  await ctx.clearCookies();

  // Same email again.
  await page.goto(server.url + '/signup');
  await page.getByLabel('Your name').fill('Someone Else');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('alert').filter({ hasText: 'An account with this email already exists' }).waitFor();

  // A common password.
  await page.getByLabel('Email').fill(uniqueEmail('web'));
  await page.getByLabel('Password', { exact: true }).fill('qwertyuiop');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('alert').filter({ hasText: 'That password is too common' }).waitFor();
  assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');

  // Wrong password, then throttled after repeated failures (5 per account).
  let throttled = false;
  for (let i = 0; i < 7 && !throttled; i++) {
    await signIn(page, { email: user.email, password: 'not the right password' });
    const alert = page.getByRole('alert').filter({ hasText: /\w/ });
    await alert.waitFor();
    const text = await alert.textContent();
    if (/Too many attempts/.test(text)) {
      throttled = true;
      assert.match(text, /wait \d+ (seconds?|minutes?)/);
      await screenshot(page, 'signin-rate-limited');
    } else {
      assert.match(text, /email and password do not match/);
    }
  }
  assert.ok(throttled, 'sign-in was never throttled');
  await ctx.close();
});

test('phone-sized screen: sign up, home, menu and settings fit 360 px', { skip }, async () => {
  const ctx = await newContext(browser, PHONE);
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url + '/signup');
  await page.getByRole('heading', { name: 'Create your account' }).waitFor();
  await screenshot(page, 'signup-phone');
  await signUp(page, { name: 'Margaret Hamilton' });
  await waitOnline(page);
  await screenshot(page, 'home-phone');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
  assert.deepEqual(await overflowing(page), []);

  await page.getByRole('button', { name: /^Account menu for Margaret Hamilton/ }).click();
  await page.getByRole('menu', { name: 'Account' }).waitFor();
  await screenshot(page, 'home-phone-menu');
  await page.getByRole('menuitem', { name: 'Devices and sessions' }).click();
  await page.waitForURL(server.url + '/settings');
  await page.getByText('This device', { exact: true }).waitFor();
  await screenshot(page, 'settings-phone');
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0);
  await page.getByRole('link', { name: 'Back to conversations' }).click();
  await page.waitForURL(server.url + '/');
  assert.deepEqual(errors, []);
  await ctx.close();
});
