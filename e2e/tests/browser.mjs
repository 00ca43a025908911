// Debian's Chromium driven by playwright-core, for the web client's tests.
// chromium.launch() gives every browser a fresh, throw-away profile
// (user data dir); contexts inside it are isolated like separate people.
// Screenshots go to e2e/test-artifacts/ (a folder that ignores itself in git).
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = process.env.PARLEY_TEST_ARTIFACTS
  || join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts');

/**
 * `fakeMedia`: for calls, Chromium's fake camera and microphone (a test
 * pattern and a beep), permission prompts answered yes, getDisplayMedia
 * giving a fake screen, and sound allowed to play without a gesture.
 */
export async function launchBrowser({ fakeMedia = false } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      ...(fakeMedia ? [
        '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
        '--auto-select-desktop-capture-source=Entire screen', '--autoplay-policy=no-user-gesture-required',
      ] : []),
    ],
  });
}

export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const PHONE = {
  viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36',
};

/** A new isolated context ("another person" or "another device"). */
export async function newContext(browser, options = DESKTOP, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ ...options, colorScheme, locale: 'en-GB' });
  context.setDefaultTimeout(10_000);
  return context;
}

export async function screenshot(page, name) {
  if (!existsSync(ARTIFACTS)) {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, '.gitignore'), '*\n');
  }
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Collects console errors and failed page scripts of a page for assertions. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return errors;
}

/**
 * Names of interactive elements that have no accessible name (should be
 * empty): buttons, links, inputs, selects, textareas and role=button/menuitem/tab.
 */
export async function unnamedControls(page) {
  return page.evaluate(() => {
    const sel = 'button, a[href], input:not([type=hidden]), select, textarea, [role=button], [role=menuitem], [role=tab], [role=option]';
    const out = [];
    for (const el of document.querySelectorAll(sel)) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const labelled = el.getAttribute('aria-labelledby');
      const name = (el.getAttribute('aria-label') || '').trim()
        || (labelled ? labelled.split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' ').trim() : '')
        || (el.labels && [...el.labels].map((l) => l.textContent).join(' ').trim())
        || (el.textContent || '').trim()
        || (el.getAttribute('title') || '').trim();
      if (!name) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

/**
 * Signs up through the sign-up page and waits for the connected home
 * screen. Returns the account with an API handle of its own (a second
 * session of the same user) for ids and checks.
 */
export async function signUpInBrowser(page, server, name, { gql, uniqueEmail, PASSWORD }) {
  const email = uniqueEmail(name.split(' ')[0].toLowerCase());
  await page.goto(server.url + '/signup');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(server.url + '/');
  await page.getByRole('button', { name: /, Online$/ }).waitFor();
  const r = await gql(server, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken user { id } } }`, { i: { email, password: PASSWORD } });
  const token = r.body.data.signIn.accessToken;
  return {
    name, email, id: r.body.data.signIn.user.id, accessToken: token,
    async ok(query, variables = {}) {
      const res = await gql(server, query, variables, { token });
      if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
      return res.body.data;
    },
  };
}

/** Visible elements that stick out of the viewport on the right (should be none on a phone). */
export async function overflowing(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (r.right > window.innerWidth + 1 && r.left < window.innerWidth) out.push(`${el.tagName.toLowerCase()}.${el.className}`.slice(0, 80));
    }
    return out.slice(0, 10);
  });
}
