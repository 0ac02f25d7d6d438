import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { publishEvent } from '../../src/modules/schedule/publication.actions.js';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { createSession } from '../../src/modules/program/session.actions.js';
import { createTrack } from '../../src/modules/program/track.actions.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { csrfTokenIn, WebClient } from '../support/web-client.js';
import { assertShows, expectRedirect, idIn, inputValue, signedInClient, visibleText } from '../backoffice/support.js';
import { actorOf, organizerWithEvent } from '../program/support.js';
import { moduleContext } from '../support/module-context.js';

/**
 * The CFP as people use it in a browser without JavaScript: the organizer's settings form, the
 * public call, submitting, changing and withdrawing a proposal, reviewing and deciding, putting
 * it on the programme. Real server, real SQLite, every form posted with its CSRF token.
 */

const local = (d: DateTime) => d.setZone('Europe/Amsterdam').toFormat("yyyy-MM-dd'T'HH:mm");

describe('call for proposals pages', () => {
  let app: RunningApp;
  let organizer: Actor;
  let org: WebClient;
  let eventId: number;
  let roomId: number;
  let trackId: number;
  const slug = 'cfpweb';
  const A = (sub = '') => `/manage/events/${eventId}${sub}`;

  before(async () => {
    app = await startTestApp();
    const made = await organizerWithEvent(app.db, slug);
    organizer = await actorOf(app.db, made.actor.userId);
    eventId = made.event.id;
    roomId = (await createRoom(moduleContext(app.db), organizer, eventId, { name: 'Main Hall' })).id;
    trackId = (await createTrack(moduleContext(app.db), organizer, eventId, { name: 'Web' })).id;
    const cookie = await app.db.selectFrom('users').select('id').where('id', '=', organizer.userId).executeTakeFirstOrThrow();
    const { createAuthSession } = await import('../../src/modules/accounts/auth-session.queries.js');
    org = WebClient.signedIn(app.url, await createAuthSession(app.db, cookie.id, 'test'));
  });
  after(async () => app?.close());

  async function postForm(client: WebClient, page: string, action: string, fields: Record<string, string>) {
    return client.submit(page, action, fields);
  }

  test('organizers set up the call; a bad duration is shown next to its field with the typed values kept', async () => {
    const page = await org.get(A('/cfp'));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.ok(html.includes(`href="${A('/cfp')}"`) && html.includes('Call for proposals'), 'the tab is in the event navigation');
    const opensAt = local(DateTime.now().minus({ days: 1 }));
    const closesAt = local(DateTime.now().plus({ days: 30 }));
    const fields = {
      opensAt,
      closesAt,
      callText: 'Talk to us!\n\n<script>alert(1)</script> & more',
      'format.talk': 'on',
      'duration.talk': '30',
      'format.workshop': 'on',
      'duration.workshop': 'long',
    };
    const bad = await postForm(org, A('/cfp'), A('/cfp'), fields);
    assert.equal(bad.status, 422);
    const badHtml = await bad.text();
    assert.match(
      badHtml,
      /<div class="field field-error"><label for="f-duration-workshop">Workshop: minutes<\/label><p class="error" id="f-duration-workshop-error">must be a whole number<\/p>/,
    );
    assert.equal(inputValue(badHtml, 'opensAt'), opensAt);
    assert.match(badHtml, /Talk to us!\n\n&lt;script>alert\(1\)&lt;\/script> &amp; more<\/textarea>/, 'the typed text is kept, escaped');
    await expectRedirect(await postForm(org, A('/cfp'), A('/cfp'), { ...fields, 'duration.workshop': '90' }), A('/cfp'));
    const saved = await (await org.get(A('/cfp'))).text();
    assert.equal(inputValue(saved, 'duration.workshop'), '90');
    assert.equal(inputValue(saved, 'opensAt'), opensAt, 'shown back in the event zone');
  });

  test('the public call: text escaped in paragraphs, dates in the zone, formats, and a submit link that signs in first', async () => {
    const res = await app.get(`/events/${slug}/cfp`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('set-cookie'), null, 'no per-person state');
    const html = await res.text();
    assert.match(html, /<p><span>Talk to us!<\/span><\/p><p><span>&lt;script(>|&gt;)alert\(1\)&lt;\/script(>|&gt;) &amp; more<\/span><\/p>/);
    assert.ok(!html.includes('<script>alert'));
    assertShows(html, 'The call for proposals is open until');
    assertShows(html, 'Workshop: 90 minutes');
    assertShows(html, 'Europe/Amsterdam');
    assert.ok(html.includes(`href="/events/${slug}/cfp/submit"`));
    const anon = await app.get(`/events/${slug}/cfp/submit`, { redirect: 'manual' });
    assert.equal(anon.status, 303);
    assert.equal(anon.headers.get('location'), `/sign-in?next=${encodeURIComponent(`/events/${slug}/cfp/submit`)}`);
    assert.equal((await app.get('/events/no-such-event/cfp')).status, 404);
    // Once the event is published, its page links to the call.
    await publishEvent(moduleContext(app.db), organizer, eventId);
    const eventPage = await (await app.get(`/events/${slug}`)).text();
    assert.ok(eventPage.includes(`href="/events/${slug}/cfp"`), 'the event page links to the call');
    assert.ok((await (await app.get(`/events/${slug}/cfp`)).text()).includes(`href="/events/${slug}"`), 'and the call to the event');
  });

  test('speakers submit (field errors keep what was typed), change and withdraw; others get 404', async () => {
    const { user, client: ada } = await signedInClient(app.url, app.db, 'Ada');
    const submit = `/events/${slug}/cfp/submit`;
    const empty = await postForm(ada, submit, submit, {
      title: '',
      kind: 'talk',
      abstract: 'Kept <b>abstract</b>',
      trackId: String(trackId),
      coSpeakers: 'nope',
    });
    assert.equal(empty.status, 422);
    const emptyHtml = await empty.text();
    assert.match(emptyHtml, /<label for="f-title">Title<\/label><p class="error" id="f-title-error">is required<\/p>/);
    assert.match(emptyHtml, /<p class="error" id="f-coSpeakers-error">is not an e-mail address<\/p>/);
    assert.ok(emptyHtml.includes('>Kept &lt;b>abstract&lt;/b></textarea>'), 'typed abstract kept, escaped');
    const to = await expectRedirect(
      await postForm(ada, submit, submit, {
        title: 'Forms without JS',
        kind: 'talk',
        abstract: 'Yes, really.',
        trackId: String(trackId),
        language: 'en',
        coSpeakers: 'grace@example.net',
      }),
      /^\/account\/proposals\/\d+$/,
    );
    const proposalId = idIn(to, /proposals\/(\d+)/);
    const mails = await app.db
      .selectFrom('mail_outbox')
      .select(['to_address', 'subject', 'text_body'])
      .where('subject', 'like', '%Forms without JS')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      mails.map((m) => [m.to_address, m.subject]).sort(),
      [
        ['grace@example.net', 'Ada invites you to co-speak: Forms without JS'],
        [user.email, 'Proposal received: Forms without JS'],
      ].sort(),
    );
    const list = await (await ada.get('/account/proposals')).text();
    assertShows(list, 'Forms without JS');
    assertShows(list, 'Submitted');
    assertShows(await (await ada.get(to)).text(), 'Co-speakers: grace@example.net (invited, no answer yet)');

    // Grace has no account: the mailed link shows the invitation; opening it uses nothing up, a
    // POST declines it for good, and the link then works no more.
    const link = /https?:\/\/[^/\s]+(\/cospeaker-invitation\?token=[\w%-]+)/.exec(mails.find((m) => m.to_address === 'grace@example.net')!.text_body)![1]!;
    const grace = new WebClient(app.url);
    for (let i = 0; i < 2; i++) {
      const page = await grace.get(link);
      assert.equal(page.status, 200);
      const text = visibleText(await page.text());
      assert.ok(text.includes('Ada invites you to co-speak') && text.includes('"Forms without JS", proposed for'), text);
      assert.ok(text.includes('with grace@example.net and open this link again') && !text.includes('Accept: I speak in it'), text);
    }
    const declined = await grace.submit(link, '/cospeaker-invitation', { token: decodeURIComponent(link.split('token=')[1]!), answer: 'decline', block: 'on' });
    assert.equal(declined.status, 200);
    assertShows(await declined.text(), 'This address gets no more invitations to co-speak.');
    assert.equal((await grace.get(link)).status, 400);
    assertShows(await (await ada.get(to)).text(), 'Co-speakers: grace@example.net (declined)');

    const { client: eve } = await signedInClient(app.url, app.db, 'Eve');
    assert.equal((await eve.get(to)).status, 404);
    assert.equal((await eve.submit('/account/proposals', to, { title: 'Mine now', kind: 'talk', abstract: 'x' })).status, 404);
    assert.equal((await eve.submit('/account/proposals', `${to}/withdraw`, {})).status, 404);
    assert.equal((await eve.get(`${to}/withdraw`)).status, 404);
    assert.equal((await ada.get('/account/proposals/99999999')).status, 404);
    assert.equal((await ada.post(to, { title: 'No token', kind: 'talk', abstract: 'x' })).status, 403, 'CSRF checked');

    await expectRedirect(
      await postForm(ada, to, to, { title: 'Forms without JavaScript', kind: 'workshop', abstract: 'Yes, really.', language: 'en', coSpeakers: '' }),
      to,
    );
    const row = await app.db
      .selectFrom('proposals')
      .select(['title', 'kind', 'duration_minutes', 'state'])
      .where('id', '=', proposalId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { title: 'Forms without JavaScript', kind: 'workshop', duration_minutes: 90, state: 'submitted' });
    const confirm = await ada.get(`${to}/withdraw`);
    assertShows(await confirm.text(), 'Withdraw "Forms without JavaScript"?');
    await expectRedirect(await postForm(ada, `${to}/withdraw`, `${to}/withdraw`, {}), to);
    const after = await (await ada.get(to)).text();
    assertShows(after, 'Withdrawn');
    assert.ok(!after.includes('Save changes'), 'no edit form once withdrawn');
    const refused = await postForm(ada, to, to, { title: 'Back?', kind: 'talk', abstract: 'x' });
    assert.equal(refused.status, 409);
    assertShows(await refused.text(), 'This proposal is withdrawn; it can no longer be changed.');
  });

  test('an unconfirmed address is told to confirm first and cannot submit', async () => {
    const { user, client } = await signedInClient(app.url, app.db, 'Unconfirmed');
    await app.db.updateTable('users').set({ email_verified_at: null }).where('id', '=', user.id).execute();
    const page = await (await client.get(`/events/${slug}/cfp/submit`)).text();
    assertShows(page, 'Confirm your e-mail address first');
    assert.ok(!page.includes('Submit the proposal'));
    const res = await client.submit('/account', `/events/${slug}/cfp/submit`, { title: 'T', kind: 'talk', abstract: 'A' });
    assert.equal(res.status, 403);
    assertShows(await res.text(), 'Confirm your e-mail address');
  });

  test('reviewers rate (never their own), organizers decide and put it on the programme; a busy room is explained and writes nothing', async () => {
    const grants = [{ scope: 'event' as const, scopeId: eventId, role: 'reviewer' as const, trackIds: [] }];
    const { client: rita } = await signedInClient(app.url, app.db, 'Rita', { grants });
    const { client: bob } = await signedInClient(app.url, app.db, 'Bob');
    const submit = `/events/${slug}/cfp/submit`;
    const bobTo = await expectRedirect(await postForm(bob, submit, submit, { title: 'Bob on caching', kind: 'talk', abstract: 'Caches.', language: 'en' }));
    const ritaTo = await expectRedirect(await postForm(rita, submit, submit, { title: 'Rita on reviews', kind: 'talk', abstract: 'Reviews.', language: 'en' }));
    const bobId = idIn(bobTo, /proposals\/(\d+)/);
    const ritaId = idIn(ritaTo, /proposals\/(\d+)/);

    // Reviewers have no back office but this; the account page leads them here.
    assertShows(await (await rita.get('/account/proposals')).text(), 'Proposals to review');
    assert.ok((await (await rita.get('/manage')).text()).includes(`href="${A('/proposals')}"`), '/manage leads a reviewer to the proposals');
    const list = await rita.get(A('/proposals'));
    assert.equal(list.status, 200);
    const listHtml = await list.text();
    assertShows(listHtml, 'Bob on caching');
    assert.ok(!listHtml.includes(`href="${A('/sessions')}"`), 'only the proposals tab for a reviewer');
    assert.equal((await rita.get(A('/sessions'))).status, 403);

    const detail = A(`/proposals/${bobId}`);
    const bad = await postForm(rita, detail, `${detail}/review`, { score: '9', comment: 'Kept comment' });
    assert.equal(bad.status, 422);
    const badHtml = await bad.text();
    assert.match(badHtml, /<p class="error" id="f-score-error">must be at most 5<\/p>/);
    assert.ok(badHtml.includes('Kept comment</textarea>'));
    await expectRedirect(await postForm(rita, detail, `${detail}/review`, { score: '4', comment: 'Solid <b>talk</b>' }), detail);
    await expectRedirect(await postForm(rita, detail, `${detail}/review`, { score: '5', comment: 'Even better' }), detail);
    const orgView = await (await org.get(detail)).text();
    assertShows(orgView, 'Rita: 5');
    // Speakers' addresses are for organizers (and the speakers themselves), never for reviewers.
    const bobEmail = (await app.db.selectFrom('proposal_speakers').select('email').where('proposal_id', '=', bobId).executeTakeFirstOrThrow()).email;
    assert.ok(orgView.includes(bobEmail), 'organizers see the address');
    assert.ok(!(await (await rita.get(detail)).text()).includes(bobEmail), 'a reviewer does not, on the proposal');
    assert.ok(!(await (await rita.get(A('/proposals'))).text()).includes(bobEmail), 'nor in the list');
    assertShows(orgView, '1 review, average 5.0 of 5.');

    const own = A(`/proposals/${ritaId}`);
    const ownHtml = await (await rita.get(own)).text();
    assertShows(ownHtml, 'You are a speaker of this proposal');
    assert.ok(!ownHtml.includes(`action="${own}/review"`), "no review form on one's own proposal");
    const ownPost = await postForm(rita, detail, `${own}/review`, { score: '5' });
    assert.equal(ownPost.status, 403);
    assert.equal((await app.db.selectFrom('proposal_reviews').select('id').where('proposal_id', '=', ritaId).execute()).length, 0);
    assert.equal((await postForm(rita, detail, `${detail}/decide`, { decision: 'accept' })).status, 403, 'reviewers do not decide');
    assert.equal((await bob.get(detail)).status, 403, 'speakers without a grant see no back office');

    await expectRedirect(await postForm(org, detail, `${detail}/decide`, { decision: 'accept' }), detail);
    const accepted = await app.db.selectFrom('mail_outbox').select('subject').where('subject', '=', 'Accepted: Bob on caching').execute();
    assert.equal(accepted.length, 1);
    // The room is busy at 10:00-10:30 on the first day: the form explains it and nothing is written.
    await createSession(moduleContext(app.db), organizer, eventId, {
      kind: 'talk',
      title: 'Already there',
      start: '2027-04-15T10:00',
      durationMinutes: 30,
      roomId,
    });
    const sessionsBefore = await app.db.selectFrom('sessions').select('id').execute();
    const speakersBefore = await app.db.selectFrom('speakers').select('id').execute();
    const clash = await postForm(org, detail, `${detail}/schedule`, { roomId: String(roomId), day: '2027-04-15', time: '10:15' });
    assert.equal(clash.status, 409);
    const clashHtml = await clash.text();
    assertShows(clashHtml, 'The room is taken at that time');
    assert.equal(inputValue(clashHtml, 'time'), '10:15');
    assert.deepEqual(await app.db.selectFrom('sessions').select('id').execute(), sessionsBefore);
    assert.deepEqual(await app.db.selectFrom('speakers').select('id').execute(), speakersBefore);
    const noTime = await postForm(org, detail, `${detail}/schedule`, { roomId: String(roomId), day: '2027-04-15', time: '' });
    assert.equal(noTime.status, 422);
    assert.match(await noTime.text(), /<p class="error" id="f-time-error">is required<\/p>/);
    await expectRedirect(await postForm(org, detail, `${detail}/schedule`, { roomId: String(roomId), day: '2027-04-15', time: '10:30' }), detail);
    const p = await app.db.selectFrom('proposals').select('session_id').where('id', '=', bobId).executeTakeFirstOrThrow();
    const session = await app.db.selectFrom('sessions').selectAll().where('id', '=', p.session_id!).executeTakeFirstOrThrow();
    assert.deepEqual([session.title, session.starts_at, session.duration_minutes], ['Bob on caching', '2027-04-15T08:30:00Z', 30]);
    const speaker = await app.db
      .selectFrom('session_speakers')
      .innerJoin('speakers', 'speakers.id', 'session_speakers.speaker_id')
      .select(['speakers.name'])
      .where('session_id', '=', session.id)
      .execute();
    assert.deepEqual(
      speaker.map((s) => s.name),
      ['Bob'],
    );
    assertShows(await (await org.get(detail)).text(), 'On the programme');
    assertShows(await (await bob.get(bobTo)).text(), 'Accepted');
  });

  test('filtering and sorting the list; a bad filter is explained', async () => {
    const html = await (await org.get(A('/proposals?state=withdrawn'))).text();
    assertShows(html, 'Forms without JavaScript');
    assert.ok(!visibleText(html).includes('Bob on caching'));
    const sorted = visibleText(await (await org.get(A('/proposals?sort=score'))).text());
    assert.ok(sorted.indexOf('Bob on caching') < sorted.indexOf('Rita on reviews'), 'best average first');
    assert.equal((await org.get(A('/proposals?state=lost'))).status, 422);
  });

  test('closing early: the call says so, a submission is refused with the reason and writes nothing; reopening restores it', async () => {
    await expectRedirect(await postForm(org, A('/cfp'), A('/cfp/close'), {}), A('/cfp'));
    const call = await (await app.get(`/events/${slug}/cfp`)).text();
    assertShows(call, 'the organizers closed it early');
    assert.ok(!call.includes('/cfp/submit"'), 'no submit link while closed');
    const { client } = await signedInClient(app.url, app.db, 'Late');
    const before = (await app.db.selectFrom('proposals').select('id').execute()).length;
    const late = await client.submit('/account', `/events/${slug}/cfp/submit`, { title: 'Late talk', kind: 'talk', abstract: 'Sorry.' });
    assert.equal(late.status, 409);
    assertShows(await late.text(), 'The organizers closed the call for proposals.');
    assert.equal((await app.db.selectFrom('proposals').select('id').execute()).length, before);
    assertShows(await (await org.get(A('/cfp'))).text(), 'Reopen the call');
    await expectRedirect(await postForm(org, A('/cfp'), A('/cfp/reopen'), {}), A('/cfp'));
    assertShows(await (await app.get(`/events/${slug}/cfp`)).text(), 'The call for proposals is open until');
  });

  test('anonymous people are sent to sign in; people without a grant are refused', async () => {
    const anon = new WebClient(app.url);
    const res = await anon.get(A('/proposals'));
    assert.equal(res.status, 303);
    const { client } = await signedInClient(app.url, app.db, 'Nobody');
    assert.equal((await client.get(A('/proposals'))).status, 403);
    assert.equal((await client.get(A('/cfp'))).status, 403);
    const token = csrfTokenIn(await (await client.get('/account')).text())!;
    assert.equal((await client.post(A('/cfp/close'), { _csrf: token })).status, 403);
  });
});
