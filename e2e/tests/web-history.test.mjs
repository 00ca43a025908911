// The web client's history beyond the loaded pages, in Debian's Chromium
// against a real parleyd: a search result far back in a 400-message
// conversation opens on the page around it (messages(aroundSeq)), highlighted;
// scrolling loads older and newer pages from there with no hole between
// them, a message arriving meanwhile waits for its turn, and "Latest" goes
// back to the newest page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startParleyd, gql, uniqueEmail, PASSWORD } from './parleyd.mjs';
import { befriend, newUser } from './chat.mjs';
import { launchBrowser, newContext, screenshot, signUpInBrowser, watchErrors, DESKTOP } from './browser.mjs';

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

const TOTAL = 400;
const SEND = `mutation($i: SendMessageInput!) { sendMessage(input: $i) { seq } }`;

/** The seqs of the messages in the DOM (the list is windowed: those near the viewport), in order. */
const renderedSeqs = (page) => page.getByRole('log').evaluate((el) =>
  [...el.querySelectorAll('[data-seq]')].map((m) => Number(m.getAttribute('data-seq'))));
/** The range of seqs the client holds (the log's data-first-seq and data-last-seq). */
const heldRange = (page) => page.getByRole('log').evaluate((el) => [Number(el.dataset.firstSeq), Number(el.dataset.lastSeq), Number(el.dataset.loaded)]);

function assertContiguous(seqs, what) {
  for (let i = 1; i < seqs.length; i++) {
    assert.equal(seqs[i], seqs[i - 1] + 1, `${what}: hole between ${seqs[i - 1]} and ${seqs[i]}`);
  }
}

test('a search result far back opens on its page, highlighted; history loads both ways from there without holes', { skip, timeout: 120_000 }, async () => {
  const ctx = await newContext(browser, DESKTOP);
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const reader = await signUpInBrowser(page, server, 'Hana Historian', { gql, uniqueEmail, PASSWORD });
  const writer = await newUser(server, 'Wes');
  await befriend(writer, reader);
  const { createDirectConversation: c } = await writer.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: reader.id });
  for (let n = 1; n <= TOTAL; n++) {
    await writer.ok(SEND, { i: { conversationId: c.id, clientId: `h-${n}`, body: `Entry ${n} of the logbook, code w${n}q` } });
  }

  // The conversation is open on its newest page.
  await page.getByRole('option', { name: /^Wes/ }).click();
  await page.locator(`.msg[data-seq="${TOTAL}"]`).waitFor();
  assert.ok(!(await page.locator('.msg[data-seq="100"]').count()), 'seq 100 is not loaded yet');

  // Search for message 100 (300 back: not in the loaded pages) and open the hit.
  await page.getByLabel('Search conversations').fill('w100q');
  const hit = page.getByRole('region', { name: 'Messages found' }).getByRole('button', { name: /Entry 100 of the logbook/ });
  await hit.click();
  const target = page.locator('.msg[data-seq="100"]');
  await target.waitFor();
  await page.waitForFunction(() => document.querySelector('.msg[data-seq="100"]')?.classList.contains('flash'));
  // It is on screen, in the middle third of the list.
  const where = await page.getByRole('log').evaluate((el) => {
    const box = el.getBoundingClientRect();
    const m = el.querySelector('.msg[data-seq="100"]').getBoundingClientRect();
    return (m.top + m.height / 2 - box.top) / box.height;
  });
  assert.ok(where > 0.2 && where < 0.8, `message 100 at ${where} of the list's height`);
  await screenshot(page, 'search-jump-far-back');
  let seqs = await renderedSeqs(page);
  assert.ok(seqs.includes(100));
  let [low, high, held] = await heldRange(page);
  assert.ok(low <= 100 && high < TOTAL && held === high - low + 1, `holds ${held} messages ${low}..${high}: the newest page was replaced, not kept after a hole`);
  assertContiguous(seqs, 'after the jump');
  await page.getByRole('button', { name: 'Jump to latest messages' }).waitFor();

  // A message arrives meanwhile: it is not shown after a hole.
  await writer.ok(SEND, { i: { conversationId: c.id, clientId: 'h-live', body: `Entry ${TOTAL + 1}, written while reading old pages` } });
  await page.waitForTimeout(500);
  seqs = await renderedSeqs(page);
  assert.equal((await heldRange(page))[1], high, 'the live message is left for its page');
  assertContiguous(seqs, 'after a live message');

  // Scrolling up loads older pages; scrolling down loads newer ones; always one range.
  const log = page.getByRole('log');
  await log.evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
  await page.waitForFunction((s) => Number(document.querySelector('[role=log]').dataset.firstSeq) < s, low);
  for (let i = 0; i < 12; i++) {
    [, high] = await heldRange(page);
    if (high === TOTAL + 1) break;
    await log.evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
    await page.waitForFunction((s) => Number(document.querySelector('[role=log]').dataset.lastSeq) > s, high);
  }
  [low, high, held] = await heldRange(page);
  assert.equal(high, TOTAL + 1, 'scrolling down reached the newest message');
  assert.equal(held, high - low + 1, `holds ${held} messages ${low}..${high}: one range, no hole`);
  await log.evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
  await page.locator(`.msg[data-seq="${TOTAL + 1}"]`).waitFor();
  seqs = await renderedSeqs(page);
  assertContiguous(seqs, 'after scrolling both ways');

  // Jump back far again, then "Latest" returns to the newest page and sending works from there.
  await page.getByLabel('Search conversations').fill('w20q');
  await page.getByRole('region', { name: 'Messages found' }).getByRole('button', { name: /Entry 20 of the logbook/ }).click();
  await page.locator('.msg[data-seq="20"]').waitFor();
  // The start of the conversation: its notice and the first day separator, above message 1.
  await log.evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
  await page.getByText('This is the beginning of your conversation with Wes.').waitFor();
  await log.getByRole('separator').filter({ hasText: 'Today' }).waitFor();
  await page.locator('.msg[data-seq="1"]').waitFor();
  await page.getByRole('button', { name: 'Jump to latest messages' }).click();
  await page.locator(`.msg[data-seq="${TOTAL + 1}"]`).waitFor();
  assertContiguous(await renderedSeqs(page), 'after Latest');
  [low, high, held] = await heldRange(page);
  assert.equal(held, high - low + 1, 'one range after Latest');
  const atBottom = await log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 80);
  assert.ok(atBottom, 'Latest scrolls to the bottom');
  await page.getByRole('textbox', { name: 'Message' }).fill('Back at the newest page');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await page.locator('.msg:not(.pending)', { hasText: 'Back at the newest page' }).waitFor();
  assertContiguous(await renderedSeqs(page), 'after sending');

  // A reply quoting a loaded message outside the rendered window: its quote brings it into view, highlighted.
  const quotedSeq = TOTAL - 45;
  const { messages: [quoted] } = await writer.ok(`query($c: ID!, $s: Int) { messages(conversationId: $c, afterSeq: $s, limit: 1) { id seq } }`, { c: c.id, s: quotedSeq - 1 });
  assert.equal(quoted.seq, quotedSeq);
  await writer.ok(SEND, { i: { conversationId: c.id, clientId: 'h-reply', body: 'About that entry', replyToId: quoted.id } });
  const replyQuote = page.locator('.msg', { hasText: 'About that entry' }).getByRole('button', { name: /^Replying to Wes: Entry \d+ of the logbook/ });
  await replyQuote.waitFor();
  assert.equal(await page.locator(`.msg[data-seq="${quotedSeq}"]`).count(), 0, 'the quoted message is loaded but not rendered (windowed)');
  await replyQuote.click();
  await page.waitForFunction((s) => document.querySelector(`.msg[data-seq="${s}"]`)?.classList.contains('flash'), quotedSeq);
  const inView = await log.evaluate((el, s) => {
    const box = el.getBoundingClientRect();
    const m = el.querySelector(`.msg[data-seq="${s}"]`).getBoundingClientRect();
    return m.top >= box.top && m.bottom <= box.bottom;
  }, quotedSeq);
  assert.ok(inView, 'the quoted message is on screen');

  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await ctx.close();
});
