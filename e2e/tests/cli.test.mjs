// The parleyd command line: --version, check-config, prod safety rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PARLEYD } from './parleyd.mjs';

const run = (args, env = {}) => spawnSync(PARLEYD, args, { env: { ...process.env, ...env }, encoding: 'utf8' });

test('--version prints the version', () => {
  const r = run(['--version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^parleyd \d+\.\d+\.\d+/);
});

test('check-config accepts a good file and explains a bad one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
  try {
    const good = join(dir, 'good.toml');
    writeFileSync(good, '[server]\nlisten = "127.0.0.1:9999"\n[limits]\nmax_body_bytes = 2048\n');
    let r = run(['check-config', '--config', good]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /configuration OK/);

    const typo = join(dir, 'typo.toml');
    writeFileSync(typo, '[server]\nlisten_on = "x"\n');
    r = run(['check-config', '--config', typo]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown config key server\.listen_on/);

    r = run(['check-config'], { PARLEY_LIMITS_MAX_BODY_BYTES: 'lots' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /PARLEY_LIMITS_MAX_BODY_BYTES/);

    r = run(['check-config', '--config', join(dir, 'missing.toml')]);
    assert.equal(r.status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('prod refuses default secrets and plain HTTP without a proxy', () => {
  let r = run(['check-config', '--profile', 'prod']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /auth\.secret/);
  r = run(['check-config', '--profile', 'prod'], { PARLEY_AUTH_SECRET: 'k'.repeat(40) });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /TLS/);
  r = run(['check-config', '--profile', 'prod'], { PARLEY_AUTH_SECRET: 'k'.repeat(40), PARLEY_SERVER_TRUSTED_PROXIES: '10.0.0.0/8' });
  assert.equal(r.status, 0, r.stderr);
});

test('unknown commands and flags are usage errors', () => {
  assert.equal(run(['frobnicate']).status, 2);
  assert.equal(run(['serve', '--bogus']).status, 2);
});
