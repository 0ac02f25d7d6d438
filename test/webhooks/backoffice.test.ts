import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import type { WebClient } from '../support/web-client.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { assertShows, expectRedirect, inputValue, signedInClient, visibleText } from '../backoffice/support.js';

/**
 * The webhooks pages of the back office with private addresses not allowed (the default):
 * adding (each refused address explained next to the field, the typed value kept, nothing
 * written), the secret shown once, rotate, pause and resume, delete after a confirmation, the
 * audit trail, CSRF, and who may see them at all.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

// A public address literal: accepted at registration without any DNS lookup; never contacted here.
const PUBLIC_URL = 'https://93.184.216.34/hooks/hallway';

for (const database of testDatabases) {
  describe(`back office: webhooks on ${database.name}`, () => {
    let app: RunningApp;
    let org: WebClient;
    let eventId: number;
    const page = () => `/manage/events/${eventId}/webhooks`;
    const webhookCount = async () =>
      (
        await app.db
          .selectFrom('webhooks')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('event_id', '=', eventId)
          .executeTakeFirstOrThrow()
      ).n;

    before(async () => {
      app = await startTestApp({ database, docs: [buildEventDoc({ slug: 'webhook-conf' })], webhookDispatcher: false });
      eventId = (await app.db.selectFrom('events').select('id').where('slug', '=', 'webhook-conf').executeTakeFirstOrThrow()).id;
      ({ client: org } = await signedInClient(app.url, app.db, 'Olga Organizer', {
        grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }],
      }));
    });
    after(async () => app?.close());

    test("the event's back office links to its webhooks, which start empty", async () => {
      const overview = await (await org.get(`/manage/events/${eventId}`)).text();
      assert.match(overview, new RegExp(`<a href="/manage/events/${eventId}/webhooks"[^>]*>Webhooks</a>`));
      const res = await org.get(page());
      assert.equal(res.status, 200);
      assertShows(await res.text(), 'No webhooks yet.');
    });

    test('a refused address is explained next to the field, the typed values are kept, and nothing is written', async () => {
      const cases: Array<[string, RegExp]> = [
        ['ftp://example.org/hook', /must be an http\(s\) URL/],
        ['not a url', /must be an http\(s\) URL/],
        ['', /is required/],
        ['http://127.0.0.1:8080/hook', /127\.0\.0\.1 is a loopback address, not a public one/],
        ['http://[::1]/hook', /::1 is a loopback address, not a public one/],
        ['http://10.1.2.3/hook', /10\.1\.2\.3 is a private address, not a public one/],
        ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254 is a link-local address, not a public one/],
        ['http://localhost:3000/hook', /localhost \((127\.0\.0\.1|::1)\) is a loopback address, not a public one/],
        ['https://user:pw@93.184.216.34/hook', /carries a user name or password/],
      ];
      for (const [url, message] of cases) {
        const res = await org.submit(page(), page(), { url, description: 'Typed <description>' });
        assert.equal(res.status, 422, url);
        const html = await res.text();
        const fieldError = /<p class="error" id="f-url-error">([^<]*)<\/p>/.exec(html);
        assert.ok(fieldError, `${url}: an error next to the URL field`);
        assert.match(fieldError[1]!.replace(/&#39;/g, "'"), message, url);
        assert.match(html, /class="error-summary" role="alert"/);
        assert.equal(inputValue(html, 'url'), url.replace(/&/g, '&amp;').replace(/</g, '&lt;'), `${url}: kept`);
        assert.equal(inputValue(html, 'description'), 'Typed &lt;description>');
      }
      assert.equal(await webhookCount(), 0);
    });

    test('a post without the CSRF token is refused and writes nothing', async () => {
      const res = await org.post(page(), { url: PUBLIC_URL });
      assert.equal(res.status, 403);
      assert.equal(await webhookCount(), 0);
    });

    test('adding shows the secret once; rotate shows a new one once; pause, resume and delete (after confirming) are audited', async () => {
      const added = await org.submit(page(), page(), { url: PUBLIC_URL, description: 'The website' });
      assert.equal(added.status, 200);
      const addedHtml = await added.text();
      assertShows(addedHtml, 'it is shown only this once');
      const secret = /<input id="webhook-secret"[^>]*value="([^"]+)"/.exec(addedHtml)?.[1];
      assert.ok(secret && /^[A-Za-z0-9_-]{43}$/.test(secret), `a 32-byte base64url secret, got ${secret}`);
      const row = await app.db.selectFrom('webhooks').selectAll().where('event_id', '=', eventId).executeTakeFirstOrThrow();
      assert.equal(row.secret, secret);
      assert.equal(row.url, PUBLIC_URL);
      assert.equal(row.description, 'The website');
      assert.equal(row.active, 1);
      const one = `${page()}/${row.id}`;

      const list = await (await org.get(page())).text();
      assertShows(list, PUBLIC_URL);
      assertShows(list, 'The website');
      assertShows(list, 'None yet');
      assert.ok(!list.includes(secret), 'the list never shows the secret');
      const detail = await (await org.get(one)).text();
      assertShows(detail, 'Nothing was sent yet.');
      assert.ok(!detail.includes(secret), 'the webhook page never shows the secret');

      const rotated = await org.submit(one, `${one}/rotate`, {});
      assert.equal(rotated.status, 200);
      const newSecret = /<input id="webhook-secret"[^>]*value="([^"]+)"/.exec(await rotated.text())?.[1];
      assert.ok(newSecret && newSecret !== secret);
      assert.equal((await app.db.selectFrom('webhooks').select('secret').where('id', '=', row.id).executeTakeFirstOrThrow()).secret, newSecret);
      assert.ok(!(await (await org.get(one)).text()).includes(newSecret));

      await expectRedirect(await org.submit(one, `${one}/pause`, {}), one);
      const paused = await (await org.get(one)).text();
      assertShows(paused, `Webhook paused: nothing goes to ${PUBLIC_URL} until you resume it.`);
      assertShows(paused, 'Resume deliveries');
      assert.equal((await app.db.selectFrom('webhooks').select('active').where('id', '=', row.id).executeTakeFirstOrThrow()).active, 0);
      await expectRedirect(await org.submit(one, `${one}/resume`, {}), one);
      assert.equal((await app.db.selectFrom('webhooks').select('active').where('id', '=', row.id).executeTakeFirstOrThrow()).active, 1);

      const confirm = await org.get(`${one}/delete`);
      assert.equal(confirm.status, 200);
      const confirmHtml = await confirm.text();
      assertShows(confirmHtml, `Delete the webhook to ${PUBLIC_URL}?`);
      assert.equal(await webhookCount(), 1, 'asking is not deleting');
      await expectRedirect(await org.submit(`${one}/delete`, `${one}/delete`, {}), page());
      assert.equal(await webhookCount(), 0);
      assertShows(await (await org.get(page())).text(), 'Webhook deleted, with its delivery log.');
      assert.equal((await org.get(one)).status, 404);

      const audit = await app.db
        .selectFrom('audit_log')
        .select(['action', 'actor_label'])
        .where('event_id', '=', eventId)
        .where('entity_type', '=', 'webhook')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['webhook.created', 'webhook.secret_rotated', 'webhook.paused', 'webhook.resumed', 'webhook.deleted'],
      );
      assert.ok(audit.every((a) => a.actor_label === 'Olga Organizer'));
      const version = (await app.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
      assert.equal(version, 1, 'webhook changes never bump the programme version (which would trigger a delivery)');
    });

    test('people who do not organise the event get 403 and cannot add webhooks; another event’s webhook is 404 here', async () => {
      const { client: volunteer } = await signedInClient(app.url, app.db, 'Vic Volunteer', {
        grants: [{ scope: 'event', scopeId: eventId, role: 'volunteer', trackIds: [] }],
      });
      const { client: stranger } = await signedInClient(app.url, app.db, 'Sam Stranger');
      for (const client of [volunteer, stranger]) {
        assert.equal((await client.get(page())).status, 403);
        const res = await client.submit('/manage', page(), { url: PUBLIC_URL });
        assert.equal(res.status, 403);
      }
      assert.equal(await webhookCount(), 0);

      // An organizer of this event asking for a webhook of another event through this event's address.
      const other = await app.db.selectFrom('communities').select('id').executeTakeFirstOrThrow();
      const now = new Date().toISOString();
      const otherEvent = await app.db
        .insertInto('events')
        .values({
          community_id: other.id,
          slug: 'other-conf',
          kind: 'meetup',
          title: 'Other',
          acronym: '',
          time_zone: 'UTC',
          start_date: '2027-01-01',
          end_date: '2027-01-01',
          capacity: null,
          venue_url: null,
          code_of_conduct_url: null,
          url: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const foreign = await app.db
        .insertInto('webhooks')
        .values({
          event_id: otherEvent.id,
          url: PUBLIC_URL,
          secret: 'other-secret',
          disabled_reason: null,
          next_attempt_at: null,
          claimed_at: null,
          created_by: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      assert.equal((await org.get(`${page()}/${foreign.id}`)).status, 404);
      assert.equal((await org.submit(page(), `${page()}/${foreign.id}/delete`, {})).status, 404);
      assert.equal((await org.get(`/manage/events/${otherEvent.id}/webhooks`)).status, 403);
      assert.ok(await app.db.selectFrom('webhooks').select('id').where('id', '=', foreign.id).executeTakeFirst(), 'still there');
      assert.ok(!visibleText(await (await org.get(page())).text()).includes('other-secret'));
    });
  });
}
