import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { updateSession } from '../../src/modules/program/session.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { organizerOf } from '../agenda/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { WebClient } from '../support/web-client.js';
import { mainText } from './support.js';
import { moduleContext, releaseDraft } from '../support/module-context.js';

const EV = '/events/testconf-2027';

/*
 * My agenda in the browser pages: a starred talk moved by the organizers shows at the top with
 * where and when it is now and what it was, and on its own line; "Mark as seen" clears it.
 */
describe('my agenda tells what moved since it was starred', () => {
  let app: RunningApp;
  let ann: TestUser;

  before(async () => {
    app = await startTestApp({ docs: [buildEventDoc()] });
    ann = await createTestUser(app.db, { email: 'ann@example.org', displayName: 'Ann Attendee' });
  });
  after(async () => {
    await app?.close();
  });

  test('a moved talk is reported with its new and old time until marked as seen', async () => {
    const c = WebClient.signedIn(app.url, ann.sessionCookie);
    const star = `${EV}/sessions/keynote/star?next=${encodeURIComponent(`${EV}/my-agenda`)}`;
    assert.equal((await c.submit(star, `${EV}/sessions/keynote/star`, { next: `${EV}/my-agenda` })).status, 303);
    assert.doesNotMatch(mainText(await (await c.get(`${EV}/my-agenda`)).text()), /changed since you starred/);

    const event = await app.db.selectFrom('events').select('id').where('slug', '=', 'testconf-2027').executeTakeFirstOrThrow();
    const keynote = await app.db.selectFrom('sessions').select('id').where('event_id', '=', event.id).where('code', '=', 'keynote').executeTakeFirstOrThrow();
    await updateSession(moduleContext(app.db), await organizerOf(app.db, event.id), event.id, keynote.id, { start: '2027-04-16T11:00' });
    assert.doesNotMatch(mainText(await (await c.get(`${EV}/my-agenda`)).text()), /changed since you starred/, 'a draft move is not public yet');
    await releaseDraft(app.db, event.id);

    const text = mainText(await (await c.get(`${EV}/my-agenda`)).text());
    assert.match(text, /1 starred session changed since you starred it/);
    assert.match(text, /The Keynote now Fri 16 Apr 11:00 in Main Hall\. Moved since you starred it: it was Thu 15 Apr 09:15\./);
    assert.match(text, /The Keynote Moved/, 'the line in the day list is badged');

    const seen = await c.submit(`${EV}/my-agenda`, `${EV}/my-agenda/seen`, {});
    assert.equal(seen.status, 303);
    const after = mainText(await (await c.get(seen.headers.get('location')!)).text());
    assert.match(after, /Noted: changes are marked as seen\./);
    assert.doesNotMatch(after, /changed since you starred|Moved since you starred/);
    assert.match(after, /The Keynote/, 'the star itself stays');
  });

  test('marking as seen needs a signed-in person and a CSRF token', async () => {
    const anonymous = await new WebClient(app.url).post(`${EV}/my-agenda/seen`, {});
    assert.notEqual(anonymous.status, 200);
    assert.ok([303, 403].includes(anonymous.status), `anonymous: ${anonymous.status}`);
    const noToken = await WebClient.signedIn(app.url, ann.sessionCookie).post(`${EV}/my-agenda/seen`, {});
    assert.equal(noToken.status, 403);
  });
});
