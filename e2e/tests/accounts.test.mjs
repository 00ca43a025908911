// Accounts over plain HTTP: sign up, sign in, me, refresh rotation with
// reuse detection, sessions, sign out, input rules and throttling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startParleyd, gql, signUp, uniqueEmail, errorCodes, PASSWORD } from './parleyd.mjs';

let server;
before(async () => { server = await startParleyd(); });
after(async () => { await server?.stop(); });

const ME = '{ me { id email displayName createdAt } }';
const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken user { id } } }`;

test('sign up, then me with the access token', async () => {
  const email = uniqueEmail('Ada');
  const account = await signUp(server, { email: '  ' + email.toUpperCase() + ' ', displayName: ' Ada ' });
  assert.equal(account.user.email, email.toLowerCase(), 'email is trimmed and lower-cased');
  assert.equal(account.user.displayName, 'Ada');
  assert.ok(Date.parse(account.accessTokenExpiresAt) > Date.now());
  const me = await gql(server, ME, {}, { token: account.accessToken });
  assert.equal(me.status, 200);
  assert.equal(me.body.data.me.id, account.user.id);
  assert.equal(me.body.data.me.email, email.toLowerCase());
});

test('me without a token is UNAUTHENTICATED', async () => {
  const r = await gql(server, ME);
  assert.deepEqual(errorCodes(r.body), ['UNAUTHENTICATED']);
  assert.equal(r.body.data, null);
});

test('the same email cannot sign up twice', async () => {
  const email = uniqueEmail();
  await signUp(server, { email });
  const r = await gql(server, `mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }`,
    { i: { email: email.toUpperCase(), password: PASSWORD, displayName: 'Twin' } });
  assert.deepEqual(errorCodes(r.body), ['CONFLICT']);
});

test('sign-up input rules answer BAD_REQUEST naming the field', async () => {
  const cases = [
    [{ email: 'not-an-email', password: PASSWORD, displayName: 'X' }, 'email'],
    [{ email: uniqueEmail(), password: 'short', displayName: 'X' }, 'password'],
    [{ email: uniqueEmail(), password: 'x'.repeat(257), displayName: 'X' }, 'password'],
    [{ email: uniqueEmail(), password: 'QwertyUIOP', displayName: 'X' }, 'password'],
    [{ email: uniqueEmail(), password: PASSWORD, displayName: '   ' }, 'displayName'],
    [{ email: uniqueEmail(), password: PASSWORD, displayName: 'x'.repeat(65) }, 'displayName'],
  ];
  for (const [input, field] of cases) {
    const r = await gql(server, `mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }`, { i: input });
    assert.deepEqual(errorCodes(r.body), ['BAD_REQUEST'], JSON.stringify(input));
    assert.match(JSON.stringify(r.body.errors[0]), new RegExp(field, 'i'), `error names ${field}`);
  }
  // Nothing was created: the valid email of a refused sign-up is still free.
  const email = uniqueEmail();
  await gql(server, `mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }`,
    { i: { email, password: 'short', displayName: 'X' } });
  await signUp(server, { email });
});

test('sign in; wrong password and unknown email get the same answer', async () => {
  const account = await signUp(server);
  const ok = await gql(server, SIGN_IN, { i: { email: account.email, password: PASSWORD } });
  assert.equal(ok.body.data.signIn.user.id, account.user.id);

  const wrong = await gql(server, SIGN_IN, { i: { email: account.email, password: 'not the password at all' } });
  const unknown = await gql(server, SIGN_IN, { i: { email: uniqueEmail('nobody'), password: 'not the password at all' } });
  assert.deepEqual(errorCodes(wrong.body), ['UNAUTHENTICATED']);
  assert.deepEqual(errorCodes(unknown.body), ['UNAUTHENTICATED']);
  assert.equal(wrong.body.errors[0].message, unknown.body.errors[0].message);
});

test('refresh rotates the token; reusing an old one signs the session out', async () => {
  const account = await signUp(server);
  const first = await gql(server, REFRESH, { t: account.refreshToken });
  const rotated = first.body.data.refreshSession;
  assert.notEqual(rotated.refreshToken, account.refreshToken);
  assert.equal(rotated.user.id, account.user.id);
  const me = await gql(server, ME, {}, { token: rotated.accessToken });
  assert.equal(me.body.data.me.id, account.user.id);

  // The old token again: treated as stolen, the whole session is revoked.
  const reuse = await gql(server, REFRESH, { t: account.refreshToken });
  assert.deepEqual(errorCodes(reuse.body), ['UNAUTHENTICATED']);
  const after = await gql(server, REFRESH, { t: rotated.refreshToken });
  assert.deepEqual(errorCodes(after.body), ['UNAUTHENTICATED'], 'the rotated token died with its family');
  const meAfter = await gql(server, ME, {}, { token: rotated.accessToken });
  assert.deepEqual(errorCodes(meAfter.body), ['UNAUTHENTICATED'], 'access tokens of the session stop working');

  const garbage = await gql(server, REFRESH, { t: 'not-a-token' });
  assert.deepEqual(errorCodes(garbage.body), ['UNAUTHENTICATED']);
});

test('sessions: list, revoke another device, sign out this one', async () => {
  const account = await signUp(server);
  const phone = (await gql(server, SIGN_IN, { i: { email: account.email, password: PASSWORD } },
    { headers: { 'user-agent': 'ParleyPhone/1.0' } })).body.data.signIn;

  const list = await gql(server, '{ sessions { id current userAgent ip createdAt lastUsedAt } }', {}, { token: account.accessToken });
  const sessions = list.body.data.sessions;
  assert.equal(sessions.length, 2);
  assert.equal(sessions.filter((s) => s.current).length, 1);
  const phoneSession = sessions.find((s) => s.userAgent === 'ParleyPhone/1.0');
  assert.ok(phoneSession && !phoneSession.current);
  assert.equal(phoneSession.ip, '127.0.0.1');

  const revoke = await gql(server, 'mutation($id: ID!) { revokeSession(id: $id) }', { id: phoneSession.id }, { token: account.accessToken });
  assert.equal(revoke.body.data.revokeSession, true);
  assert.deepEqual(errorCodes((await gql(server, ME, {}, { token: phone.accessToken })).body), ['UNAUTHENTICATED']);
  assert.deepEqual(errorCodes((await gql(server, REFRESH, { t: phone.refreshToken })).body), ['UNAUTHENTICATED']);

  // Someone else's session is NOT_FOUND, and stays alive.
  const other = await signUp(server);
  const otherSessions = (await gql(server, '{ sessions { id } }', {}, { token: other.accessToken })).body.data.sessions;
  const steal = await gql(server, 'mutation($id: ID!) { revokeSession(id: $id) }', { id: otherSessions[0].id }, { token: account.accessToken });
  assert.deepEqual(errorCodes(steal.body), ['NOT_FOUND']);
  assert.equal((await gql(server, ME, {}, { token: other.accessToken })).body.data.me.id, other.user.id);

  const out = await gql(server, 'mutation { signOut }', {}, { token: account.accessToken });
  assert.equal(out.body.data.signOut, true);
  assert.deepEqual(errorCodes((await gql(server, ME, {}, { token: account.accessToken })).body), ['UNAUTHENTICATED']);
  assert.deepEqual(errorCodes((await gql(server, REFRESH, { t: account.refreshToken })).body), ['UNAUTHENTICATED']);
});

test('1,000 wrong passwords in a row are throttled, cheaply, and the right one still works later for others', async () => {
  const victim = await signUp(server);
  const started = Date.now();
  let limited = 0;
  let retryAfter;
  const batch = 50;
  for (let i = 0; i < 1000; i += batch) {
    const results = await Promise.all(Array.from({ length: batch }, () =>
      gql(server, SIGN_IN, { i: { email: victim.email, password: 'wrong password ' + i } })));
    for (const r of results) {
      const codes = errorCodes(r.body);
      assert.equal(codes.length, 1);
      assert.ok(['UNAUTHENTICATED', 'RATE_LIMITED'].includes(codes[0]), codes[0]);
      if (codes[0] === 'RATE_LIMITED') { limited += 1; retryAfter = r.body.errors[0].extensions.retryAfter; }
    }
  }
  assert.ok(limited >= 990, `at least 990 of 1000 refused by the throttle (got ${limited})`);
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0, 'RATE_LIMITED carries extensions.retryAfter');
  // Even the right password is refused while the account is throttled...
  const right = await gql(server, SIGN_IN, { i: { email: victim.email, password: PASSWORD } });
  assert.deepEqual(errorCodes(right.body), ['RATE_LIMITED']);
  // ...but the victim's existing session is untouched, and the server still serves.
  assert.equal((await gql(server, ME, {}, { token: victim.accessToken })).body.data.me.id, victim.user.id);
  const health = await fetch(server.url + '/healthz');
  assert.equal(health.status, 200);
  // Throttled attempts skip password hashing: 1,000 of them take far less than 1,000 hashes would.
  console.log(`1000 wrong sign-ins answered in ${Date.now() - started} ms`);
});
