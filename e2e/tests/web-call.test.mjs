// Calls in the web client: Debian's Chromium with fake camera and
// microphone, placing and answering calls through the UI against a real
// parleyd, media through Parley's SFU. Each side's getStats() must show
// video frames decoded and audio packets received growing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startParleyd, gql, uniqueEmail, PASSWORD } from './parleyd.mjs';
import { befriend, sleep } from './chat.mjs';
import { ARTIFACTS, launchBrowser, newContext, overflowing, screenshot, signUpInBrowser, unnamedControls, watchErrors, DESKTOP, PHONE } from './browser.mjs';

const webOut = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'out', 'index.html');
const skip = !existsSync(webOut) ? 'web/out not built (scripts/build-web.sh)' : false;

const RING_TIMEOUT_S = 3;
let browser;
let server;
before(async () => {
  if (skip) return;
  browser = await launchBrowser({ fakeMedia: true });
  server = await startParleyd({ env: { PARLEY_CALLS_RING_TIMEOUT_S: String(RING_TIMEOUT_S) } });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const helpers = { gql, uniqueEmail, PASSWORD };

function writeArtifact(name, value) {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), JSON.stringify(value, null, 2));
}

/** People signed in, each in their own browser context, all contacts of each other. */
async function people(names, layouts = []) {
  const out = [];
  for (const [i, name] of names.entries()) {
    const context = await newContext(browser, layouts[i] ?? DESKTOP);
    const page = await context.newPage();
    const errors = watchErrors(page);
    const user = await signUpInBrowser(page, server, name, helpers);
    out.push({ ...user, context, page, errors });
  }
  for (let i = 0; i < out.length; i++) for (let j = i + 1; j < out.length; j++) await befriend(out[i], out[j]);
  return out;
}

async function openConversation(person, title) {
  await person.page.goto(server.url + '/');
  await person.page.getByRole('option', { name: new RegExp(`^${title}`) }).click();
  await person.page.getByRole('heading', { name: title, level: 2 }).waitFor();
}

async function direct(a, b) {
  const { createDirectConversation } = await a.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: b.id });
  return createDirectConversation.id;
}

/** Inbound RTP of this page's receiving connection (window.__parleyCall.subscribe). */
function inbound(page) {
  return page.evaluate(async () => {
    const pc = window.__parleyCall?.subscribe;
    if (!pc) return { video: [], audio: [] };
    const out = { video: [], audio: [] };
    (await pc.getStats()).forEach((s) => {
      if (s.type !== 'inbound-rtp') return;
      const entry = { mid: s.mid, frames: s.framesDecoded ?? 0, packets: s.packetsReceived ?? 0 };
      (s.kind === 'video' ? out.video : out.audio).push(entry);
    });
    return out;
  });
}

/**
 * Waits until the page decodes `videos` video streams and receives `audios`
 * audio streams, each growing between two samples a second apart.
 */
async function expectMedia(page, { videos, audios }, label, ms = 20_000) {
  const deadline = Date.now() + ms;
  let last = null;
  while (Date.now() < deadline) {
    const a = await inbound(page);
    await sleep(1000);
    const b = await inbound(page);
    const grew = (kind, key) => b[kind].filter((s) => {
      const before = a[kind].find((x) => x.mid === s.mid);
      return before && s[key] > before[key] && before[key] > 0;
    }).length;
    last = { videoGrowing: grew('video', 'frames'), audioGrowing: grew('audio', 'packets'), b };
    if (last.videoGrowing >= videos && last.audioGrowing >= audios) return last;
  }
  assert.fail(`${label}: expected ${videos} video and ${audios} audio streams growing, got ${JSON.stringify(last)}`);
}

const tiles = (page) => page.getByRole('list', { name: 'Participants' }).getByRole('listitem');

test('a 1:1 video call placed and answered in the UI: both sides decode video and receive audio; mute, camera, hang up, timeline', { skip, timeout: 120_000 }, async () => {
  const [ada, bob] = await people(['Ada Lovelace', 'Bob Babbage'], [DESKTOP, PHONE]);
  try {
    await direct(ada, bob);
    await openConversation(ada, 'Bob Babbage');

    await ada.page.getByRole('button', { name: 'Video call' }).click();
    const calling = ada.page.getByRole('region', { name: 'Call with Bob Babbage' });
    await calling.getByText('Calling Bob Babbage…').first().waitFor();
    await screenshot(ada.page, 'call-outgoing');

    const dialog = bob.page.getByRole('alertdialog', { name: 'Ada Lovelace' });
    await dialog.getByText('Incoming video call').waitFor();
    await screenshot(bob.page, 'call-incoming-phone');
    assert.deepEqual(await unnamedControls(bob.page), []);
    // Join to first remote frame: from the click on Accept to Bob's first decoded video frame.
    const clicked = Date.now();
    await dialog.getByRole('button', { name: 'Accept with video' }).click();
    const timing = await bob.page.evaluate(async (t0) => {
      for (;;) {
        const pc = window.__parleyCall?.subscribe;
        if (pc) {
          let frames = 0;
          (await pc.getStats()).forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded ?? 0; });
          if (frames > 0) {
            // The session's User Timing marks, relative to the click (wall clock on both sides).
            const at = (name) => {
              const m = performance.getEntriesByName(name).at(-1);
              return m ? Math.round(performance.timeOrigin + m.startTime - t0) : null;
            };
            return {
              firstRemoteFrameMs: Date.now() - t0, sessionStartMs: at('parley:call:start'), mediaMs: at('parley:call:media'),
              acceptAnsweredMs: at('parley:call:joined'), sfuOfferMs: at('parley:call:offer'), sfuOfferAnsweredMs: at('parley:call:answered-offer'),
            };
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    }, clicked);
    console.log(`join to first remote frame: ${JSON.stringify(timing)}`);
    writeArtifact('call-timing.json', timing);

    const bobScreen = bob.page.getByRole('region', { name: 'Call with Ada Lovelace' });
    await bobScreen.getByRole('button', { name: 'Hang up' }).waitFor();
    await calling.getByRole('timer').filter({ hasText: /^\d+:\d\d$/ }).waitFor();

    const adaMedia = await expectMedia(ada.page, { videos: 1, audios: 1 }, 'Ada');
    const bobMedia = await expectMedia(bob.page, { videos: 1, audios: 1 }, 'Bob');
    console.log(`1:1 call: Ada ${JSON.stringify(adaMedia.b)}, Bob ${JSON.stringify(bobMedia.b)}`);
    await ada.page.locator('.tile:not(.self) video').first().waitFor();
    await sleep(500);
    await screenshot(ada.page, 'call-1to1-desktop');
    await screenshot(bob.page, 'call-1to1-phone');
    assert.deepEqual(await overflowing(bob.page), []);
    assert.deepEqual(await unnamedControls(ada.page), []);

    // The server stops answering (SIGSTOP): the browser's consent checks fail and the screen says
    // "Reconnecting…"; once it is back, the notice goes and media flows again.
    server.child.kill('SIGSTOP');
    try {
      await calling.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor({ timeout: 20_000 });
      await screenshot(ada.page, 'call-reconnecting');
    } finally {
      server.child.kill('SIGCONT');
    }
    await calling.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor({ state: 'detached', timeout: 20_000 });
    await expectMedia(ada.page, { videos: 1, audios: 1 }, 'Ada after the server came back');

    // Mute: Bob sees it; the button flips to Unmute.
    await calling.getByRole('button', { name: 'Mute' }).click();
    await calling.getByRole('button', { name: 'Unmute' }).waitFor();
    await bobScreen.getByRole('listitem', { name: /^Ada Lovelace, muted/ }).waitFor();
    // Camera off: Bob sees the avatar instead of the video.
    await calling.getByRole('button', { name: 'Turn camera off' }).click();
    await calling.getByRole('button', { name: 'Turn camera on' }).waitFor();
    await bob.page.waitForFunction(() => !document.querySelector('.tile:not(.self) video'));
    await calling.getByRole('button', { name: 'Turn camera on' }).click();
    await bob.page.locator('.tile:not(.self) video').first().waitFor();
    await calling.getByRole('button', { name: 'Unmute' }).click();

    // Devices: the fake camera and microphone are listed.
    await calling.getByRole('button', { name: 'Call settings' }).click();
    const devices = ada.page.getByRole('group', { name: 'Devices' });
    assert.ok((await devices.getByLabel('Microphone').locator('option').count()) >= 1);
    assert.ok((await devices.getByLabel('Camera').locator('option').count()) >= 1);
    await screenshot(ada.page, 'call-devices');
    await devices.getByRole('button', { name: 'Done' }).click();

    // Ada hangs up: both screens end; the timeline says "Video call, m:ss".
    await calling.getByRole('button', { name: 'Hang up' }).click();
    await bobScreen.getByText('Call ended').first().waitFor();
    await ada.page.getByRole('log').locator('.call-entry', { hasText: /^Video call, \d+:\d\d/ }).waitFor();
    await bob.page.getByRole('region', { name: /^Call with/ }).waitFor({ state: 'detached' });
    await openConversation(bob, 'Ada Lovelace');
    await bob.page.getByRole('log').locator('.call-entry', { hasText: /^Video call, \d+:\d\d/ }).waitFor();
    await screenshot(ada.page, 'call-timeline-entry');
    assert.deepEqual(ada.errors.filter((e) => !/Failed to load resource/.test(e)), []);
    assert.deepEqual(bob.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } finally {
    await ada.context.close();
    await bob.context.close();
  }
});

test('a 4-person group video call: everyone decodes the other three; a screen share is seen by all; leave and rejoin', { skip, timeout: 150_000 }, async () => {
  const group = await people(['Ada Lovelace', 'Bob Babbage', 'Carol Shaw', 'Dan Bricklin']);
  const [ada, bob, carol, dan] = group;
  try {
    await ada.ok(`mutation($t: String!, $m: [ID!]!) { createGroupConversation(title: $t, memberIds: $m) { id } }`,
      { t: 'Design review', m: [bob.id, carol.id, dan.id] });
    await openConversation(ada, 'Design review');
    await ada.page.getByRole('button', { name: 'Video call' }).click();
    for (const p of [bob, carol, dan]) {
      await p.page.getByRole('alertdialog', { name: 'Ada Lovelace' }).getByRole('button', { name: 'Accept with video' }).click();
    }
    for (const p of group) await tiles(p.page).nth(3).waitFor({ timeout: 20_000 });
    for (const p of group) await expectMedia(p.page, { videos: 3, audios: 3 }, p.name, 30_000);
    await screenshot(ada.page, 'call-group-4');

    // Ada shares her screen: the others decode a fourth video stream and show it.
    await ada.page.getByRole('button', { name: 'Share screen' }).click();
    await ada.page.getByRole('button', { name: 'Stop sharing' }).waitFor();
    for (const p of [bob, carol, dan]) {
      await p.page.getByRole('figure').filter({ hasText: "Ada Lovelace's screen" }).waitFor({ timeout: 20_000 });
      await expectMedia(p.page, { videos: 4, audios: 3 }, `${p.name} with the screen`, 30_000);
    }
    await screenshot(bob.page, 'call-group-screen-share');
    await ada.page.getByRole('button', { name: 'Stop sharing' }).click();
    await bob.page.getByRole('figure').filter({ hasText: "Ada Lovelace's screen" }).waitFor({ state: 'detached' });

    // Dan leaves: the others see three; he joins again from the conversation and decodes the three again.
    await dan.page.getByRole('button', { name: 'Hang up' }).click();
    for (const p of [ada, bob, carol]) await p.page.waitForFunction(() => document.querySelectorAll('.call-grid > li').length === 3);
    await dan.page.getByRole('region', { name: /^Call with/ }).waitFor({ state: 'detached' });
    await openConversation(dan, 'Design review');
    await dan.page.getByRole('button', { name: 'Join with video' }).click();
    for (const p of group) await tiles(p.page).nth(3).waitFor({ timeout: 20_000 });
    await expectMedia(dan.page, { videos: 3, audios: 3 }, 'Dan after rejoining', 30_000);
    await expectMedia(ada.page, { videos: 3, audios: 3 }, 'Ada after Dan rejoined', 30_000);
    await screenshot(dan.page, 'call-group-rejoined');

    // Bob, whose sections come first in Ada's receiving connection, leaves: the others carry on.
    await bob.page.getByRole('button', { name: 'Hang up' }).click();
    for (const p of [ada, carol, dan]) await p.page.waitForFunction(() => document.querySelectorAll('.call-grid > li').length === 3);
    await expectMedia(ada.page, { videos: 2, audios: 2 }, 'Ada after Bob left', 20_000);
    await expectMedia(carol.page, { videos: 2, audios: 2 }, 'Carol after Bob left', 20_000);
    // Ada, the caller, ends it for everyone.
    await ada.page.getByRole('button', { name: 'Call settings' }).click();
    await ada.page.getByRole('button', { name: 'End call for everyone' }).click();
    for (const p of [carol, dan]) await p.page.getByRole('region', { name: 'Call with Design review' }).getByText('Call ended').first().waitFor();
    await ada.page.getByRole('log').locator('.call-entry', { hasText: /^Video call, \d+:\d\d/ }).waitFor();
  } finally {
    for (const p of group) await p.context.close();
  }
});

test('declined, missed and busy calls: what the caller sees, the callee sees, and the timeline says', { skip, timeout: 90_000 }, async () => {
  const [ada, bob, carol] = await people(['Ada Lovelace', 'Bob Babbage', 'Carol Shaw']);
  try {
    await direct(ada, bob);
    await openConversation(ada, 'Bob Babbage');
    const screen = ada.page.getByRole('region', { name: 'Call with Bob Babbage' });

    // Declined.
    await ada.page.getByRole('button', { name: 'Call', exact: true }).click();
    const dialog = bob.page.getByRole('alertdialog', { name: 'Ada Lovelace' });
    await dialog.getByText('Incoming call', { exact: true }).waitFor();
    await dialog.getByRole('button', { name: 'Decline' }).click();
    await screen.getByText('Call declined').first().waitFor();
    await screenshot(ada.page, 'call-declined');
    await dialog.waitFor({ state: 'detached' });
    await screen.waitFor({ state: 'detached' });
    await ada.page.getByRole('log').locator('.call-entry', { hasText: 'Call declined' }).waitFor();

    // Missed: nobody answers within the ring timeout.
    await ada.page.getByRole('button', { name: 'Call', exact: true }).click();
    await dialog.waitFor();
    await screen.getByText('No answer').first().waitFor({ timeout: (RING_TIMEOUT_S + 5) * 1000 });
    await dialog.waitFor({ state: 'detached' });
    await ada.page.getByRole('log').locator('.call-entry', { hasText: 'Call, no answer' }).waitFor();
    await openConversation(bob, 'Ada Lovelace');
    await bob.page.getByRole('log').locator('.call-entry.missed', { hasText: 'Missed call' }).waitFor();
    await screenshot(bob.page, 'call-missed-timeline');
    await screen.waitFor({ state: 'detached' });

    // Busy: Bob is in a call with Carol (over the API), Ada calls him.
    const bc = await direct(bob, carol);
    const CALL = 'participantId call { id state }';
    const { startCall } = await bob.ok(`mutation($i: StartCallInput!) { startCall(input: $i) { ${CALL} } }`, { i: { conversationId: bc } });
    await carol.ok(`mutation($i: JoinCallInput!) { acceptCall(input: $i) { ${CALL} } }`, { i: { callId: startCall.call.id } });
    await bob.page.getByRole('alertdialog').waitFor({ state: 'detached' }).catch(() => {});
    await ada.page.getByRole('button', { name: 'Call', exact: true }).click();
    await screen.getByText('Busy: they are in another call').first().waitFor();
    await screenshot(ada.page, 'call-busy');
    await ada.page.getByRole('log').locator('.call-entry', { hasText: 'Call: busy' }).waitFor();
    assert.deepEqual(ada.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  } finally {
    await ada.context.close();
    await bob.context.close();
    await carol.context.close();
  }
});
