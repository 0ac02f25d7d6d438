import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { buildApp, type HallwayApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/database.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { sqliteDatabase } from '../support/databases.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';
import { buildEventDoc } from '../factories/event-doc.js';

/*
 * Logs (issue 19): one JSON line per request (method, route pattern, status, duration, request
 * id), the request id returned as X-Request-Id (a sane incoming one kept, anything else replaced
 * by a new one) and written with any error logged while answering.
 */

let hallway: HallwayApp;
let db: Db;
let drop: () => Promise<void>;
let base: string;
const lines: Record<string, unknown>[] = [];

before(async () => {
  const created = await sqliteDatabase.create({ migrated: true });
  drop = created.drop;
  db = createDb(created.config);
  await importEventDocument(moduleContext(db), TEST_OPERATOR, buildEventDoc());
  const config = loadConfig({}, { database: created.config, port: 0, host: '127.0.0.1' });
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  hallway = await buildApp(config, { db, migrate: false, webhookDispatcher: false, mailSender: false, logger: { level: 'info', stream } });
  await hallway.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(hallway.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await hallway?.close();
  await db?.destroy();
  await drop?.();
});

/** The log lines written for the request with this id. */
const linesOf = (id: string) => lines.filter((l) => l.requestId === id);

test('one JSON line per request, with method, route pattern, status, duration and the request id it answered with', async () => {
  const r = await fetch(`${base}/events/testconf-2027?utm=1`);
  assert.equal(r.status, 200);
  const id = r.headers.get('x-request-id');
  assert.match(id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-/, 'a generated UUID');
  const mine = linesOf(id!);
  assert.equal(mine.length, 1, JSON.stringify(mine));
  const [line] = mine;
  assert.equal(line!.msg, 'request');
  assert.equal(line!.method, 'GET');
  assert.equal(line!.route, '/events/:slug');
  assert.equal(line!.status, 200);
  assert.equal(typeof line!.durationMs, 'number');
  assert.ok(!JSON.stringify(lines).includes('incoming request'), "Fastify's own two lines are off");
});

test('a request no route matches gets its one line too (route "unmatched", no URL)', async () => {
  const r = await fetch(`${base}/no/such/page?token=secret-4711`);
  assert.equal(r.status, 404);
  const mine = linesOf(r.headers.get('x-request-id')!);
  assert.equal(mine.length, 1, JSON.stringify(mine));
  assert.equal(mine[0]!.route, 'unmatched');
  assert.equal(mine[0]!.status, 404);
  assert.ok(!JSON.stringify(lines).includes('secret-4711'), 'the URL is not logged');
});

test('a sane incoming X-Request-Id is kept; anything else is replaced by a new id', async () => {
  const kept = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'proxy-4f1c2a9e.17' } });
  assert.equal(kept.headers.get('x-request-id'), 'proxy-4f1c2a9e.17');
  assert.equal(linesOf('proxy-4f1c2a9e.17').length, 1);
  for (const bad of ['has space', 'x'.repeat(129), '<script>', 'a\tb']) {
    const r = await fetch(`${base}/healthz`, { headers: { 'x-request-id': bad } });
    const id = r.headers.get('x-request-id');
    assert.notEqual(id, bad);
    assert.match(id ?? '', /^[0-9a-f-]{36}$/);
  }
});

test('an error logged while answering carries the request id, and the 500 has its line too', async () => {
  // Breaks the home page's query for a moment: the answer is a 500, its error logged.
  await sql`alter table communities rename to communities_away`.execute(db);
  try {
    const r = await fetch(`${base}/`, { headers: { 'x-request-id': 'trace-500' } });
    assert.equal(r.status, 500);
    assert.equal(r.headers.get('x-request-id'), 'trace-500');
  } finally {
    await sql`alter table communities_away rename to communities`.execute(db);
  }
  const mine = linesOf('trace-500');
  const error = mine.find((l) => l.msg === 'unhandled error');
  assert.ok(error, `the error line carries the id: ${JSON.stringify(mine)}`);
  assert.ok((error!.err as { message?: string }).message, 'with the error');
  const request = mine.filter((l) => l.msg === 'request');
  assert.equal(request.length, 1);
  assert.equal(request[0]!.status, 500);
  assert.equal(request[0]!.level, 50, 'logged as an error');
});
