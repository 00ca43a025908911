// A real coturn (Debian's `turnserver`) for a test, and a minimal TURN client
// to talk to it.
//
// startCoturn() runs turnserver on 127.0.0.1 with free ports, the TURN REST
// API (`use-auth-secret`) with a random secret, loopback peers allowed (the
// SFU and the browsers are on 127.0.0.1), no TLS/DTLS listeners, no CLI, and
// its log, pid file and database in a fresh temporary directory. It resolves
// once coturn answers a STUN Binding request; stop() ends it (SIGTERM) and
// removes the directory.
//
// turnClient()/turnAllocate() send TURN requests (RFC 8656) over UDP with
// long-term credentials (RFC 8489 section 9.2): an Allocate first without
// credentials to learn REALM and NONCE (401), then with USERNAME, REALM,
// NONCE and MESSAGE-INTEGRITY keyed with MD5(username ":" realm ":" password).
import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TURNSERVER = process.env.TURNSERVER || '/usr/bin/turnserver';

// A port free for both UDP and TCP on 127.0.0.1 right now.
export async function freePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)); });
    });
    const udpFree = await new Promise((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

//
// With `configFile`, coturn reads that file (e.g. deploy/coturn/turnserver.conf)
// instead of the test settings above, minus the lines that name ports, paths,
// the secret, the realm and certificates, which the test supplies; loopback
// peers then stay refused as the file says.
export async function startCoturn({ secret = randomBytes(24).toString('hex'), realm = 'parley.test', configFile } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-coturn-'));
  const port = await freePort();
  // Relay ports: a random block of 200 in 40000-59999 (coturn skips busy ones).
  const minPort = 40000 + Math.floor(Math.random() * 99) * 200;
  const logFile = join(dir, 'turn.log');
  const overridden = /^\s*(listening-port|tls-listening-port|listening-ip|relay-ip|min-port|max-port|log-file|pidfile|db|userdb|static-auth-secret|realm|server-name|cert|pkey|syslog|no-stdout-log)\b/;
  const fileArgs = [];
  if (configFile) {
    const text = readFileSync(configFile, 'utf8').split('\n').filter((l) => !overridden.test(l)).join('\n');
    writeFileSync(join(dir, 'turnserver.conf'), text);
    fileArgs.push('-c', join(dir, 'turnserver.conf'));
  } else {
    fileArgs.push('-n', '--allow-loopback-peers', '--no-multicast-peers', '--no-rfc5780', '--fingerprint');
  }
  const args = [
    ...fileArgs, '--log-file', logFile, '--simple-log', '--no-stdout-log', '--new-log-timestamp',
    '--pidfile', join(dir, 'turnserver.pid'), '--db', join(dir, 'turndb.sqlite'),
    '--listening-ip', '127.0.0.1', '--relay-ip', '127.0.0.1', '--listening-port', String(port),
    '--min-port', String(minPort), '--max-port', String(minPort + 199),
    '--use-auth-secret', '--static-auth-secret', secret, '--realm', realm,
    '--no-tls', '--no-dtls', '--no-cli', '--verbose',
  ];
  const child = spawn(TURNSERVER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  // A test process that dies without stop() must not leave coturn behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    process.removeListener('exit', killOnExit);
    resolve({ code, signal });
  }));
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const coturn = {
    host: '127.0.0.1', port, secret, realm, dir, child, log, exited,
    url: `turn:127.0.0.1:${port}?transport=udp`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Ready when a Binding request gets an answer (at most 10 s).
  const deadline = Date.now() + 10000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`turnserver exited with ${child.exitCode}\n${stderr}\n${log()}`);
    try {
      const res = await stunRequest('127.0.0.1', port, encode(0x0001, []), 300);
      if (res.type === 0x0101) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await coturn.stop();
      throw new Error(`turnserver did not answer STUN in 10 s\n${stderr}`);
    }
  }
  return coturn;
}

// The coturn REST API credential, computed here independently of parleyd.
export function restCredential(secret, userId, expiresAtS) {
  const username = `${expiresAtS}:${userId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

// ---- STUN/TURN messages (RFC 8489, RFC 8656) ----

const MAGIC = 0x2112a442;
export const ATTR = {
  USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, LIFETIME: 0x000d,
  REALM: 0x0014, NONCE: 0x0015, XOR_RELAYED_ADDRESS: 0x0016, REQUESTED_TRANSPORT: 0x0019,
  XOR_PEER_ADDRESS: 0x0012, XOR_MAPPED_ADDRESS: 0x0020, FINGERPRINT: 0x8028,
};

function attr(type, value) {
  const pad = (4 - (value.length % 4)) % 4;
  const b = Buffer.alloc(4 + value.length + pad);
  b.writeUInt16BE(type, 0);
  b.writeUInt16BE(value.length, 2);
  value.copy(b, 4);
  return b;
}

// A message of `type` with `attrs` ([type, Buffer] pairs); with `key`, a
// MESSAGE-INTEGRITY over everything before it (the header's length already
// counting the integrity attribute, RFC 8489 section 14.5).
export function encode(type, attrs, key, txid = randomBytes(12)) {
  const body = Buffer.concat(attrs.map(([t, v]) => attr(t, v)));
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(body.length + (key ? 24 : 0), 2);
  header.writeUInt32BE(MAGIC, 4);
  txid.copy(header, 8);
  let msg = Buffer.concat([header, body]);
  if (key) msg = Buffer.concat([msg, attr(ATTR.MESSAGE_INTEGRITY, createHmac('sha1', key).update(msg).digest())]);
  return msg;
}

export function decode(buf) {
  if (buf.length < 20 || buf.readUInt32BE(4) !== MAGIC) throw new Error('not STUN');
  const type = buf.readUInt16BE(0);
  const len = buf.readUInt16BE(2);
  const attrs = new Map();
  for (let off = 20; off + 4 <= 20 + len && off + 4 <= buf.length;) {
    const t = buf.readUInt16BE(off);
    const l = buf.readUInt16BE(off + 2);
    if (!attrs.has(t)) attrs.set(t, buf.subarray(off + 4, off + 4 + l));
    off += 4 + l + ((4 - (l % 4)) % 4);
  }
  const out = { type, txid: buf.subarray(8, 20), attrs };
  const ec = attrs.get(ATTR.ERROR_CODE);
  if (ec) out.error = { code: (ec[2] & 7) * 100 + ec[3], reason: ec.subarray(4).toString() };
  for (const [name, t] of [['relayed', ATTR.XOR_RELAYED_ADDRESS], ['mapped', ATTR.XOR_MAPPED_ADDRESS]]) {
    const a = attrs.get(t);
    if (a && a[1] === 0x01) {
      const p = a.readUInt16BE(2) ^ (MAGIC >>> 16);
      const ip = [0, 1, 2, 3].map((i) => a[4 + i] ^ ((MAGIC >>> (24 - 8 * i)) & 0xff)).join('.');
      out[name] = { address: ip, port: p };
    }
  }
  return out;
}

// Sends `msg` over a fresh UDP socket and resolves with the decoded answer.
export function stunRequest(host, port, msg, timeoutMs = 2000, socket) {
  return new Promise((resolve, reject) => {
    const s = socket ?? dgram.createSocket('udp4');
    const done = (fn, v) => {
      clearTimeout(timer);
      s.removeListener('message', onMessage);
      if (!socket) s.close();
      fn(v);
    };
    const onMessage = (m) => {
      try {
        const r = decode(m);
        if (r.txid.equals(msg.subarray(8, 20))) done(resolve, r);
      } catch { /* not ours */ }
    };
    const timer = setTimeout(() => done(reject, new Error('STUN timeout')), timeoutMs);
    s.on('message', onMessage);
    s.send(msg, port, host, (err) => { if (err) done(reject, err); });
  });
}

function xorAddress(address, port) {
  const b = Buffer.alloc(8);
  b[1] = 0x01;  // IPv4
  b.writeUInt16BE(port ^ (MAGIC >>> 16), 2);
  address.split('.').forEach((octet, i) => { b[4 + i] = Number(octet) ^ ((MAGIC >>> (24 - 8 * i)) & 0xff); });
  return b;
}

// A TURN client on one UDP socket with long-term credentials.
// allocate() resolves with {ok: true, relayed, lifetime, realm} or
// {ok: false, error}; createPermission(address) and refresh() with {ok} or
// {ok: false, error}; close() releases the allocation (Refresh with LIFETIME 0).
export async function turnClient({ host, port, username, password }) {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  let realm;
  let nonce;
  let key;
  let allocated = false;
  const authAttrs = () => [[ATTR.USERNAME, Buffer.from(username)], [ATTR.REALM, realm], [ATTR.NONCE, nonce]];
  const transport = Buffer.from([17, 0, 0, 0]);  // REQUESTED-TRANSPORT: UDP
  return {
    async allocate() {
      const first = await stunRequest(host, port, encode(0x0003, [[ATTR.REQUESTED_TRANSPORT, transport]]), 2000, socket);
      if (first.error?.code !== 401) throw new Error(`expected 401 without credentials, got ${JSON.stringify(first.error)}`);
      realm = first.attrs.get(ATTR.REALM);
      nonce = first.attrs.get(ATTR.NONCE);
      key = createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest();
      const res = await stunRequest(host, port,
        encode(0x0003, [[ATTR.REQUESTED_TRANSPORT, transport], ...authAttrs()], key), 2000, socket);
      if (res.type !== 0x0103) return { ok: false, type: res.type, error: res.error };
      allocated = true;
      const lifetime = res.attrs.get(ATTR.LIFETIME)?.readUInt32BE(0);
      return { ok: true, relayed: res.relayed, mapped: res.mapped, lifetime, realm: realm.toString() };
    },
    async createPermission(address) {
      const res = await stunRequest(host, port,
        encode(0x0008, [[ATTR.XOR_PEER_ADDRESS, xorAddress(address, 9)], ...authAttrs()], key), 2000, socket);
      return res.type === 0x0108 ? { ok: true } : { ok: false, type: res.type, error: res.error };
    },
    // A Refresh keeping the allocation for `lifetime` seconds more.
    async refresh(lifetime = 600) {
      const l = Buffer.alloc(4);
      l.writeUInt32BE(lifetime, 0);
      const res = await stunRequest(host, port, encode(0x0004, [[ATTR.LIFETIME, l], ...authAttrs()], key), 2000, socket);
      return res.type === 0x0104 ? { ok: true } : { ok: false, type: res.type, error: res.error };
    },
    async close() {
      try {
        if (allocated) {
          await stunRequest(host, port, encode(0x0004, [[ATTR.LIFETIME, Buffer.alloc(4)], ...authAttrs()], key),
            2000, socket).catch(() => {});
        }
      } finally {
        socket.close();
      }
    },
  };
}

// One Allocate (then released again): {ok: true, relayed, ...} or {ok: false, error}.
export async function turnAllocate(credentials) {
  const client = await turnClient(credentials);
  try {
    return await client.allocate();
  } finally {
    await client.close();
  }
}
