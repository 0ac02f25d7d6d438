import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { inviteToRole } from '../../src/modules/accounts/invitation.actions.js';
import { createCommunity } from '../../src/modules/events/community.actions.js';
import { createEvent } from '../../src/modules/events/event.actions.js';
import { createSponsor } from '../../src/modules/events/sponsor.actions.js';
import { createSeries, generateOccurrences } from '../../src/modules/events/series.actions.js';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { createBlocker } from '../../src/modules/planning/blocker.actions.js';
import { createSession } from '../../src/modules/program/session.actions.js';
import { createTrack } from '../../src/modules/program/track.actions.js';
import { createSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import { releaseSchedule } from '../../src/modules/schedule/release.actions.js';
import { saveCfpSettings } from '../../src/modules/cfp/cfp-settings.actions.js';
import { submitProposal } from '../../src/modules/cfp/proposal.actions.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { insertRun } from '../propose/stub-engine.js';
import { WebClient, csrfTokenIn } from '../support/web-client.js';
import { createTestUser } from '../factories/users.js';
import { assertShows, counts, signedInClient, visibleText } from './support.js';
import { AUDIENCES, uncoveredRoutes } from '../support/route-inventory.js';
import { moduleContext } from '../support/module-context.js';

/**
 * The role × route matrix of the back office: every page (GET) and action (POST) against
 * anonymous visitors (sent to sign in), signed-in people without a role, a speaker with a proposal in A, a reviewer, a check-in
 * volunteer of event A, a track manager of track T, the organizer of event A (and not of event B)
 * and a site administrator.
 * Allowed means the page or action was reached (200; 303, or 409/422 for a deliberately refused
 * input); forbidden means 403 and nothing written.
 */

type Role = 'anonymous' | 'attendee' | 'speaker' | 'reviewer' | 'volunteer' | 'trackManager' | 'organizer' | 'admin';
const ROLES: readonly Role[] = ['anonymous', 'attendee', 'speaker', 'reviewer', 'volunteer', 'trackManager', 'organizer', 'admin'];

/**
 * Who may: anyone signed in; start a community (COMMUNITY_CREATORS=allowed: administrators, and
 * the organizer, whom an administrator allowed); managers of community A; the back office of A; A's door; sessions
 * of track T; A's settings; B.
 */
type Access = 'signedIn' | 'startCommunity' | 'communityA' | 'viewA' | 'checkinA' | 'trackT' | 'settingsA' | 'eventB' | 'proposalsT';
const ALLOWED: Record<Access, readonly Role[]> = {
  signedIn: ['attendee', 'speaker', 'reviewer', 'volunteer', 'trackManager', 'organizer', 'admin'],
  startCommunity: ['organizer', 'admin'],
  communityA: ['organizer', 'admin'],
  viewA: ['trackManager', 'organizer', 'admin'],
  checkinA: ['volunteer', 'trackManager', 'organizer', 'admin'],
  trackT: ['trackManager', 'organizer', 'admin'],
  settingsA: ['organizer', 'admin'],
  eventB: ['admin'],
  /** A's proposals of track T: reviewers (every proposal), T's track manager, organizers. */
  proposalsT: ['reviewer', 'trackManager', 'organizer', 'admin'],
};

interface Route {
  readonly method: 'GET' | 'POST';
  readonly access: Access;
  /** Path, or a function making a fresh target (for deletes) each time. */
  readonly path: string | (() => Promise<string>);
  readonly fields?: Record<string, string> | (() => Promise<Record<string, string>>);
  /** Statuses that mean "reached" for an allowed POST, when not 303/409/422 (check-in answers 200). */
  readonly ok?: readonly number[];
  /** A Server-Sent Events stream (never ends by itself): closed unread once its status and headers are in. */
  readonly stream?: true;
}

/**
 * A webhook row as createWebhook writes it, to a loopback address this app (private addresses
 * not allowed) refuses at delivery without connecting: a test ping fails at once.
 */
async function loopbackWebhook(db: RunningApp['db'], eventId: number): Promise<number> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const row = await db
    .insertInto('webhooks')
    .values({
      event_id: eventId,
      url: 'http://127.0.0.1:9/hook',
      secret: 'matrix-secret',
      disabled_reason: null,
      next_attempt_at: null,
      claimed_at: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('back office: role × route matrix', () => {
  let app: RunningApp;
  let org: Actor;
  const ids = {} as Record<
    | 'communityA'
    | 'communityB'
    | 'eventA'
    | 'eventB'
    | 'room'
    | 'optimizerRun'
    | 'trackT'
    | 'trackU'
    | 'sessionT'
    | 'sessionU'
    | 'speakerT'
    | 'speakerU'
    | 'sponsor'
    | 'proposalT'
    | 'webhook'
    | 'blocker',
    number
  >;
  const clients = {} as Record<Role, WebClient>;
  let fresh = 0;
  /** Every `METHOD /path` the matrix sent, to check it reached every back-office route of the app. */
  const probed = new Set<string>();

  before(async () => {
    // No background webhook deliveries: releasing publishes A, and a delivery written while a
    // refused request runs would read as a write of that request.
    app = await startTestApp({ webhookDispatcher: false });
    const db = app.db;
    const actorOf = async (id: number) => actorFor(db, await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    const orgUser = await createTestUser(db, { email: 'org-a@example.org', displayName: 'Org A', mayCreateCommunities: true });
    org = await actorOf(orgUser.id);
    ids.communityA = (await createCommunity(moduleContext(db), org, { slug: 'community-a', name: 'Community A' })).id;
    org = await actorOf(orgUser.id);
    const orgB = await createTestUser(db, { email: 'org-b@example.org', displayName: 'Org B', mayCreateCommunities: true });
    let orgBActor = await actorOf(orgB.id);
    ids.communityB = (await createCommunity(moduleContext(db), orgBActor, { slug: 'community-b', name: 'Community B' })).id;
    orgBActor = await actorOf(orgB.id);
    const eventFields = { kind: 'conference', timeZone: 'Europe/Amsterdam', startDate: '2027-04-15', endDate: '2027-04-16' };
    ids.eventA = (await createEvent(moduleContext(db), org, { communityId: ids.communityA, slug: 'event-a', title: 'Event A', ...eventFields })).id;
    ids.eventB = (await createEvent(moduleContext(db), orgBActor, { communityId: ids.communityB, slug: 'event-b', title: 'Event B', ...eventFields })).id;
    ids.room = (await createRoom(moduleContext(db), org, ids.eventA, { name: 'Main Hall' })).id;
    ids.trackT = (await createTrack(moduleContext(db), org, ids.eventA, { name: 'Track T' })).id;
    ids.trackU = (await createTrack(moduleContext(db), org, ids.eventA, { name: 'Track U' })).id;
    ids.optimizerRun = await insertRun(db, ids.eventA, orgUser.id);
    ids.speakerT = (await createSpeaker(moduleContext(db), org, ids.eventA, { name: 'Speaker T' })).id;
    ids.speakerU = (await createSpeaker(moduleContext(db), org, ids.eventA, { name: 'Speaker U' })).id;
    ids.sponsor = (await createSponsor(moduleContext(db), org, ids.eventA, { name: 'Sponsor' })).id;
    ids.sessionT = (
      await createSession(moduleContext(db), org, ids.eventA, {
        kind: 'talk',
        title: 'Session T',
        start: '2027-04-15T10:00',
        durationMinutes: 30,
        roomId: ids.room,
        trackId: ids.trackT,
        speakerIds: [ids.speakerT],
      })
    ).id;
    ids.webhook = await loopbackWebhook(db, ids.eventA);
    ids.sessionU = (
      await createSession(moduleContext(db), org, ids.eventA, {
        kind: 'talk',
        title: 'Session U',
        start: '2027-04-15T11:00',
        durationMinutes: 30,
        roomId: ids.room,
        trackId: ids.trackU,
        speakerIds: [ids.speakerU],
      })
    ).id;

    const cfpCtx = { config: app.hallway.ctx.config, clock: app.hallway.ctx.clock };
    const local = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);
    await saveCfpSettings(db, cfpCtx, org, ids.eventA, { opensAt: local(-2), closesAt: local(30), formats: [{ kind: 'talk', durationMinutes: 30 }] });
    const proposer = await createTestUser(db, { email: 'proposer-t@example.org', displayName: 'Proposer T' });
    const speaker = await actorOf(proposer.id);
    ids.proposalT = (await submitProposal(db, cfpCtx, speaker, ids.eventA, { title: 'Proposal T', kind: 'talk', abstract: 'About T', trackId: ids.trackT })).id;

    clients.anonymous = new WebClient(app.url);
    // A speaker: their proposal is in A's call; the back office stays closed to them.
    clients.speaker = WebClient.signedIn(app.url, proposer.sessionCookie);
    clients.attendee = (await signedInClient(app.url, db, 'Attendee')).client;
    clients.reviewer = (
      await signedInClient(app.url, db, 'Reviewer', { grants: [{ scope: 'event', scopeId: ids.eventA, role: 'reviewer', trackIds: [] }] })
    ).client;
    clients.volunteer = (
      await signedInClient(app.url, db, 'Volunteer', { grants: [{ scope: 'event', scopeId: ids.eventA, role: 'volunteer', trackIds: [] }] })
    ).client;
    clients.trackManager = (
      await signedInClient(app.url, db, 'Track Manager', { grants: [{ scope: 'event', scopeId: ids.eventA, role: 'track_manager', trackIds: [ids.trackT] }] })
    ).client;
    clients.organizer = WebClient.signedIn(app.url, orgUser.sessionCookie);
    clients.admin = (await signedInClient(app.url, db, 'Admin', { isAdmin: true })).client;
  });
  after(async () => app?.close());

  const A = (sub = '') => `/manage/events/${ids.eventA}${sub}`;
  const fresher = {
    webhook: async () => A(`/webhooks/${await loopbackWebhook(app.db, ids.eventA)}/delete`),
    track: async () => A(`/tracks/${(await createTrack(moduleContext(app.db), org, ids.eventA, { name: `Spare ${++fresh}` })).id}/delete`),
    sponsor: async () => A(`/sponsors/${(await createSponsor(moduleContext(app.db), org, ids.eventA, { name: `Spare ${++fresh}` })).id}/delete`),
    speaker: async () => A(`/speakers/${(await createSpeaker(moduleContext(app.db), org, ids.eventA, { name: `Spare ${++fresh}` })).id}/delete`),
    session: async () =>
      A(
        `/sessions/${(await createSession(moduleContext(app.db), org, ids.eventA, { kind: 'talk', title: `Spare ${++fresh}`, start: '2027-04-16T09:00', durationMinutes: 15, trackId: ids.trackT })).id}/delete`,
      ),
    room: async () => A(`/rooms/${(await createRoom(moduleContext(app.db), org, ids.eventA, { name: `Spare ${++fresh}` })).id}/delete`),
    blocker: async () =>
      A(
        `/schedule/blockers/${(await createBlocker(moduleContext(app.db), org, ids.eventA, { roomId: ids.room, start: '2027-04-16T08:00', durationMinutes: 30 })).id}/delete`,
      ),
    invitation: async () => {
      const inv = await inviteToRole(app.db, app.hallway.ctx.config, org, {
        email: `spare${++fresh}@example.org`,
        scope: 'event',
        scopeId: ids.eventA,
        role: 'reviewer',
        trackIds: [],
      });
      return A(`/team/invitations/${inv.id}/withdraw`);
    },
    /** A person going to event A, not checked in yet (an RSVP row as registration writes it). */
    rsvp: async () => {
      const u = await createTestUser(app.db, { email: `going${++fresh}@example.org`, displayName: `Going ${fresh}` });
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const r = await app.db
        .insertInto('rsvps')
        .values({
          event_id: ids.eventA,
          user_id: u.id,
          status: 'going',
          ticket_type_id: null,
          waitlist_seq: null,
          ticket_nonce: `n${fresh}`,
          promoted_at: null,
          checked_in_at: null,
          checked_in_by: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { rsvpId: String(r.id) };
    },
    /** A weekly series of community A with its first occurrence (an event), for the series pages. */
    series: async () => {
      const series = await createSeries(moduleContext(app.db), org, ids.communityA, {
        name: 'Weekly',
        slug: `weekly-${++fresh}`,
        titlePattern: 'Weekly #{n}',
        timeZone: 'UTC',
        frequency: 'weekly',
        weekday: 'monday',
        startsOn: '2027-01-04',
        count: 1,
      });
      await generateOccurrences(moduleContext(app.db), org, series.id, { today: '2027-01-01' });
      const occurrence = await app.db
        .selectFrom('series_occurrences')
        .select('event_id')
        .where('series_id', '=', series.id)
        .where('event_id', 'is not', null)
        .executeTakeFirstOrThrow();
      return { series: series.id, occurrence: occurrence.event_id! };
    },
    /**
     * A release of A whose speaker mails are held (a new session whose speaker has an address),
     * as the send-mails path.
     */
    heldRelease: async () => {
      const n = ++fresh;
      const u = await createTestUser(app.db, { email: `held${n}@example.org`, displayName: `Held ${n}` });
      const speaker = await createSpeaker(moduleContext(app.db), org, ids.eventA, { name: `Held Speaker ${n}` });
      await app.db.updateTable('speakers').set({ user_id: u.id }).where('id', '=', speaker.id).execute();
      await createSession(moduleContext(app.db), org, ids.eventA, {
        kind: 'talk',
        title: `Held ${n}`,
        start: '2027-04-16T14:00',
        durationMinutes: 15,
        trackId: ids.trackT,
        speakerIds: [speaker.id],
      });
      const ctx = { db: app.db, clock: app.hallway.ctx.clock, config: app.hallway.ctx.config };
      const r = await releaseSchedule(ctx, org, ids.eventA, { name: `Held/${n}`, holdSpeakerMails: true });
      assert.equal(r.release.notifications, 'held');
      return A(`/releases/${encodeURIComponent(r.release.name)}/send-mails`);
    },
    grant: async () => {
      const u = await createTestUser(app.db, {
        email: `granted${++fresh}@example.org`,
        grants: [{ scope: 'event', scopeId: ids.eventA, role: 'reviewer', trackIds: [] }],
      });
      return { userId: String(u.id), role: 'reviewer' };
    },
  };

  let series: { series: number; occurrence: number };
  before(async () => {
    series = await fresher.series();
  });

  const routes = (): Route[] => [
    { method: 'GET', access: 'signedIn', path: '/manage' },
    { method: 'GET', access: 'startCommunity', path: '/manage/communities/new' },
    { method: 'POST', access: 'startCommunity', path: '/manage/communities/new', fields: { name: '', slug: 'x' } },
    { method: 'GET', access: 'signedIn', path: '/manage/events/new' },
    {
      method: 'POST',
      access: 'communityA',
      path: '/manage/events/new',
      fields: {
        communityId: String(ids.communityA),
        kind: 'meetup',
        title: 'Matrix',
        slug: `matrix-${++fresh}`,
        startDate: '2027-01-01',
        endDate: '2027-01-01',
        timeZone: 'UTC',
      },
    },
    { method: 'GET', access: 'communityA', path: `/manage/communities/${ids.communityA}` },
    { method: 'POST', access: 'communityA', path: `/manage/communities/${ids.communityA}`, fields: { name: '' } },
    { method: 'GET', access: 'communityA', path: `/manage/communities/${ids.communityA}/members` },
    { method: 'GET', access: 'communityA', path: `/manage/communities/${ids.communityA}/series` },
    { method: 'POST', access: 'communityA', path: `/manage/communities/${ids.communityA}/series`, fields: { name: '' } },
    { method: 'GET', access: 'communityA', path: `/manage/series/${series.series}` },
    { method: 'POST', access: 'communityA', path: `/manage/series/${series.series}`, fields: { count: 'many' } },
    { method: 'POST', access: 'communityA', path: `/manage/series/${series.series}/generate` },
    { method: 'POST', access: 'communityA', path: async () => fresher.series().then((s) => `/manage/series/${s.series}/events/${s.occurrence}/delete`) },
    { method: 'GET', access: 'viewA', path: A() },
    { method: 'POST', access: 'settingsA', path: A('/interest-counts'), fields: { show: '1' } },
    { method: 'GET', access: 'settingsA', path: A('/edit') },
    { method: 'POST', access: 'settingsA', path: A('/edit'), fields: { title: '' } },
    { method: 'POST', access: 'settingsA', path: A('/publish') },
    { method: 'POST', access: 'settingsA', path: A('/unpublish') },
    { method: 'GET', access: 'settingsA', path: A('/rooms') },
    { method: 'POST', access: 'settingsA', path: A('/rooms'), fields: { name: '' } },
    { method: 'GET', access: 'settingsA', path: A(`/rooms/${ids.room}`) },
    { method: 'POST', access: 'settingsA', path: A(`/rooms/${ids.room}`), fields: { name: '' } },
    { method: 'POST', access: 'settingsA', path: A(`/rooms/${ids.room}/down`) },
    { method: 'POST', access: 'settingsA', path: A(`/rooms/${ids.room}/up`) },
    { method: 'POST', access: 'settingsA', path: A(`/rooms/${ids.room}/delete`) },
    { method: 'POST', access: 'settingsA', path: fresher.room },
    { method: 'GET', access: 'settingsA', path: A('/tracks') },
    { method: 'POST', access: 'settingsA', path: A('/tracks'), fields: { name: '' } },
    { method: 'GET', access: 'settingsA', path: A(`/tracks/${ids.trackT}`) },
    { method: 'POST', access: 'settingsA', path: A(`/tracks/${ids.trackT}`), fields: { name: '' } },
    { method: 'POST', access: 'settingsA', path: fresher.track },
    { method: 'GET', access: 'settingsA', path: A('/sponsors') },
    { method: 'POST', access: 'settingsA', path: A('/sponsors'), fields: { name: '' } },
    { method: 'GET', access: 'settingsA', path: A(`/sponsors/${ids.sponsor}`) },
    { method: 'POST', access: 'settingsA', path: A(`/sponsors/${ids.sponsor}`), fields: { name: '' } },
    { method: 'POST', access: 'settingsA', path: fresher.sponsor },
    { method: 'GET', access: 'settingsA', path: A('/hosts') },
    { method: 'POST', access: 'settingsA', path: A('/hosts'), fields: { 'hosts[0].name': '', 'hosts[0].url': 'not a url' } },
    { method: 'GET', access: 'settingsA', path: A('/team') },
    { method: 'POST', access: 'settingsA', path: A('/team/invite'), fields: { email: 'not-an-address', role: 'organizer' } },
    { method: 'POST', access: 'settingsA', path: A('/team/revoke'), fields: fresher.grant },
    { method: 'POST', access: 'settingsA', path: fresher.invitation },
    { method: 'GET', access: 'settingsA', path: A('/audit') },
    { method: 'GET', access: 'viewA', path: A('/interest') },
    { method: 'POST', access: 'settingsA', path: A('/interest'), fields: { status: 'ajar' } },
    { method: 'GET', access: 'settingsA', path: A('/releases') },
    // The first post releases (and publishes) A; later ones find nothing changed (409) or release the edits of the routes above.
    { method: 'POST', access: 'settingsA', path: A('/releases'), fields: { comment: 'Matrix' } },
    { method: 'POST', access: 'settingsA', path: fresher.heldRelease },
    { method: 'GET', access: 'settingsA', path: A('/webhooks') },
    { method: 'POST', access: 'settingsA', path: A('/webhooks'), fields: { url: 'ftp://example.org/hook' } },
    { method: 'GET', access: 'settingsA', path: A(`/webhooks/${ids.webhook}`) },
    { method: 'GET', access: 'settingsA', path: A(`/webhooks/${ids.webhook}/delete`) },
    { method: 'POST', access: 'settingsA', path: A(`/webhooks/${ids.webhook}/test`) },
    { method: 'POST', access: 'settingsA', path: A(`/webhooks/${ids.webhook}/pause`) },
    { method: 'POST', access: 'settingsA', path: A(`/webhooks/${ids.webhook}/resume`) },
    { method: 'POST', access: 'settingsA', path: A(`/webhooks/${ids.webhook}/rotate`), ok: [200] },
    { method: 'POST', access: 'settingsA', path: fresher.webhook },
    { method: 'POST', access: 'settingsA', path: A('/cancel'), fields: { reason: '' } },
    { method: 'GET', access: 'settingsA', path: A('/registration') },
    { method: 'GET', access: 'settingsA', path: A('/registration/attendees.csv') },
    { method: 'POST', access: 'settingsA', path: A('/registration/capacity'), fields: { capacity: 'many' } },
    { method: 'POST', access: 'settingsA', path: A('/registration/settings'), fields: { guestLimit: 'many' } },
    { method: 'POST', access: 'settingsA', path: A('/registration/open') },
    { method: 'POST', access: 'settingsA', path: A('/registration/close') },
    { method: 'POST', access: 'settingsA', path: A('/registration/ticket-types'), fields: { name: '' } },
    { method: 'POST', access: 'settingsA', path: A('/registration/move'), fields: async () => ({ ...(await fresher.rsvp()), status: 'waitlisted' }) },
    { method: 'GET', access: 'checkinA', path: A('/checkin') },
    { method: 'POST', access: 'checkinA', path: A('/checkin/ticket'), fields: { ticket: 'forged-ticket' }, ok: [200, 400, 422] },
    { method: 'GET', access: 'checkinA', path: A('/checkin?q=Going') },
    { method: 'POST', access: 'checkinA', path: A('/checkin/rsvp'), fields: fresher.rsvp, ok: [200] },
    { method: 'POST', access: 'checkinA', path: A('/checkin/undo'), fields: fresher.rsvp },
    { method: 'GET', access: 'viewA', path: A('/sessions') },
    // The schedule editor's live updates (Server-Sent Events): whoever may open the event's back office.
    { method: 'GET', access: 'viewA', path: A('/live'), stream: true },
    { method: 'GET', access: 'eventB', path: `/manage/events/${ids.eventB}/live`, stream: true },
    { method: 'GET', access: 'viewA', path: A(`/sessions?trackId=${ids.trackT}`) },
    { method: 'GET', access: 'trackT', path: A('/sessions/new') },
    { method: 'POST', access: 'trackT', path: A('/sessions/new'), fields: { kind: 'talk', title: '', trackId: String(ids.trackT) } },
    { method: 'GET', access: 'trackT', path: A(`/sessions/${ids.sessionT}`) },
    { method: 'POST', access: 'trackT', path: A(`/sessions/${ids.sessionT}`), fields: { title: '', trackId: String(ids.trackT) } },
    { method: 'POST', access: 'trackT', path: A(`/sessions/${ids.sessionT}/cancel`) },
    { method: 'POST', access: 'trackT', path: A(`/sessions/${ids.sessionT}/restore`) },
    { method: 'POST', access: 'trackT', path: fresher.session },
    { method: 'GET', access: 'settingsA', path: A(`/sessions/${ids.sessionU}`) },
    { method: 'POST', access: 'settingsA', path: A(`/sessions/${ids.sessionU}`), fields: { title: '' } },
    { method: 'POST', access: 'settingsA', path: A(`/sessions/${ids.sessionU}/cancel`) },
    { method: 'POST', access: 'settingsA', path: A(`/sessions/${ids.sessionU}/restore`) },
    { method: 'GET', access: 'viewA', path: A('/schedule') },
    { method: 'GET', access: 'viewA', path: A('/schedule?day=2027-04-16&grain=5&condensed=1&q=Session') },
    { method: 'GET', access: 'viewA', path: A('/schedule/state?day=2027-04-15') },
    { method: 'GET', access: 'viewA', path: A('/schedule/state?since=1') },
    // A move based on version 1 (long gone): the actor is checked first (403), then the version (409, nothing written).
    {
      method: 'POST',
      access: 'trackT',
      path: A('/schedule/moves'),
      fields: { action: 'move', sessionId: String(ids.sessionT), baseVersion: '1', day: '2027-04-15', time: '09:00' },
    },
    {
      method: 'POST',
      access: 'settingsA',
      path: A('/schedule/moves'),
      fields: { action: 'move', sessionId: String(ids.sessionU), baseVersion: '1', day: '2027-04-15', time: '09:00' },
    },
    // Propose a programme (organizers): the form, a refused start (422), a failed run's pages; stopping or
    // accepting it is refused (409), discarding it is allowed once (303, then 409).
    { method: 'GET', access: 'settingsA', path: A('/schedule/propose') },
    { method: 'POST', access: 'settingsA', path: A('/schedule/propose'), fields: { grainMinutes: '7' } },
    { method: 'GET', access: 'settingsA', path: A(`/schedule/propose/${ids.optimizerRun}`) },
    { method: 'GET', access: 'settingsA', path: A(`/schedule/propose/${ids.optimizerRun}/state`) },
    { method: 'POST', access: 'settingsA', path: A(`/schedule/propose/${ids.optimizerRun}/stop`) },
    { method: 'POST', access: 'settingsA', path: A(`/schedule/propose/${ids.optimizerRun}/accept`) },
    { method: 'POST', access: 'settingsA', path: A(`/schedule/propose/${ids.optimizerRun}/discard`) },
    { method: 'POST', access: 'settingsA', path: A('/schedule/blockers'), fields: { title: 'Set-up', day: '2027-04-15', time: '', durationMinutes: '30' } },
    { method: 'POST', access: 'settingsA', path: fresher.blocker },
    { method: 'GET', access: 'settingsA', path: A('/schedule/hours') },
    { method: 'GET', access: 'settingsA', path: A(`/schedule/hours?roomId=${ids.room}`) },
    {
      method: 'POST',
      access: 'settingsA',
      path: A('/schedule/hours'),
      fields: { roomId: String(ids.room), 'windows[0].day': '2027-04-15', 'windows[0].from': 'soon' },
    },
    {
      method: 'POST',
      access: 'trackT',
      path: A(`/speakers/${ids.speakerT}/availability`),
      fields: { 'windows[0].day': '2027-04-15', 'windows[0].from': 'soon' },
    },
    {
      method: 'POST',
      access: 'settingsA',
      path: A(`/speakers/${ids.speakerU}/availability`),
      fields: { 'windows[0].day': '2027-04-15', 'windows[0].from': 'soon' },
    },
    { method: 'GET', access: 'viewA', path: A('/speakers') },
    { method: 'GET', access: 'trackT', path: A('/speakers/new') },
    { method: 'POST', access: 'trackT', path: A('/speakers/new'), fields: { name: '' } },
    { method: 'GET', access: 'trackT', path: A(`/speakers/${ids.speakerT}`) },
    { method: 'POST', access: 'trackT', path: A(`/speakers/${ids.speakerT}`), fields: { name: '' } },
    { method: 'POST', access: 'trackT', path: fresher.speaker },
    { method: 'GET', access: 'settingsA', path: A(`/speakers/${ids.speakerU}`) },
    { method: 'POST', access: 'settingsA', path: A(`/speakers/${ids.speakerU}`), fields: { name: '' } },
    { method: 'GET', access: 'settingsA', path: A('/cfp') },
    { method: 'POST', access: 'settingsA', path: A('/cfp'), fields: { opensAt: 'soon' } },
    { method: 'POST', access: 'settingsA', path: A('/cfp/close') },
    { method: 'POST', access: 'settingsA', path: A('/cfp/reopen') },
    { method: 'GET', access: 'proposalsT', path: A('/proposals') },
    { method: 'GET', access: 'proposalsT', path: A('/proposals?sort=score') },
    { method: 'GET', access: 'proposalsT', path: A(`/proposals/${ids.proposalT}`) },
    { method: 'POST', access: 'proposalsT', path: A(`/proposals/${ids.proposalT}/review`), fields: { score: '0' } },
    { method: 'POST', access: 'settingsA', path: A(`/proposals/${ids.proposalT}/decide`), fields: { decision: 'perhaps' } },
    { method: 'POST', access: 'settingsA', path: A(`/proposals/${ids.proposalT}/schedule`), fields: { roomId: String(ids.room), day: '2027-04-15', time: '' } },
    { method: 'GET', access: 'eventB', path: `/manage/events/${ids.eventB}/proposals` },
    { method: 'GET', access: 'eventB', path: `/manage/events/${ids.eventB}` },
    { method: 'GET', access: 'eventB', path: `/manage/events/${ids.eventB}/edit` },
    { method: 'GET', access: 'eventB', path: `/manage/events/${ids.eventB}/sessions` },
    { method: 'GET', access: 'eventB', path: `/manage/events/${ids.eventB}/schedule` },
    { method: 'GET', access: 'eventB', path: `/manage/events/${ids.eventB}/team` },
    { method: 'GET', access: 'eventB', path: `/manage/events/${ids.eventB}/webhooks` },
    { method: 'GET', access: 'eventB', path: `/manage/events/${ids.eventB}/releases` },
    { method: 'GET', access: 'eventB', path: `/manage/events/${ids.eventB}/interest` },
    { method: 'POST', access: 'eventB', path: `/manage/events/${ids.eventB}/rooms`, fields: { name: '' } },
    { method: 'GET', access: 'eventB', path: `/manage/communities/${ids.communityB}` },
  ];

  /** The route's path and fields, making its fresh target first when it needs one. */
  async function resolve(route: Route): Promise<{ path: string; fields: Record<string, string> }> {
    const path = typeof route.path === 'string' ? route.path : await route.path();
    const fields = typeof route.fields === 'function' ? await route.fields() : (route.fields ?? {});
    return { path, fields };
  }

  async function send(role: Role, method: Route['method'], path: string, fields: Record<string, string>): Promise<Response> {
    const client = clients[role];
    if (method === 'GET') return client.get(path);
    if (role === 'anonymous') return client.post(path, fields);
    return client.submit('/manage', path, fields);
  }

  for (const role of ROLES) {
    test(`${role}: every back-office route answers as the role allows`, async () => {
      const failures: string[] = [];
      for (const route of routes()) {
        const allowed = ALLOWED[route.access].includes(role);
        const { path, fields } = await resolve(route);
        probed.add(`${route.method} ${path}`);
        const before = allowed ? undefined : await counts(app.db);
        const res = await send(role, route.method, path, fields);
        if (route.stream && res.ok) await res.body?.cancel();
        else await res.arrayBuffer();
        const label = `${route.method} ${path} (${route.access})`;
        if (role === 'anonymous') {
          if (route.method === 'GET') {
            if (res.status !== 303 || res.headers.get('location') !== `/sign-in?next=${encodeURIComponent(path)}`)
              failures.push(`${label}: ${res.status} → ${res.headers.get('location')}, expected the sign-in redirect`);
          } else if (res.status !== 403) failures.push(`${label}: ${res.status}, expected 403 (no CSRF token without a session)`);
        } else if (allowed) {
          const ok = route.method === 'GET' ? [200] : (route.ok ?? [303, 409, 422]);
          if (!ok.includes(res.status)) failures.push(`${label}: ${res.status}, expected ${ok.join('/')}`);
        } else if (res.status !== 403) {
          failures.push(`${label}: ${res.status}, expected 403`);
        }
        if (before) assert.deepEqual(await counts(app.db), before, `${label} wrote nothing`);
        assert.equal(res.headers.get('cache-control'), 'no-store', `${label} is never cached`);
      }
      assert.deepEqual(failures, []);
    });
  }

  // A new /manage route fails here, by name, until routes() above probes it.
  test('the matrix reached every back-office route the app has', () => {
    assert.ok(probed.size > 80);
    assert.deepEqual(uncoveredRoutes(AUDIENCES.backOffice, app.routes, probed), []);
  });

  test('a track manager cannot move a session of their track into another track, nor create one there', async () => {
    const before = await counts(app.db);
    const tm = clients.trackManager;
    const move = await tm.submit('/manage', A(`/sessions/${ids.sessionT}`), {
      kind: 'talk',
      title: 'Session T',
      day: '2027-04-15',
      time: '10:00',
      durationMinutes: '30',
      trackId: String(ids.trackU),
    });
    assert.equal(move.status, 403);
    const create = await tm.submit('/manage', A('/sessions/new'), {
      kind: 'talk',
      title: 'Sneaky',
      day: '2027-04-15',
      time: '15:00',
      durationMinutes: '30',
      trackId: String(ids.trackU),
    });
    assert.equal(create.status, 403);
    assert.deepEqual(await counts(app.db), before);
    const list = await (await tm.get(A('/sessions'))).text();
    assert.ok(list.includes('Session T') && !list.includes('Session U'), 'the list shows only their track');
    const overview = await (await tm.get(A())).text();
    assert.ok(!overview.includes(A('/edit')) && !overview.includes('Publish event'), 'no settings tabs or publish button');
  });

  test("a speaker's private e-mail (from their account) is shown to organizers, not to track managers", async () => {
    const u = await createTestUser(app.db, { email: 'speaker-t@example.org', displayName: 'Speaker T' });
    await app.db.updateTable('speakers').set({ user_id: u.id }).where('id', '=', ids.speakerT).execute();
    const orgList = await (await clients.organizer.get(A('/speakers'))).text();
    assert.ok(orgList.includes('E-mail (private)') && orgList.includes('speaker-t@example.org'));
    assert.ok((await (await clients.organizer.get(A(`/speakers/${ids.speakerT}`))).text()).includes('speaker-t@example.org'));
    const tmList = await (await clients.trackManager.get(A('/speakers'))).text();
    assert.ok(!tmList.includes('speaker-t@example.org') && !tmList.includes('E-mail (private)'));
    assert.ok(!(await (await clients.trackManager.get(A(`/speakers/${ids.speakerT}`))).text()).includes('speaker-t@example.org'));
  });

  test('an organizer invites a check-in volunteer from the team page; once accepted, /manage leads them to the door', async () => {
    const invited = await clients.organizer.submit(A('/team'), A('/team/invite'), { email: 'door@example.org', role: 'volunteer' });
    assert.equal(invited.status, 303, await invited.text());
    const team = visibleText(await (await clients.organizer.get(A('/team'))).text());
    const link = /(\/invitations\/accept\?token=[^\s]+)/.exec(team)?.[1];
    assert.ok(link, team.slice(0, 2000));
    assert.match(team, /door@example\.org Check-in volunteer/);
    const door = await createTestUser(app.db, { email: 'door@example.org', displayName: 'Dora Door' });
    const web = WebClient.signedIn(app.url, door.sessionCookie);
    assertShows(await (await web.get(link)).text(), 'Check-in volunteers check people in at the door');
    const accepted = await web.submit(link, '/invitations/accept', { token: decodeURIComponent(link.split('token=')[1]!) });
    assert.equal(accepted.status, 303);
    assert.equal(accepted.headers.get('location'), '/manage');
    const home = await (await web.get('/manage')).text();
    assert.match(home, new RegExp(`href="/manage/events/${ids.eventA}/checkin"[^>]*>Check in at Event A<`));
    assert.equal((await web.get(A('/checkin'))).status, 200);
    assert.equal((await web.get(A())).status, 403);
  });

  test('a post whose session expired while the form was open is sent to sign in and writes nothing', async () => {
    const { user, client } = await signedInClient(app.url, app.db, 'Expiring', { isAdmin: true });
    const token = csrfTokenIn(await (await client.get(A('/rooms'))).text());
    assert.ok(token);
    await app.db.deleteFrom('auth_sessions').where('user_id', '=', user.id).execute();
    const before = await counts(app.db);
    const res = await client.post(A('/rooms'), { _csrf: token, name: 'Late Room' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/sign-in?next=${encodeURIComponent(A('/rooms'))}`);
    assert.deepEqual(await counts(app.db), before);
  });
});
