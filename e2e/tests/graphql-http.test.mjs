// The GraphQL engine through HTTP: introspection accepted by graphql-js,
// GET queries, and every kind of bad input answered with its documented code
// while the server keeps serving and nothing is written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildClientSchema, validateSchema, getIntrospectionQuery, printSchema } from 'graphql';
import { auditServer } from 'graphql-http';
import { startParleyd, gql, signUp, errorCodes } from './parleyd.mjs';

let server;
before(async () => { server = await startParleyd(); });
after(async () => { await server?.stop(); });

test('introspection is accepted by graphql-js buildClientSchema + validateSchema', async () => {
  const r = await gql(server, getIntrospectionQuery({
    descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true,
    schemaDescription: true, inputValueDeprecation: true,
  }));
  assert.equal(r.status, 200);
  assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
  const schema = buildClientSchema(r.body.data);
  assert.deepEqual(validateSchema(schema), []);
  const sdl = printSchema(schema);
  for (const name of ['signUp', 'signIn', 'refreshSession', 'signOut', 'me', 'events']) {
    assert.match(sdl, new RegExp(`\\b${name}\\b`), `schema has ${name}`);
  }
  assert.ok(schema.getType('Event'), 'the Event interface exists');
});

test('GET runs queries and refuses mutations', async () => {
  const account = await signUp(server);
  const q = encodeURIComponent('query Me { me { id } }');
  const r = await fetch(`${server.url}/graphql?query=${q}&operationName=Me`, { headers: { authorization: `Bearer ${account.accessToken}` } });
  assert.equal(r.status, 200);
  assert.equal((await r.json()).data.me.id, account.user.id);
  const m = await fetch(`${server.url}/graphql?query=${encodeURIComponent('mutation { signOut }')}`, { headers: { authorization: `Bearer ${account.accessToken}` } });
  assert.equal(m.status, 405);
  // The session is still alive: the GET did not sign out.
  assert.equal((await gql(server, '{ me { id } }', {}, { token: account.accessToken })).body.data.me.id, account.user.id);
});

test('__typename, aliases, fragments, variables and @skip/@include work', async () => {
  const account = await signUp(server, { displayName: 'Grace' });
  const r = await gql(server, `query($withEmail: Boolean!) {
      a: me { ...F }  b: me { __typename displayName email @include(if: $withEmail) id @skip(if: true) } }
    fragment F on User { displayName }`, { withEmail: false }, { token: account.accessToken });
  assert.deepEqual(r.body.data, { a: { displayName: 'Grace' }, b: { __typename: 'User', displayName: 'Grace' } });
});

test('the graphql-http audit suite finds nothing to fault (GraphQL over HTTP spec)', async () => {
  const results = await auditServer({ url: server.url + '/graphql' });
  const faults = results.filter((r) => r.status !== 'ok').map((r) => `${r.status} ${r.id} ${r.name}: ${r.reason}`);
  assert.deepEqual(faults, []);
  assert.ok(results.length >= 50);
});

// Requests as a graphql-response+json client makes them: request errors are 4xx.
const MODERN = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
const raw = (body, headers = MODERN) => fetch(server.url + '/graphql', { method: 'POST', headers, body });

test('bad input gets its documented error code and the server keeps serving', async () => {
  let r = await raw('{"query": ');
  assert.equal(r.status, 400);
  assert.deepEqual(errorCodes(await r.json()), ['BAD_REQUEST']);

  r = await raw(JSON.stringify({ query: '{ me { id }' }));
  assert.equal(r.status, 400);
  let body = await r.json();
  assert.deepEqual(errorCodes(body), ['GRAPHQL_PARSE_FAILED']);
  assert.ok(body.errors[0].locations?.[0]?.line >= 1, 'parse errors carry a location');

  r = await raw(JSON.stringify({ query: '{ me { id password } }' }));
  assert.equal(r.status, 400);
  body = await r.json();
  assert.deepEqual(errorCodes(body), ['GRAPHQL_VALIDATION_FAILED']);
  assert.match(body.errors[0].message, /password/);

  const deep = '{ me ' + '{ __typename '.repeat(200) + '}'.repeat(200) + ' }';
  r = await raw(JSON.stringify({ query: deep }));
  assert.equal(r.status, 400);
  assert.ok(errorCodes(await r.json()).includes('LIMIT_EXCEEDED'));

  r = await raw(JSON.stringify({ query: '{ me { id } }', padding: 'x'.repeat(10 * 1024 * 1024) }));
  assert.equal(r.status, 413, 'a 10 MB body is refused before it is read');

  r = await raw(JSON.stringify({ query: '{ me { id } }' }), { 'content-type': 'text/plain' });
  assert.equal(r.status, 415);

  // A plain application/json client gets 200 for a well-formed request whose document fails...
  r = await raw(JSON.stringify({ query: '{ me { id password } }' }), { 'content-type': 'application/json' });
  assert.equal(r.status, 200);
  assert.deepEqual(errorCodes(await r.json()), ['GRAPHQL_VALIDATION_FAILED']);
  // ...and 400 for one that is not well-formed.
  r = await raw('{"query": ', { 'content-type': 'application/json' });
  assert.equal(r.status, 400);

  r = await raw(JSON.stringify({ variables: {} }));
  assert.equal(r.status, 400);
  assert.deepEqual(errorCodes(await r.json()), ['BAD_REQUEST']);

  r = await raw(JSON.stringify({ query: 'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', variables: { i: { email: 5 } } }));
  assert.equal(r.status, 400);
  body = await r.json();
  assert.equal(body.data, undefined);
  assert.deepEqual(errorCodes(body), ['BAD_REQUEST'], 'variables of the wrong type are refused before execution');

  assert.equal((await fetch(server.url + '/healthz')).status, 200);
});

test('forged, tampered, alg:none and garbage tokens are UNAUTHENTICATED', async () => {
  const account = await signUp(server);
  const [h, p, s] = account.accessToken.split('.');
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  assert.equal(header.alg, 'EdDSA');
  assert.ok(header.kid);
  const forged = [
    `${b64({ alg: 'none', typ: 'JWT' })}.${p}.`,
    `${b64({ ...header, alg: 'HS256' })}.${p}.${s}`,
    `${h}.${b64({ ...payload, sub: 'someone-else' })}.${s}`,
    `${h}.${b64({ ...payload, exp: payload.exp + 3600 })}.${s}`,
    `${b64({ ...header, kid: 'no-such-key' })}.${p}.${s}`,
    `${h}.${p}.${Buffer.alloc(64).toString('base64url')}`,
    'garbage', 'a.b.c', '',
  ];
  for (const token of forged) {
    const r = await fetch(server.url + '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const body = await r.json();
    assert.deepEqual(errorCodes(body), ['UNAUTHENTICATED'], `token ${token.slice(0, 40)}...`);
  }
});

test('expired access tokens are UNAUTHENTICATED, and refresh gives a working one', async () => {
  const short = await startParleyd({ env: { PARLEY_AUTH_ACCESS_TTL_S: '1', PARLEY_AUTH_CLOCK_LEEWAY_S: '0' } });
  try {
    const account = await signUp(short);
    const payload = JSON.parse(Buffer.from(account.accessToken.split('.')[1], 'base64url').toString());
    assert.equal(payload.exp - payload.iat, 1);
    // Wait past expiry plus the verifier's clock-skew leeway.
    const deadline = Date.now() + 90_000;
    let codes;
    do {
      await new Promise((r) => setTimeout(r, 1000));
      codes = errorCodes((await gql(short, '{ me { id } }', {}, { token: account.accessToken })).body);
    } while (codes.length === 0 && Date.now() < deadline);
    assert.deepEqual(codes, ['UNAUTHENTICATED']);
    const fresh = await gql(short, 'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }',
      { t: account.refreshToken }, { token: account.accessToken });
    assert.ok(fresh.body.data.refreshSession.accessToken, 'refresh works even with the stale token attached');
  } finally {
    await short.stop();
  }
});

test('health, readiness and metrics', async () => {
  const h = await fetch(server.url + '/healthz');
  assert.equal(h.status, 200);
  const r = await fetch(server.url + '/readyz');
  assert.equal(r.status, 200);
  const m = await fetch(server.url + '/metrics');
  assert.equal(m.status, 200);
  const text = await m.text();
  assert.match(text, /# TYPE http_requests_total counter/);
  assert.match(text, /http_request_duration_seconds_bucket\{/);
});

test('without a web client build, / explains what the server offers', async () => {
  // A web root without index.html stands for "web/out not built".
  const bare = await startParleyd({ env: { PARLEY_SERVER_WEB_ROOT: '/nonexistent-web-root' } });
  try {
    const r = await fetch(bare.url + '/');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /text\/html/);
    assert.match(await r.text(), /Parley is running/);
  } finally {
    await bare.stop();
  }
});
