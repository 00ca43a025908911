// The web client's groups, presence, message search and reconnection in
// Debian's Chromium against a real parleyd.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startParleyd, gql, uniqueEmail, PASSWORD } from './parleyd.mjs';
import { befriend, newUser } from './chat.mjs';
import { launchBrowser, newContext, screenshot, signUpInBrowser, unnamedControls, DESKTOP } from './browser.mjs';

const webOut = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'out', 'index.html');
const skip = !existsSync(webOut) ? 'web/out not built (scripts/build-web.sh)' : false;

let browser;
before(async () => { if (!skip) browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const messages = (page) => page.getByRole('log');
const bubble = (page, text) => messages(page).locator('.msg:not(.pending)', { hasText: text });

test('groups: create, rename, roles, remove; presence and status message; search jumps to a message', { skip, timeout: 90_000 }, async () => {
  const server = await startParleyd();
  try {
    const ctxA = await newContext(browser, DESKTOP);
    const ctxB = await newContext(browser, DESKTOP, { colorScheme: 'dark' });
    const a = await ctxA.newPage();
    const b = await ctxB.newPage();
    const helpers = { gql, uniqueEmail, PASSWORD };
    const ada = await signUpInBrowser(a, server, 'Ada Lovelace', helpers);
    const bob = await signUpInBrowser(b, server, 'Bob Babbage', helpers);
    await befriend({ ...ada, ok: ada.ok }, { ...bob, ok: bob.ok });

    // Ada makes a group with Bob.
    await a.reload();
    await a.getByRole('button', { name: 'New group' }).click();
    const dialog = a.getByRole('dialog', { name: 'New group' });
    await dialog.getByLabel('Group name').fill('Book club');
    await dialog.getByLabel('Bob Babbage').check();
    await screenshot(a, 'new-group-dialog');
    assert.deepEqual(await unnamedControls(a), []);
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await a.getByRole('heading', { name: 'Book club' }).waitFor();
    await messages(a).getByText('You created the group').waitFor();
    await b.getByRole('option', { name: /^Book club/ }).waitFor();

    // Rename; members and roles.
    await a.getByRole('button', { name: 'Group details' }).click();
    const details = a.getByRole('dialog', { name: 'Group details' });
    await details.getByLabel('Group name').fill('Reading circle');
    await details.getByRole('button', { name: 'Rename' }).click();
    await b.getByRole('option', { name: /^Reading circle/ }).waitFor();
    const members = details.getByRole('list', { name: 'Members' });
    await members.getByText('Owner', { exact: true }).waitFor();
    await members.getByText('Member', { exact: true }).waitFor();
    await screenshot(a, 'group-details');
    await details.getByRole('button', { name: 'Close' }).click();

    // @ autocompletes members; the message is sent with their ids.
    const box = a.getByRole('textbox', { name: 'Message' });
    await box.pressSequentially('Over to you @Bo');
    const mentionList = a.getByRole('listbox', { name: 'Mention someone' });
    await mentionList.getByRole('option', { name: 'Bob Babbage' }).waitFor();
    await screenshot(a, 'mention-autocomplete');
    await box.press('Enter');
    assert.equal(await box.inputValue(), 'Over to you @Bob Babbage ');
    await box.pressSequentially('what do you think?');
    await box.press('Enter');
    await bubble(a, 'Over to you @Bob Babbage what do you think?').waitFor();
    const { conversations } = await bob.ok(`{ conversations { id title } }`);
    const circle = conversations.find((c) => c.title === 'Reading circle');
    const { messages: sent } = await bob.ok(`query($c: ID!) { messages(conversationId: $c) { body mentions { id } } }`, { c: circle.id });
    assert.deepEqual(sent.find((m) => m.body.startsWith('Over to you')).mentions.map((u) => u.id), [bob.id]);

    // Status: Do not disturb with a message, seen by the contact.
    await a.getByRole('button', { name: /^Account menu for Ada Lovelace/ }).click();
    await a.getByLabel('Status message').fill('Reading Menabrea');
    await a.getByRole('button', { name: 'Set' }).click();
    await a.getByRole('button', { name: /^Account menu for Ada Lovelace/ }).click();
    await a.getByRole('menuitemradio', { name: 'Do not disturb' }).click();
    await a.getByRole('button', { name: /Do not disturb: Reading Menabrea$/ }).waitFor();
    await b.getByRole('tab', { name: /Contacts/ }).click();
    await b.getByRole('button', { name: /^Message Ada Lovelace, Do not disturb$/ }).waitFor();
    await b.getByText('Reading Menabrea').waitFor();
    await b.getByRole('tab', { name: /Chats/ }).click();

    // Search finds a message and opens its conversation at it.
    await a.getByRole('textbox', { name: 'Message' }).fill('The analytical engine weaves algebraic patterns');
    await a.getByRole('textbox', { name: 'Message' }).press('Enter');
    await bubble(a, 'algebraic patterns').waitFor();
    await b.getByLabel('Search conversations').fill('algebraic');
    const hit = b.getByRole('region', { name: 'Messages found' }).getByRole('button').first();
    await hit.waitFor();
    await hit.click();
    await b.getByRole('heading', { name: 'Reading circle' }).waitFor();
    await bubble(b, 'algebraic patterns').waitFor();
    await screenshot(b, 'search-jump-dark');

    // Roles: Bob watches the member list while Ada (owner) makes him an admin, then hands him the group.
    await b.getByRole('button', { name: 'Group details' }).click();
    const bobDetails = b.getByRole('dialog', { name: 'Group details' });
    const roleOf = (dialog, name) => dialog.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: name }).getByTestId('member-role');
    assert.equal(await roleOf(bobDetails, 'Bob Babbage').textContent(), 'Member');
    assert.equal(await bobDetails.getByRole('button', { name: /^Make / }).count(), 0, 'a plain member may not change roles');
    await a.getByRole('button', { name: 'Group details' }).click();
    const adaDetails = a.getByRole('dialog', { name: 'Group details' });
    await adaDetails.getByRole('button', { name: 'Make Bob Babbage an admin' }).click();
    const ask = adaDetails.getByRole('alertdialog', { name: 'Make Bob Babbage an admin' });
    await ask.getByText(/Admins can rename the group/).waitFor();
    await screenshot(a, 'group-role-confirm');
    // Cancel changes nothing; confirming does, and Bob sees it live.
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'detached' });
    assert.equal(await roleOf(adaDetails, 'Bob Babbage').textContent(), 'Member');
    await adaDetails.getByRole('button', { name: 'Make Bob Babbage an admin' }).click();
    await ask.getByRole('button', { name: 'Make admin' }).click();
    await b.waitForFunction(() => [...document.querySelectorAll('[role=dialog] li')].some((li) => /Bob Babbage/.test(li.textContent) && li.querySelector('[data-testid=member-role]')?.textContent === 'Admin'));
    assert.equal(await roleOf(adaDetails, 'Bob Babbage').textContent(), 'Admin');
    await messages(a).getByText(/Bob Babbage.*admin/i).first().waitFor();
    // Ownership: Ada becomes an admin, Bob the owner, and Bob's controls follow.
    await adaDetails.getByRole('button', { name: 'Make Bob Babbage the owner' }).click();
    const transfer = adaDetails.getByRole('alertdialog', { name: 'Make Bob Babbage the owner' });
    await transfer.getByText(/You become an admin/).waitFor();
    await transfer.getByRole('button', { name: 'Transfer ownership' }).click();
    await b.waitForFunction(() => [...document.querySelectorAll('[role=dialog] li')].some((li) => /Bob Babbage/.test(li.textContent) && li.querySelector('[data-testid=member-role]')?.textContent === 'Owner'));
    assert.equal(await roleOf(bobDetails, 'Ada Lovelace').textContent(), 'Admin');
    assert.equal(await roleOf(adaDetails, 'Ada Lovelace').textContent(), 'Admin');
    assert.equal(await adaDetails.getByRole('button', { name: /^Make Bob/ }).count(), 0, 'an admin cannot change the owner');
    await bobDetails.getByRole('button', { name: 'Make Ada Lovelace a member' }).waitFor();
    await screenshot(b, 'group-roles-after-transfer-dark');
    await adaDetails.getByRole('button', { name: 'Close' }).click();

    // Bob (now the owner) removes Ada, after confirming: the group leaves Ada's list live.
    await bobDetails.getByRole('button', { name: 'Remove Ada Lovelace' }).click();
    await bobDetails.getByRole('alertdialog', { name: 'Remove Ada Lovelace' }).getByRole('button', { name: 'Remove' }).click();
    await a.getByRole('option', { name: /^Reading circle/ }).waitFor({ state: 'detached' });
    await bobDetails.getByRole('button', { name: 'Close' }).click();

    // Block and unblock from a direct conversation and the Contacts tab.
    await a.getByRole('tab', { name: /Contacts/ }).click();
    await a.getByRole('button', { name: /^Message Bob Babbage/ }).click();
    await a.getByRole('heading', { name: 'Bob Babbage' }).waitFor();
    await a.getByRole('button', { name: 'Contact details' }).click();
    await a.getByRole('dialog', { name: 'Bob Babbage' }).getByRole('button', { name: 'Block Bob Babbage' }).click();
    await a.getByRole('dialog', { name: 'Bob Babbage' }).getByRole('button', { name: 'Unblock Bob Babbage' }).waitFor();
    await a.getByRole('dialog', { name: 'Bob Babbage' }).getByRole('button', { name: 'Close' }).click();
    await a.getByRole('tab', { name: /Contacts/ }).click();
    await a.getByRole('button', { name: 'Unblock Bob Babbage' }).click();
    await a.getByRole('button', { name: 'Unblock Bob Babbage' }).waitFor({ state: 'detached' });
    await ctxA.close();
    await ctxB.close();
  } finally {
    await server.stop();
  }
});

test('a dropped connection shows a banner, reconnects with backoff and resumes from its cursor', { skip, timeout: 90_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-web-reconnect-'));
  let server = await startParleyd({ dataDir });
  const port = new URL(server.url).port;
  try {
    const ctx = await newContext(browser, DESKTOP);
    const page = await ctx.newPage();
    const ada = await signUpInBrowser(page, server, 'Ada Lovelace', { gql, uniqueEmail, PASSWORD });
    const cy = await newUser(server, 'Cyrus');
    await befriend(cy, ada);
    const { createDirectConversation: c } = await cy.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: ada.id });
    await cy.ok(`mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }`, { i: { conversationId: c.id, clientId: 'r1', body: 'before the restart' } });
    await page.getByRole('option', { name: /^Cyrus/ }).click();
    await bubble(page, 'before the restart').waitFor();

    await server.stop({ keepData: true });
    await page.getByText('Reconnecting…').first().waitFor();
    await screenshot(page, 'reconnecting-banner');
    server = await startParleyd({ dataDir, args: ['--listen', `127.0.0.1:${port}`] });
    // Sent while the page is still waiting to reconnect: replayed from its cursor.
    const relogin = await gql(server, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { email: cy.email, password: cy.password } });
    const token = relogin.body.data.signIn.accessToken;
    await gql(server, `mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }`, { i: { conversationId: c.id, clientId: 'r2', body: 'during the reconnect' } }, { token });
    await bubble(page, 'during the reconnect').waitFor({ timeout: 40_000 });
    await page.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor({ state: 'detached' });
    assert.equal(await bubble(page, 'during the reconnect').count(), 1);
    assert.equal(await bubble(page, 'before the restart').count(), 1);
    await ctx.close();
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('keyboard only: skip link, arrow keys in the list, Enter opens, the composer sends; focus is visible', { skip, timeout: 60_000 }, async () => {
  const server = await startParleyd();
  try {
    const ctx = await newContext(browser, DESKTOP);
    const page = await ctx.newPage();
    const ada = await signUpInBrowser(page, server, 'Ada Lovelace', { gql, uniqueEmail, PASSWORD });
    for (const name of ['Cyrus', 'Dora']) {
      const u = await newUser(server, name);
      await befriend(u, ada);
      const { createDirectConversation: c } = await u.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: ada.id });
      await u.ok(`mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }`, { i: { conversationId: c.id, clientId: 'k1', body: `Hello from ${name}` } });
    }
    await page.getByRole('option', { name: /^Cyrus/ }).waitFor();
    await page.getByRole('option', { name: /^Dora/ }).waitFor();

    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to conversations');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    const first = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.match(first, /^Dora/); // newest activity first
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).boxShadow);
    assert.notEqual(ring, 'none', 'no visible focus on the option');
    await page.keyboard.press('ArrowDown');
    assert.match(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), /^Cyrus/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Cyrus' }).waitFor();
    for (let i = 0; i < 25; i++) {
      if (await page.evaluate(() => document.activeElement?.id) === 'composer') break;
      await page.keyboard.press('Tab');
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'composer');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Enter');
    await bubble(page, 'Typed without a mouse').waitFor();
    await screenshot(page, 'keyboard-only');
    await ctx.close();
  } finally {
    await server.stop();
  }
});
