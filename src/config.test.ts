import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.js';

test('defaults serve on port 3000 with SQLite in ./data', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.database.kind, 'sqlite');
  assert.match(c.database.kind === 'sqlite' ? c.database.filename : '', /data\/hallway\.sqlite$/);
  assert.equal(c.baseUrl, 'http://localhost:3000');
  assert.ok(Object.isFrozen(c));
});

test('PORT, DATABASE_URL and BASE_URL are read and normalised', () => {
  const c = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@db:5432/hallway', BASE_URL: 'https://conf.example.org/' });
  assert.equal(c.port, 8080);
  assert.deepEqual(c.database, { kind: 'postgres', url: 'postgres://u@db:5432/hallway' });
  assert.equal(c.baseUrl, 'https://conf.example.org');
});

test('invalid settings stop start-up with every bad variable named', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', BASE_URL: 'not a url', LOG_LEVEL: 'loud' }),
    (err: ConfigError) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(
        err.problems.map((p) => p.split(':')[0]),
        ['PORT', 'DATABASE_URL', 'BASE_URL', 'LOG_LEVEL'],
      );
      assert.match(err.message, /DATABASE_URL: must start with sqlite:/);
      return true;
    },
  );
});

test('WEBHOOK_ALLOW_PRIVATE_URLS is off by default, true/1 turn it on, anything else stops start-up', () => {
  assert.equal(loadConfig({}).webhookAllowPrivateUrls, false);
  assert.equal(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }).webhookAllowPrivateUrls, true);
  assert.equal(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: '1' }).webhookAllowPrivateUrls, true);
  assert.equal(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'false' }).webhookAllowPrivateUrls, false);
  assert.throws(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'yes' }), /WEBHOOK_ALLOW_PRIVATE_URLS: must be true or false/);
});

test('metrics are off by default; METRICS_TOKEN and METRICS_ADDRESS are checked', () => {
  assert.deepEqual(loadConfig({}).metrics, { token: undefined, address: undefined });
  const c = loadConfig({ METRICS_TOKEN: 'a'.repeat(32), METRICS_ADDRESS: '127.0.0.1:9464' });
  assert.equal(c.metrics.token, 'a'.repeat(32));
  assert.deepEqual(c.metrics.address, { host: '127.0.0.1', port: 9464 });
  assert.deepEqual(loadConfig({ METRICS_ADDRESS: '[::1]:9464' }).metrics.address, { host: '::1', port: 9464 });
  for (const [env, name] of [
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ METRICS_TOKEN: 'has a space in it, sixteen+' }, 'METRICS_TOKEN'],
    [{ METRICS_ADDRESS: '9464' }, 'METRICS_ADDRESS'],
    [{ METRICS_ADDRESS: 'localhost:99999' }, 'METRICS_ADDRESS'],
    [{ METRICS_ADDRESS: 'http://127.0.0.1:9464' }, 'METRICS_ADDRESS'],
  ] as const) {
    assert.throws(
      () => loadConfig(env),
      (err: ConfigError) => err.problems.length === 1 && err.problems[0]!.startsWith(`${name}:`),
    );
  }
});

test('scheduled backups are off without BACKUP_DIR; interval and retention are checked', () => {
  assert.equal(loadConfig({}).backups, undefined);
  const c = loadConfig({ BACKUP_DIR: '/var/backups/hallway' });
  assert.deepEqual(c.backups, { dir: '/var/backups/hallway', intervalHours: 24, keep: 7 });
  assert.deepEqual(loadConfig({ BACKUP_DIR: 'b', BACKUP_INTERVAL_HOURS: '0.5', BACKUP_KEEP: '30' }).backups?.keep, 30);
  for (const env of [{ BACKUP_INTERVAL_HOURS: '0' }, { BACKUP_INTERVAL_HOURS: 'daily' }, { BACKUP_KEEP: '0' }, { BACKUP_KEEP: '2.5' }]) {
    assert.throws(
      () => loadConfig({ BACKUP_DIR: 'b', ...env }),
      (err: ConfigError) => err.problems.length === 1 && err.problems[0]!.startsWith(Object.keys(env)[0]!),
    );
  }
});
