// Call signalling end to end over a real parleyd (media through its SFU is
// exercised by the Chromium suites): ringing, accept, decline, missed,
// busy, cancel, group join/leave/end, the SFU's offers, media state, the
// timeline entries, and who may not call or join.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { startParleyd, errorCodes } from './parleyd.mjs';
import { newUser, collect, sleep, befriend } from './chat.mjs';

// A real Chromium offer (audio + video, sendrecv): the SFU answers it. Each
// use gets its own SSRCs, as every browser picks its own (a room refuses an
// SSRC it already forwards).
const CHROMIUM_OFFER = readFileSync(fileURLToPath(new URL('../../server/tests/rtc/fixtures/chromium_offer.sdp', import.meta.url)), 'utf8');
let offers = 0;
function offer() {
  const shift = ++offers * 7919;
  return CHROMIUM_OFFER.replace(/^a=ssrc(-group:FID)?[: ].*$/gm,
    (line) => line.replace(/\b\d{5,10}\b/g, (n) => String((Number(n) + shift) % 2 ** 32)));
}

let server;
before(async () => { server = await startParleyd({ env: { PARLEY_CALLS_RING_TIMEOUT_S: '2' } }); });
after(async () => { await server?.stop(); });

const CALL = `id conversationId video state result caller { id } answeredAt endedAt ringUntil maxParticipants
  activeSpeakerId participants { id user { id } muted cameraOn screenSharing } ringing { id } declined { id } busy { id }`;
const EVENTS = `subscription { events { __typename
  ... on CallEvent { action user { id } call { ${CALL} } }
  ... on CallOfferEvent { callId participantId sdp }
  ... on MessageCreatedEvent { message { id kind sender { id } call { callId result video durationSeconds participants { id } } } } } }`;

function listen(user) { return collect(server, user, { query: EVENTS }); }
const callEvent = (action, callId) => (e) => e.__typename === 'CallEvent' && e.action === action && (!callId || e.call.id === callId);
const callEntry = (callId) => (e) => e.__typename === 'MessageCreatedEvent' && e.message.call?.callId === callId;

async function direct(a, b) {
  await befriend(a, b);
  const { createDirectConversation } = await a.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: b.id });
  return createDirectConversation.id;
}

const START = `mutation($i: StartCallInput!) { startCall(input: $i) { participantId answer call { ${CALL} } } }`;
const ACCEPT = `mutation($i: JoinCallInput!) { acceptCall(input: $i) { participantId answer call { ${CALL} } } }`;
const JOIN = `mutation($i: JoinCallInput!) { joinCall(input: $i) { participantId answer call { ${CALL} } } }`;
const LEAVE = `mutation($c: ID!, $p: ID!) { leaveCall(callId: $c, participantId: $p) { ${CALL} } }`;

async function timeline(user, conversationId) {
  const { messages } = await user.ok(`query($c: ID!) { messages(conversationId: $c) { kind sender { id }
    call { callId result video durationSeconds answeredAt participants { id } } } }`, { c: conversationId });
  return messages.filter((m) => m.kind === 'CALL');
}

test('a direct video call: ringing, accepted on one device, the SFU offers, hang up, timeline entry', async () => {
  const ada = await newUser(server, 'Ada');
  const bob = await newUser(server, 'Bob');
  const conv = await direct(ada, bob);
  const adaEvents = listen(ada);
  const bobPhone = listen(bob);
  const bobLaptop = listen(bob);
  try {
    await sleep(200);
    const { startCall } = await ada.ok(START, { i: { conversationId: conv, video: true, offer: offer() } });
    const call = startCall.call;
    assert.equal(call.state, 'RINGING');
    assert.equal(call.video, true);
    assert.deepEqual(call.ringing.map((u) => u.id), [bob.id]);
    assert.deepEqual(call.participants.map((p) => p.user.id), [ada.id]);
    assert.equal(call.participants[0].cameraOn, true, 'the offer sends video');
    assert.match(startCall.answer, /a=ice-lite/);
    assert.match(startCall.answer, /a=recvonly/);
    assert.equal(call.maxParticipants, 50);

    // Both of Bob's devices ring; the call shows in his queries.
    for (const device of [bobPhone, bobLaptop]) {
      const rang = await device.waitFor(callEvent('STARTED', call.id));
      assert.equal(rang.call.caller.id, ada.id);
    }
    const seen = await bob.ok(`query($c: ID!) { activeCalls { id state } conversation(id: $c) { activeCall { id } } }`, { c: conv });
    assert.deepEqual(seen.activeCalls.map((c) => c.id), [call.id]);
    assert.equal(seen.conversation.activeCall.id, call.id);

    // A second start in the same conversation: join the running call instead.
    const twice = await bob.q(START, { i: { conversationId: conv } });
    assert.deepEqual(errorCodes(twice), ['CONFLICT']);

    const { acceptCall } = await bob.ok(ACCEPT, { i: { callId: call.id, offer: offer() } });
    assert.equal(acceptCall.call.state, 'ONGOING');
    assert.deepEqual(acceptCall.call.ringing, []);
    assert.ok(acceptCall.call.answeredAt);
    const joined = await adaEvents.waitFor(callEvent('JOINED', call.id));
    assert.equal(joined.user.id, bob.id);
    // The other device stopped ringing (Bob is in); it cannot accept again.
    await bobLaptop.waitFor(callEvent('JOINED', call.id));
    const late = await bob.q(ACCEPT, { i: { callId: call.id } });
    assert.deepEqual(errorCodes(late), ['CONFLICT']);

    // Each side gets an SFU offer for its receiving connection, carrying the
    // other's media in the other participant's stream.
    const bobP = acceptCall.participantId;
    const adaP = startCall.participantId;
    const toAda = await adaEvents.waitFor((e) => e.__typename === 'CallOfferEvent' && e.participantId === adaP);
    assert.equal(toAda.callId, call.id);
    assert.match(toAda.sdp, new RegExp(`a=msid:${bobP} `));
    assert.match(toAda.sdp, /a=sendonly/);
    const toBob = await bobPhone.waitFor((e) => e.__typename === 'CallOfferEvent' && e.participantId === bobP);
    assert.match(toBob.sdp, new RegExp(`a=msid:${adaP} `));
    // An answer nobody asked for (already answered, or garbage) is refused.
    const garbage = await ada.q(`mutation($c: ID!, $p: ID!) { answerCallOffer(callId: $c, participantId: $p, sdp: "v=0") }`,
      { c: call.id, p: adaP });
    assert.deepEqual(errorCodes(garbage), ['BAD_REQUEST']);

    // Datagrams from an address that never did ICE are dropped and counted,
    // and the call goes on.
    const [, sfuIp, sfuPort] = startCall.answer.match(/a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host/);
    const flood = createSocket('udp4');
    for (let i = 0; i < 50; i++) {
      const junk = Buffer.alloc(100 + i, i);
      junk[0] = [0x00, 0x16, 0x80, 0x90, 0xff][i % 5];  // STUN-, DTLS-, RTP-looking and garbage first bytes
      await new Promise((r) => flood.send(junk, Number(sfuPort), sfuIp, r));
    }
    flood.close();
    await sleep(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const dropped = [...metrics.matchAll(/^parley_sfu_dropped_total\{reason="(\w+)"\} (\d+)/gm)]
      .reduce((n, m) => n + Number(m[2]), 0);
    assert.ok(dropped >= 50, `dropped and counted: ${dropped}`);
    assert.match(metrics, /^parley_calls\{state="ongoing"\} 1$/m);
    assert.match(metrics, /^parley_call_participants 2$/m);

    // Mute and camera state reach everyone.
    const { setCallMedia } = await bob.ok(`mutation($i: CallMediaInput!) { setCallMedia(input: $i) {
      participants { id muted cameraOn } } }`, { i: { callId: call.id, participantId: bobP, muted: true, cameraOn: false } });
    assert.deepEqual(setCallMedia.participants.find((p) => p.id === bobP), { id: bobP, muted: true, cameraOn: false });
    const media = await adaEvents.waitFor(callEvent('MEDIA_CHANGED', call.id));
    assert.equal(media.user.id, bob.id);
    // Someone else's participant is not yours to change.
    const foreign = await ada.q(`mutation($i: CallMediaInput!) { setCallMedia(input: $i) { id } }`,
      { i: { callId: call.id, participantId: bobP, muted: false } });
    assert.deepEqual(errorCodes(foreign), ['NOT_FOUND']);

    await sleep(1100);
    const { leaveCall } = await bob.ok(LEAVE, { c: call.id, p: bobP });
    assert.equal(leaveCall.state, 'ENDED');
    assert.equal(leaveCall.result, 'COMPLETED');
    await adaEvents.waitFor(callEvent('ENDED', call.id));
    const entry = await adaEvents.waitFor(callEntry(call.id));
    assert.equal(entry.message.kind, 'CALL');
    assert.equal(entry.message.sender.id, ada.id);
    assert.equal(entry.message.call.result, 'COMPLETED');
    assert.ok(entry.message.call.durationSeconds >= 1);
    assert.deepEqual(entry.message.call.participants.map((u) => u.id), [ada.id, bob.id]);
    const entries = await timeline(bob, conv);
    assert.deepEqual(entries.map((m) => m.call.callId), [call.id]);
    const after = await ada.ok(`{ activeCalls { id } }`);
    assert.deepEqual(after.activeCalls, []);
  } finally {
    await Promise.all([adaEvents.close(), bobPhone.close(), bobLaptop.close()]);
  }
});

test('declined, missed, cancelled and busy calls end as such and are marked in the timeline', async () => {
  const ada = await newUser(server, 'Ada');
  const bob = await newUser(server, 'Bob');
  const cy = await newUser(server, 'Cy');
  const adaBob = await direct(ada, bob);
  const cyBob = await direct(cy, bob);
  const adaEvents = listen(ada);
  const bobEvents = listen(bob);
  try {
    await sleep(200);
    // Declined.
    const declined = (await ada.ok(START, { i: { conversationId: adaBob, offer: offer() } })).startCall;
    await bobEvents.waitFor(callEvent('STARTED', declined.call.id));
    const { declineCall } = await bob.ok(`mutation($c: ID!) { declineCall(callId: $c) { state result declined { id } } }`,
      { c: declined.call.id });
    assert.deepEqual(declineCall, { state: 'ENDED', result: 'DECLINED', declined: [{ id: bob.id }] });
    await adaEvents.waitFor(callEvent('ENDED', declined.call.id));

    // Missed: nobody answers within the ring timeout (2 s here).
    const missed = (await ada.ok(START, { i: { conversationId: adaBob, offer: offer() } })).startCall;
    const ended = await bobEvents.waitFor(callEvent('ENDED', missed.call.id), { ms: 6000 });
    assert.equal(ended.call.result, 'MISSED');

    // Cancelled: the caller hangs up while it rings.
    const cancelled = (await ada.ok(START, { i: { conversationId: adaBob } })).startCall;
    assert.equal(cancelled.answer, null, 'no offer, no answer');
    const { leaveCall } = await ada.ok(LEAVE, { c: cancelled.call.id, p: cancelled.participantId });
    assert.equal(leaveCall.result, 'CANCELLED');

    // Busy: Bob is in a call with Ada when Cy calls him.
    const talking = (await ada.ok(START, { i: { conversationId: adaBob, offer: offer() } })).startCall;
    await bob.ok(ACCEPT, { i: { callId: talking.call.id, offer: offer() } });
    const { startCall: busy } = await cy.ok(START, { i: { conversationId: cyBob, offer: offer() } });
    assert.equal(busy.call.state, 'ENDED');
    assert.equal(busy.call.result, 'BUSY');
    assert.deepEqual(busy.call.busy.map((u) => u.id), [bob.id]);
    await ada.ok(`mutation($c: ID!) { endCall(callId: $c) { state } }`, { c: talking.call.id });

    await sleep(300);
    const results = (await timeline(ada, adaBob)).map((m) => m.call.result);
    assert.deepEqual(results, ['DECLINED', 'MISSED', 'CANCELLED', 'COMPLETED']);
    const cyResults = (await timeline(bob, cyBob)).map((m) => [m.call.result, m.call.durationSeconds, m.call.answeredAt]);
    assert.deepEqual(cyResults, [['BUSY', 0, null]]);
  } finally {
    await Promise.all([adaEvents.close(), bobEvents.close()]);
  }
});

test('a group call: members join and leave, late joiners, ringing stops, only owners end it for all', async () => {
  const [owner, m1, m2, m3] = await Promise.all(['Olga', 'Max', 'Mia', 'Moe'].map((n) => newUser(server, n)));
  const { createGroupConversation: group } = await owner.ok(`mutation($m: [ID!]!) {
    createGroupConversation(title: "Standup", memberIds: $m) { id } }`, { m: [m1.id, m2.id, m3.id] });
  const events = listen(m3);
  try {
    await sleep(200);
    const { startCall } = await owner.ok(START, { i: { conversationId: group.id, offer: offer() } });
    const id = startCall.call.id;
    assert.deepEqual(startCall.call.ringing.map((u) => u.id).sort(), [m1.id, m2.id, m3.id].sort());
    const j1 = (await m1.ok(ACCEPT, { i: { callId: id, offer: offer() } })).acceptCall;
    assert.equal(j1.call.state, 'ONGOING');
    assert.deepEqual(j1.call.ringing.map((u) => u.id).sort(), [m2.id, m3.id].sort(), 'the others still ring');
    await m2.ok(`mutation($c: ID!) { declineCall(callId: $c) { id } }`, { c: id });
    // The ring timeout passes: nobody rings any more, the call goes on.
    const stopped = await events.waitFor(callEvent('RINGING_STOPPED', id), { ms: 6000 });
    assert.deepEqual(stopped.call.ringing, []);
    assert.equal(stopped.call.state, 'ONGOING');
    // Moe joins late, then leaves and rejoins.
    const j3 = (await m3.ok(JOIN, { i: { callId: id, offer: offer() } })).joinCall;
    assert.equal(j3.call.participants.length, 3);
    const left = (await m3.ok(LEAVE, { c: id, p: j3.participantId })).leaveCall;
    assert.equal(left.state, 'ONGOING');
    assert.equal(left.participants.length, 2);
    const again = (await m3.ok(JOIN, { i: { callId: id } })).joinCall;
    assert.equal(again.call.participants.length, 3);
    // A member may not end it for everyone; the owner may.
    const denied = await m1.q(`mutation($c: ID!) { endCall(callId: $c) { state } }`, { c: id });
    assert.deepEqual(errorCodes(denied), ['FORBIDDEN']);
    const { endCall } = await owner.ok(`mutation($c: ID!) { endCall(callId: $c) { state result participants { id } } }`, { c: id });
    assert.deepEqual(endCall, { state: 'ENDED', result: 'COMPLETED', participants: [] });
    const entry = await events.waitFor(callEntry(id));
    assert.deepEqual(entry.message.call.participants.map((u) => u.id), [owner.id, m1.id, m3.id]);
  } finally {
    await events.close();
  }
});

test('strangers cannot see or join a call; a blocked caller rings nobody; bad offers change nothing', async () => {
  const ada = await newUser(server, 'Ada');
  const bob = await newUser(server, 'Bob');
  const eve = await newUser(server, 'Eve');
  const conv = await direct(ada, bob);
  const bobEvents = listen(bob);
  const adaEvents = listen(ada);
  try {
    await sleep(200);
    const bad = await ada.q(START, { i: { conversationId: conv, offer: 'v=0\r\nthis is no offer' } });
    assert.deepEqual(errorCodes(bad), ['BAD_REQUEST']);
    assert.deepEqual((await ada.ok(`{ activeCalls { id } }`)).activeCalls, [], 'a refused offer leaves no call');

    const notMine = await eve.q(START, { i: { conversationId: conv } });
    assert.deepEqual(errorCodes(notMine), ['NOT_FOUND']);
    const { startCall } = await ada.ok(START, { i: { conversationId: conv } });
    const peek = await eve.q(JOIN, { i: { callId: startCall.call.id } });
    assert.deepEqual(errorCodes(peek), ['NOT_FOUND']);
    assert.deepEqual((await eve.ok(`{ activeCalls { id } }`)).activeCalls, []);
    await ada.ok(LEAVE, { c: startCall.call.id, p: startCall.participantId });

    // Bob blocks Ada: her call looks like one nobody answers, for her eyes only.
    await bob.ok(`mutation($u: ID!) { blockUser(userId: $u) }`, { u: ada.id });
    const from = bobEvents.events.length;
    const hidden = (await ada.ok(START, { i: { conversationId: conv } })).startCall;
    assert.equal(hidden.call.state, 'RINGING');
    assert.deepEqual((await bob.ok(`{ activeCalls { id } }`)).activeCalls, []);
    const refused = await bob.q(ACCEPT, { i: { callId: hidden.call.id } });
    assert.deepEqual(errorCodes(refused), ['NOT_FOUND']);
    const over = await adaEvents.waitFor(callEvent('ENDED', hidden.call.id), { ms: 6000 });
    assert.equal(over.call.result, 'MISSED');
    await sleep(300);
    assert.ok(!bobEvents.events.slice(from).some((e) => e.__typename === 'CallEvent'), 'Bob heard nothing');
    assert.deepEqual((await timeline(bob, conv)).map((m) => m.call.callId).includes(hidden.call.id), false);
    assert.ok((await timeline(ada, conv)).some((m) => m.call.callId === hidden.call.id));
  } finally {
    await Promise.all([bobEvents.close(), adaEvents.close()]);
  }
});
