import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import type { WebClient } from '../support/web-client.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { eventIdOf, person, rsvpRow, textOf } from './support.js';

/**
 * Issue 17's first two defects, as people met them on a meetup: one capacity shown the same on
 * the public page, in the API and on the RSVP page whoever changed it; and a party asking for
 * more seats than are left is told exactly that, with the choice to come with fewer guests.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const SLUG = 'party-2027';

for (const database of testDatabases) {
  describe(`one capacity and parties on ${database.name}`, () => {
    let app: RunningApp;
    let eventId: number;
    let org: WebClient;
    const people: Record<string, { id: number; web: WebClient }> = {};
    const reg = (sub = '') => `/manage/events/${eventId}/registration${sub ? `/${sub}` : ''}`;
    const publicSeats = async () => {
      const page = textOf(await (await app.get(`/events/${SLUG}`)).text());
      const api = (await (await app.get(`/api/v1/events/${SLUG}`)).json()) as { data: { capacity: number | null } };
      return { page, api: api.data.capacity };
    };

    before(async () => {
      app = await startTestApp({ database, docs: [buildEventDoc({ slug: SLUG, event: { capacity: 60 } })] });
      eventId = await eventIdOf(app.db, SLUG);
      org = (await person(app.db, app.url, 'Olga', [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }])).web;
      for (const name of ['Alice', 'Bob', 'Carol']) {
        const p = await person(app.db, app.url, name);
        people[name] = { id: p.user.id, web: p.web };
      }
      const guests = await org.submit(reg(), reg('settings'), { guestLimit: '2' });
      assert.equal(guests.status, 303, await guests.text());
    });
    after(async () => app?.close());

    test('the capacity set on the registration page is the one the public page, the API and the RSVP page show', async () => {
      assert.match((await publicSeats()).page, /60 seats/);
      const res = await org.submit(reg(), reg('capacity'), { capacity: '3' });
      assert.equal(res.status, 303, await res.text());
      const seats = await publicSeats();
      assert.match(seats.page, /3 seats/);
      assert.doesNotMatch(seats.page, /60 seats/);
      assert.equal(seats.api, 3);
      assert.match(textOf(await (await people.Carol!.web.get(`/events/${SLUG}/rsvp`)).text()), /3 seats left of 3/);
    });

    test('a party asking for more seats than are left hears how many are left, keeps its place, and can come with fewer guests', async () => {
      const alice = await people.Alice!.web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '1' });
      assert.equal(alice.status, 303, await alice.text());
      const bob = people.Bob!.web;
      const asked = await bob.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '1' });
      assert.equal(asked.status, 303);
      const page = await (await bob.get(`/events/${SLUG}/rsvp`)).text();
      const text = textOf(page);
      assert.match(text, /1 seat left; you asked for 2 \(you and 1 guest\)\. You're number 1 on the waitlist for 2 seats/);
      assert.match(text, /someone needing fewer seats may take the free ones/);
      assert.match(text, /1 seat left of 3/, 'the seat line agrees');
      assert.match(page, /<button type="submit">Come alone: take the free seat now<\/button>/);
      assert.equal((await rsvpRow(app.db, eventId, people.Bob!.id))!.status, 'waitlisted');

      const alone = await bob.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '0' });
      assert.equal(alone.status, 303, await alone.text());
      const row = (await rsvpRow(app.db, eventId, people.Bob!.id))!;
      assert.deepEqual([row.status, row.guests], ['going', 0]);
      assert.match(textOf(await (await bob.get(`/events/${SLUG}/rsvp`)).text()), /You're going\./);
      assert.match((await publicSeats()).page, /3 seats/);
    });

    test('once people have answered, the event form refuses to change the capacity and says where to; nothing changes', async () => {
      const edit = `/manage/events/${eventId}/edit`;
      const refused = await org.submit(edit, edit, { capacity: '2' });
      assert.equal(refused.status, 422);
      assert.match(textOf(await refused.text()), /people have answered the RSVP: change the capacity on the Registration page, which moves the waitlist/);
      assert.equal((await app.db.selectFrom('events').select('capacity').where('id', '=', eventId).executeTakeFirstOrThrow()).capacity, 3);
      assert.equal((await rsvpRow(app.db, eventId, people.Alice!.id))!.status, 'going');
    });
  });
}
