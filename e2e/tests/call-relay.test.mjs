// A 1:1 video call relayed through a real coturn (reached over UDP, and over
// TCP as from a network that blocks UDP): two Chromium pages speak
// the call API directly (fetch for queries and mutations, the
// graphql-transport-ws protocol over a WebSocket for events; no web UI),
// with RTCPeerConnections restricted to relay candidates
// (iceTransportPolicy 'relay') and the iceServers parleyd hands out. Each
// device has two connections, as the schema describes: a publish one it
// offers on (startCall/acceptCall) and a subscribe one the SFU offers on
// (CallOfferEvent, answered with answerCallOffer).
//
// It passes when both sides decode video from the other and every selected
// candidate pair's local candidate is a relay candidate, and coturn's log
// shows both users' allocations and the media it carried.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './browser.mjs';
import { startParleyd } from './parleyd.mjs';
import { newUser, befriend } from './chat.mjs';
import { startCoturn } from './coturn.mjs';

async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    ],
  });
}

// Runs in the page: a minimal call client. window.makeCallClient(...) returns an
// object whose methods the test drives with page.evaluate.
function installCallClient() {
  window.makeCallClient = async ({ token, wsUrl }) => {
    const gql = async (query, variables = {}) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    };

    // graphql-transport-ws: connection_init, then one subscription to events.
    const events = [];
    const waiters = new Set();
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
    await new Promise((resolve, reject) => {
      ws.onerror = () => reject(new Error('websocket error'));
      ws.onclose = (e) => reject(new Error(`websocket closed ${e.code}`));
      ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authToken: token } }));
      ws.onmessage = (m) => {
        const msg = JSON.parse(m.data);
        if (msg.type === 'connection_ack') {
          ws.send(JSON.stringify({ id: 'events', type: 'subscribe', payload: { query: `subscription { events {
            __typename
            ... on CallEvent { action call { id state participants { id } } }
            ... on CallOfferEvent { callId participantId sdp } } }` } }));
          resolve();
        } else if (msg.type === 'ping') {
          ws.send(JSON.stringify({ type: 'pong' }));
        } else if (msg.type === 'next' && msg.payload?.data?.events) {
          events.push(msg.payload.data.events);
          for (const w of [...waiters]) w();
        } else if (msg.type === 'error' || msg.type === 'complete') {
          events.push({ __typename: 'SubscriptionEnded', detail: JSON.stringify(msg) });
          for (const w of [...waiters]) w();
        }
      };
    });
    const waitFor = (pred, ms = 15000) => new Promise((resolve, reject) => {
      const check = () => {
        const hit = events.find(pred);
        if (hit) { waiters.delete(check); clearTimeout(timer); resolve(hit); return true; }
        return false;
      };
      const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`no event in ${ms} ms; got ${JSON.stringify(events.map((e) => e.__typename + (e.action ? ':' + e.action : '')))}`)); }, ms);
      if (!check()) waiters.add(check);
    });

    // An offer or answer is sent once ICE gathering is complete: the SFU is
    // ICE-lite and the API has no trickle, so the SDP carries the candidates.
    const gathered = (pc) => new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') { resolve(); return; }
      pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
    });

    // "ip:port" of every candidate in an SDP from the SFU.
    const sfuCandidates = (sdp) => [...sdp.matchAll(/^a=candidate:\S+ \d+ \S+ \d+ (\S+) (\d+) typ/gm)].map((m) => `${m[1]}:${m[2]}`);

    const { iceServers: raw } = await gql('{ iceServers { urls username credential expiresAt } }');
    const iceServers = raw.map((s) => (s.username ? { urls: s.urls, username: s.username, credential: s.credential } : { urls: s.urls }));
    const config = { iceServers, iceTransportPolicy: 'relay', bundlePolicy: 'max-bundle' };

    const client = {
      iceServers: raw,
      events,
      publish: null,
      subscribe: null,
      callId: null,
      participantId: null,
      answered: 0,
      async publishOffer() {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 320, height: 240 } });
        const pc = new RTCPeerConnection(config);
        for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
        await pc.setLocalDescription(await pc.createOffer());
        await gathered(pc);
        client.publish = pc;
        return pc.localDescription.sdp;
      },
      // Answers every CallOfferEvent for this device, in order, on one
      // subscribe connection.
      async serveOffers() {
        let seen = 0;
        const pc = new RTCPeerConnection(config);
        client.subscribe = pc;
        for (;;) {
          const offer = await waitFor((e) => e.__typename === 'CallOfferEvent'
            && e.participantId === client.participantId && events.indexOf(e) >= seen, 3_600_000);
          seen = events.indexOf(offer) + 1;
          if (pc.signalingState === 'closed') return;
          await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
          await pc.setLocalDescription(await pc.createAnswer());
          await gathered(pc);
          await gql(`mutation($c: ID!, $p: ID!, $s: String!) { answerCallOffer(callId: $c, participantId: $p, sdp: $s) }`,
            { c: offer.callId, p: offer.participantId, s: pc.localDescription.sdp });
          client.answered += 1;
        }
      },
      async start(conversationId) {
        const offer = await client.publishOffer();
        const { startCall } = await gql(`mutation($i: StartCallInput!) { startCall(input: $i) { participantId answer call { id } } }`,
          { i: { conversationId, video: true, offer } });
        client.callId = startCall.call.id;
        client.participantId = startCall.participantId;
        client.serveOffers().catch((e) => { client.error = String(e); });
        await client.publish.setRemoteDescription({ type: 'answer', sdp: startCall.answer });
        client.sfuCandidates = sfuCandidates(startCall.answer);
        return client.callId;
      },
      async accept() {
        const ring = await waitFor((e) => e.__typename === 'CallEvent' && e.action === 'STARTED');
        const offer = await client.publishOffer();
        const { acceptCall } = await gql(`mutation($i: JoinCallInput!) { acceptCall(input: $i) { participantId answer call { id } } }`,
          { i: { callId: ring.call.id, offer } });
        client.callId = acceptCall.call.id;
        client.participantId = acceptCall.participantId;
        client.serveOffers().catch((e) => { client.error = String(e); });
        await client.publish.setRemoteDescription({ type: 'answer', sdp: acceptCall.answer });
        client.sfuCandidates = sfuCandidates(acceptCall.answer);
        return client.callId;
      },
      async leave() {
        await gql(`mutation($c: ID!, $p: ID!) { leaveCall(callId: $c, participantId: $p) { state } }`,
          { c: client.callId, p: client.participantId });
      },
      close() {
        client.publish?.close();
        client.subscribe?.close();
        ws.close();
      },
    };
    return client;
  };

  // What getStats() says of one connection: the selected pair's local and
  // remote candidates, and what was decoded and received.
  window.connectionStats = async (pc) => {
    const stats = await pc.getStats();
    let pair;
    stats.forEach((r) => { if (r.type === 'transport' && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId); });
    const local = pair && stats.get(pair.localCandidateId);
    const remote = pair && stats.get(pair.remoteCandidateId);
    const out = {
      state: pc.connectionState,
      localType: local?.candidateType ?? null,
      relayProtocol: local?.relayProtocol ?? null,
      localUrl: local?.url ?? null,
      remote: remote ? `${remote.address}:${remote.port}` : null,
      framesDecoded: 0,
      audioPacketsReceived: 0,
      bytesSent: 0,
    };
    stats.forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') out.framesDecoded += r.framesDecoded ?? 0;
      if (r.type === 'inbound-rtp' && r.kind === 'audio') out.audioPacketsReceived += r.packetsReceived ?? 0;
      if (r.type === 'outbound-rtp') out.bytesSent += r.bytesSent ?? 0;
    });
    return out;
  };
}

async function stats(page) {
  return page.evaluate(async () => ({
    publish: await window.connectionStats(window.client.publish),
    subscribe: await window.connectionStats(window.client.subscribe),
    sfuCandidates: window.client.sfuCandidates,
    participantId: window.client.participantId,
    events: window.client.events.map((e) => [e.__typename, e.action ?? e.participantId ?? e.detail]),
    error: window.client.error ?? null,
    answered: window.client.answered,
  }));
}

// Polls until `pred(stats)` holds for the page, or fails with the last stats.
async function until(page, pred, what, ms = 20000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await stats(page);
    if (pred(last)) return last;
    if (last.error) throw new Error(`${what}: ${last.error}`);
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${ms} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// `transport`: how the browsers reach coturn ('udp', or 'tcp' as on networks
// that block UDP); coturn relays over UDP to the SFU either way.
async function relayedCall(t, transport) {
  const cleanups = [];
  t.after(async () => { for (const c of cleanups.reverse()) await c().catch(() => {}); });
  const coturn = await startCoturn();
  cleanups.push(() => coturn.stop());
  const turnUrl = `turn:127.0.0.1:${coturn.port}?transport=${transport}`;
  const server = await startParleyd({
    env: {
      PARLEY_TURN_URLS: turnUrl,
      PARLEY_TURN_SECRET: coturn.secret,
      PARLEY_MEDIA_LISTEN_IP: '127.0.0.1',
    },
  });
  cleanups.push(() => server.stop());

  const ada = await newUser(server, 'Ada');
  const bob = await newUser(server, 'Bob');
  await befriend(ada, bob);
  const { createDirectConversation: conv } = await ada.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: bob.id });

  const browser = await launch();
  cleanups.push(() => browser.close());
  const pages = [];
  for (const user of [ada, bob]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url + '/healthz');
    await page.evaluate(installCallClient);
    await page.evaluate(async ({ token, wsUrl }) => { window.client = await window.makeCallClient({ token, wsUrl }); },
      { token: user.accessToken, wsUrl: server.wsUrl });
    pages.push(page);
  }
  const [adaPage, bobPage] = pages;

  // The TURN entry parleyd hands out names coturn and the user.
  const adaIce = await adaPage.evaluate(() => window.client.iceServers);
  assert.deepEqual(adaIce.map((s) => s.urls), [[turnUrl]]);
  assert.match(adaIce[0].username, new RegExp(`^\\d+:${ada.id}$`));

  const accepted = bobPage.evaluate(() => window.client.accept());
  const callId = await adaPage.evaluate((c) => window.client.start(c), conv.id);
  assert.equal(await accepted, callId);

  // Both directions decode video, sampled twice to see it grow, and every
  // selected pair's local candidate is a relay one (allocated on coturn).
  const decoding = (s) => s.subscribe.state === 'connected' && s.publish.state === 'connected' && s.subscribe.framesDecoded > 10;
  const first = [await until(adaPage, decoding, 'Ada decoding Bob'), await until(bobPage, decoding, 'Bob decoding Ada')];
  await new Promise((r) => setTimeout(r, 1500));
  const second = [await stats(adaPage), await stats(bobPage)];
  for (const [i, name] of [[0, 'Ada'], [1, 'Bob']]) {
    const s = second[i];
    assert.ok(s.subscribe.framesDecoded > first[i].subscribe.framesDecoded, `${name}: framesDecoded grows ${JSON.stringify([first[i], s])}`);
    assert.ok(s.subscribe.audioPacketsReceived > first[i].subscribe.audioPacketsReceived, `${name}: audio packets grow`);
    for (const pc of ['publish', 'subscribe']) {
      assert.equal(s[pc].localType, 'relay', `${name} ${pc}: ${JSON.stringify(s[pc])}`);
      assert.equal(s[pc].relayProtocol, transport);
      // The far end of the relay is the SFU's own candidate.
      assert.ok(s.sfuCandidates.includes(s[pc].remote), `${name} ${pc}: ${s[pc].remote} not in ${s.sfuCandidates}`);
    }
    t.diagnostic(`${name}: framesDecoded ${first[i].subscribe.framesDecoded} -> ${s.subscribe.framesDecoded}, `
      + `audio packets ${s.subscribe.audioPacketsReceived}, offers answered ${s.answered}, `
      + `publish ${s.publish.localType}/${s.publish.relayProtocol} -> ${s.publish.remote}, `
      + `subscribe ${s.subscribe.localType}/${s.subscribe.relayProtocol} -> ${s.subscribe.remote}`);
  }

  // coturn granted both users' allocations and permissions towards the SFU.
  const log = coturn.log();
  for (const user of [ada, bob]) {
    assert.match(log, new RegExp(`user <\\d+:${user.id}>: incoming packet ALLOCATE processed, success`), `allocation of ${user.name}`);
    assert.match(log, new RegExp(`user <\\d+:${user.id}>: incoming packet CREATE_PERMISSION processed, success`), `permission of ${user.name}`);
  }

  // Hanging up releases the allocations; coturn logs what each relayed.
  await adaPage.evaluate(() => window.client.leave());
  for (const page of pages) await page.evaluate(() => window.client.close());
  const deadline = Date.now() + 10000;
  let usage = [];
  while (Date.now() < deadline) {
    usage = coturn.log().split('\n').filter((l) => / usage: /.test(l));
    if (usage.length >= 4) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const relayedBytes = usage.map((l) => Number(l.match(/rb=(\d+)/)?.[1] ?? 0) + Number(l.match(/sb=(\d+)/)?.[1] ?? 0));
  assert.ok(relayedBytes.reduce((a, b) => a + b, 0) > 100_000, `coturn relayed media: ${usage.join('\n')}`);
  for (const line of coturn.log().split('\n').filter((l) => /ALLOCATE processed, success| usage: /.test(l))) t.diagnostic(line);
}

test('a video call relayed through coturn over UDP: both sides decode the other over relay candidates',
  (t) => relayedCall(t, 'udp'));
test('a video call relayed through coturn over TCP (as when UDP is blocked): both sides decode the other',
  (t) => relayedCall(t, 'tcp'));
