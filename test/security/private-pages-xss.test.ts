import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import { WebClient } from '../support/web-client.js';
import { createTestUser } from '../factories/users.js';
import { PAYLOADS, executableForms, xssDoc } from '../web/hostile.js';
import { visibleText } from '../web/support.js';
import { publishEvent, unpublishEvent } from '../../src/modules/schedule/publication.actions.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { saveCfpSettings } from '../../src/modules/cfp/cfp-settings.actions.js';
import { submitProposal } from '../../src/modules/cfp/proposal.actions.js';
import { saveReview } from '../../src/modules/cfp/review.actions.js';
import { moduleContext } from '../support/module-context.js';

/**
 * The back office and the account pages show what organizers, speakers and attendees typed:
 * every page of an event whose every field carries an XSS payload, seen by its organizer, must
 * show the payloads as text and contain nothing executable (forms are expected here; scripts
 * only our own, attributes never event handlers, URLs only http(s) or same-site).
 */
describe('back-office and account pages with hostile content', () => {
  let app: RunningApp;
  let client: WebClient;
  let eventId: number;
  let ownProposalId: number;
  let otherProposalId: number;

  before(async () => {
    app = await startTestApp({ docs: [xssDoc()] });
    const event = await app.db.selectFrom('events').select(['id', 'community_id']).where('slug', '=', 'xss-conf').executeTakeFirstOrThrow();
    eventId = event.id;
    const organizer = await createTestUser(app.db, {
      email: 'org@example.org',
      displayName: `Org ${PAYLOADS[0]}`,
      grants: [{ scope: 'community', scopeId: event.community_id, role: 'owner', trackIds: [] }],
    });
    client = WebClient.signedIn(app.url, organizer.sessionCookie);
    // Unpublish and publish again so the audit log holds entries naming the hostile title.
    const user = await app.db.selectFrom('users').selectAll().where('id', '=', organizer.id).executeTakeFirstOrThrow();
    const actor = await actorFor(app.db, user);
    await unpublishEvent(moduleContext(app.db), actor, eventId);
    await publishEvent(moduleContext(app.db), actor, eventId);
    // A call for proposals, proposals and a review, every text hostile.
    const cfpCtx = { config: app.hallway.ctx.config, clock: app.hallway.ctx.clock };
    const local = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);
    await saveCfpSettings(app.db, cfpCtx, actor, eventId, {
      opensAt: local(-1),
      closesAt: local(30),
      callText: PAYLOADS.join('\n\n'),
      formats: [{ kind: 'talk', durationMinutes: 30 }],
    });
    const hostileProposal = (i: number) => ({
      title: `Proposal ${PAYLOADS[i]}`,
      kind: 'talk',
      abstract: PAYLOADS.join('\n'),
      description: PAYLOADS.join('\n\n'),
      notes: PAYLOADS[i],
      language: 'en',
    });
    ownProposalId = (await submitProposal(app.db, cfpCtx, actor, eventId, hostileProposal(1))).id;
    const speakerUser = await createTestUser(app.db, { email: 'speaker@example.org', displayName: `Speaker ${PAYLOADS[2]}` });
    const speaker = await actorFor(app.db, await app.db.selectFrom('users').selectAll().where('id', '=', speakerUser.id).executeTakeFirstOrThrow());
    otherProposalId = (await submitProposal(app.db, cfpCtx, speaker, eventId, hostileProposal(3))).id;
    const reviewerUser = await createTestUser(app.db, {
      email: 'rev@example.org',
      displayName: `Reviewer ${PAYLOADS[4]}`,
      grants: [{ scope: 'event', scopeId: eventId, role: 'reviewer', trackIds: [] }],
    });
    const reviewer = await actorFor(app.db, await app.db.selectFrom('users').selectAll().where('id', '=', reviewerUser.id).executeTakeFirstOrThrow());
    await saveReview(app.db, cfpCtx, reviewer, eventId, otherProposalId, { score: 3, comment: PAYLOADS.join('\n') });
  });
  after(async () => {
    await app?.close();
  });

  async function paths(): Promise<string[]> {
    const ids = async (table: 'rooms' | 'tracks' | 'sponsors' | 'speakers' | 'sessions') =>
      (await app.db.selectFrom(table).select('id').where('event_id', '=', eventId).orderBy('id').limit(4).execute()).map((r) => r.id);
    const base = `/manage/events/${eventId}`;
    return [
      '/manage',
      '/account',
      '/account/tokens',
      base,
      `${base}/edit`,
      `${base}/hosts`,
      `${base}/team`,
      `${base}/audit`,
      `${base}/rooms`,
      `${base}/tracks`,
      `${base}/sponsors`,
      `${base}/speakers`,
      `${base}/sessions`,
      `${base}/sessions/new`,
      `${base}/cfp`,
      `${base}/proposals`,
      `${base}/proposals/${ownProposalId}`,
      `${base}/proposals/${otherProposalId}`,
      '/account/proposals',
      `/account/proposals/${ownProposalId}`,
      `/account/proposals/${ownProposalId}/withdraw`,
      '/events/xss-conf/cfp',
      '/events/xss-conf/cfp/submit',
      ...(await ids('rooms')).map((id) => `${base}/rooms/${id}`),
      ...(await ids('tracks')).map((id) => `${base}/tracks/${id}`),
      ...(await ids('sponsors')).map((id) => `${base}/sponsors/${id}`),
      ...(await ids('speakers')).map((id) => `${base}/speakers/${id}`),
      ...(await ids('sessions')).map((id) => `${base}/sessions/${id}`),
    ];
  }

  test('no back-office or account page has an executable form of any payload', async () => {
    const all = await paths();
    assert.ok(all.length > 25);
    for (const path of all) {
      const res = await client.get(path);
      const html = await res.text();
      assert.equal(res.status, 200, path);
      assert.deepEqual(executableForms(html), [], `${path} is unsafe`);
    }
  });

  test('hostile names are shown as text where organizers read them', async () => {
    const sessions = visibleText(await (await client.get(`/manage/events/${eventId}/sessions`)).text());
    for (let i = 0; i < PAYLOADS.length; i++) assert.ok(sessions.includes(`Talk ${i} ${PAYLOADS[i]}`), `session ${i} title as text`);
    const proposal = visibleText(await (await client.get(`/manage/events/${eventId}/proposals/${otherProposalId}`)).text());
    for (const payload of PAYLOADS) assert.ok(proposal.includes(payload), `proposal text and review comment show ${payload} as text`);
    assert.ok(proposal.includes(`Reviewer ${PAYLOADS[4]}: 3`), 'the reviewer name as text');
    assert.match(proposal, /Submitted · proposed \w+day \d+ \w+ \d{4}, \d\d:\d\d/, 'the state once, then when it came in');
    assert.ok(!proposal.includes('Submitted Submitted'));
    const call = visibleText(await (await client.get('/events/xss-conf/cfp')).text());
    for (const payload of PAYLOADS) assert.ok(call.includes(payload), `the call shows ${payload} as text`);
    const account = visibleText(await (await client.get('/account')).text());
    assert.ok(account.includes(`Org ${PAYLOADS[0]}`), 'the display name is shown as text');
  });
});
