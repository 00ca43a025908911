// graphql-transport-ws with the npm graphql-ws client, plus raw frames for
// the protocol's error paths, and a graceful SIGTERM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startParleyd, gql, signUp, wsClient, take, PASSWORD } from './parleyd.mjs';

let server;
before(async () => { server = await startParleyd({ env: { PARLEY_GRAPHQL_WS_INIT_TIMEOUT_S: '1' } }); });
after(async () => { await server?.stop(); });

const EVENTS = `subscription { events { __typename cursor
  ... on SessionCreatedEvent { session { id userAgent current } }
  ... on SessionRevokedEvent { sessionId } } }`;

test('queries and mutations run over the WebSocket too', async () => {
  const account = await signUp(server);
  const client = wsClient(server, { authToken: account.accessToken });
  try {
    const [r] = await take(client, { query: '{ me { id displayName } }' }, 1);
    assert.equal(r.data.me.id, account.user.id);
  } finally {
    await client.dispose();
  }
});

test('events: a new sign-in and a revoked session reach every open device live', async () => {
  const account = await signUp(server);
  const laptop = wsClient(server, { authToken: account.accessToken });
  const tablet = wsClient(server, { authToken: account.accessToken });
  try {
    const both = [take(laptop, { query: EVENTS }, 2), take(tablet, { query: EVENTS }, 2)];
    await new Promise((r) => setTimeout(r, 300)); // let both subscriptions start
    const phone = (await gql(server, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`,
      { i: { email: account.email, password: PASSWORD } }, { headers: { 'user-agent': 'PhoneApp' } })).body.data.signIn;
    const sessions = (await gql(server, '{ sessions { id userAgent } }', {}, { token: account.accessToken })).body.data.sessions;
    const phoneSession = sessions.find((s) => s.userAgent === 'PhoneApp');
    await gql(server, 'mutation($id: ID!) { revokeSession(id: $id) }', { id: phoneSession.id }, { token: account.accessToken });
    for (const events of await Promise.all(both)) {
      assert.equal(events[0].data.events.__typename, 'SessionCreatedEvent');
      assert.equal(events[0].data.events.session.id, phoneSession.id);
      assert.equal(events[0].data.events.session.userAgent, 'PhoneApp');
      assert.equal(events[1].data.events.__typename, 'SessionRevokedEvent');
      assert.equal(events[1].data.events.sessionId, phoneSession.id);
      // Session events are not stored: both carry the stream's position then.
      assert.match(events[0].data.events.cursor, /^1\.\d+$/);
      assert.equal(events[1].data.events.cursor, events[0].data.events.cursor);
    }
    assert.ok(phone.accessToken);
  } finally {
    await laptop.dispose();
    await tablet.dispose();
  }
});

test('other users never see my events', async () => {
  const me = await signUp(server);
  const stranger = await signUp(server);
  const spy = wsClient(server, { authToken: stranger.accessToken });
  try {
    const spying = take(spy, { query: EVENTS }, 1, 1500);
    await new Promise((r) => setTimeout(r, 200));
    await gql(server, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { email: me.email, password: PASSWORD } });
    await assert.rejects(spying, /got 0\/1/);
  } finally {
    await spy.dispose();
  }
});

test('events without a token: an error message for that operation only', async () => {
  const client = wsClient(server, {});
  try {
    await assert.rejects(take(client, { query: EVENTS }, 1), (errors) => {
      assert.ok(Array.isArray(errors));
      assert.equal(errors[0].extensions.code, 'UNAUTHENTICATED');
      return true;
    });
  } finally {
    await client.dispose();
  }
});

// Raw protocol: open a socket, send frames, report what came back and the close code.
function raw(frames, { waitMs = 2500, protocol = 'graphql-transport-ws' } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.wsUrl, protocol);
    const received = [];
    const timer = setTimeout(() => { ws.terminate(); resolve({ received, code: null }); }, waitMs);
    ws.on('open', () => { for (const f of frames) ws.send(typeof f === 'string' ? f : JSON.stringify(f)); });
    ws.on('message', (d) => received.push(JSON.parse(d.toString())));
    ws.on('close', (code, reason) => { clearTimeout(timer); resolve({ received, code, reason: reason.toString() }); });
    ws.on('error', reject);
  });
}

test('protocol errors close with the graphql-ws codes', async () => {
  const account = await signUp(server);
  const sub = { id: '1', type: 'subscribe', payload: { query: '{ me { id } }' } };
  assert.equal((await raw([sub])).code, 4401, 'subscribe before connection_init');
  assert.equal((await raw(['this is not json'])).code, 4400, 'garbage');
  assert.equal((await raw([{ type: 'what' }])).code, 4400, 'unknown message type');
  assert.equal((await raw([{ type: 'connection_init' }, { type: 'subscribe', id: '1' }])).code, 4400, 'subscribe without payload');
  assert.equal((await raw([{ type: 'connection_init', payload: { authToken: 'forged' } }])).code, 4403, 'bad token');
  assert.equal((await raw([{ type: 'connection_init' }, { type: 'connection_init' }])).code, 4429, 'two inits');
  assert.equal((await raw([])).code, 4408, 'no connection_init within the timeout');

  const slow = { id: 'same', type: 'subscribe', payload: { query: 'subscription { events { cursor } }' } };
  const dup = await raw([{ type: 'connection_init', payload: { authToken: account.accessToken } }, slow, slow]);
  assert.equal(dup.code, 4409, 'duplicate operation id');
  assert.equal(dup.reason, 'Subscriber for same already exists');

  const ok = await raw([{ type: 'connection_init', payload: { authToken: account.accessToken } }, { type: 'ping', payload: { n: 1 } }, sub], { waitMs: 800 });
  assert.deepEqual(ok.received.map((m) => m.type), ['connection_ack', 'pong', 'next', 'complete']);
  assert.deepEqual(ok.received[1].payload, { n: 1 });
  assert.equal(ok.received[2].payload.data.me.id, account.user.id);

  const invalid = await raw([{ type: 'connection_init' }, { id: 'x', type: 'subscribe', payload: { query: '{ nope }' } }], { waitMs: 800 });
  assert.equal(invalid.received[1].type, 'error');
  assert.equal(invalid.received[1].payload[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');

  // After all that the server still serves.
  assert.equal((await fetch(server.url + '/healthz')).status, 200);
});

test('a wrong subprotocol is refused', async () => {
  await assert.rejects(raw([], { protocol: 'graphql-ws' }), /Unexpected server response: 400|Server sent no subprotocol/);
});

test('SIGTERM closes WebSockets with 1001 and exits 0', async () => {
  const own = await startParleyd();
  const account = await signUp(own);
  const closed = new Promise((resolve) => {
    const ws = new WebSocket(own.wsUrl, 'graphql-transport-ws');
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authToken: account.accessToken } })));
    ws.on('message', () => own.child.kill('SIGTERM'));
    ws.on('close', (code) => resolve(code));
  });
  assert.equal(await closed, 1001);
  const { code, signal } = await own.exited;
  assert.equal(signal, null);
  assert.equal(code, 0);
  await own.stop(); // removes the data directory
});
