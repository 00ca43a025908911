// TURN credentials end to end: a real parleyd hands out coturn REST-API
// credentials through Query.iceServers, and a real coturn (Debian's
// turnserver, sharing the secret) grants a relay allocation with them and
// refuses expired, forged or altered ones with 401.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { startParleyd, gql, signUp, errorCodes, PARLEYD } from './parleyd.mjs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCoturn, restCredential, turnAllocate, turnClient } from './coturn.mjs';

const SHIPPED_CONF = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy', 'coturn', 'turnserver.conf');

const ICE = 'query { iceServers { urls username credential expiresAt } }';

let coturn;
before(async () => { coturn = await startCoturn(); });
after(async () => { await coturn?.stop(); });

function turnEnv(extra = {}) {
  return {
    PARLEY_TURN_URLS: `stun:127.0.0.1:${coturn.port}, ${coturn.url}`,
    PARLEY_TURN_STUN_URLS: 'stun:stun.example.test:3478',
    PARLEY_TURN_SECRET: coturn.secret,
    ...extra,
  };
}

test('iceServers needs a signed-in user, and is empty when nothing is configured', async () => {
  const server = await startParleyd();
  try {
    const anon = await gql(server, ICE);
    assert.deepEqual(errorCodes(anon.body), ['UNAUTHENTICATED']);
    const user = await signUp(server);
    const r = await gql(server, ICE, {}, { token: user.accessToken });
    assert.deepEqual(r.body, { data: { iceServers: [] } });
  } finally {
    await server.stop();
  }
});

test('iceServers gives STUN without credentials and TURN credentials coturn accepts', async () => {
  const server = await startParleyd({ env: turnEnv({ PARLEY_TURN_TTL_S: '600' }) });
  try {
    const anon = await gql(server, ICE);
    assert.deepEqual(errorCodes(anon.body), ['UNAUTHENTICATED']);

    const user = await signUp(server);
    const before = Math.floor(Date.now() / 1000);
    const r = await gql(server, ICE, {}, { token: user.accessToken });
    const after = Math.ceil(Date.now() / 1000);
    assert.equal(r.body.errors, undefined, JSON.stringify(r.body));
    const [stun, relay] = r.body.data.iceServers;
    assert.equal(r.body.data.iceServers.length, 2);
    assert.deepEqual(stun, {
      urls: ['stun:stun.example.test:3478', `stun:127.0.0.1:${coturn.port}`],
      username: null, credential: null, expiresAt: null,
    });
    assert.deepEqual(relay.urls, [coturn.url]);

    // username "<expiry>:<userId>", credential base64(HMAC-SHA1(secret, username)),
    // recomputed here with node:crypto; expiresAt is the same instant in RFC 3339.
    const m = relay.username.match(/^(\d+):(.+)$/);
    assert.ok(m, relay.username);
    const expiry = Number(m[1]);
    assert.equal(m[2], user.user.id);
    assert.ok(expiry >= before + 600 && expiry <= after + 600, `expiry ${expiry} not now + 600`);
    assert.equal(relay.credential, restCredential(coturn.secret, user.user.id, expiry).credential);
    assert.equal(relay.expiresAt, new Date(expiry * 1000).toISOString());

    const ok = await turnAllocate({ host: coturn.host, port: coturn.port, username: relay.username, password: relay.credential });
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.equal(ok.relayed.address, '127.0.0.1');
    assert.ok(ok.relayed.port > 0);
    assert.equal(ok.realm, coturn.realm);
    const log = coturn.log();
    assert.ok(log.includes(`user <${relay.username}>: incoming packet ALLOCATE processed, success`), log);

    // Someone else's user id with this credential, or a credential from another secret: 401.
    const otherUser = relay.username.replace(/:.*/, ':01HZZZZZZZZZZZZZZZZZZZZZZZ');
    let r401 = await turnAllocate({ host: coturn.host, port: coturn.port, username: otherUser, password: relay.credential });
    assert.equal(r401.error?.code, 401, JSON.stringify(r401));
    const forged = restCredential('not-the-secret', user.user.id, expiry);
    r401 = await turnAllocate({ host: coturn.host, port: coturn.port, username: forged.username, password: forged.credential });
    assert.equal(r401.error?.code, 401, JSON.stringify(r401));
    // Correctly signed but expired: 401.
    const expired = restCredential(coturn.secret, user.user.id, Math.floor(Date.now() / 1000) - 5);
    r401 = await turnAllocate({ host: coturn.host, port: coturn.port, username: expired.username, password: expired.credential });
    assert.equal(r401.error?.code, 401, JSON.stringify(r401));
  } finally {
    await server.stop();
  }
});

// coturn's own client, independent of the test's TURN code: with parleyd's
// credential two allocations exchange data through the relay (-y) with no
// loss; with an expired one the allocation fails.
test('turnutils_uclient relays data with parleyd\'s credential', async () => {
  const server = await startParleyd({ env: turnEnv() });
  try {
    const user = await signUp(server);
    const r = await gql(server, ICE, {}, { token: user.accessToken });
    const relay = r.body.data.iceServers.find((s) => s.username);
    const uclient = (username, password) => new Promise((resolve) => {
      const child = spawn('turnutils_uclient', ['-u', username, '-w', password, '-p', String(coturn.port), '-e', '127.0.0.1',
        '-r', '3480', '-n', '5', '-m', '1', '-l', '100', '-y', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30000);
      child.on('exit', (code) => { clearTimeout(timer); resolve({ code, out }); });
    });
    const ok = await uclient(relay.username, relay.credential);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /Total lost packets 0 \(0\.0+%\)/, ok.out);
    const expired = restCredential(coturn.secret, user.user.id, Math.floor(Date.now() / 1000) - 5);
    const refused = await uclient(expired.username, expired.credential);
    assert.notEqual(refused.code, 0, refused.out);
    assert.match(refused.out, /Cannot complete Allocation/);
  } finally {
    await server.stop();
  }
});

// New allocations are refused after the expiry; an allocation made before it
// lives on (coturn checks the expiry when a session first authenticates), so
// a call in progress keeps its relay.
test("a credential from parleyd stops working at its expiry, an allocation made before lives on", async () => {
  const server = await startParleyd({ env: turnEnv({ PARLEY_TURN_TTL_S: '2' }) });
  try {
    const user = await signUp(server);
    const r = await gql(server, ICE, {}, { token: user.accessToken });
    const relay = r.body.data.iceServers.find((s) => s.username);
    const credentials = { host: coturn.host, port: coturn.port, username: relay.username, password: relay.credential };
    const early = await turnClient(credentials);
    try {
      assert.equal((await early.allocate()).ok, true);
      const expiry = Number(relay.username.split(':')[0]);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, (expiry + 1) * 1000 - Date.now()) + 100));
      const late = await turnAllocate(credentials);
      assert.equal(late.error?.code, 401, JSON.stringify(late));
      assert.deepEqual(await early.refresh(), { ok: true });
      assert.deepEqual(await early.createPermission('127.0.0.1'), { ok: true });
    } finally {
      await early.close();
    }
  } finally {
    await server.stop();
  }
});

test('parleyd refuses a TURN URL without a secret, and a short secret in prod', () => {
  const run = (env) => spawnSync(PARLEYD, ['check-config'], { env: { ...process.env, ...env }, encoding: 'utf8' });
  let r = run({ PARLEY_TURN_URLS: 'turn:127.0.0.1:3478' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /turn\.secret/);
  r = run({ PARLEY_TURN_URLS: 'turn:127.0.0.1:3478', PARLEY_TURN_SECRET: 'dev-secret' });
  assert.equal(r.status, 0, r.stderr);
  const prod = {
    PARLEY_SERVER_PROFILE: 'prod', PARLEY_SERVER_TRUSTED_PROXIES: '10.0.0.0/8',
    PARLEY_AUTH_SECRET: 'x'.repeat(40), PARLEY_TURN_URLS: 'turns:turn.example.test:5349',
  };
  r = run({ ...prod, PARLEY_TURN_SECRET: 'dev-secret' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /turn\.secret/);
  r = run({ ...prod, PARLEY_TURN_SECRET: 'y'.repeat(40) });
  assert.equal(r.status, 0, r.stderr);
  r = run({ PARLEY_TURN_URLS: 'http://turn.example.test', PARLEY_TURN_SECRET: 's' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /turn\.urls/);
});

// deploy/coturn/turnserver.conf itself: coturn reads it, grants parleyd's
// credentials, and refuses to relay towards private, loopback and link-local
// peers (403) while a public peer is allowed. The test's own coturn (no deny
// list) allows the same private peer, so the 403 comes from the file.
test('the shipped coturn config relays only towards public peers', async () => {
  const shipped = await startCoturn({ configFile: SHIPPED_CONF });
  const server = await startParleyd({ env: { PARLEY_TURN_URLS: shipped.url, PARLEY_TURN_SECRET: shipped.secret } });
  try {
    const user = await signUp(server);
    const r = await gql(server, ICE, {}, { token: user.accessToken });
    const relay = r.body.data.iceServers[0];
    for (const [turnserver, refused] of [[shipped, ['169.254.169.254', '10.1.2.3', '192.168.1.1', '127.0.0.1']], [coturn, []]]) {
      const client = await turnClient({ host: turnserver.host, port: turnserver.port, username: relay.username, password: relay.credential });
      try {
        if (turnserver === coturn) {
          // Another coturn with another secret: parleyd's credential is refused.
          const wrong = await client.allocate();
          assert.equal(wrong.error?.code, 401, JSON.stringify(wrong));
          continue;
        }
        const alloc = await client.allocate();
        assert.equal(alloc.ok, true, JSON.stringify(alloc) + turnserver.log());
        for (const peer of refused) {
          const p = await client.createPermission(peer);
          assert.equal(p.error?.code, 403, `${peer}: ${JSON.stringify(p)}`);
        }
        assert.deepEqual(await client.createPermission('8.8.8.8'), { ok: true });
      } finally {
        await client.close();
      }
    }
    // Control: the test coturn (no deny list) lets its own user reach the link-local peer.
    const own = restCredential(coturn.secret, user.user.id, Math.floor(Date.now() / 1000) + 60);
    const control = await turnClient({ host: coturn.host, port: coturn.port, username: own.username, password: own.credential });
    try {
      assert.equal((await control.allocate()).ok, true);
      assert.deepEqual(await control.createPermission('169.254.169.254'), { ok: true });
    } finally {
      await control.close();
    }
  } finally {
    await server.stop();
    await shipped.stop();
  }
});
