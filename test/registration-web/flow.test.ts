import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { WebClient } from '../support/web-client.js';
import { startSmtpServer, type TestSmtpServer } from '../mail/smtp-server.js';
import { docs, eventIdOf, person, rsvpRow, textOf, ticketTokenOf } from './support.js';

/**
 * The registration pages end to end over a real server and a real SMTP server, as a browser
 * without JavaScript uses them: an organizer sets up seats and a question, people RSVP, the
 * mailed link changes an RSVP without signing in, a full event puts people on the waitlist, a
 * cancellation promotes the next person (with a mail), lowering the capacity asks for
 * confirmation first, and tickets are checked in at the door.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const SLUG = 'regconf-2027';

for (const database of testDatabases) {
  describe(`registration pages on ${database.name}`, () => {
    let app: RunningApp;
    let smtp: TestSmtpServer;
    let eventId: number;
    let org: WebClient;
    const people: Record<string, { id: number; email: string; web: WebClient }> = {};
    let manageUrl = '';
    let bobToken = '';

    before(async () => {
      smtp = await startSmtpServer();
      app = await startTestApp({ database, docs, env: { SMTP_URL: smtp.url } });
      eventId = await eventIdOf(app.db, SLUG);
      org = (await person(app.db, app.url, 'Olga', [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }])).web;
      for (const name of ['Alice', 'Bob', 'Carol']) {
        const p = await person(app.db, app.url, name);
        people[name] = { id: p.user.id, email: p.user.email, web: p.web };
      }
    });
    after(async () => {
      await app?.close();
      await smtp?.close();
    });

    const page = `/manage/events/${0}/registration`;
    const reg = (sub = '') => page.replace('/0/', `/${eventId}/`) + (sub ? `/${sub}` : '');
    const mailsTo = (email: string) => smtp.messages.filter((m) => m.to.includes(email));

    test('the organizer sets a guest limit, a question and 2 seats through the forms', async () => {
      const settings = await org.submit(reg(), reg('settings'), {
        opensAt: '',
        closesAt: '',
        guestLimit: '1',
        reminderHours: '24',
        'questions[0].label': 'Dietary needs',
        'questions[0].id': '',
        'questions[0].kind': 'text',
        'questions[0].options': '',
      });
      assert.equal(settings.status, 303, await settings.text());
      const capacity = await org.submit(reg(), reg('capacity'), { capacity: '2' });
      assert.equal(capacity.status, 303);
      const raw = await (await org.get(reg())).text();
      const html = textOf(raw);
      assert.match(html, /Capacity set to 2\./);
      assert.match(html, /Seats taken 0 of 2/);
      assert.match(raw, /name="questions\[0\]\.label" type="text" value="Dietary needs"/);
      assert.match(raw, /name="questions\[0\]\.id" type="text" value="dietary-needs"/);
    });

    test('RSVP yes: the page shows the seats left, then "going"; a confirmation mail with the link and .ics arrives over SMTP', async () => {
      const alice = people.Alice!;
      const before = textOf(await (await alice.web.get(`/events/${SLUG}/rsvp`)).text());
      assert.match(before, /2 seats left of 2/);
      assert.match(before, /You have not answered yet/);
      const res = await alice.web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '1', 'answers.dietary-needs': 'vegan' });
      assert.equal(res.status, 303, await res.text());
      assert.equal(res.headers.get('location'), `/events/${SLUG}/rsvp`);
      const after = textOf(await (await alice.web.get(`/events/${SLUG}/rsvp`)).text());
      assert.match(after, /You're going to TestConf 2027/, 'the notice');
      assert.match(after, /You're going with 1 guest\./);
      assert.match(after, /Full: new RSVPs join the waitlist/);
      await smtp.waitFor(1);
      const [mail] = mailsTo(alice.email);
      assert.ok(mail);
      assert.equal(mail.subject, "You're going: TestConf 2027");
      const link = /(https?:\/\/[^/\s]+)(\/rsvp\/manage\?token=\S+)/.exec(mail.text);
      assert.ok(link, mail.text);
      manageUrl = link[2]!;
      assert.match(mail.raw, /filename="?regconf-2027\.ics/);
      assert.match(mail.raw, /Content-Type: text\/calendar/i);
    });

    test('the mailed link shows the RSVP without signing in, GET changes nothing, POST updates it', async () => {
      const anon = new WebClient(app.url);
      const before = await rsvpRow(app.db, eventId, people.Alice!.id);
      for (let i = 0; i < 2; i++) {
        const res = await anon.get(manageUrl);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('cache-control'), 'no-store');
        const html = textOf(await res.text());
        assert.match(html, /Your RSVP: TestConf 2027/);
        assert.match(html, /You're going with 1 guest\./);
      }
      assert.deepEqual(await rsvpRow(app.db, eventId, people.Alice!.id), before, 'GET changed nothing');
      const token = decodeURIComponent(manageUrl.split('token=')[1]!);
      const res = await anon.submit(manageUrl, '/rsvp/manage', { token, attending: 'yes', guests: '0', 'answers.dietary-needs': 'vegetarian' });
      assert.equal(res.status, 303, await res.text());
      const row = await rsvpRow(app.db, eventId, people.Alice!.id);
      assert.deepEqual([row!.status, row!.guests, JSON.parse(row!.answers)], ['going', 0, { 'dietary-needs': 'vegetarian' }]);
      const forged = await anon.get(manageUrl.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
      assert.equal(forged.status, 400);
      assert.match(textOf(await forged.text()), /This RSVP link is not valid/);
    });

    test('a full event puts the next person on the waitlist with their position', async () => {
      const bob = people.Bob!;
      assert.equal((await bob.web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '0' })).status, 303);
      bobToken = await ticketTokenOf(bob.web, SLUG);
      const carol = people.Carol!;
      assert.equal((await carol.web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '0' })).status, 303);
      const html = textOf(await (await carol.web.get(`/events/${SLUG}/rsvp`)).text());
      assert.match(html, /TestConf 2027 is full: you're on the waitlist, number 1 in line/);
      assert.match(html, /You're on the waitlist: number 1 in line/);
      assert.match(html, /Full: 1 person on the waitlist/);
      assert.doesNotMatch(html, /Show my ticket/);
    });

    test('cancelling promotes the next in line, who is told by mail', async () => {
      const res = await people.Bob!.web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp/cancel`, {});
      assert.equal(res.status, 303);
      assert.equal((await rsvpRow(app.db, eventId, people.Bob!.id))!.status, 'cancelled');
      const html = textOf(await (await people.Carol!.web.get(`/events/${SLUG}/rsvp`)).text());
      assert.match(html, /You're going\./);
      const deadline = Date.now() + 5000;
      while (!mailsTo(people.Carol!.email).some((m) => m.subject.startsWith('A seat opened up')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(
        mailsTo(people.Carol!.email).map((m) => m.subject),
        ['Waitlist: TestConf 2027', "A seat opened up: you're going to TestConf 2027"],
      );
    });

    test('lowering the capacity below the confirmed seats asks to confirm who moves, then does it', async () => {
      const first = await org.submit(reg(), reg('capacity'), { capacity: '1' });
      assert.equal(first.status, 409);
      const html = textOf(await first.text());
      assert.match(html, /Confirm: lower the capacity/);
      assert.match(html, /Carol would move to the waitlist/);
      assert.match(html, /Move 1 RSVP to the waitlist and set 1 seats/);
      assert.equal(
        (await app.db.selectFrom('events').select('capacity').where('id', '=', eventId).executeTakeFirstOrThrow()).capacity,
        2,
        'nothing changed yet',
      );
      const wrong = await org.submit(reg(), reg('capacity'), { capacity: '1', confirmMoveToWaitlist: '2' });
      assert.equal(wrong.status, 409, 'a number that does not match is asked again');
      const ok = await org.submit(reg(), reg('capacity'), { capacity: '1', confirmMoveToWaitlist: '1' });
      assert.equal(ok.status, 303);
      assert.equal((await rsvpRow(app.db, eventId, people.Carol!.id))!.status, 'waitlisted');
      assert.match(textOf(await (await people.Carol!.web.get(`/events/${SLUG}/rsvp`)).text()), /number 1 in line/);
    });

    test("check-in by ticket, the second scan warns, a cancelled or another event's or forged ticket is refused", async () => {
      const door = `/manage/events/${eventId}/checkin`;
      const token = await ticketTokenOf(people.Alice!.web, SLUG);
      const ok = await org.submit(door, `${door}/ticket`, { token });
      assert.equal(ok.status, 200);
      assert.match(textOf(await ok.text()), /Checked in: Alice no guests/);
      const again = await org.submit(door, `${door}/ticket`, { token });
      assert.equal(again.status, 409);
      assert.match(textOf(await again.text()), /Second scan Alice was already checked in at/);
      const cancelled = await org.submit(door, `${door}/ticket`, { token: bobToken });
      assert.equal(cancelled.status, 409);
      assert.match(textOf(await cancelled.text()), /Cancelled ticket: do not admit Bob's RSVP is cancelled/);
      const otherId = await eventIdOf(app.db, 'other-2027');
      const dave = await person(app.db, app.url, 'Dave');
      assert.equal((await dave.web.submit('/events/other-2027/rsvp', '/events/other-2027/rsvp', { attending: 'yes' })).status, 303);
      const daveToken = await ticketTokenOf(dave.web, 'other-2027');
      assert.ok(daveToken.startsWith(`t.${otherId}.`));
      const other = await org.submit(door, `${door}/ticket`, { token: daveToken });
      assert.equal(other.status, 409);
      assert.match(textOf(await other.text()), /Ticket for another event/);
      const forged = await org.submit(door, `${door}/ticket`, { token: token.replace(/\.\d+\./, (m) => `.${Number(m.slice(1, -1)) + 1}.`) });
      assert.equal(forged.status, 400);
      assert.match(textOf(await forged.text()), /Not a valid ticket/);
      const json = await org.get(door).then(async (r) => {
        const csrf = /name="_csrf" value="([^"]+)"/.exec(await r.text())![1]!;
        return fetch(`${app.url}${door}/ticket`, {
          method: 'POST',
          headers: {
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
            cookie: `hallway_session=${org.cookie('hallway_session')}; _csrf=${org.cookie('_csrf')}`,
          },
          body: new URLSearchParams({ _csrf: csrf, token }),
        });
      });
      assert.equal(json.status, 409);
      assert.equal(((await json.json()) as { result: { code: string } }).result.code, 'TICKET_ALREADY_CHECKED_IN');
      const checkedIn = await app.db.selectFrom('rsvps').select('id').where('event_id', '=', eventId).where('checked_in_at', 'is not', null).execute();
      assert.equal(checkedIn.length, 1, 'one check-in, never two');
    });

    test('check-in by name search', async () => {
      await org.submit(reg(), reg('capacity'), { capacity: '3' });
      const door = `/manage/events/${eventId}/checkin`;
      const found = await (await org.get(`${door}?q=car`)).text();
      assert.match(textOf(found), /Carol going Check in Carol/);
      const rsvpId = (await rsvpRow(app.db, eventId, people.Carol!.id))!.id;
      const res = await org.submit(`${door}?q=car`, `${door}/rsvp`, { rsvpId: String(rsvpId), q: 'car' });
      assert.equal(res.status, 200);
      assert.match(textOf(await res.text()), /Checked in: Carol .*Undo check-in Carol/);
    });
  });
}
