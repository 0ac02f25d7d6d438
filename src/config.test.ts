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
