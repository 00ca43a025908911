// Join-to-first-remote-frame: how long a browser joining a call waits for
// the first decoded video frame of someone already in it (issue 5 target:
// under 500 ms on loopback).
//
// Starts its own parleyd (port 0, SFU on 127.0.0.1) and Debian's Chromium
// (playwright-core from e2e/, fake camera and microphone). Caller A starts a
// video call in a group with B and publishes; then, N times, B accepts (the
// first time) or joins the call from a fresh page, and leaves it again
// (leaveCall) before the next run. The bench measures, in B's page:
//   - from sending acceptCall/joinCall (its publish offer ready) to the
//     first remote video frame decoded (getStats framesDecoded > 0, polled
//     every 5 ms);
//   - the same from the start of the join (getUserMedia, offer included).
// The in-page client is minimal: fetch for mutations, graphql-transport-ws
// over a WebSocket for CallOfferEvent, two RTCPeerConnections as the API's
// docs describe.
//
//   node server/bench/calls/join_bench.mjs [runs=10]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(join(root, 'e2e', 'package.json'));
const { chromium } = require('playwright-core');
const { startParleyd, signUp, gql } = await import(join(root, 'e2e', 'tests', 'parleyd.mjs'));

const runs = Number(process.argv[2] || 10);
const server = await startParleyd({ env: { PARLEY_CALLS_RING_TIMEOUT_S: '600' } });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
});

// Runs in the page: joins (start, accept or join) and reports timings.
async function inPage({ token, mode, target, video }) {
  const t0 = performance.now();
  const api = async (query, variables) => {
    const r = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await r.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video });
  const publish = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  for (const track of stream.getTracks()) publish.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
  await publish.setLocalDescription(await publish.createOffer());
  const offer = publish.localDescription.sdp;

  // Events first, so that no offer is missed.
  const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
  const offers = [];
  let wake = null;
  await new Promise((resolve, reject) => {
    ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authToken: token } }));
    ws.onerror = reject;
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: {
          query: 'subscription { events { __typename ... on CallOfferEvent { callId participantId sdp } } }' } }));
        setTimeout(resolve, 50);
      } else if (msg.type === 'next' && msg.payload.data?.events?.__typename === 'CallOfferEvent') {
        offers.push(msg.payload.data.events);
        wake?.();
      }
    };
  });
  const JOIN = `participantId answer call { id }`;
  const tSend = performance.now();
  let joined;
  if (mode === 'start') {
    joined = (await api(`mutation($i: StartCallInput!) { startCall(input: $i) { ${JOIN} } }`,
      { i: { conversationId: target, video, offer } })).startCall;
  } else {
    const field = mode === 'accept' ? 'acceptCall' : 'joinCall';
    joined = (await api(`mutation($i: JoinCallInput!) { ${field}(input: $i) { ${JOIN} } }`,
      { i: { callId: target, offer } }))[field];
  }
  await publish.setRemoteDescription({ type: 'answer', sdp: joined.answer });
  const subscribe = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  window.__call = { publish, subscribe, joined, ws };
  // Answer the SFU's offers in order, for as long as the page lives.
  (async () => {
    for (;;) {
      while (!offers.length) await new Promise((r) => { wake = r; });
      const o = offers.shift();
      if (o.participantId !== joined.participantId) continue;
      await subscribe.setRemoteDescription({ type: 'offer', sdp: o.sdp });
      await subscribe.setLocalDescription(await subscribe.createAnswer());
      await api(`mutation($c: ID!, $p: ID!, $s: String!) { answerCallOffer(callId: $c, participantId: $p, sdp: $s) }`,
        { c: joined.call.id, p: joined.participantId, s: subscribe.localDescription.sdp });
    }
  })();
  if (mode === 'start') return { callId: joined.call.id };
  // The first remote video frame decoded.
  for (;;) {
    const stats = await subscribe.getStats();
    let frames = 0;
    stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0; });
    if (frames > 0) break;
    if (performance.now() - t0 > 10000) throw new Error('no remote frame in 10 s');
    await new Promise((r) => setTimeout(r, 5));
  }
  const tFrame = performance.now();
  return { fromSend: tFrame - tSend, fromStart: tFrame - t0, participantId: joined.participantId, callId: joined.call.id };
}

function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor((p / 100) * v.length))];
}

try {
  const a = await signUp(server, { displayName: 'Caller' });
  const b = await signUp(server, { displayName: 'Joiner' });
  const req = await gql(server, `mutation($u: ID!) { requestContact(userId: $u) { id } }`, { u: b.user.id }, { token: a.accessToken });
  await gql(server, `mutation($r: ID!) { respondContact(requestId: $r, accept: true) { id } }`,
    { r: req.body.data.requestContact.id }, { token: b.accessToken });
  const conv = await gql(server, `mutation($u: [ID!]!) { createGroupConversation(title: "Bench", memberIds: $u) { id } }`,
    { u: [b.user.id] }, { token: a.accessToken });
  const conversationId = conv.body.data.createGroupConversation.id;

  const pageA = await (await browser.newContext()).newPage();
  await pageA.goto(`${server.url}/healthz`);
  const { callId } = await pageA.evaluate(inPage, { token: a.accessToken, mode: 'start', target: conversationId, video: true });
  await new Promise((r) => setTimeout(r, 1500));  // A's media is flowing to the SFU

  const fromSend = [];
  const fromStart = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const pageB = await context.newPage();
    await pageB.goto(`${server.url}/healthz`);
    const r = await pageB.evaluate(inPage, { token: b.accessToken, mode: i === 0 ? 'accept' : 'join', target: callId, video: true });
    fromSend.push(r.fromSend);
    fromStart.push(r.fromStart);
    // Hang up (the group call goes on with A).
    const left = await gql(server, `mutation($c: ID!, $p: ID!) { leaveCall(callId: $c, participantId: $p) { state } }`,
      { c: callId, p: r.participantId }, { token: b.accessToken });
    if (left.body.data?.leaveCall?.state !== 'ONGOING') throw new Error(`leaveCall: ${JSON.stringify(left.body)}`);
    await context.close();
    await new Promise((r) => setTimeout(r, 300));
  }
  const fmt = (v) => v.toFixed(0);
  console.log(`machine: load ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`join-to-first-remote-frame over ${runs} joins (ms): from the join mutation p50 ${fmt(percentile(fromSend, 50))}` +
    ` max ${fmt(Math.max(...fromSend))}; including getUserMedia and the offer p50 ${fmt(percentile(fromStart, 50))}` +
    ` max ${fmt(Math.max(...fromStart))}`);
  console.log(`all (from the mutation): ${fromSend.map(fmt).join(' ')}`);
} finally {
  await browser.close();
  await server.stop();
}
