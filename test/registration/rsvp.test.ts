import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkInByTicket, checkInRsvp, exportAttendeesCsv } from '../../src/modules/registration/checkin.actions.js';
import { changeCapacity, moveRsvp, setRsvpsOpen, updateRegistrationSettings } from '../../src/modules/registration/registration.actions.js';
import { sendDueReminders } from '../../src/modules/registration/reminder.actions.js';
import { cancelRsvp, getTicket, readRsvpLink, rsvp, updateRsvpByLink } from '../../src/modules/registration/rsvp.actions.js';
import { getRegistrationCounts } from '../../src/modules/registration/rsvp.queries.js';
import { configureSessionSignup, signUpForSession } from '../../src/modules/registration/session-signup.actions.js';
import { manageToken } from '../../src/modules/registration/tokens.js';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { createSession, updateSession } from '../../src/modules/program/session.actions.js';
import { listSignupSessions } from '../../src/modules/registration/registration-pages.queries.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { rejectsWith } from '../program/support.js';
import { BASE_URL, SECRET, attendees, clock, emailOf, mailsTo, meetup, registrationFootprint, useRegistrationDb } from './support.js';
import { moduleContext, releaseDraft } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`RSVPs on ${database.name}`, () => {
    const env = useRegistrationDb(database);

    test('yes fills the seats, then the waitlist in arrival order; cancelling promotes the first in line', async () => {
      const { organizer, eventId } = await meetup(env.db, 'rsvp-basic');
      await changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 2 });
      const [a, b, c, d] = await attendees(env.db, 4);
      const results = [];
      for (const p of [a!, b!, c!, d!]) results.push((await rsvp(env.db, env.ctx, p, eventId, { attending: true })).rsvp);
      assert.deepEqual(
        results.map((r) => [r.status, r.waitlistPosition]),
        [
          ['going', null],
          ['going', null],
          ['waitlisted', 1],
          ['waitlisted', 2],
        ],
      );
      const cancelled = await cancelRsvp(env.db, env.ctx, a!, eventId);
      assert.equal(cancelled.rsvp.status, 'cancelled');
      assert.deepEqual(cancelled.promoted, [results[2]!.id]);
      const counts = await getRegistrationCounts(env.db, eventId);
      assert.deepEqual(counts, {
        capacity: 2,
        going: 2,
        seatsTaken: 2,
        seatsFree: 0,
        waitlisted: 1,
        waitlistedSeats: 1,
        notGoing: 0,
        cancelled: 1,
        checkedIn: 0,
      });
      const cMails = await mailsTo(env.db, await emailOf(env.db, c!.userId));
      assert.deepEqual(
        cMails.map((m) => m.subject),
        ['Waitlist: rsvp-basic conference', "A seat opened up: you're going to rsvp-basic conference"],
      );
    });

    test('answering yes twice is one RSVP and one mail', async () => {
      const { eventId } = await meetup(env.db, 'rsvp-twice');
      const [p] = await attendees(env.db, 1);
      const first = await rsvp(env.db, env.ctx, p!, eventId, { attending: true });
      const again = await rsvp(env.db, env.ctx, p!, eventId, { attending: 'yes' });
      assert.deepEqual([first.changed, again.changed, again.rsvp.id], [true, false, first.rsvp.id]);
      assert.equal((await mailsTo(env.db, await emailOf(env.db, p!.userId))).length, 1);
    });

    test('the confirmation mail has a working update link and the event as .ics', async () => {
      const { eventId } = await meetup(env.db, 'rsvp-mail');
      const [p] = await attendees(env.db, 1);
      await rsvp(env.db, env.ctx, p!, eventId, { attending: true });
      const [mail] = await mailsTo(env.db, await emailOf(env.db, p!.userId));
      const m = new RegExp(`${BASE_URL}/rsvp/manage\\?token=([^\\s]+)`).exec(mail!.text_body);
      assert.ok(m, mail!.text_body);
      const attachments = JSON.parse(mail!.attachments) as { filename: string; contentType: string; content: string }[];
      assert.equal(attachments[0]!.filename, 'rsvp-mail.ics');
      const ics = Buffer.from(attachments[0]!.content, 'base64').toString('utf8');
      assert.match(ics, /BEGIN:VEVENT[\s\S]*SUMMARY:rsvp-mail conference[\s\S]*STATUS:CONFIRMED/);
      const token = decodeURIComponent(m[1]!);
      const seen = await readRsvpLink(env.db, env.ctx, token);
      assert.equal(seen.rsvp.status, 'going');
      const changed = await updateRsvpByLink(env.db, env.ctx, token, { attending: false });
      assert.equal(changed.rsvp.status, 'cancelled');
      await rejectsWith(updateRsvpByLink(env.db, env.ctx, `${token.slice(0, -2)}xx`, { attending: true }), 'RSVP_LINK_INVALID');
      const expired = manageToken(SECRET, seen.rsvp.id, new Date(clock.now().getTime() - 1000));
      await rejectsWith(readRsvpLink(env.db, env.ctx, expired), 'RSVP_LINK_EXPIRED');
    });

    test('raising capacity promotes the first N; lowering below confirmed needs explicit confirmation', async () => {
      const { organizer, eventId } = await meetup(env.db, 'rsvp-capacity');
      await changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 3 });
      const people = await attendees(env.db, 8);
      const ids = [];
      for (const p of people) ids.push((await rsvp(env.db, env.ctx, p, eventId, { attending: true })).rsvp.id);
      const raised = await changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 5 });
      assert.deepEqual(raised.promoted, ids.slice(3, 5));
      const before = await registrationFootprint(env.db, eventId);
      const refusal = await rejectsWith(changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 3 }), 'RSVP_CAPACITY_BELOW_CONFIRMED');
      assert.equal(refusal.problems.length, 2);
      assert.deepEqual(await registrationFootprint(env.db, eventId), before, 'nothing changed');
      await rejectsWith(changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 3, confirmMoveToWaitlist: 1 }), 'RSVP_CAPACITY_BELOW_CONFIRMED');
      const lowered = await changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 3, confirmMoveToWaitlist: 2 });
      assert.deepEqual(lowered.movedToWaitlist, ids.slice(3, 5));
      const wl = await env.db
        .selectFrom('rsvps')
        .select('id')
        .where('event_id', '=', eventId)
        .where('status', '=', 'waitlisted')
        .orderBy('waitlist_seq')
        .execute();
      assert.deepEqual(
        wl.map((r) => r.id),
        [...ids.slice(3, 5), ...ids.slice(5)],
        'moved people head the waitlist',
      );
      assert.equal((await getRegistrationCounts(env.db, eventId)).seatsTaken, 3);
    });

    test('guests count against capacity and the limit', async () => {
      const { organizer, eventId } = await meetup(env.db, 'rsvp-guests');
      await changeCapacity(env.db, env.ctx, organizer, eventId, { capacity: 4 });
      await updateRegistrationSettings(env.db, env.ctx, organizer, eventId, { guestLimit: 2 });
      const [a, b, c] = await attendees(env.db, 3);
      assert.equal((await rsvp(env.db, env.ctx, a!, eventId, { attending: true, guests: 2 })).rsvp.status, 'going');
      const before = await registrationFootprint(env.db, eventId);
      await rejectsWith(rsvp(env.db, env.ctx, b!, eventId, { attending: true, guests: 3 }), 'RSVP_GUESTS_ABOVE_LIMIT');
      assert.deepEqual(await registrationFootprint(env.db, eventId), before);
      assert.equal((await rsvp(env.db, env.ctx, b!, eventId, { attending: true, guests: 1 })).rsvp.status, 'waitlisted');
      assert.equal((await rsvp(env.db, env.ctx, c!, eventId, { attending: true })).rsvp.status, 'going', 'a single person fits the last seat (first fit)');
      await rejectsWith(rsvp(env.db, env.ctx, c!, eventId, { attending: true, guests: 1 }), 'RSVP_NO_SEATS');
      const r = await rsvp(env.db, env.ctx, a!, eventId, { attending: true, guests: 0 });
      assert.equal(r.promoted.length, 1, 'a dropping 2 guests frees the 2 seats b waits for');
      assert.equal((await getRegistrationCounts(env.db, eventId)).seatsTaken, 4);
    });

    test('bad input: unknown, cancelled, past and closed events; nothing written', async () => {
      const { organizer, eventId } = await meetup(env.db, 'rsvp-bad');
      const [p] = await attendees(env.db, 1);
      await rejectsWith(rsvp(env.db, env.ctx, p!, 999999, { attending: true }), 'EVENT_NOT_FOUND');
      await setRsvpsOpen(env.db, env.ctx, organizer, eventId, false);
      const before = await registrationFootprint(env.db, eventId);
      await rejectsWith(rsvp(env.db, env.ctx, p!, eventId, { attending: true }), 'RSVP_CLOSED');
      assert.deepEqual(await registrationFootprint(env.db, eventId), before);
      await setRsvpsOpen(env.db, env.ctx, organizer, eventId, true);
      await updateRegistrationSettings(env.db, env.ctx, organizer, eventId, { opensAt: '2027-03-10T00:00:00Z' });
      await rejectsWith(rsvp(env.db, env.ctx, p!, eventId, { attending: true }), 'RSVP_CLOSED');
      await updateRegistrationSettings(env.db, env.ctx, organizer, eventId, { opensAt: null });
      await env.db.updateTable('events').set({ cancelled_at: '2027-02-01T00:00:00Z' }).where('id', '=', eventId).execute();
      await rejectsWith(rsvp(env.db, env.ctx, p!, eventId, { attending: true }), 'EVENT_CANCELLED');
      await env.db.updateTable('events').set({ cancelled_at: null }).where('id', '=', eventId).execute();
      const saved = clock.now();
      clock.set(new Date('2027-05-01T00:00:00Z'));
      try {
        await rejectsWith(rsvp(env.db, env.ctx, p!, eventId, { attending: true }), 'EVENT_PAST');
      } finally {
        clock.set(saved);
      }
      await rejectsWith(rsvp(env.db, env.ctx, null, eventId, { attending: true }), 'FORBIDDEN');
      await rejectsWith(rsvp(env.db, env.ctx, p!, eventId, { attending: true, answers: { nope: 'x' } }), 'VALIDATION_FAILED');
      await rejectsWith(moveRsvp(env.db, env.ctx, p!, eventId, { rsvpId: 1, to: 'going' }), 'FORBIDDEN');
      assert.deepEqual(await registrationFootprint(env.db, eventId), { ...before, settings: (await registrationFootprint(env.db, eventId)).settings });
    });

    test('check-in by ticket: once, then warnings for a second scan, another event, a cancelled or forged ticket', async () => {
      const { organizer, eventId } = await meetup(env.db, 'rsvp-checkin');
      const other = await meetup(env.db, 'rsvp-checkin-other');
      const [a, b] = await attendees(env.db, 2);
      await rsvp(env.db, env.ctx, a!, eventId, { attending: true });
      await rsvp(env.db, env.ctx, b!, eventId, { attending: true });
      await rsvp(env.db, env.ctx, a!, other.eventId, { attending: true });
      const ticket = (await getTicket(env.db, env.ctx, eventId, a!.userId))!;
      assert.match(ticket.qrSvg, /^<svg/);
      const scans = await Promise.allSettled(Array.from({ length: 6 }, () => checkInByTicket(env.db, env.ctx, organizer, eventId, ticket.token)));
      assert.equal(scans.filter((s) => s.status === 'fulfilled').length, 1, 'concurrent scans check in once');
      assert.equal((await getRegistrationCounts(env.db, eventId)).checkedIn, 1);
      await rejectsWith(checkInByTicket(env.db, env.ctx, organizer, eventId, ticket.token), 'TICKET_ALREADY_CHECKED_IN');
      const foreign = (await getTicket(env.db, env.ctx, other.eventId, a!.userId))!;
      await rejectsWith(checkInByTicket(env.db, env.ctx, organizer, eventId, foreign.token), 'TICKET_OTHER_EVENT');
      const bTicket = (await getTicket(env.db, env.ctx, eventId, b!.userId))!;
      await cancelRsvp(env.db, env.ctx, b!, eventId);
      await rejectsWith(checkInByTicket(env.db, env.ctx, organizer, eventId, bTicket.token), 'TICKET_CANCELLED');
      await rejectsWith(
        checkInByTicket(
          env.db,
          env.ctx,
          organizer,
          eventId,
          bTicket.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
        ),
        'TICKET_INVALID',
      );
      await rejectsWith(
        checkInRsvp(
          env.db,
          env.ctx,
          organizer,
          eventId,
          (await env.db.selectFrom('rsvps').select('id').where('user_id', '=', a!.userId).where('event_id', '=', eventId).executeTakeFirstOrThrow()).id,
        ),
        'TICKET_ALREADY_CHECKED_IN',
      );
      const csv = await exportAttendeesCsv(env.db, organizer, eventId);
      assert.equal(csv.split('\r\n')[0], '\ufeffname,email,status,guests,ticket_type,waitlist_position,checked_in_at,rsvp_at');
      assert.equal(csv.split('\r\n').length, 4);
      await rejectsWith(exportAttendeesCsv(env.db, a!, eventId), 'FORBIDDEN');
    });

    test('reminders are sent once each', async () => {
      const { organizer, eventId } = await meetup(env.db, 'rsvp-remind');
      await updateRegistrationSettings(env.db, env.ctx, organizer, eventId, { reminderHours: [24] });
      const [p] = await attendees(env.db, 1);
      await rsvp(env.db, env.ctx, p!, eventId, { attending: true });
      const saved = clock.now();
      try {
        clock.set(new Date('2027-04-13T00:00:00Z'));
        assert.equal(await sendDueReminders(env.db, env.ctx), 0);
        clock.set(new Date('2027-04-14T12:00:00Z'));
        // Other tests' events (same day, default 24 h) are due too; this person gets exactly one.
        await Promise.all([sendDueReminders(env.db, env.ctx), sendDueReminders(env.db, env.ctx)]);
        assert.equal(await sendDueReminders(env.db, env.ctx), 0);
      } finally {
        clock.set(saved);
      }
      const subjects = (await mailsTo(env.db, await emailOf(env.db, p!.userId))).map((m) => m.subject);
      assert.deepEqual(subjects, ["You're going: rsvp-remind conference", 'Reminder: rsvp-remind conference']);
    });

    test('session sign-up: own capacity, waitlist, and no seats in two overlapping sessions', async () => {
      const { organizer, eventId } = await meetup(env.db, 'rsvp-sessions');
      const room = await createRoom(moduleContext(env.db), organizer, eventId, { name: 'Lab', capacity: 1 });
      const room2 = await createRoom(moduleContext(env.db), organizer, eventId, { name: 'Lab 2' });
      const w1 = await createSession(moduleContext(env.db), organizer, eventId, {
        kind: 'workshop',
        title: 'W1',
        roomId: room.id,
        start: '2027-04-15T18:00',
        durationMinutes: 60,
      });
      const w2 = await createSession(moduleContext(env.db), organizer, eventId, {
        kind: 'workshop',
        title: 'W2',
        roomId: room2.id,
        start: '2027-04-15T18:30',
        durationMinutes: 60,
      });
      await configureSessionSignup(env.db, env.ctx, organizer, eventId, w1.id, { enabled: true, capacity: '' });
      await configureSessionSignup(env.db, env.ctx, organizer, eventId, w2.id, { enabled: true, capacity: 5 });
      const [a, b] = await attendees(env.db, 2);
      await rsvp(env.db, env.ctx, a!, eventId, { attending: true });
      // Sessions only in the organizers' draft take no sign-ups and are listed nowhere public.
      await rejectsWith(signUpForSession(env.db, env.ctx, a!, eventId, w1.id), 'SIGNUP_NOT_OFFERED');
      assert.deepEqual(await listSignupSessions(env.db, eventId, a!.userId), []);
      await releaseDraft(env.db, eventId);
      assert.deepEqual(
        (await listSignupSessions(env.db, eventId, a!.userId)).map((x) => [x.title, x.startsAt]),
        [
          ['W1', '2027-04-15T16:00:00Z'],
          ['W2', '2027-04-15T16:30:00Z'],
        ],
      );
      await rejectsWith(signUpForSession(env.db, env.ctx, b!, eventId, w1.id), 'RSVP_REQUIRED');
      await rsvp(env.db, env.ctx, b!, eventId, { attending: true });
      // A draft move is not what attendees see: the released time stands until the next release.
      await updateSession(moduleContext(env.db), organizer, eventId, w2.id, { start: '2027-04-15T20:00' });
      assert.equal((await listSignupSessions(env.db, eventId, a!.userId)).find((x) => x.title === 'W2')!.startsAt, '2027-04-15T16:30:00Z');
      assert.equal((await signUpForSession(env.db, env.ctx, a!, eventId, w1.id)).status, 'going');
      assert.deepEqual([(await signUpForSession(env.db, env.ctx, b!, eventId, w1.id)).status], ['waitlisted'], 'room capacity 1');
      await rejectsWith(signUpForSession(env.db, env.ctx, a!, eventId, w2.id), 'SIGNUP_OVERLAP');
      await cancelRsvp(env.db, env.ctx, a!, eventId);
      const bSignup = await env.db.selectFrom('session_signups').select('status').where('user_id', '=', b!.userId).executeTakeFirstOrThrow();
      assert.equal(bSignup.status, 'going', 'a cancelled RSVP frees its session seat for the waitlist');
      await updateRegistrationSettings(env.db, env.ctx, organizer, eventId, { allowSessionOverlap: true });
      assert.equal((await signUpForSession(env.db, env.ctx, b!, eventId, w2.id)).status, 'going');
    });
  });
}
