import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { getMyFeedback, getSessionFeedbackSummary, listEventFeedbackSummaries, submitFeedback } from '../../src/modules/agenda/feedback.actions.js';
import { addSessionLink, removeSessionLink } from '../../src/modules/agenda/speaker-links.actions.js';
import { starSession } from '../../src/modules/agenda/star.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { importConference, linkSpeaker, newActor, organizerOf, rejectsWith, useDatabase } from './support.js';
import { moduleContext } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

// The keynote runs 2027-04-15 09:15–10:00 CEST (07:15Z–08:00Z).
const BEFORE_KEYNOTE = new Date('2027-04-15T07:14:59Z');
const DURING_KEYNOTE = new Date('2027-04-15T07:30:00Z');

for (const database of testDatabases) {
  describe(`session feedback and speakers' links on ${database.name}`, () => {
    const ctx = useDatabase(database);
    let eventId: number;
    let ids: Record<string, number>;
    let ann: Actor;
    let bob: Actor;
    let cid: Actor;
    let grace: Actor;
    let linus: Actor;
    let organizer: Actor;

    before(async () => {
      ({ eventId, ids } = await importConference(ctx.db, buildEventDoc()));
      ann = await newActor(ctx.db, 'Ann Attendee');
      bob = await newActor(ctx.db, 'Bob Attendee');
      cid = await newActor(ctx.db, 'Cid Stranger');
      grace = await newActor(ctx.db, 'Grace Sample');
      linus = await newActor(ctx.db, 'Linus Case');
      organizer = await organizerOf(ctx.db, eventId);
      await linkSpeaker(ctx.db, eventId, 'grace', grace);
      await linkSpeaker(ctx.db, eventId, 'linus', linus);
      await starSession(ctx.db, ann, eventId, ids.keynote!);
      await starSession(ctx.db, bob, eventId, ids.keynote!);
    });

    test('feedback is refused before the session starts and from non-attendees, with clear codes', async () => {
      const early = await rejectsWith(submitFeedback(ctx.db, ann, eventId, ids.keynote!, { rating: 5 }, BEFORE_KEYNOTE), 'FEEDBACK_TOO_EARLY');
      assert.equal(early.message, '"The Keynote" has not started yet; you can give feedback once it has.');
      await rejectsWith(submitFeedback(ctx.db, cid, eventId, ids.keynote!, { rating: 5 }, DURING_KEYNOTE), 'FEEDBACK_NOT_ATTENDEE');
      await rejectsWith(submitFeedback(ctx.db, null, eventId, ids.keynote!, { rating: 5 }, DURING_KEYNOTE), 'UNAUTHENTICATED');
      // A speaker does not rate their own session, even having starred it.
      await starSession(ctx.db, grace, eventId, ids.keynote!);
      await rejectsWith(submitFeedback(ctx.db, grace, eventId, ids.keynote!, { rating: 5 }, DURING_KEYNOTE), 'FORBIDDEN');
      const invalid = await rejectsWith(submitFeedback(ctx.db, ann, eventId, ids.keynote!, { rating: 6 }, DURING_KEYNOTE), 'VALIDATION_FAILED');
      assert.deepEqual(invalid.problems, [{ path: 'rating', message: 'must be at most 5' }]);
      await rejectsWith(submitFeedback(ctx.db, ann, eventId, 999_999, { rating: 5 }, DURING_KEYNOTE), 'SESSION_NOT_FOUND');
      assert.equal((await ctx.db.selectFrom('session_feedback').selectAll().execute()).length, 0);
    });

    test('one feedback per attendee and session: a second submit replaces the first', async () => {
      await submitFeedback(ctx.db, ann, eventId, ids.keynote!, { rating: '3', comment: 'OK' }, DURING_KEYNOTE);
      const changed = await submitFeedback(ctx.db, ann, eventId, ids.keynote!, { rating: 4, comment: 'Better on reflection' }, DURING_KEYNOTE);
      assert.equal(changed.rating, 4);
      await submitFeedback(ctx.db, bob, eventId, ids.keynote!, { rating: 5, comment: '' }, DURING_KEYNOTE);
      assert.equal((await ctx.db.selectFrom('session_feedback').selectAll().where('session_id', '=', ids.keynote!).execute()).length, 2);
      assert.deepEqual((await getMyFeedback(ctx.db, ann, ids.keynote!))?.comment, 'Better on reflection');
      assert.equal(await getMyFeedback(ctx.db, cid, ids.keynote!), null);
    });

    test("the aggregate is for the session's speakers and the organizers, without names", async () => {
      const summary = await getSessionFeedbackSummary(ctx.db, grace, eventId, ids.keynote!);
      assert.equal(summary.count, 2);
      assert.equal(summary.average, 4.5);
      assert.deepEqual(summary.distribution, [0, 0, 0, 1, 1]);
      assert.deepEqual(
        summary.comments.map((c) => [c.rating, c.comment]),
        [[4, 'Better on reflection']],
      );
      assert.deepEqual(await getSessionFeedbackSummary(ctx.db, organizer, eventId, ids.keynote!), summary);
      await rejectsWith(getSessionFeedbackSummary(ctx.db, linus, eventId, ids.keynote!), 'FORBIDDEN');
      await rejectsWith(getSessionFeedbackSummary(ctx.db, ann, eventId, ids.keynote!), 'FORBIDDEN');
      await rejectsWith(getSessionFeedbackSummary(ctx.db, null, eventId, ids.keynote!), 'FORBIDDEN');
      assert.deepEqual(await listEventFeedbackSummaries(ctx.db, organizer, eventId), [
        { sessionId: ids.keynote, count: 2, average: 4.5, distribution: [0, 0, 0, 1, 1], commentCount: 1 },
      ]);
      await rejectsWith(listEventFeedbackSummaries(ctx.db, grace, eventId), 'FORBIDDEN');
    });

    test('a speaker adds and removes slide/video links on their own session only; the event version moves', async () => {
      const version = async () => (await ctx.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
      const sequence = async () => (await ctx.db.selectFrom('sessions').select('sequence').where('id', '=', ids.ebpf!).executeTakeFirstOrThrow()).sequence;
      const v0 = await version();
      const s0 = await sequence();
      const links = await addSessionLink(moduleContext(ctx.db), linus, eventId, ids.ebpf!, { kind: 'slides', url: 'https://slides.example.org/ebpf' });
      assert.deepEqual(links, [{ kind: 'slides', title: 'Slides', url: 'https://slides.example.org/ebpf' }]);
      assert.equal(await version(), v0 + 1);
      assert.equal(await sequence(), s0 + 1);
      // The same URL again changes nothing more than the version lock.
      assert.equal(
        (await addSessionLink(moduleContext(ctx.db), linus, eventId, ids.ebpf!, { kind: 'slides', url: 'https://slides.example.org/ebpf' })).length,
        1,
      );
      const withVideo = await addSessionLink(moduleContext(ctx.db), linus, eventId, ids.ebpf!, {
        kind: 'video',
        title: 'Recording on YouTube',
        url: 'https://video.example.org/ebpf',
      });
      assert.deepEqual(
        withVideo.map((l) => l.kind),
        ['slides', 'video'],
      );
      const audit = await ctx.db
        .selectFrom('audit_log')
        .select(['action', 'actor_user_id'])
        .where('event_id', '=', eventId)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.deepEqual(audit, { action: 'session.link_added', actor_user_id: linus.userId });

      // Not someone else's session, not as an attendee; the organizer may.
      const v1 = await version();
      await rejectsWith(addSessionLink(moduleContext(ctx.db), grace, eventId, ids.ebpf!, { kind: 'slides', url: 'https://evil.example.org' }), 'FORBIDDEN');
      await rejectsWith(addSessionLink(moduleContext(ctx.db), ann, eventId, ids.ebpf!, { kind: 'slides', url: 'https://evil.example.org' }), 'FORBIDDEN');
      await rejectsWith(removeSessionLink(moduleContext(ctx.db), grace, eventId, ids.ebpf!, 0), 'FORBIDDEN');
      await rejectsWith(addSessionLink(moduleContext(ctx.db), linus, eventId, ids.ebpf!, { kind: 'slides', url: 'javascript:alert(1)' }), 'VALIDATION_FAILED');
      assert.equal(await version(), v1, 'a refused change rolls the version back');
      assert.deepEqual(await addSessionLink(moduleContext(ctx.db), grace, eventId, ids.keynote!, { kind: 'video', url: 'https://video.example.org/keynote' }), [
        { kind: 'video', title: 'Video', url: 'https://video.example.org/keynote' },
      ]);
      assert.equal(
        (await addSessionLink(moduleContext(ctx.db), organizer, eventId, ids.ebpf!, { kind: 'code', url: 'https://git.example.org/ebpf' })).length,
        3,
      );

      const left = await removeSessionLink(moduleContext(ctx.db), linus, eventId, ids.ebpf!, 0);
      assert.deepEqual(
        left.map((l) => l.kind),
        ['video', 'code'],
      );
      await rejectsWith(removeSessionLink(moduleContext(ctx.db), linus, eventId, ids.ebpf!, 5), 'NOT_FOUND');
    });
  });
}
