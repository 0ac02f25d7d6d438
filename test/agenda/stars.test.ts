import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { renderSessionsCalendar } from '../../src/formats/ical.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { getCalendarFeedStatus, loadCalendarFeed, regenerateCalendarFeed, revokeCalendarFeed } from '../../src/modules/agenda/calendar-feed.actions.js';
import { getInterestCounts, getMyAgenda } from '../../src/modules/agenda/agenda.queries.js';
import { setInterestCountsShown, starSession, unstarSession } from '../../src/modules/agenda/star.actions.js';
import { unpublishEvent, publishEvent } from '../../src/modules/schedule/publication.actions.js';
import { cancelSession } from '../../src/modules/program/session-state.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { importConference, newActor, organizerOf, rejectsWith, useDatabase } from './support.js';
import { moduleContext, releaseDraft } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/**
 * A two-day event over the spring daylight-saving change (Europe/Amsterdam, 2027-03-28 02:00 CET
 * → 03:00 CEST) with a 04:00 day change, so the night's sessions belong to the first day.
 */
function dstConference() {
  return buildEventDoc({
    slug: 'dstconf',
    event: { title: 'DST Conf', startDate: '2027-03-27', endDate: '2027-03-28' },
    sessions: [
      { code: 'morning', title: 'Morning', room: 'Main Hall', start: '2027-03-27T10:00', durationMinutes: 60 },
      { code: 'clash', title: 'Clash', room: 'Side Room', start: '2027-03-27T10:30', durationMinutes: 60 },
      { code: 'long', title: 'Long Workshop', kind: 'workshop', room: 'Side Room', start: '2027-03-27T11:45', durationMinutes: 105 },
      { code: 'filler', title: 'Filler', room: 'Main Hall', start: '2027-03-27T12:00', durationMinutes: 30 },
      { code: 'coffee', title: 'Coffee', kind: 'break', room: null, start: '2027-03-27T12:30', durationMinutes: 15 },
      { code: 'afternoon', title: 'Afternoon', room: 'Main Hall', start: '2027-03-27T13:00', durationMinutes: 60 },
      // 00:30 CET = 23:30Z; ends 00:30Z = 01:30 CET.
      { code: 'late', title: 'Late Talk', room: 'Side Room', start: '2027-03-28T00:30', durationMinutes: 60 },
      // 01:45 CET = 00:45Z – 01:15Z.
      { code: 'between', title: 'Between', room: 'Main Hall', start: '2027-03-28T01:45', durationMinutes: 30 },
      // 03:00 CEST = 01:00Z – 01:30Z (ends exactly when "owl" starts).
      { code: 'tricky', title: 'Tricky', room: 'Side Room', start: '2027-03-28T03:00', durationMinutes: 30 },
      // 03:30 CEST = 01:30Z: one real hour after "late" ended at 01:30 CET (two on the wall clock).
      { code: 'owl', title: 'Night Owl', room: 'Main Hall', start: '2027-03-28T03:30', durationMinutes: 20 },
      { code: 'daytwo', title: 'Day Two', room: 'Main Hall', start: '2027-03-28T10:00', durationMinutes: 30 },
    ],
  });
}

for (const database of testDatabases) {
  describe(`stars, my agenda, interest counts and calendar feed on ${database.name}`, () => {
    const ctx = useDatabase(database);
    let eventId: number;
    let ids: Record<string, number>;
    let ann: Actor;
    let bob: Actor;

    before(async () => {
      ({ eventId, ids } = await importConference(ctx.db, dstConference()));
      ann = await newActor(ctx.db, 'Ann Attendee');
      bob = await newActor(ctx.db, 'Bob Attendee');
    });

    test('starring is idempotent, unstarring too, and each counts once', async () => {
      assert.deepEqual(await starSession(ctx.db, ann, eventId, ids.morning!), { sessionId: ids.morning, starred: true });
      assert.deepEqual(await starSession(ctx.db, ann, eventId, ids.morning!), { sessionId: ids.morning, starred: true });
      const rows = await ctx.db.selectFrom('agenda_stars').selectAll().where('user_id', '=', ann.userId).execute();
      assert.equal(rows.length, 1);
      assert.deepEqual(await unstarSession(ctx.db, ann, eventId, ids.morning!), { sessionId: ids.morning, starred: false });
      assert.deepEqual(await unstarSession(ctx.db, ann, eventId, ids.morning!), { sessionId: ids.morning, starred: false });
      assert.equal((await ctx.db.selectFrom('agenda_stars').selectAll().execute()).length, 0);
    });

    test('starring needs a signed-in person, a session of this published event, not cancelled', async () => {
      await rejectsWith(starSession(ctx.db, null, eventId, ids.morning!), 'UNAUTHENTICATED');
      await rejectsWith(starSession(ctx.db, ann, eventId, 999_999), 'SESSION_NOT_FOUND');
      await rejectsWith(starSession(ctx.db, ann, 999_999, ids.morning!), 'EVENT_NOT_FOUND');
      const other = await importConference(ctx.db, buildEventDoc({ slug: 'other-conf' }));
      await rejectsWith(starSession(ctx.db, ann, eventId, other.ids.keynote!), 'SESSION_NOT_FOUND');
      const organizer = await organizerOf(ctx.db, other.eventId);
      await cancelSession(moduleContext(ctx.db), organizer, other.eventId, other.ids.ebpf!);
      await releaseDraft(ctx.db, other.eventId);
      await rejectsWith(starSession(ctx.db, ann, other.eventId, other.ids.ebpf!), 'SESSION_CANCELLED');
      await unpublishEvent(moduleContext(ctx.db), organizer, other.eventId);
      await rejectsWith(starSession(ctx.db, ann, other.eventId, other.ids.keynote!), 'EVENT_NOT_FOUND');
      await publishEvent(moduleContext(ctx.db), organizer, other.eventId);
    });

    test('my agenda groups by programme day across the day change and DST, flags overlaps, suggests sessions in gaps', async () => {
      for (const code of ['morning', 'clash', 'afternoon', 'late', 'owl', 'daytwo']) await starSession(ctx.db, ann, eventId, ids[code]!);
      const agenda = await getMyAgenda(ctx.db, ann, eventId);
      const view = agenda.days.map((d) => ({
        day: d.day,
        items: d.items.map((i) => [i.session.code, i.overlapsWith.map((id) => agenda.snapshot.sessions.find((s) => s.id === id)!.code)]),
        freeSlots: d.freeSlots.map((f) => ({ from: f.startsAt, to: f.endsAt, minutes: f.minutes, suggestions: f.suggestions.map((s) => s.code) })),
      }));
      assert.deepEqual(view, [
        {
          day: '2027-03-27',
          items: [
            ['morning', ['clash']],
            ['clash', ['morning']],
            ['afternoon', []],
            ['late', []],
            ['owl', []],
          ],
          freeSlots: [
            // "long" (11:45–13:30) does not fit; the coffee break (11:30–11:45) is taken, not free.
            { from: '2027-03-27T10:30:00Z', to: '2027-03-27T11:30:00Z', minutes: 60, suggestions: ['filler'] },
            { from: '2027-03-27T11:45:00Z', to: '2027-03-27T12:00:00Z', minutes: 15, suggestions: [] },
            { from: '2027-03-27T13:00:00Z', to: '2027-03-27T23:30:00Z', minutes: 630, suggestions: [] },
            // 01:30 CET → 03:30 CEST: two hours on the wall clock, one real hour.
            { from: '2027-03-28T00:30:00Z', to: '2027-03-28T01:30:00Z', minutes: 60, suggestions: ['between', 'tricky'] },
          ],
        },
        { day: '2027-03-28', items: [['daytwo', []]], freeSlots: [] },
      ]);
      assert.equal(agenda.overlapCount, 1);
      assert.equal(agenda.version, agenda.snapshot.event.version);
      // Bob's agenda is his own.
      assert.deepEqual((await getMyAgenda(ctx.db, bob, eventId)).days, []);
      await rejectsWith(getMyAgenda(ctx.db, null, eventId), 'UNAUTHENTICATED');
    });

    test('interest counts: organizers always, the public only when the event shows them', async () => {
      await starSession(ctx.db, bob, eventId, ids.morning!);
      const organizer = await organizerOf(ctx.db, eventId);
      const forOrganizer = await getInterestCounts(ctx.db, organizer, eventId);
      assert.equal(forOrganizer?.visibility, 'organizers');
      assert.equal(forOrganizer?.counts.get(ids.morning!), 2);
      assert.equal(forOrganizer?.counts.get(ids.clash!), 1);
      assert.equal(forOrganizer?.counts.get(ids.filler!), undefined);
      assert.equal(await getInterestCounts(ctx.db, bob, eventId), null);
      assert.equal(await getInterestCounts(ctx.db, null, eventId), null);

      await rejectsWith(setInterestCountsShown(moduleContext(ctx.db), bob, eventId, { show: true }), 'FORBIDDEN');
      const before = (await ctx.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
      assert.deepEqual(await setInterestCountsShown(moduleContext(ctx.db), organizer, eventId, { show: 'on' }), { show: true });
      const after = (await ctx.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
      assert.equal(after, before + 1, 'public pages refresh');
      const forPublic = await getInterestCounts(ctx.db, null, eventId);
      assert.equal(forPublic?.visibility, 'public');
      assert.equal(forPublic?.counts.get(ids.morning!), 2);
      await setInterestCountsShown(moduleContext(ctx.db), organizer, eventId, { show: false });
      assert.equal(await getInterestCounts(ctx.db, null, eventId), null);
    });

    test('calendar feed: a secret per person and event, stored hashed, following stars; regenerating and revoking end the old URL', async () => {
      assert.deepEqual(await getCalendarFeedStatus(ctx.db, ann, eventId), { exists: false, createdAt: null, lastUsedAt: null });
      const { token } = await regenerateCalendarFeed(ctx.db, ann, eventId);
      assert.match(token, /^hwcal_[A-Za-z0-9_-]{43}$/);
      const stored = await ctx.db.selectFrom('agenda_feed_tokens').select('token_hash').where('user_id', '=', ann.userId).executeTakeFirstOrThrow();
      assert.notEqual(stored.token_hash, token);
      assert.match(stored.token_hash, /^[0-9a-f]{64}$/);

      const feed = await loadCalendarFeed(ctx.db, token);
      assert.equal(feed.userId, ann.userId);
      assert.equal(feed.name, 'DST Conf: my agenda');
      assert.deepEqual(
        feed.sessions.map((s) => s.code),
        ['morning', 'clash', 'afternoon', 'late', 'owl', 'daytwo'],
      );
      const ics = renderSessionsCalendar(feed.snapshot, feed.sessions, 'https://hallway.example.org', feed.name);
      assert.equal(ics.match(/BEGIN:VEVENT/g)?.length, 6);
      assert.match(ics, /X-WR-CALNAME:DST Conf: my agenda/);
      assert.notEqual((await getCalendarFeedStatus(ctx.db, ann, eventId)).lastUsedAt, null);

      await unstarSession(ctx.db, ann, eventId, ids.owl!);
      assert.deepEqual(
        (await loadCalendarFeed(ctx.db, token)).sessions.map((s) => s.code),
        ['morning', 'clash', 'afternoon', 'late', 'daytwo'],
      );

      const second = await regenerateCalendarFeed(ctx.db, ann, eventId);
      await rejectsWith(loadCalendarFeed(ctx.db, token), 'NOT_FOUND');
      assert.equal((await loadCalendarFeed(ctx.db, second.token)).userId, ann.userId);
      assert.deepEqual(await revokeCalendarFeed(ctx.db, ann, eventId), { revoked: true });
      assert.deepEqual(await revokeCalendarFeed(ctx.db, ann, eventId), { revoked: false });
      await rejectsWith(loadCalendarFeed(ctx.db, second.token), 'NOT_FOUND');
      await rejectsWith(loadCalendarFeed(ctx.db, 'not-a-token'), 'NOT_FOUND');
      // Bob revoking does not touch Ann's feed.
      const third = await regenerateCalendarFeed(ctx.db, ann, eventId);
      await revokeCalendarFeed(ctx.db, bob, eventId);
      assert.equal((await loadCalendarFeed(ctx.db, third.token)).userId, ann.userId);
    });
  });
}
