// Starts a real parleyd for a test: free port, fresh data directory, the
// "Parley is running at URL" line parsed from stdout. Stops it (SIGTERM) and
// removes the directory afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PARLEYD = process.env.PARLEYD || join(root, 'build', 'bin', 'parleyd');

export async function startParleyd({ env = {}, args = [], dataDir } = {}) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const child = spawn(PARLEYD, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dir, '--profile', 'test', ...args], {
    env: { ...process.env, PARLEY_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`parleyd did not start in 20 s\n${stderr}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Parley is running at (\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`parleyd exited with ${code}\n${stderr}`)); });
  });
  const server = {
    url,
    wsUrl: url.replace(/^http/, 'ws') + '/graphql',
    dataDir: dir,
    child,
    stderr: () => stderr,
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const result = await server.exited;
      if (!keepData && !dataDir) rmSync(dir, { recursive: true, force: true });
      return result;
    },
  };
  return server;
}

// POST /graphql. Returns {status, body, headers}.
export async function gql(server, query, variables, { token, headers = {} } = {}) {
  const res = await fetch(server.url + '/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, body, headers: res.headers };
}

export function errorCodes(body) {
  return (body.errors || []).map((e) => e.extensions?.code);
}

let counter = 0;
export function uniqueEmail(prefix = 'user') {
  counter += 1;
  return `${prefix}.${process.pid}.${Date.now()}.${counter}@example.test`;
}

export const PASSWORD = 'correct horse battery staple';

export async function signUp(server, { email = uniqueEmail(), password = PASSWORD, displayName = 'Ada Lovelace' } = {}) {
  const r = await gql(server, `mutation($i: SignUpInput!) { signUp(input: $i) {
      accessToken accessTokenExpiresAt refreshToken user { id email displayName } } }`,
  { i: { email, password, displayName } });
  if (!r.body.data) throw new Error('signUp failed: ' + JSON.stringify(r.body));
  return { ...r.body.data.signUp, email, password };
}

export function wsClient(server, connectionParams, extra = {}) {
  return createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    ...extra,
  });
}

// Collects `n` results of a subscription, or rejects after `ms`.
export function take(client, payload, n, ms = 5000) {
  return new Promise((resolve, reject) => {
    const got = [];
    const timer = setTimeout(() => { dispose(); reject(new Error(`got ${got.length}/${n} events in ${ms} ms`)); }, ms);
    const dispose = client.subscribe(payload, {
      next: (v) => { got.push(v); if (got.length === n) { clearTimeout(timer); dispose(); resolve(got); } },
      error: (e) => { clearTimeout(timer); reject(e); },
      complete: () => { clearTimeout(timer); if (got.length < n) reject(new Error('completed early')); },
    });
  });
}
