import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { configureSessionSignup } from '../../src/modules/registration/session-signup.actions.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { WebClient, csrfTokenIn } from '../support/web-client.js';
import { actorOf } from '../program/support.js';
import { registrationContext } from '../../src/modules/registration/rsvp.queries.js';
import { docs, eventIdOf, person, rsvpRow, textOf } from './support.js';

/**
 * The registration pages' refusals and side doors: bad input keeps what was typed and says why,
 * a post without its CSRF token changes nothing, the CSV is for organizers only, the ticket
 * calendar file, the live counts and the public page's link, and session sign-up.
 */

const SLUG = 'regconf-2027';

describe('registration forms', () => {
  let app: RunningApp;
  let eventId: number;
  let org: WebClient;
  let orgId: number;
  const reg = (sub = '') => `/manage/events/${eventId}/registration${sub ? `/${sub}` : ''}`;

  before(async () => {
    app = await startTestApp({ docs });
    eventId = await eventIdOf(app.db, SLUG);
    const o = await person(app.db, app.url, 'Olga', [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }]);
    org = o.web;
    orgId = o.user.id;
    const r = await org.submit(reg(), reg('settings'), {
      guestLimit: '1',
      'questions[0].label': 'T-shirt size',
      'questions[0].kind': 'choice',
      'questions[0].options': 'S, M, L',
      'questions[0].required': 'on',
    });
    assert.equal(r.status, 303, await r.text());
  });
  after(async () => app?.close());

  test('guests above the limit: the form says so and keeps the typed values; nothing is written', async () => {
    const { user, web } = await person(app.db, app.url, 'Gus');
    const res = await web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '5', 'answers.t-shirt-size': 'M' });
    assert.equal(res.status, 422);
    const raw = await res.text();
    assert.match(textOf(raw), /You may bring at most 1 guest\./);
    assert.match(raw, /name="guests" type="number" value="5"/);
    assert.match(raw, /<option value="M" selected>M<\/option>/);
    assert.equal(await rsvpRow(app.db, eventId, user.id), undefined);
    const missing = await web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '1' });
    assert.equal(missing.status, 422);
    assert.match(textOf(await missing.text()), /T-shirt size: is required/);
  });

  test('a posted RSVP without yes or no is refused, the message next to the choice; nothing is written (issue 11 item 10a)', async () => {
    const { user, web } = await person(app.db, app.url, 'Una');
    const res = await web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { guests: '0', 'answers.t-shirt-size': 'M' });
    assert.equal(res.status, 422);
    const raw = await res.text();
    assert.match(
      raw,
      /<fieldset class="rsvp-choice field-error" id="f-attending" aria-describedby="f-attending-error"><legend>[^<]*<\/legend><p class="error" id="f-attending-error">is required \(yes or no\)<\/p>/,
    );
    assert.match(textOf(raw), /Your answer: is required \(yes or no\)/);
    assert.equal(await rsvpRow(app.db, eventId, user.id), undefined);
  });

  test('closed RSVPs: the form shows why and keeps the values; reopening lets people in', async () => {
    assert.equal((await org.submit(reg(), reg('close'), {})).status, 303);
    const { user, web } = await person(app.db, app.url, 'Cleo');
    const page = textOf(await (await web.get(`/events/${SLUG}/rsvp`)).text());
    assert.match(page, /The organizers closed RSVPs for this event/);
    // The form of a page opened before the organizers closed RSVPs.
    const csrf = csrfTokenIn(await (await web.get(`/events/${SLUG}/ticket`)).text())!;
    const res = await web.post(`/events/${SLUG}/rsvp`, { _csrf: csrf, attending: 'yes', guests: '1', 'answers.t-shirt-size': 'L' });
    assert.equal(res.status, 409);
    const raw = await res.text();
    assert.match(textOf(raw), /The organizers closed RSVPs for this event\./);
    assert.match(raw, /<option value="L" selected>L<\/option>/);
    assert.equal(await rsvpRow(app.db, eventId, user.id), undefined);
    assert.equal((await org.submit(reg(), reg('open'), {})).status, 303);
    assert.equal(
      (await web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '1', 'answers.t-shirt-size': 'L' })).status,
      303,
    );
    assert.equal((await rsvpRow(app.db, eventId, user.id))!.status, 'going');
  });

  test('a post without its CSRF token is refused with 403 and changes nothing', async () => {
    const { user, web } = await person(app.db, app.url, 'Csaba');
    await web.get(`/events/${SLUG}/rsvp`);
    const res = await web.post(`/events/${SLUG}/rsvp`, { attending: 'yes', guests: '0', 'answers.t-shirt-size': 'S' });
    assert.equal(res.status, 403);
    assert.match(textOf(await res.text()), /This form has expired or did not come from this site/);
    assert.equal(await rsvpRow(app.db, eventId, user.id), undefined);
    const before = await app.db.selectFrom('registration_settings').selectAll().where('event_id', '=', eventId).executeTakeFirstOrThrow();
    assert.equal((await org.post(reg('capacity'), { capacity: '1' })).status, 403);
    assert.deepEqual(await app.db.selectFrom('registration_settings').selectAll().where('event_id', '=', eventId).executeTakeFirstOrThrow(), before);
  });

  test('the attendee CSV is for organizers only, as a download', async () => {
    const csv = await org.get(reg('attendees.csv'));
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(csv.headers.get('content-disposition'), `attachment; filename="${SLUG}-attendees.csv"`);
    const text = await csv.text();
    assert.match(text, /^\ufeff?name,email,status,guests,ticket_type,waitlist_position,checked_in_at,rsvp_at,T-shirt size\r\n/);
    assert.match(text, /Cleo,cleo\.\d+@example\.org,going,1,,,,[^,]+,L\r\n/);
    const { web } = await person(app.db, app.url, 'Nosy');
    const refused = await web.get(reg('attendees.csv'));
    assert.equal(refused.status, 403);
    assert.doesNotMatch(await refused.text(), /cleo/);
    assert.equal((await web.get(reg())).status, 403, 'the registration page too');
    assert.equal((await new WebClient(app.url).get(reg('attendees.csv'))).status, 303, 'anonymous: sign in first');
  });

  test('the ticket page shows a QR code and the calendar file downloads', async () => {
    const { web } = await person(app.db, app.url, 'Tia');
    assert.equal((await web.get(`/events/${SLUG}/ticket`)).status, 404, 'no ticket before an RSVP');
    await web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '0', 'answers.t-shirt-size': 'S' });
    const page = await (await web.get(`/events/${SLUG}/ticket`)).text();
    assert.match(page, /<figure class="ticket-qr" role="img"[^>]*><svg aria-hidden="true"/);
    assert.doesNotMatch(page, /<script>|style="/);
    const ics = await web.get(`/events/${SLUG}/ticket.ics`);
    assert.equal(ics.status, 200);
    assert.equal(ics.headers.get('content-disposition'), `attachment; filename="${SLUG}.ics"`);
    assert.match(await ics.text(), /BEGIN:VEVENT[\s\S]*SUMMARY:TestConf 2027[\s\S]*STATUS:CONFIRMED/);
  });

  test('the public event page links to the RSVP page and reads live counts from an uncached endpoint', async () => {
    const html = await (await app.get(`/events/${SLUG}`)).text();
    assert.match(html, new RegExp(`<a class="button" href="/events/${SLUG}/rsvp">Register</a>`));
    const counts = await app.get(`/events/${SLUG}/rsvp/counts.json`);
    assert.equal(counts.headers.get('cache-control'), 'no-store');
    const body = (await counts.json()) as { capacity: number | null; seatsLeft: number | null; waitlisted: number };
    assert.equal(body.waitlisted, 0);
    assert.equal(typeof body.seatsLeft === 'number' || body.seatsLeft === null, true);
  });

  test('session sign-up: needs a confirmed RSVP, then takes a seat; the second person waits', async () => {
    const session = await app.db
      .selectFrom('sessions')
      .select(['id', 'code'])
      .where('event_id', '=', eventId)
      .where('code', '=', 'ebpf')
      .executeTakeFirstOrThrow();
    const rctx = await registrationContext(app.db, app.hallway.ctx.config, app.hallway.ctx.clock);
    await configureSessionSignup(app.db, rctx, await actorOf(app.db, orgId), eventId, session.id, { enabled: true, capacity: 1 });
    const page = `/events/${SLUG}/sessions/ebpf/signup`;
    const a = await person(app.db, app.url, 'Sam');
    assert.match(textOf(await (await a.web.get(page)).text()), /Sign-up needs a confirmed RSVP first/);
    await a.web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '0', 'answers.t-shirt-size': 'S' });
    assert.match(textOf(await (await a.web.get(`/events/${SLUG}/rsvp`)).text()), /Sessions that need sign-up eBPF for Humans/);
    assert.equal((await a.web.submit(page, page, {})).status, 303);
    assert.match(
      textOf(await (await a.web.get(page)).text()),
      /You have a seat in "eBPF for Humans"\..*Full: 0 people on the waitlist.*You have a seat in this session/,
    );
    const b = await person(app.db, app.url, 'Sue');
    await b.web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '0', 'answers.t-shirt-size': 'S' });
    assert.equal((await b.web.submit(page, page, {})).status, 303);
    assert.match(textOf(await (await b.web.get(page)).text()), /You're number 1 on this session's waitlist/);
    assert.equal((await a.web.submit(page, `${page}/cancel`, {})).status, 303);
    assert.match(textOf(await (await b.web.get(page)).text()), /You have a seat in this session/);
  });

  test('the organizer moves people by hand from the attendee list', async () => {
    const { user, web } = await person(app.db, app.url, 'Moe');
    await web.submit(`/events/${SLUG}/rsvp`, `/events/${SLUG}/rsvp`, { attending: 'yes', guests: '0', 'answers.t-shirt-size': 'S' });
    const id = (await rsvpRow(app.db, eventId, user.id))!.id;
    const list = textOf(await (await org.get(`${reg()}?q=moe`)).text());
    assert.match(list, /Moe moe\.\d+@example\.org Going 0 — — To waitlist Moe Cancel Moe/);
    assert.equal((await org.submit(reg(), reg('move'), { rsvpId: String(id), to: 'waitlisted' })).status, 303);
    assert.equal((await rsvpRow(app.db, eventId, user.id))!.status, 'going', 'seats were free, so the waitlist promoted Moe again');
    const bad = await org.submit(reg(), reg('move'), { rsvpId: String(id), to: 'going' });
    assert.equal(bad.status, 409);
    assert.match(textOf(await bad.text()), /Cannot promote an RSVP that is going\./);
    assert.equal((await org.submit(reg(), reg('move'), { rsvpId: String(id), to: 'cancelled' })).status, 303);
    assert.equal((await rsvpRow(app.db, eventId, user.id))!.status, 'cancelled');
  });
});
