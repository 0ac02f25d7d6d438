import assert from 'node:assert/strict';
import { fixedClock } from '../../src/lib/clock.js';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { cancelEvent } from '../../src/modules/registration/event-cancel.actions.js';
import { updateRegistrationSettings } from '../../src/modules/registration/registration.actions.js';
import { sendDueReminders } from '../../src/modules/registration/reminder.actions.js';
import { rsvp } from '../../src/modules/registration/rsvp.actions.js';
import { configureSessionSignup } from '../../src/modules/registration/session-signup.actions.js';
import { registrationContext, type RegistrationContext } from '../../src/modules/registration/rsvp.queries.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import type { WebClient } from '../support/web-client.js';
import { ManageClient, tokenFor } from '../api-manage/support.js';
import { actorOf, rejectsWith } from '../program/support.js';
import { eventIdOf, person, textOf } from '../registration-web/support.js';
import { PAYLOADS, executableForms } from '../web/hostile.js';

/**
 * Cancelling a one-off event, end to end over a real server: the organizer's two-step form on
 * the settings page, one mail per person going or waitlisted (exactly once, even when asked
 * twice), the public pages, API, iCal and cached pages saying so, RSVPs and reminders stopping,
 * the organizer API endpoint, and a hostile reason staying inert.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const SLUG = 'cancelconf-2027';
const OTHER = 'keepconf-2027';
const HOSTILE = 'hostileconf-2027';
const REASON = 'The venue flooded; we are sorry & will announce a new date.';
const docs = [
  buildEventDoc({ slug: SLUG, event: { title: 'CancelConf 2027' } }),
  buildEventDoc({ slug: OTHER, event: { title: 'KeepConf 2027' } }),
  buildEventDoc({ slug: HOSTILE, event: { title: 'HostileConf 2027' } }),
];

for (const database of testDatabases) {
  describe(`cancelling an event on ${database.name}`, () => {
    let app: RunningApp;
    let rctx: RegistrationContext;
    let eventId: number;
    let orgActor: Actor;
    let org: WebClient;
    const people: Record<string, { id: number; email: string; web: WebClient }> = {};
    const A = (sub = '') => `/manage/events/${eventId}${sub}`;

    const cancellationMails = async () =>
      (
        await app.db
          .selectFrom('mail_outbox')
          .select(['to_address', 'subject', 'text_body'])
          .where('subject', 'like', 'Cancelled:%')
          .orderBy('to_address')
          .execute()
      ).map((m) => [m.to_address, m.subject]);

    before(async () => {
      app = await startTestApp({ database, docs });
      rctx = await registrationContext(app.db, app.hallway.ctx.config, app.hallway.ctx.clock);
      eventId = await eventIdOf(app.db, SLUG);
      const o = await person(app.db, app.url, 'Olga', [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }]);
      org = o.web;
      orgActor = await actorOf(app.db, o.user.id);
      for (const name of ['Alice', 'Bob', 'Carol', 'Dave', 'Erin']) {
        const p = await person(app.db, app.url, name);
        people[name] = { id: p.user.id, email: p.user.email, web: p.web };
      }
      // Two seats: Alice and Bob go, Carol waits, Dave answers no, Erin never answers.
      await updateRegistrationSettings(app.db, rctx, orgActor, eventId, { reminderHours: [24] });
      await app.db.updateTable('events').set({ capacity: 2 }).where('id', '=', eventId).execute();
      for (const [name, attending] of [
        ['Alice', 'yes'],
        ['Bob', 'yes'],
        ['Carol', 'yes'],
        ['Dave', 'no'],
      ] as const) {
        const res = await people[name]!.web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending, guests: '0' });
        assert.equal(res.status, 303, `${name}: ${await res.text()}`);
      }
      // Alice also holds a seat in a workshop: still one mail for her.
      const keynote = await app.db.selectFrom('sessions').select('id').where('event_id', '=', eventId).where('code', '=', 'keynote').executeTakeFirstOrThrow();
      await configureSessionSignup(app.db, rctx, orgActor, eventId, keynote.id, { enabled: true, capacity: 10 });
      const signup = await people.Alice!.web.submit(`/events/${SLUG}/sessions/keynote/signup`, `/events/${SLUG}/sessions/keynote/signup`, {});
      assert.equal(signup.status, 303, await signup.text());
      const statuses = await app.db.selectFrom('rsvps').select(['user_id', 'status']).where('event_id', '=', eventId).orderBy('user_id').execute();
      assert.deepEqual(
        statuses.map((r) => r.status),
        ['going', 'going', 'waitlisted', 'not_going'],
      );
    });
    after(async () => app?.close());

    test('the settings page asks for a reason, then to confirm (naming who is mailed); nothing changes before', async () => {
      const settings = textOf(await (await org.get(A('/edit'))).text());
      assert.match(settings, /Cancel this event/);
      const blank = await org.submit(A('/edit'), A('/cancel'), { reason: '   ' });
      assert.equal(blank.status, 422);
      assert.match(textOf(await blank.text()), /Reason: is required/);
      const confirm = await org.submit(A('/edit'), A('/cancel'), { reason: REASON });
      assert.equal(confirm.status, 200);
      const page = textOf(await confirm.text());
      assert.match(page, /Cancel "CancelConf 2027"\?/);
      assert.match(page, /3 people going or waitlisted will get one e-mail/);
      assert.ok(page.includes(REASON));
      const row = await app.db.selectFrom('events').select(['cancelled_at', 'cancellation_reason']).where('id', '=', eventId).executeTakeFirstOrThrow();
      assert.deepEqual(row, { cancelled_at: null, cancellation_reason: null });
      assert.deepEqual(await cancellationMails(), []);
    });

    test('confirming cancels once: one mail per person going or waitlisted; a second confirmation is a 409 that mails nobody', async () => {
      // Prime the response cache, so the pages below must be re-rendered, not served stale.
      for (let i = 0; i < 2; i++) await (await app.get(`/events/${SLUG}/schedule?day=2027-04-15`)).arrayBuffer();
      const cached = await app.get(`/events/${SLUG}/schedule?day=2027-04-15`);
      assert.equal(cached.headers.get('x-cache'), 'hit');
      const etagBefore = cached.headers.get('etag');
      assert.doesNotMatch(await cached.text(), /Cancelled:/);

      const done = await org.submit(A('/edit'), A('/cancel'), { reason: REASON, confirm: 'yes' });
      assert.equal(done.status, 303, await done.text());
      assert.equal(done.headers.get('location'), A());
      assert.match(textOf(await (await org.get(A())).text()), /"CancelConf 2027" is cancelled; 3 people going or waitlisted got the reason by e-mail\./);
      const expected = ['Alice', 'Bob', 'Carol'].map((n) => [people[n]!.email, 'Cancelled: CancelConf 2027']).sort((a, b) => a[0]!.localeCompare(b[0]!));
      assert.deepEqual(await cancellationMails(), expected);
      const mail = await app.db
        .selectFrom('mail_outbox')
        .select(['text_body', 'attachments'])
        .where('to_address', '=', people.Carol!.email)
        .where('subject', 'like', 'Cancelled:%')
        .executeTakeFirstOrThrow();
      assert.ok(mail.text_body.includes(`The organizers wrote: ${REASON}`), mail.text_body);
      const ics = Buffer.from((JSON.parse(mail.attachments) as { content: string }[])[0]!.content, 'base64').toString('utf8');
      assert.match(ics, /STATUS:CANCELLED/);

      const second = await org.submit(A('/edit'), A('/cancel'), { reason: 'Twice', confirm: 'yes' });
      assert.equal(second.status, 409);
      assert.match(textOf(await second.text()), /was already cancelled/);
      await rejectsWith(cancelEvent(app.db, rctx, orgActor, eventId, { reason: 'Thrice' }), 'EVENT_ALREADY_CANCELLED');
      assert.deepEqual(await cancellationMails(), expected, 'nobody was mailed twice');
      const audit = await app.db
        .selectFrom('audit_log')
        .select(['action', 'summary'])
        .where('event_id', '=', eventId)
        .where('action', '=', 'event.cancelled')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.summary),
        [`Cancelled "CancelConf 2027" (2027-04-15): ${REASON}`],
      );

      const fresh = await app.get(`/events/${SLUG}/schedule?day=2027-04-15`);
      assert.equal(fresh.headers.get('x-cache'), 'miss');
      assert.notEqual(fresh.headers.get('etag'), etagBefore);
      assert.match(textOf(await fresh.text()), /Cancelled: this event will not take place\./);
      const stale = await app.get(`/events/${SLUG}/schedule?day=2027-04-15`, { headers: { 'if-none-match': etagBefore! } });
      assert.equal(stale.status, 200, 'the old ETag no longer matches');
      await stale.arrayBuffer();
    });

    test('public pages, the API and the iCal export say it is cancelled, with the reason on the event page', async () => {
      const page = textOf(await (await app.get(`/events/${SLUG}`)).text());
      assert.ok(page.includes(`Cancelled: this event will not take place. ${REASON}`), page.slice(0, 1500));
      const raw = await (await app.get(`/events/${SLUG}`)).text();
      assert.doesNotMatch(raw, new RegExp(`href="/events/${SLUG}/rsvp"`), 'no RSVP button');
      const card = (html: string, title: string) => html.split('<li class="event-card">').find((c) => c.includes(title)) ?? '';
      const home = await (await app.get('/')).text();
      assert.match(card(home, 'CancelConf 2027'), /badge-cancelled">Cancelled</);
      assert.doesNotMatch(card(home, 'KeepConf 2027'), /Cancelled/);
      const community = await (await app.get('/communities/test-community')).text();
      assert.match(card(community, 'CancelConf 2027'), /badge-cancelled">Cancelled</);
      const api = (await (await app.get(`/api/v1/events/${SLUG}`)).json()) as { data: { cancelledAt: string | null; cancellationReason: string | null } };
      assert.match(api.data.cancelledAt ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.equal(api.data.cancellationReason, REASON);
      const list = (await (await app.get('/api/v1/events')).json()) as { data: { slug: string; cancelled: boolean }[] };
      assert.deepEqual(
        list.data.map((e) => [e.slug, e.cancelled]).sort(),
        [
          [SLUG, true],
          [HOSTILE, false],
          [OTHER, false],
        ].sort(),
      );
      const ics = await (await app.get(`/events/${SLUG}/schedule.ics`)).text();
      const statuses = [...ics.matchAll(/^STATUS:(\w+)/gm)].map((m) => m[1]);
      assert.equal(statuses.length, 5);
      assert.ok(
        statuses.every((s) => s === 'CANCELLED'),
        statuses.join(),
      );
      assert.match(await (await app.get(`/events/${OTHER}/schedule.ics`)).text(), /STATUS:CONFIRMED/);
    });

    test('RSVPs and sign-ups are refused with EVENT_CANCELLED, and no reminder goes out', async () => {
      const res = await people.Erin!.web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '0' });
      assert.equal(res.status, 409);
      assert.match(textOf(await res.text()), /was cancelled; it takes no RSVPs/);
      await rejectsWith(rsvp(app.db, rctx, await actorOf(app.db, people.Erin!.id), eventId, { attending: true }), 'EVENT_CANCELLED');
      const signup = await people.Bob!.web.submit(`/events/${SLUG}/sessions/keynote/signup`, `/events/${SLUG}/sessions/keynote/signup`, {});
      assert.equal(signup.status, 409);
      await signup.arrayBuffer();
      // The control: the same reminder run sends KeepConf's reminder to its one attendee.
      const keepId = await eventIdOf(app.db, OTHER);
      await rsvp(app.db, rctx, await actorOf(app.db, people.Erin!.id), keepId, { attending: true });
      await app.db.updateTable('registration_settings').set({ reminder_hours: '[24]' }).where('event_id', '=', keepId).execute();
      const dayBefore = { ...rctx, clock: fixedClock('2027-04-14T12:00:00Z') };
      assert.equal(await sendDueReminders(app.db, dayBefore), 1);
      const reminders = await app.db.selectFrom('mail_outbox').select('to_address').where('subject', 'like', 'Reminder:%').execute();
      assert.deepEqual(
        reminders.map((r) => r.to_address),
        [people.Erin!.email],
      );
    });

    test('the organizer API: the reason is required (named `reason`), organizers only, once; a hostile reason is shown as text', async () => {
      const hostileId = await eventIdOf(app.db, HOSTILE);
      const admin = await tokenFor(app.db, 'Admin', { isAdmin: true });
      const attendee = await tokenFor(app.db, 'Attendee');
      const api = new ManageClient(app);
      const path = `/api/v1/manage/events/${hostileId}/cancel`;
      for (const json of [{}, { reason: '  ' }, { reason: 'x'.repeat(1001) }]) {
        const bad = await api.post(path, { token: admin.token, json });
        assert.equal(bad.status, 422, bad.text);
        assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          bad.body.error.problems.map((p: { path: string }) => p.path),
          ['reason'],
        );
      }
      const forbidden = await api.post(path, { token: attendee.token, json: { reason: 'Not mine' } });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.body.error.code, 'FORBIDDEN');
      const reason = PAYLOADS.join(' ').slice(0, 1000);
      const r = await api.post(path, { token: admin.token, json: { reason } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.data.mailed, 0);
      assert.equal(r.body.data.event.cancellationReason, reason);
      const twice = await api.post(path, { token: admin.token, json: { reason } });
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error.code, 'EVENT_ALREADY_CANCELLED');
      for (const page of [`/events/${HOSTILE}`, `/events/${HOSTILE}/schedule`]) {
        const html = await (await app.get(page)).text();
        assert.deepEqual(executableForms(html), [], page);
      }
      assert.ok(textOf(await (await app.get(`/events/${HOSTILE}`)).text()).includes(PAYLOADS[0]), 'the payload is shown as text');
    });
  });
}
