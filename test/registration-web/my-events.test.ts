import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { WebClient } from '../support/web-client.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { registrationContext } from '../../src/modules/registration/rsvp.queries.js';
import { configureSessionSignup } from '../../src/modules/registration/session-signup.actions.js';
import { docs, eventIdOf, person, textOf } from './support.js';

/**
 * "My events" (issue 17): the way back to every RSVP, ticket, waitlist place and session sign-up,
 * upcoming then past by the events' own days; the confirmation mail links the ticket and the page.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`my events on ${database.name}`, () => {
    const clock = fixedClock('2027-04-10T09:00:00Z');
    let app: RunningApp;
    let alice: { id: number; web: WebClient; email: string };
    let regconf: number;
    let other: number;

    before(async () => {
      app = await startTestApp({ database, docs, clock });
      regconf = await eventIdOf(app.db, 'regconf-2027');
      other = await eventIdOf(app.db, 'other-2027');
      const org = (
        await person(app.db, app.url, 'Olga', [
          { scope: 'event', scopeId: regconf, role: 'organizer', trackIds: [] },
          { scope: 'event', scopeId: other, role: 'organizer', trackIds: [] },
        ])
      ).web;
      const capacity = await org.submit(`/manage/events/${other}/registration`, `/manage/events/${other}/registration/capacity`, { capacity: '1' });
      assert.equal(capacity.status, 303);
      const p = await person(app.db, app.url, 'Alice');
      alice = { id: p.user.id, web: p.web, email: p.user.email };
      const carol = (await person(app.db, app.url, 'Carol')).web;
      assert.equal((await carol.submit('/events/other-2027/rsvp', '/events/other-2027/rsvp', { attending: 'yes' })).status, 303);
      assert.equal((await alice.web.submit('/events/other-2027/rsvp', '/events/other-2027/rsvp', { attending: 'yes' })).status, 303);
      assert.equal((await alice.web.submit('/events/regconf-2027/rsvp', '/events/regconf-2027/rsvp', { attending: 'yes' })).status, 303);
      const olga = await actorFor(app.db, await app.db.selectFrom('users').selectAll().where('display_name', '=', 'Olga').executeTakeFirstOrThrow());
      const rctx = await registrationContext(app.db, app.hallway.ctx.config, clock);
      await configureSessionSignup(app.db, rctx, olga, regconf, await sessionId('ebpf'), { enabled: true, capacity: null });
      assert.equal((await alice.web.submit('/events/regconf-2027/sessions/ebpf/signup', '/events/regconf-2027/sessions/ebpf/signup', {})).status, 303);
    });
    after(async () => app?.close());

    const sessionId = async (code: string) =>
      (await app.db.selectFrom('sessions').select('id').where('event_id', '=', regconf).where('code', '=', code).executeTakeFirstOrThrow()).id;

    test('upcoming events with where the person stands, the ticket, the waitlist place and the sign-ups', async () => {
      const html = await (await alice.web.get('/account/events')).text();
      const text = textOf(html);
      assert.match(
        text,
        /My events Upcoming TestConf 2027 .*You're going\. Show my ticket Change or cancel my RSVP eBPF for Humans 10:30 · signed up .*Other 2027 .*Waitlist: number 1 in line\. Change or cancel my RSVP/,
      );
      assert.doesNotMatch(text, /Past/);
      assert.ok(html.includes('<a class="button" href="/events/regconf-2027/ticket">Show my ticket</a>'));
      assert.equal((html.match(/Show my ticket/g) ?? []).length, 1, 'no ticket while waiting');
      const mail = await app.db
        .selectFrom('mail_outbox')
        .select('text_body')
        .where('to_address', '=', alice.email)
        .where('subject', 'like', "You're going%")
        .executeTakeFirstOrThrow();
      assert.match(mail.text_body, /\/events\/regconf-2027\/ticket/);
      assert.match(mail.text_body, /\/account\/events/);
    });

    test("the cached event page carries a slot for the signed-in person's standing; my/rsvp.json fills it", async () => {
      const page = await (await app.get('/events/regconf-2027')).text();
      assert.match(page, /<p class="rsvp-mine" data-mine="\/events\/regconf-2027\/my\/rsvp.json" hidden><\/p>/);
      assert.deepEqual(await (await alice.web.get('/events/regconf-2027/my/rsvp.json')).json(), {
        signedIn: true,
        status: 'going',
        text: "You're going.",
        ticket: '/events/regconf-2027/ticket',
      });
      const waiting = (await (await alice.web.get('/events/other-2027/my/rsvp.json')).json()) as { status: string; text: string; ticket: null };
      assert.deepEqual([waiting.status, waiting.ticket], ['waitlisted', null]);
      assert.match(waiting.text, /^You're on the waitlist: number 1 in line\./);
      const signedOut = await new WebClient(app.url).get('/events/regconf-2027/my/rsvp.json');
      assert.deepEqual([signedOut.status, await signedOut.json()], [200, { signedIn: false }]);
      assert.equal(signedOut.headers.get('cache-control'), 'no-store');
    });

    test('once an event is over it moves to "Past"; signed out, the page asks to sign in', async () => {
      clock.set('2027-04-17T09:00:00Z');
      try {
        const text = textOf(await (await alice.web.get('/account/events')).text());
        assert.match(text, /Upcoming Other 2027 .* Past TestConf 2027/);
      } finally {
        clock.set('2027-04-10T09:00:00Z');
      }
      const anonymous = await new WebClient(app.url).get('/account/events');
      assert.equal(anonymous.status, 303);
      assert.equal(anonymous.headers.get('location'), '/sign-in?next=%2Faccount%2Fevents');
    });
  });
}
