import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fixedClock } from '../../src/lib/clock.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser } from '../factories/users.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { cancelRsvp, rsvp } from '../../src/modules/registration/rsvp.actions.js';
import { registrationContext } from '../../src/modules/registration/rsvp.queries.js';

/*
 * GET /metrics (issue 19): off unless configured; with METRICS_TOKEN a bearer token is required
 * (401 in the one error shape otherwise); with METRICS_ADDRESS it is served only on its own
 * listener. The real output passes `promtool check metrics` (Debian's prometheus package), and
 * the counters move with the requests made.
 */

const TOKEN = 'metrics-token-0123456789abcdef';
const NOW = '2027-03-01T12:00:00Z';

/** The value of one sample (`name{labels} value`), or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

function promtool(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool could not run (apt-get install prometheus): ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('/metrics with METRICS_TOKEN', () => {
  let app: RunningApp;
  const scrape = async () => {
    const r = await app.get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return r.text();
  };
  before(async () => {
    app = await startTestApp({ docs: [buildEventDoc()], env: { METRICS_TOKEN: TOKEN }, webhookDispatcher: false, clock: fixedClock(NOW) });
  });
  after(async () => app?.close());

  test('without the token, or with a wrong one: 401 in the one error shape, nothing else', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-0123456789abcdef' },
      { authorization: `Basic ${TOKEN}` },
      { authorization: `Bearer ${TOKEN}x` },
    ];
    for (const headers of attempts) {
      const r = await app.get('/metrics', { headers });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="metrics"');
      const body = (await r.json()) as { error: { code: string; status: number; problems: unknown[] } };
      assert.equal(body.error.code, 'UNAUTHENTICATED');
      assert.equal(body.error.status, 401);
      assert.deepEqual(body.error.problems, []);
    }
  });

  test('the output passes promtool check metrics, with process and Hallway metrics', async () => {
    await app.get('/events/testconf-2027');
    const text = await scrape();
    const checked = promtool(text);
    assert.equal(checked.status, 0, checked.output);
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
      'hallway_http_requests_total',
      'hallway_http_request_duration_seconds_bucket',
      'hallway_db_query_duration_seconds_bucket',
      'hallway_response_cache_lookups_total',
      'hallway_mail_outbox_messages',
      'hallway_mail_outbox_oldest_unsent_age_seconds',
      'hallway_webhook_delivery_lag_seconds',
      'hallway_webhook_deliveries_total',
      'hallway_live_connections',
      'hallway_rsvp_seats_taken',
      'hallway_rsvp_waitlisted',
      'hallway_waitlist_promotions_total',
    ]) {
      assert.match(text, new RegExp(`^${name}[ {]`, 'm'), `${name} is exported`);
    }
  });

  test('request counters and latency move, labelled by route pattern and status, never the raw URL', async () => {
    const before = await scrape();
    const series = 'hallway_http_requests_total{method="GET",route="/events/:slug",status="200"}';
    const hist = 'hallway_http_request_duration_seconds_count{method="GET",route="/events/:slug",status="200"}';
    const missing = 'hallway_http_requests_total{method="GET",route="unmatched",status="404"}';
    for (let i = 0; i < 3; i++) assert.equal((await app.get('/events/testconf-2027')).status, 200);
    assert.equal((await app.get('/no/such/page-with-a-unique-name-4711')).status, 404);
    const after = await scrape();
    assert.equal((sample(after, series) ?? 0) - (sample(before, series) ?? 0), 3);
    assert.equal((sample(after, hist) ?? 0) - (sample(before, hist) ?? 0), 3);
    assert.equal((sample(after, missing) ?? 0) - (sample(before, missing) ?? 0), 1);
    assert.ok(!after.includes('page-with-a-unique-name-4711'), 'the raw URL is no label');
    assert.ok(!after.includes('testconf-2027'), 'nor is the slug');
  });

  test('database time and response-cache lookups move', async () => {
    const before = await scrape();
    const selects = 'hallway_db_query_duration_seconds_count{kind="select"}';
    const hits = 'hallway_response_cache_lookups_total{result="hit"}';
    await app.get('/events/testconf-2027/speakers');
    await app.get('/events/testconf-2027/speakers');
    const after = await scrape();
    assert.ok((sample(after, selects) ?? 0) > (sample(before, selects) ?? 0), 'select statements were timed');
    assert.ok((sample(after, hits) ?? 0) >= (sample(before, hits) ?? 0) + 1, 'the second request was a cache hit');
  });

  test('the outbox, RSVP and webhook gauges read the database at scrape time', async () => {
    // Queued an hour before the test clock's now: the oldest unsent mail is 3,600 s old.
    await app.db
      .insertInto('mail_outbox')
      .values({ to_address: 'a@example.org', subject: 'Hi', text_body: 'x', html_body: null, status: 'queued', created_at: '2027-03-01T11:00:00Z' })
      .execute();
    await app.db
      .insertInto('mail_outbox')
      .values({ to_address: 'b@example.org', subject: 'Hi', text_body: 'x', html_body: null, status: 'sent', created_at: '2027-03-01T10:00:00Z' })
      .execute();
    const text = await scrape();
    assert.equal(sample(text, 'hallway_mail_outbox_messages{status="queued"}'), 1);
    assert.equal(sample(text, 'hallway_mail_outbox_oldest_unsent_age_seconds'), 3600);
    assert.equal(sample(text, 'hallway_webhook_endpoints_pending'), 0);
    assert.equal(sample(text, 'hallway_rsvp_waitlisted'), 0);
  });

  test('RSVPs, the waitlist and promotions from it move the RSVP metrics', async () => {
    const db = app.db;
    const { id: eventId } = await db.selectFrom('events').select('id').where('slug', '=', 'testconf-2027').executeTakeFirstOrThrow();
    // One seat: the event's one capacity (events.capacity).
    await db.updateTable('events').set({ capacity: 1 }).where('id', '=', eventId).execute();
    await db
      .insertInto('registration_settings')
      .values({ event_id: eventId, opens_at: null, closes_at: null, closed_at: null, created_at: NOW, updated_at: NOW })
      .execute();
    const ctx = await registrationContext(db, app.hallway.ctx.config, app.hallway.ctx.clock);
    const actor = async (email: string): Promise<Actor> => {
      const u = await createTestUser(db, { email });
      return { userId: u.id, displayName: email, isAdmin: false, emailVerified: true, grants: [] };
    };
    const [first, second] = [await actor('first@example.org'), await actor('second@example.org')];
    await rsvp(db, ctx, first, eventId, { attending: true });
    await rsvp(db, ctx, second, eventId, { attending: true });
    const before = await scrape();
    assert.equal(sample(before, 'hallway_rsvp_seats_taken'), 1);
    assert.equal(sample(before, 'hallway_rsvp_waitlisted'), 1);
    await cancelRsvp(db, ctx, first, eventId);
    const after = await scrape();
    assert.equal((sample(after, 'hallway_waitlist_promotions_total') ?? 0) - (sample(before, 'hallway_waitlist_promotions_total') ?? 0), 1);
    assert.equal(sample(after, 'hallway_rsvp_seats_taken'), 1);
    assert.equal(sample(after, 'hallway_rsvp_waitlisted'), 0);
  });
});

test('without METRICS_TOKEN or METRICS_ADDRESS, /metrics is off (404)', async () => {
  const app = await startTestApp({ webhookDispatcher: false });
  try {
    const r = await app.get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 404);
    assert.equal(app.hallway.metrics, undefined);
    assert.equal(await app.hallway.listenMetrics(), undefined);
  } finally {
    await app.close();
  }
});

test('with METRICS_ADDRESS, /metrics is served on that address only (and needs the token when one is set)', async () => {
  const app = await startTestApp({ webhookDispatcher: false, env: { METRICS_ADDRESS: '127.0.0.1:0' } });
  try {
    assert.equal((await app.get('/metrics')).status, 404, 'not on the public port');
    const url = await app.hallway.listenMetrics();
    assert.ok(url, 'the separate listener started');
    const r = await fetch(url);
    assert.equal(r.status, 200);
    const checked = promtool(await r.text());
    assert.equal(checked.status, 0, checked.output);
    const other = await fetch(url.replace('/metrics', '/events'));
    assert.equal(other.status, 404);
    assert.equal(((await other.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  } finally {
    await app.close();
  }
  const guarded = await startTestApp({ webhookDispatcher: false, env: { METRICS_ADDRESS: '127.0.0.1:0', METRICS_TOKEN: TOKEN } });
  try {
    const url = (await guarded.hallway.listenMetrics())!;
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
    assert.equal((await guarded.get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404, 'still not on the public port');
  } finally {
    await guarded.close();
  }
});
