import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import { createTestUser } from '../factories/users.js';
import { buildEventDoc } from '../factories/event-doc.js';

/**
 * Real private data next to the public programme: speakers linked to accounts with e-mail
 * addresses, and an organizer account. No public page, export or public API answer may contain
 * an e-mail address of theirs (the sponsor's public contact mailto is not in this event).
 */
describe('private fields never reach public pages, exports or the public API', () => {
  let app: RunningApp;
  const doc = buildEventDoc();
  const emails = ['ada.private@example.org', 'grace.private@example.org', 'organizer.private@example.org'];

  before(async () => {
    app = await startTestApp({ docs: [doc] });
    const event = await app.db.selectFrom('events').select(['id', 'community_id']).where('slug', '=', doc.event.slug).executeTakeFirstOrThrow();
    for (const [i, code] of (['ada', 'grace'] as const).entries()) {
      const user = await createTestUser(app.db, { email: emails[i]!, displayName: `Private ${code}` });
      await app.db.updateTable('speakers').set({ user_id: user.id }).where('event_id', '=', event.id).where('code', '=', code).execute();
    }
    await createTestUser(app.db, { email: emails[2]!, grants: [{ scope: 'event', scopeId: event.id, role: 'organizer', trackIds: [] }] });
  });
  after(async () => {
    await app?.close();
  });

  test('every public page, export and API answer is free of the accounts’ addresses', async () => {
    const slug = doc.event.slug;
    const speakerCodes = doc.speakers!.map((s) => s.code);
    const sessionCodes = doc.sessions!.map((s) => s.code);
    const paths = [
      '/',
      `/events/${slug}`,
      `/events/${slug}/schedule`,
      `/events/${slug}/schedule?view=list`,
      `/events/${slug}/speakers`,
      ...speakerCodes.map((c) => `/events/${slug}/speakers/${c}`),
      ...sessionCodes.map((c) => `/events/${slug}/sessions/${c}`),
      ...sessionCodes.map((c) => `/events/${slug}/sessions/${c}.ics`),
      `/events/${slug}/schedule.xml`,
      `/events/${slug}/schedule.json`,
      `/events/${slug}/schedule.ics`,
      '/api/v1/events',
      `/api/v1/events/${slug}`,
      `/api/v1/events/${slug}/sessions`,
      `/api/v1/events/${slug}/speakers`,
      `/api/v1/events/${slug}/export`,
    ];
    let checked = 0;
    for (const path of paths) {
      const res = await app.get(path);
      const body = await res.text();
      if (res.status === 404) continue; // e.g. a break has no page of its own
      assert.equal(res.status, 200, path);
      for (const email of emails) assert.ok(!body.includes(email), `${path} leaks ${email}`);
      assert.ok(!/Private (ada|grace)/.test(body), `${path} leaks an account's display name`);
      checked++;
    }
    assert.ok(checked >= 20, `checked ${checked} answers`);
  });
});
