// The web client's chat in Debian's Chromium against a real parleyd: two
// people (one on a phone-sized screen) become contacts and chat both ways
// with typing, receipts, edits, deletes and reactions arriving live; a third
// adds them to a group; reload keeps session and history; messages written
// offline arrive once each. Also measures opening a 10,000-message
// conversation (performance.measure 'parley:open').
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startParleyd, gql, uniqueEmail, PASSWORD } from './parleyd.mjs';
import { newUser, befriend } from './chat.mjs';
import { launchBrowser, newContext, screenshot, watchErrors, unnamedControls, signUpInBrowser, overflowing, ARTIFACTS, DESKTOP, PHONE } from './browser.mjs';

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

const signUpUI = (page, name) => signUpInBrowser(page, server, name, { gql, uniqueEmail, PASSWORD });

const composer = (page) => page.getByRole('textbox', { name: 'Message' });
const messages = (page) => page.getByRole('log');
const bubble = (page, text) => messages(page).locator('.msg:not(.pending)', { hasText: text });

async function sendText(page, text) {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

test('two people become contacts and chat live; a group; reload; offline sends arrive once', { skip, timeout: 120_000 }, async () => {
  const ctxA = await newContext(browser, DESKTOP);
  const ctxB = await newContext(browser, PHONE);
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  const errorsA = watchErrors(a);
  const errorsB = watchErrors(b);
  const ada = await signUpUI(a, 'Ada Lovelace');
  const grace = await signUpUI(b, 'Grace Hopper');

  // Ada finds Grace by email and asks; Grace sees a badge and accepts.
  await a.getByRole('tab', { name: /Contacts/ }).click();
  await a.getByLabel('Find people by name or email').fill(grace.email);
  await a.getByRole('button', { name: 'Add Grace Hopper as a contact' }).click();
  await a.getByLabel('A note for Grace Hopper (optional)').fill('We met at the COBOL meeting');
  await a.getByRole('button', { name: 'Send request' }).click();
  await a.getByText('Request sent').waitFor();
  // The note shows with the sent request, and with the one received.
  await a.getByRole('region', { name: 'Your contacts' }).getByText('We met at the COBOL meeting').waitFor();
  await b.getByRole('tab', { name: /Contacts.*1 pending requests/ }).click();
  await b.getByRole('button', { name: 'Accept Ada Lovelace' }).waitFor();
  await b.getByRole('region', { name: 'Contact requests' }).getByText('We met at the COBOL meeting').waitFor();
  await screenshot(b, 'contacts-request-phone');
  await b.getByRole('button', { name: 'Accept Ada Lovelace' }).click();

  // Ada starts the chat from her contacts.
  await a.getByLabel('Find people by name or email').fill('');
  await a.getByRole('button', { name: /^Message Grace Hopper/ }).click();
  await a.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
  await sendText(a, 'Hello Grace, how is the compiler?');
  await bubble(a, 'Hello Grace').waitFor();

  // Grace (phone): an unread conversation; opening it shows the message.
  await b.getByRole('tab', { name: /Chats/ }).click();
  const item = b.getByRole('option', { name: /Ada Lovelace, 1 unread/ });
  await item.waitFor();
  await screenshot(b, 'conversation-list-unread-phone');
  await item.click();
  await bubble(b, 'Hello Grace').waitFor();
  // Ada's message is read: ticks turn to Read and "Seen by Grace" appears.
  await a.getByText('Seen by Grace').waitFor();
  await bubble(a, 'Hello Grace').getByRole('img', { name: 'Read' }).waitFor();

  // Typing shows live, then the reply arrives.
  await composer(b).pressSequentially('Working on it', { delay: 20 });
  await a.getByText('Grace is typing…').waitFor();
  await composer(b).press('Shift+Enter');
  await composer(b).pressSequentially('nearly done!');
  await composer(b).press('Enter');
  const reply = bubble(a, 'nearly done!');
  await reply.waitFor();
  assert.match(await reply.locator('.text').textContent(), /Working on it\nnearly done!/);
  await a.getByText('Grace is typing…').waitFor({ state: 'hidden' });

  // Up arrow edits Ada's last message; Grace sees the edit.
  await composer(a).press('ArrowUp');
  await a.getByText('Editing message').waitFor();
  await composer(a).fill('Hello Grace, how is COBOL?');
  await composer(a).press('Enter');
  await bubble(b, 'how is COBOL?').getByText('edited').waitFor();

  // Grace reacts; Ada sees it. Ada replies to Grace's message.
  const toReact = bubble(b, 'how is COBOL?');
  await toReact.hover();
  await toReact.getByRole('button', { name: 'React' }).click();
  await toReact.getByRole('menuitem', { name: 'React with 👍' }).click();
  await bubble(a, 'how is COBOL?').getByRole('button', { name: /👍 1: Grace Hopper/ }).waitFor();
  await reply.hover();
  await reply.getByRole('button', { name: 'Reply' }).click();
  await sendText(a, 'Great news');
  await bubble(b, 'Great news').getByRole('button', { name: /Replying to Grace Hopper/ }).waitFor();

  // Ada deletes a message; Grace sees the tombstone.
  await sendText(a, 'oops, wrong chat');
  await bubble(b, 'oops, wrong chat').waitFor();
  a.once('dialog', (d) => d.accept());
  const oops = bubble(a, 'oops, wrong chat');
  await oops.hover();
  await oops.getByRole('button', { name: 'Delete message' }).click();
  await b.getByText('This message was deleted').waitFor();
  await screenshot(a, 'conversation-desktop');
  await screenshot(b, 'conversation-phone');

  // A third person makes a group with both; it appears live for both.
  const cy = await newUser(server, 'Cyrus');
  await befriend(cy, ada);
  await befriend(cy, grace);
  const { createGroupConversation: group } = await cy.ok(
    `mutation($t: String!, $m: [ID!]!) { createGroupConversation(title: $t, memberIds: $m) { id } }`,
    { t: 'Launch team', m: [ada.id, grace.id] });
  await a.getByRole('option', { name: /^Launch team/ }).click();
  await messages(a).getByText('Cyrus created the group').waitFor();
  await sendText(a, 'Hi team');
  await bubble(a, 'Hi team').waitFor();
  const fromCy = await cy.ok(`query($c: ID!) { messages(conversationId: $c) { body sender { id } } }`, { c: group.id });
  assert.ok(fromCy.messages.some((m) => m.body.startsWith('Hi team') && m.sender.id === ada.id));
  await b.getByRole('button', { name: 'Back to conversations' }).click();
  await b.getByRole('option', { name: /^Launch team, 1 unread/ }).waitFor();

  // Reload keeps the session, the open conversation and its history.
  await a.reload();
  await a.getByRole('heading', { name: 'Launch team' }).waitFor();
  await bubble(a, 'Hi team').waitFor();
  await a.getByRole('option', { name: /^Grace Hopper/ }).click();
  await bubble(a, 'how is COBOL?').waitFor();

  // Offline: two messages wait (shown as sending), then arrive once each.
  await ctxA.setOffline(true);
  await a.getByText('You are offline').waitFor();
  await sendText(a, 'offline one');
  await sendText(a, 'offline two');
  await a.locator('.msg.pending', { hasText: 'offline two' }).getByRole('img', { name: 'Sending' }).waitFor();
  // Reloaded while offline: the service worker's shell opens the app as the
  // remembered user, with the conversation from the device's copy and the
  // queued messages still waiting.
  // (The copy is written a second after a change, and at once when the page goes away.)
  await a.reload();
  await a.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
  await bubble(a, 'how is COBOL?').waitFor();
  await a.locator('.msg.pending', { hasText: 'offline one' }).waitFor();
  await a.locator('.msg.pending', { hasText: 'offline two' }).waitFor();
  await a.getByText('You are offline').waitFor();
  await screenshot(a, 'offline-queued-desktop');
  await ctxA.setOffline(false);
  await bubble(b, 'Launch team').count(); // (phone shows the list now)
  await b.getByRole('option', { name: /^Ada Lovelace/ }).click();
  await bubble(b, 'offline two').waitFor();
  await a.locator('.msg.pending').first().waitFor({ state: 'detached' });
  // Back online, the page restores its session and reconnects at once (not after the backoff).
  await a.getByRole('button', { name: /^Account menu for Ada Lovelace, Online$/ }).waitFor();
  const { conversations } = await grace.ok(`{ conversations { id title } }`);
  const direct = conversations.find((c) => c.title === 'Ada Lovelace');
  const { messages: stored } = await grace.ok(`query($c: ID!) { messages(conversationId: $c, limit: 200) { body } }`, { c: direct.id });
  assert.equal(stored.filter((m) => m.body === 'offline one').length, 1);
  assert.equal(stored.filter((m) => m.body === 'offline two').length, 1);
  assert.equal(await bubble(b, 'offline one').count(), 1);
  assert.equal(await bubble(b, 'offline two').count(), 1);

  assert.deepEqual(await unnamedControls(a), []);
  assert.deepEqual(await unnamedControls(b), []);
  const overflow = await b.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `phone page scrolls sideways by ${overflow}px`);
  assert.deepEqual(await overflowing(b), []);
  await b.getByRole('button', { name: 'Back to conversations' }).click();
  assert.deepEqual(await overflowing(b), []);
  assert.deepEqual(errorsA.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  assert.deepEqual(errorsB.filter((e) => !/Failed to load resource/.test(e)), []);
  await ctxA.close();
  await ctxB.close();
});

test('a 10,000-message conversation opens on its newest page and scrolls back', { skip, timeout: 180_000 }, async () => {
  const ctx = await newContext(browser, DESKTOP);
  const page = await ctx.newPage();
  const reader = await signUpUI(page, 'Rita Reader');
  const writer = await newUser(server, 'Walt');
  await befriend(writer, reader);
  const { createDirectConversation: c } = await writer.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: reader.id });
  const total = Number(process.env.PARLEY_WEB_BIG_CONVERSATION ?? 10_000);
  const started = Date.now();
  const SEND = `mutation($i: SendMessageInput!) { sendMessage(input: $i) { seq } }`;
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < total) {
      const n = next++;
      await writer.ok(SEND, { i: { conversationId: c.id, clientId: `seed-${n}`, body: `Message number ${n + 1} of the big conversation` } });
    }
  }));
  const seedMs = Date.now() - started;

  const loaded = () => page.getByRole('log').evaluate((el) => Number(el.dataset.loaded));
  await page.getByRole('option', { name: /^Walt/ }).waitFor();
  await page.evaluate(() => performance.clearMeasures());
  await page.getByRole('option', { name: /^Walt/ }).click();
  await page.waitForFunction(() => performance.getEntriesByName('parley:open').length > 0);
  const openMs = await page.evaluate(() => performance.getEntriesByName('parley:open')[0].duration);
  const rendered = await page.locator('.msg').count();
  assert.equal(await loaded(), 50, 'the newest page is loaded');
  assert.ok(rendered >= 10 && rendered <= 50, `rendered ${rendered} messages`);
  await page.locator(`.msg[data-seq="${total}"]`).waitFor();

  // Scrolling to the top loads older pages, keeping the place: the message
  // that was at the top of the viewport stays there.
  const rowAtTop = () => page.getByRole('log').evaluate((el) => {
    const box = el.getBoundingClientRect();
    const m = [...el.querySelectorAll('.msg[data-seq]')].find((x) => x.getBoundingClientRect().bottom > box.top + 1);
    return { seq: Number(m.dataset.seq), y: Math.round(m.getBoundingClientRect().top - box.top) };
  });
  for (let i = 0; i < 3; i++) {
    const before = await loaded();
    await page.getByRole('log').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
    const top = await rowAtTop();
    await page.waitForFunction((n) => Number(document.querySelector('[role=log]').dataset.loaded) > n, before);
    await page.waitForTimeout(100);
    const after = await rowAtTop();
    assert.equal(after.seq, top.seq, 'the same message stays at the top when an older page loads');
    assert.ok(Math.abs(after.y - top.y) <= 2, `it stays in place (${top.y} -> ${after.y} px)`);
  }
  const afterScroll = await loaded();
  assert.ok(afterScroll >= 200, `only ${afterScroll} after scrolling up`);
  await screenshot(page, 'big-conversation');

  // Scroll further back to 1,000 loaded messages: the DOM keeps only the rows near the viewport.
  while ((await loaded()) < Math.min(1000, total)) {
    const before = await loaded();
    await page.getByRole('log').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
    await page.waitForFunction((n) => Number(document.querySelector('[role=log]').dataset.loaded) > n, before);
  }
  const domRows = await page.locator('.message-list > li').count();
  assert.ok(domRows < 150, `${domRows} rows in the DOM for ${await loaded()} loaded messages`);
  // "Latest" goes back to the bottom.
  await page.getByRole('button', { name: 'Jump to latest messages' }).click();
  await page.locator(`.msg[data-seq="${total}"]`).waitFor();
  const frames = await page.getByRole('log').evaluate(async (el) => {
    const gaps = [];
    let last = performance.now();
    const steps = 60;
    for (let i = 1; i <= steps; i++) {
      el.scrollTop = (el.scrollHeight - el.clientHeight) * (i / steps);
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    }
    gaps.sort((a, b) => a - b);
    return { p50: gaps[Math.floor(gaps.length * 0.5)], p95: gaps[Math.floor(gaps.length * 0.95)], max: gaps[gaps.length - 1] };
  });
  const renderedForScroll = await loaded();
  const domRowsAfterScroll = await page.locator('.message-list > li').count();
  assert.ok(domRowsAfterScroll < 150, `${domRowsAfterScroll} rows in the DOM after scrolling through ${renderedForScroll}`);

  // Further back than the client holds (1,500): the messages far from the view are dropped, the DOM
  // stays small, and "Latest" loads the newest page again.
  const firstSeq = () => page.getByRole('log').evaluate((el) => Number(el.dataset.firstSeq));
  let maxHeld = 0;
  while ((await firstSeq()) > Math.max(1, total - 2000)) {
    const before = await firstSeq();
    await page.getByRole('log').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
    await page.waitForFunction((n) => Number(document.querySelector('[role=log]').dataset.firstSeq) < n, before);
    maxHeld = Math.max(maxHeld, await loaded());
  }
  await page.getByRole('log').evaluate((el) => el.dispatchEvent(new Event('scroll')));
  await page.waitForFunction(() => Number(document.querySelector('[role=log]').dataset.loaded) <= 1500);
  const held = await loaded();
  const trimmedDomRows = await page.locator('.message-list > li').count();
  assert.ok(maxHeld <= 1550, `held at most ${maxHeld} messages`);
  assert.ok(trimmedDomRows < 150, `${trimmedDomRows} rows in the DOM`);
  await page.getByRole('button', { name: 'Jump to latest messages' }).click();
  await page.locator(`.msg[data-seq="${total}"]`).waitFor();

  mkdirSync(ARTIFACTS, { recursive: true });
  const figures = {
    messages: total, seedMs, openMs: Math.round(openMs), renderedFirstPage: rendered, afterThreeScrolls: afterScroll,
    trimmed: { maxHeld, held, domRows: trimmedDomRows },
    scroll: { loaded: renderedForScroll, domRows: domRowsAfterScroll, frameMsP50: Math.round(frames.p50), frameMsP95: Math.round(frames.p95), frameMsMax: Math.round(frames.max) },
  };
  writeFileSync(join(ARTIFACTS, 'big-conversation.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log('big conversation:', JSON.stringify(figures));
  await ctx.close();
});
