import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import { WebClient } from '../support/web-client.js';
import { createTestUser } from '../factories/users.js';
import { PAYLOADS, executableForms, xssDoc } from '../web/hostile.js';
import { visibleText } from '../web/support.js';
import { publishEvent, unpublishEvent } from '../../src/modules/events/event-state.actions.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';

/**
 * The back office and the account pages show what organizers, speakers and attendees typed:
 * every page of an event whose every field carries an XSS payload, seen by its organizer, must
 * show the payloads as text and contain nothing executable (forms are expected here; scripts
 * only our own, attributes never event handlers, URLs only http(s) or same-site).
 */
describe('back-office and account pages with hostile content', () => {
  let app: RunningApp;
  let client: WebClient;
  let eventId: number;

  before(async () => {
    app = await startTestApp({ docs: [xssDoc()] });
    const event = await app.db.selectFrom('events').select(['id', 'community_id']).where('slug', '=', 'xss-conf').executeTakeFirstOrThrow();
    eventId = event.id;
    const organizer = await createTestUser(app.db, {
      email: 'org@example.org',
      displayName: `Org ${PAYLOADS[0]}`,
      grants: [{ scope: 'community', scopeId: event.community_id, role: 'owner', trackIds: [] }],
    });
    client = WebClient.signedIn(app.url, organizer.sessionCookie);
    // Unpublish and publish again so the audit log holds entries naming the hostile title.
    const user = await app.db.selectFrom('users').selectAll().where('id', '=', organizer.id).executeTakeFirstOrThrow();
    const actor = await actorFor(app.db, user);
    await unpublishEvent(app.db, actor, eventId);
    await publishEvent(app.db, actor, eventId);
  });
  after(async () => {
    await app?.close();
  });

  async function paths(): Promise<string[]> {
    const ids = async (table: 'rooms' | 'tracks' | 'sponsors' | 'speakers' | 'sessions') =>
      (await app.db.selectFrom(table).select('id').where('event_id', '=', eventId).orderBy('id').limit(4).execute()).map((r) => r.id);
    const base = `/manage/events/${eventId}`;
    return [
      '/manage',
      '/account',
      '/account/tokens',
      base,
      `${base}/edit`,
      `${base}/hosts`,
      `${base}/team`,
      `${base}/audit`,
      `${base}/rooms`,
      `${base}/tracks`,
      `${base}/sponsors`,
      `${base}/speakers`,
      `${base}/sessions`,
      `${base}/sessions/new`,
      ...(await ids('rooms')).map((id) => `${base}/rooms/${id}`),
      ...(await ids('tracks')).map((id) => `${base}/tracks/${id}`),
      ...(await ids('sponsors')).map((id) => `${base}/sponsors/${id}`),
      ...(await ids('speakers')).map((id) => `${base}/speakers/${id}`),
      ...(await ids('sessions')).map((id) => `${base}/sessions/${id}`),
    ];
  }

  test('no back-office or account page has an executable form of any payload', async () => {
    const all = await paths();
    assert.ok(all.length > 25);
    for (const path of all) {
      const res = await client.get(path);
      const html = await res.text();
      assert.equal(res.status, 200, path);
      assert.deepEqual(executableForms(html), [], `${path} is unsafe`);
    }
  });

  test('hostile names are shown as text where organizers read them', async () => {
    const sessions = visibleText(await (await client.get(`/manage/events/${eventId}/sessions`)).text());
    for (let i = 0; i < PAYLOADS.length; i++) assert.ok(sessions.includes(`Talk ${i} ${PAYLOADS[i]}`), `session ${i} title as text`);
    const account = visibleText(await (await client.get('/account')).text());
    assert.ok(account.includes(`Org ${PAYLOADS[0]}`), 'the display name is shown as text');
  });
});
