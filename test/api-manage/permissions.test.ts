import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { AUDIENCES, uncoveredRoutes } from '../support/route-inventory.js';
import { miniSchedule, tokenFor, useManageApp, type ApiAnswer, type ManageClient } from './support.js';
import { STUB_ENGINE } from '../propose/stub-engine.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const M = '/api/v1/manage';
const ROLES = ['none', 'attendee', 'speaker', 'reviewer', 'volunteer', 'trackManager', 'organizerA', 'admin'] as const;
type Role = (typeof ROLES)[number];

interface MatrixRoute {
  readonly name: string;
  /** Roles allowed (besides nobody else); `all` = every token holder. */
  readonly allowed: readonly Role[] | 'all';
  /** The error code of a refusal, when not FORBIDDEN. */
  readonly denied?: string;
  readonly ok: 200 | 201 | 204;
  /** Runs the call for `token` (setting up what it needs with the owner's token first). */
  readonly call: (token: string | undefined) => Promise<ApiAnswer>;
}

for (const database of testDatabases) {
  describe(`organizer API role × route matrix on ${database.name}`, () => {
    // The optimizer stands in (proposes the draft as it is, until stopped): this is about who may, not about the solver.
    const env = useManageApp(database, {}, { optimizer: { engine: STUB_ENGINE } });
    const tokens = {} as Record<Role, string | undefined>;
    let ownerToken: string;
    const f = {} as Record<string, number>;
    let n = 0;
    let api: ManageClient;

    const as = (token: string) => ({
      post: async (path: string, json: unknown) => {
        const r = await api.post(path, { token, json });
        assert.ok(r.status < 300, `setup ${path}: ${r.text}`);
        return r.body?.data?.id as number;
      },
    });

    /** `METHOD /template` of every call made, to check the matrix covers every documented route. */
    const covered = new Set<string>();
    /** `METHOD /path` of every call made, to check the matrix reached every organizer route of the app. */
    const probed = new Set<string>();
    const canon = (method: string, path: string) =>
      `${method} ${path
        .replace(/\?.*$/, '')
        .replace(/\/communities\/\d+/, '/communities/{communityId}')
        .replace(/\/events\/\d+/, '/events/{eventId}')
        .replace(/\/(rooms|tracks|sponsors|speakers|sessions|webhooks|proposals|blockers)\/\d+/, (_m, k: string) => `/${k}/{${k.replace(/s$/, '')}Id}`)
        .replace(/\/optimizer-runs\/\d+/, '/optimizer-runs/{runId}')
        .replace(/\/series\/\d+/, '/series/{seriesId}')
        .replace(/\/releases\/[^/]+\/send-mails$/, '/releases/{name}/send-mails')
        .replace(/\/attendees\/\d+/, '/attendees/{rsvpId}')}`;

    before(async () => {
      api = env.api;
      const original = api.call.bind(api);
      api.call = async (method, path, o) => {
        if (o?.token !== ownerToken) {
          covered.add(canon(method, path));
          probed.add(`${method} ${path}`);
        }
        return original(method, path, o);
      };
      const owner = await tokenFor(env.db, 'Owner', { mayCreateCommunities: true });
      ownerToken = owner.token;
      const o = as(ownerToken);
      f.community = await o.post(`${M}/communities`, { slug: 'matrix', name: 'Matrix' });
      const event = (slug: string) =>
        o.post(`${M}/events`, {
          communityId: f.community,
          slug,
          kind: 'conference',
          title: slug,
          timeZone: 'Europe/Amsterdam',
          startDate: '2027-04-15',
          endDate: '2027-04-16',
        });
      f.A = await event('event-a');
      f.B = await event('event-b');
      f.T1 = await o.post(`${M}/events/${f.A}/tracks`, { name: 'T1' });
      f.T2 = await o.post(`${M}/events/${f.A}/tracks`, { name: 'T2' });
      f.room = await o.post(`${M}/events/${f.A}/rooms`, { name: 'Room' });
      f.sponsor = await o.post(`${M}/events/${f.A}/sponsors`, { name: 'Sponsor' });
      f.spT1 = await o.post(`${M}/events/${f.A}/speakers`, { name: 'In T1' });
      f.spT2 = await o.post(`${M}/events/${f.A}/speakers`, { name: 'In T2' });
      f.sT1 = await o.post(`${M}/events/${f.A}/sessions`, {
        kind: 'talk',
        title: 'S1',
        trackId: f.T1,
        start: '2027-04-15T10:00',
        durationMinutes: 30,
        speakerIds: [f.spT1],
      });
      f.sT2 = await o.post(`${M}/events/${f.A}/sessions`, {
        kind: 'talk',
        title: 'S2',
        trackId: f.T2,
        start: '2027-04-15T11:00',
        durationMinutes: 30,
        speakerIds: [f.spT2],
      });

      f.series = await o.post(`${M}/communities/${f.community}/series`, seriesBody());
      // A call for proposals open now (the app runs on the real clock), and a speaker who proposes to it.
      const setUp = await api.put(`${M}/events/${f.A}/cfp`, { token: ownerToken, json: cfpBody() });
      assert.equal(setUp.status, 200, setUp.text);
      speakerToken = (await tokenFor(env.db, 'CFP Speaker')).token;
      f.pT1 = await proposalIn(f.T1);
      f.pT2 = await proposalIn(f.T2);

      tokens.none = undefined;
      tokens.attendee = (await tokenFor(env.db, 'Attendee')).token;
      // The speaker of A's proposals: no role, so the organizer API is as closed as to an attendee.
      tokens.speaker = speakerToken;
      tokens.reviewer = (await tokenFor(env.db, 'Reviewer', { grants: [{ scope: 'event', scopeId: f.A, role: 'reviewer', trackIds: [] }] })).token;
      // A check-in volunteer works the door: check-in and the door counts, nothing else.
      tokens.volunteer = (await tokenFor(env.db, 'Volunteer', { grants: [{ scope: 'event', scopeId: f.A, role: 'volunteer', trackIds: [] }] })).token;
      tokens.trackManager = (
        await tokenFor(env.db, 'Track Manager', { grants: [{ scope: 'event', scopeId: f.A, role: 'track_manager', trackIds: [f.T1] }] })
      ).token;
      tokens.organizerA = (await tokenFor(env.db, 'Organizer A', { grants: [{ scope: 'event', scopeId: f.A, role: 'organizer', trackIds: [] }] })).token;
      tokens.admin = (await tokenFor(env.db, 'Admin', { isAdmin: true })).token;
    });

    const uniq = (p: string) => `${p}-${++n}`;
    /** Event A's version now: what a schedule move is based on. */
    const eventVersion = async () => Number((await env.db.selectFrom('events').select('version').where('id', '=', f.A!).executeTakeFirstOrThrow()).version);
    let speakerToken: string;
    const cfpLocal = (dt: DateTime) => dt.setZone('Europe/Amsterdam').toFormat("yyyy-MM-dd'T'HH:mm");
    const cfpBody = () => ({
      opensAt: cfpLocal(DateTime.now().minus({ days: 1 })),
      closesAt: cfpLocal(DateTime.now().plus({ days: 20 })),
      formats: [{ kind: 'talk', durationMinutes: 30 }],
    });
    /** A new proposal to A's call in `track`, by the speaker (who holds no role). */
    const proposalIn = async (track: number) => {
      const r = await api.post(`/api/v1/me/events/event-a/proposals`, {
        token: speakerToken,
        json: { title: uniq('Proposal'), kind: 'talk', abstract: 'A', trackId: track },
      });
      assert.equal(r.status, 201, r.text);
      return r.body.data.id as number;
    };
    /** A new proposal in T1, accepted by the owner. */
    const acceptedProposal = async () => {
      const id = await proposalIn(f.T1!);
      const r = await api.post(`${M}/events/${f.A}/proposals/${id}/decide`, { token: ownerToken, json: { decision: 'accept' } });
      assert.equal(r.status, 200, r.text);
      return id;
    };
    let slot = 0;
    const newSession = (track: number) =>
      as(ownerToken).post(`${M}/events/${f.A}/sessions`, {
        kind: 'talk',
        title: uniq('Setup'),
        trackId: track,
        start: '2027-04-16T10:00',
        durationMinutes: 20,
      });
    const eventState = async (wanted: 'draft' | 'published') => {
      const e = await api.get(`${M}/events/${f.A}`, { token: ownerToken });
      if (e.body.data.event.state !== wanted) await api.post(`${M}/events/${f.A}/${wanted === 'draft' ? 'unpublish' : 'publish'}`, { token: ownerToken });
    };
    /** A new event with the same team as A (every role but the owner's), for a one-way change such as cancelling. */
    const eventLikeA = async () => {
      const id = await as(ownerToken).post(`${M}/events`, {
        communityId: f.community,
        slug: uniq('like-a'),
        kind: 'meetup',
        title: 'Like A',
        timeZone: 'UTC',
        startDate: '2027-04-15',
        endDate: '2027-04-15',
      });
      const team = await env.db.selectFrom('role_grants').selectAll().where('scope_type', '=', 'event').where('scope_id', '=', f.A!).execute();
      for (const { id: _id, ...g } of team)
        await env.db
          .insertInto('role_grants')
          .values({ ...g, scope_id: id })
          .execute();
      return id;
    };
    /** A going RSVP of a new attendee to A (published for it), with that person's ticket. */
    const freshRsvp = async () => {
      await eventState('published');
      const guest = await tokenFor(env.db, uniq('Guest'));
      const r = await api.put(`/api/v1/me/events/event-a/rsvp`, { token: guest.token, json: { attending: true } });
      assert.equal(r.body?.data?.status, 'going', r.text);
      const ticket = await api.get(`/api/v1/me/events/event-a/ticket`, { token: guest.token });
      return { rsvpId: r.body.data.id as number, ticket: ticket.body.data.token as string };
    };
    /**
     * A webhook of A to a loopback address, written as createWebhook would: this app does not
     * allow private addresses, so a test ping to it is refused at once, without connecting.
     */
    const loopbackWebhook = async () => {
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const row = await env.db
        .insertInto('webhooks')
        .values({
          event_id: f.A!,
          url: 'http://127.0.0.1:9/hook',
          secret: uniq('secret'),
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
    };
    let held = 0;
    /**
     * A release of A whose speaker mails are held (the owner moves S1, whose speaker has an
     * address, and releases with the mails held); its name, for send-mails.
     */
    const heldRelease = async () => {
      if (held++ === 0) {
        const speaker = await tokenFor(env.db, 'Speaker In T1');
        await env.db.updateTable('speakers').set({ user_id: speaker.userId }).where('id', '=', f.spT1!).execute();
      }
      const moved = await api.patch(`${M}/events/${f.A}/sessions/${f.sT1}`, {
        token: ownerToken,
        json: { start: held % 2 ? '2027-04-15T12:00' : '2027-04-15T10:00' },
      });
      assert.equal(moved.status, 200, moved.text);
      const r = await api.post(`${M}/events/${f.A}/releases`, { token: ownerToken, json: { name: uniq('held/'), holdSpeakerMails: true } });
      assert.equal(r.body?.data?.release?.notifications, 'held', r.text);
      return r.body.data.release.name as string;
    };
    const seriesBody = () => ({
      name: 'S',
      slug: uniq('series'),
      titlePattern: 'S #{n}',
      timeZone: 'UTC',
      frequency: 'weekly',
      weekday: 'monday',
      startsOn: '2027-01-04',
      count: 2,
    });
    const TM_ORG = ['trackManager', 'organizerA', 'admin'] as const;
    const DOOR = ['volunteer', ...TM_ORG] as const;
    const ORG = ['organizerA', 'admin'] as const;
    const ADMIN = ['admin'] as const;
    const REVIEW = ['reviewer', 'trackManager', 'organizerA', 'admin'] as const;

    /**
     * Event A's optimizer run in the state a probe needs, made as the owner: `running` (started),
     * `stopped` (started and stopped: a proposal of the current draft), or `none` (whatever ran is
     * stopped, so a new one may start).
     */
    const optimizerRun = async (state: 'running' | 'stopped' | 'none'): Promise<number> => {
      const runs = env.app.hallway.ctx.optimizer;
      const running = await env.db.selectFrom('optimizer_runs').select('id').where('event_id', '=', f.A!).where('status', '=', 'running').executeTakeFirst();
      if (running) {
        if (state === 'running') return running.id;
        runs.stop(running.id);
        await runs.settled(running.id);
      }
      if (state === 'none') return 0;
      const r = await api.post(`${M}/events/${f.A}/schedule/optimizer-runs`, { token: ownerToken, json: {} });
      assert.equal(r.status, 201, r.text);
      if (state === 'stopped') {
        runs.stop(r.body.data.id);
        await runs.settled(r.body.data.id);
      }
      return r.body.data.id as number;
    };
    const routes: MatrixRoute[] = [
      { name: 'GET communities', allowed: 'all', ok: 200, call: (t) => api.get(`${M}/communities`, { token: t }) },
      {
        name: 'POST communities',
        allowed: ADMIN,
        denied: 'COMMUNITY_CREATION_NOT_ALLOWED',
        ok: 201,
        call: (t) => api.post(`${M}/communities`, { token: t, json: { slug: uniq('c'), name: 'C' } }),
      },
      { name: 'GET community', allowed: ADMIN, ok: 200, call: (t) => api.get(`${M}/communities/${f.community}`, { token: t }) },
      {
        name: 'PATCH community',
        allowed: ADMIN,
        ok: 200,
        call: (t) => api.patch(`${M}/communities/${f.community}`, { token: t, json: { description: uniq('d') } }),
      },
      { name: 'GET events', allowed: 'all', ok: 200, call: (t) => api.get(`${M}/events`, { token: t }) },
      {
        name: 'POST events',
        allowed: ADMIN,
        ok: 201,
        call: (t) =>
          api.post(`${M}/events`, {
            token: t,
            json: { communityId: f.community, slug: uniq('e'), kind: 'meetup', title: 'E', timeZone: 'UTC', startDate: '2027-01-01', endDate: '2027-01-01' },
          }),
      },
      { name: 'GET event A', allowed: TM_ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}`, { token: t }) },
      { name: 'PATCH event A', allowed: ORG, ok: 200, call: (t) => api.patch(`${M}/events/${f.A}`, { token: t, json: { description: uniq('d') } }) },
      { name: 'publish A', allowed: ORG, ok: 200, call: async (t) => (await eventState('draft'), api.post(`${M}/events/${f.A}/publish`, { token: t })) },
      {
        name: 'unpublish A',
        allowed: ORG,
        ok: 200,
        call: async (t) => (await eventState('published'), api.post(`${M}/events/${f.A}/unpublish`, { token: t })),
      },
      {
        name: 'cancel an event like A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${await eventLikeA()}/cancel`, { token: t, json: { reason: 'Matrix' } }),
      },
      { name: 'PUT hosts A', allowed: ORG, ok: 200, call: (t) => api.put(`${M}/events/${f.A}/hosts`, { token: t, json: { hosts: [{ name: uniq('h') }] } }) },
      ...(['rooms', 'tracks', 'sponsors'] as const).flatMap((kind): MatrixRoute[] => [
        { name: `POST ${kind}`, allowed: ORG, ok: 201, call: (t) => api.post(`${M}/events/${f.A}/${kind}`, { token: t, json: { name: uniq(kind) } }) },
        {
          name: `PATCH ${kind}`,
          allowed: ORG,
          ok: 200,
          call: (t) =>
            api.patch(`${M}/events/${f.A}/${kind}/${{ rooms: f.room, tracks: f.T2, sponsors: f.sponsor }[kind]}`, {
              token: t,
              json: { description: uniq('d'), contribution: 'c' },
            }),
        },
        {
          name: `DELETE ${kind}`,
          allowed: ORG,
          ok: 204,
          call: async (t) =>
            api.delete(`${M}/events/${f.A}/${kind}/${await as(ownerToken).post(`${M}/events/${f.A}/${kind}`, { name: uniq(kind) })}`, { token: t }),
        },
      ]),
      { name: 'GET speakers', allowed: TM_ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/speakers`, { token: t }) },
      { name: 'POST speakers', allowed: TM_ORG, ok: 201, call: (t) => api.post(`${M}/events/${f.A}/speakers`, { token: t, json: { name: uniq('Speaker') } }) },
      {
        name: 'PATCH speaker of T1',
        allowed: TM_ORG,
        ok: 200,
        call: (t) => api.patch(`${M}/events/${f.A}/speakers/${f.spT1}`, { token: t, json: { bio: uniq('b') } }),
      },
      {
        name: 'PATCH speaker of T2',
        allowed: ORG,
        ok: 200,
        call: (t) => api.patch(`${M}/events/${f.A}/speakers/${f.spT2}`, { token: t, json: { bio: uniq('b') } }),
      },
      {
        name: 'DELETE speaker without sessions',
        allowed: TM_ORG,
        ok: 204,
        call: async (t) =>
          api.delete(`${M}/events/${f.A}/speakers/${await as(ownerToken).post(`${M}/events/${f.A}/speakers`, { name: uniq('Gone') })}`, { token: t }),
      },
      { name: 'GET sessions', allowed: TM_ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/sessions`, { token: t }) },
      {
        name: 'POST session in T1',
        allowed: TM_ORG,
        ok: 201,
        call: (t) =>
          api.post(`${M}/events/${f.A}/sessions`, {
            token: t,
            json: { kind: 'talk', title: uniq('New'), trackId: f.T1, start: '2027-04-16T12:00', durationMinutes: 20 },
          }),
      },
      {
        name: 'POST session in T2',
        allowed: ORG,
        ok: 201,
        call: (t) =>
          api.post(`${M}/events/${f.A}/sessions`, {
            token: t,
            json: { kind: 'talk', title: uniq('New'), trackId: f.T2, start: '2027-04-16T12:00', durationMinutes: 20 },
          }),
      },
      {
        name: 'PATCH session in T1',
        allowed: TM_ORG,
        ok: 200,
        call: (t) => api.patch(`${M}/events/${f.A}/sessions/${f.sT1}`, { token: t, json: { subtitle: uniq('s') } }),
      },
      {
        name: 'PATCH session in T2',
        allowed: ORG,
        ok: 200,
        call: (t) => api.patch(`${M}/events/${f.A}/sessions/${f.sT2}`, { token: t, json: { subtitle: uniq('s') } }),
      },
      {
        name: 'cancel session in T1',
        allowed: TM_ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/sessions/${await newSession(f.T1!)}/cancel`, { token: t }),
      },
      {
        name: 'cancel session in T2',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/sessions/${await newSession(f.T2!)}/cancel`, { token: t }),
      },
      {
        name: 'restore session in T1',
        allowed: TM_ORG,
        ok: 200,
        call: async (t) => {
          const id = await newSession(f.T1!);
          await api.post(`${M}/events/${f.A}/sessions/${id}/cancel`, { token: ownerToken });
          return api.post(`${M}/events/${f.A}/sessions/${id}/restore`, { token: t });
        },
      },
      {
        name: 'DELETE session in T1',
        allowed: TM_ORG,
        ok: 204,
        call: async (t) => api.delete(`${M}/events/${f.A}/sessions/${await newSession(f.T1!)}`, { token: t }),
      },
      {
        name: 'DELETE session in T2',
        allowed: ORG,
        ok: 204,
        call: async (t) => api.delete(`${M}/events/${f.A}/sessions/${await newSession(f.T2!)}`, { token: t }),
      },
      { name: 'GET registration A', allowed: ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/registration`, { token: t }) },
      { name: 'PATCH registration A', allowed: ORG, ok: 200, call: (t) => api.patch(`${M}/events/${f.A}/registration`, { token: t, json: { guestLimit: 1 } }) },
      {
        name: 'PUT capacity A',
        allowed: ORG,
        ok: 200,
        call: (t) => api.put(`${M}/events/${f.A}/registration/capacity`, { token: t, json: { capacity: 1000 } }),
      },
      { name: 'GET registration counts A', allowed: DOOR, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/registration/counts`, { token: t }) },
      {
        name: 'PUT session sign-up in T1',
        allowed: ORG,
        ok: 200,
        call: (t) => api.put(`${M}/events/${f.A}/sessions/${f.sT1}/signup`, { token: t, json: { enabled: true, capacity: 5 } }),
      },
      { name: 'GET attendees A', allowed: ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/attendees`, { token: t }) },
      {
        name: 'move attendee of A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/attendees/${(await freshRsvp()).rsvpId}/move`, { token: t, json: { to: 'cancelled' } }),
      },
      {
        name: 'check in at A',
        allowed: DOOR,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/checkins`, { token: t, json: { ticket: (await freshRsvp()).ticket } }),
      },
      {
        name: 'undo check-in at A',
        allowed: DOOR,
        ok: 204,
        call: async (t) => api.delete(`${M}/events/${f.A}/attendees/${(await freshRsvp()).rsvpId}/checkin`, { token: t }),
      },
      // After the routes that RSVP: closing stops RSVPs until the next route reopens them, and
      // with two ticket types an RSVP must name one.
      { name: 'close RSVPs A', allowed: ORG, ok: 200, call: (t) => api.post(`${M}/events/${f.A}/registration/close`, { token: t }) },
      { name: 'reopen RSVPs A', allowed: ORG, ok: 200, call: (t) => api.post(`${M}/events/${f.A}/registration/open`, { token: t }) },
      {
        name: 'POST ticket type A',
        allowed: ORG,
        ok: 201,
        call: (t) => api.post(`${M}/events/${f.A}/registration/ticket-types`, { token: t, json: { name: uniq('Ticket') } }),
      },
      { name: 'GET cfp A', allowed: ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/cfp`, { token: t }) },
      { name: 'PUT cfp A', allowed: ORG, ok: 200, call: (t) => api.put(`${M}/events/${f.A}/cfp`, { token: t, json: cfpBody() }) },
      { name: 'close cfp A', allowed: ORG, ok: 200, call: (t) => api.post(`${M}/events/${f.A}/cfp/close`, { token: t }) },
      { name: 'reopen cfp A', allowed: ORG, ok: 200, call: (t) => api.post(`${M}/events/${f.A}/cfp/reopen`, { token: t }) },
      { name: 'GET proposals A', allowed: REVIEW, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/proposals`, { token: t }) },
      { name: 'GET proposal in T1', allowed: REVIEW, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/proposals/${f.pT1}`, { token: t }) },
      {
        name: 'PUT review of proposal in T1',
        allowed: REVIEW,
        ok: 200,
        call: (t) => api.put(`${M}/events/${f.A}/proposals/${f.pT1}/review`, { token: t, json: { score: 3 } }),
      },
      {
        name: 'decide proposal in T1',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/proposals/${await proposalIn(f.T1!)}/decide`, { token: t, json: { decision: 'accept' } }),
      },
      {
        name: 'schedule proposal in T1',
        allowed: ORG,
        ok: 201,
        call: async (t) =>
          api.post(`${M}/events/${f.A}/proposals/${await acceptedProposal()}/schedule`, {
            token: t,
            json: { roomId: f.room, start: `2027-04-16T${String(8 + ++slot).padStart(2, '0')}:00` },
          }),
      },
      { name: 'GET releases A', allowed: ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/releases`, { token: t }) },
      { name: 'GET release preview A', allowed: ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/releases/preview`, { token: t }) },
      {
        name: 'release A (after an edit)',
        allowed: ORG,
        ok: 201,
        call: async (t) => (await newSession(f.T1!), api.post(`${M}/events/${f.A}/releases`, { token: t, json: { comment: 'Matrix' } })),
      },
      {
        name: 'send the held mails of a release of A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/releases/${encodeURIComponent(await heldRelease())}/send-mails`, { token: t }),
      },
      { name: 'GET releases B', allowed: ADMIN, ok: 200, call: (t) => api.get(`${M}/events/${f.B}/releases`, { token: t }) },
      { name: 'GET interest A', allowed: TM_ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/interest`, { token: t }) },
      {
        name: 'PUT interest A',
        allowed: ORG,
        ok: 200,
        call: (t) => api.put(`${M}/events/${f.A}/interest`, { token: t, json: { status: 'open', scope: 'accepted', intro: uniq('Pick') } }),
      },
      { name: 'GET interest B', allowed: ADMIN, ok: 200, call: (t) => api.get(`${M}/events/${f.B}/interest`, { token: t }) },
      { name: 'GET schedule draft A', allowed: TM_ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/schedule?day=2027-04-15`, { token: t }) },
      ...(
        [
          ['T1', TM_ORG],
          ['T2', ORG],
        ] as const
      ).map(
        ([track, allowed]): MatrixRoute => ({
          name: `move session in ${track}`,
          allowed,
          ok: 200,
          call: async (t) =>
            api.post(`${M}/events/${f.A}/schedule/moves`, {
              token: t,
              json: {
                action: 'move',
                sessionId: track === 'T1' ? f.sT1 : f.sT2,
                start: `2027-04-15T${String(12 + (++slot % 8)).padStart(2, '0')}:${track === 'T1' ? '00' : '30'}`,
                baseVersion: await eventVersion(),
              },
            }),
        }),
      ),
      {
        name: 'POST schedule blocker A',
        allowed: ORG,
        ok: 201,
        call: (t) => api.post(`${M}/events/${f.A}/schedule/blockers`, { token: t, json: { roomId: f.room, start: '2027-04-15T07:00', durationMinutes: 30 } }),
      },
      {
        name: 'DELETE schedule blocker A',
        allowed: ORG,
        ok: 204,
        call: async (t) => {
          const b = await api.post(`${M}/events/${f.A}/schedule/blockers`, {
            token: ownerToken,
            json: { roomId: null, start: '2027-04-15T07:00', durationMinutes: 15 },
          });
          return api.delete(`${M}/events/${f.A}/schedule/blockers/${b.body.data.id}`, { token: t });
        },
      },
      // Propose a programme (organizers): each call first makes the run it needs, as the owner.
      {
        name: 'start an optimizer run A',
        allowed: ORG,
        ok: 201,
        call: async (t) => (await optimizerRun('none'), api.post(`${M}/events/${f.A}/schedule/optimizer-runs`, { token: t, json: { timeLimitSeconds: 5 } })),
      },
      {
        name: 'GET an optimizer run A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.get(`${M}/events/${f.A}/schedule/optimizer-runs/${await optimizerRun('stopped')}`, { token: t }),
      },
      {
        name: 'stop an optimizer run A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/schedule/optimizer-runs/${await optimizerRun('running')}/stop`, { token: t }),
      },
      {
        name: 'accept an optimizer run A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/schedule/optimizer-runs/${await optimizerRun('stopped')}/accept`, { token: t }),
      },
      {
        name: 'discard an optimizer run A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/schedule/optimizer-runs/${await optimizerRun('stopped')}/discard`, { token: t }),
      },
      {
        name: 'PUT opening hours A',
        allowed: ORG,
        ok: 200,
        call: (t) =>
          api.put(`${M}/events/${f.A}/schedule/hours`, { token: t, json: { roomId: null, windows: [{ day: '2027-04-15', from: '07:00', to: '23:00' }] } }),
      },
      {
        name: 'PUT availability of speaker of T1',
        allowed: TM_ORG,
        ok: 200,
        call: (t) => api.put(`${M}/events/${f.A}/speakers/${f.spT1}/availability`, { token: t, json: { windows: [] } }),
      },
      {
        name: 'PUT availability of speaker of T2',
        allowed: ORG,
        ok: 200,
        call: (t) => api.put(`${M}/events/${f.A}/speakers/${f.spT2}/availability`, { token: t, json: { windows: [] } }),
      },
      { name: 'GET webhooks A', allowed: ORG, ok: 200, call: (t) => api.get(`${M}/events/${f.A}/webhooks`, { token: t }) },
      // A public address literal: registered without a DNS lookup, never contacted here.
      {
        name: 'POST webhook A',
        allowed: ORG,
        ok: 201,
        call: (t) => api.post(`${M}/events/${f.A}/webhooks`, { token: t, json: { url: `https://93.184.216.34/${uniq('hook')}` } }),
      },
      {
        name: 'pause webhook A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.patch(`${M}/events/${f.A}/webhooks/${await loopbackWebhook()}`, { token: t, json: { active: false } }),
      },
      {
        name: 'DELETE webhook A',
        allowed: ORG,
        ok: 204,
        call: async (t) => api.delete(`${M}/events/${f.A}/webhooks/${await loopbackWebhook()}`, { token: t }),
      },
      {
        name: 'GET webhook deliveries A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.get(`${M}/events/${f.A}/webhooks/${await loopbackWebhook()}/deliveries`, { token: t }),
      },
      {
        name: 'test webhook A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/webhooks/${await loopbackWebhook()}/test`, { token: t }),
      },
      {
        name: 'rotate webhook secret A',
        allowed: ORG,
        ok: 200,
        call: async (t) => api.post(`${M}/events/${f.A}/webhooks/${await loopbackWebhook()}/rotate-secret`, { token: t }),
      },
      { name: 'GET webhooks B', allowed: ADMIN, ok: 200, call: (t) => api.get(`${M}/events/${f.B}/webhooks`, { token: t }) },
      { name: 'GET community members', allowed: ADMIN, ok: 200, call: (t) => api.get(`${M}/communities/${f.community}/members`, { token: t }) },
      { name: 'GET series', allowed: ADMIN, ok: 200, call: (t) => api.get(`${M}/communities/${f.community}/series`, { token: t }) },
      { name: 'POST series', allowed: ADMIN, ok: 201, call: (t) => api.post(`${M}/communities/${f.community}/series`, { token: t, json: seriesBody() }) },
      { name: 'GET one series', allowed: ADMIN, ok: 200, call: (t) => api.get(`${M}/series/${f.series}`, { token: t }) },
      { name: 'PATCH series', allowed: ADMIN, ok: 200, call: (t) => api.patch(`${M}/series/${f.series}`, { token: t, json: { name: uniq('S') } }) },
      { name: 'generate series', allowed: ADMIN, ok: 200, call: (t) => api.post(`${M}/series/${f.series}/generate`, { token: t }) },
      { name: 'GET event B', allowed: ADMIN, ok: 200, call: (t) => api.get(`${M}/events/${f.B}`, { token: t }) },
      { name: 'PATCH event B', allowed: ADMIN, ok: 200, call: (t) => api.patch(`${M}/events/${f.B}`, { token: t, json: { description: uniq('d') } }) },
      { name: 'POST rooms B', allowed: ADMIN, ok: 201, call: (t) => api.post(`${M}/events/${f.B}/rooms`, { token: t, json: { name: uniq('r') } }) },
      { name: 'GET sessions B', allowed: ADMIN, ok: 200, call: (t) => api.get(`${M}/events/${f.B}/sessions`, { token: t }) },
      { name: 'publish B', allowed: ADMIN, ok: 200, call: (t) => api.post(`${M}/events/${f.B}/publish`, { token: t }) },
      {
        name: 'import a new event into the community',
        allowed: ADMIN,
        ok: 201,
        call: (t) =>
          api.post(`${M}/events/import?communityId=${f.community}&slug=${uniq('imported')}`, { token: t, raw: miniSchedule(), type: 'application/xml' }),
      },
      {
        name: 'import into B',
        allowed: ADMIN,
        ok: 200,
        call: (t) => api.post(`${M}/events/${f.B}/import`, { token: t, raw: miniSchedule(), type: 'application/xml' }),
      },
      // Last: it replaces A's programme.
      { name: 'import into A', allowed: ORG, ok: 200, call: (t) => api.post(`${M}/events/${f.A}/import`, { token: t, raw: miniSchedule(), type: 'text/xml' }) },
    ];

    test('a track manager lists only their track’s sessions; an attendee or volunteer lists no events', async () => {
      const tm = await api.get(`${M}/events/${f.A}/sessions`, { token: tokens.trackManager });
      assert.ok(tm.body.data.length > 0);
      assert.ok(tm.body.data.every((s: { trackId: number }) => s.trackId === f.T1));
      assert.deepEqual((await api.get(`${M}/events`, { token: tokens.attendee })).body.data, []);
      assert.deepEqual((await api.get(`${M}/events`, { token: tokens.volunteer })).body.data, [], 'a volunteer manages no event');
      const mine = await api.get(`${M}/events`, { token: tokens.trackManager });
      assert.deepEqual(
        mine.body.data.map((e: { slug: string; canManage: boolean }) => [e.slug, e.canManage]),
        [['event-a', false]],
      );
    });

    test('a track manager reads and reviews only the proposals of their tracks; others are not found', async () => {
      const other = await api.get(`${M}/events/${f.A}/proposals/${f.pT2}`, { token: tokens.trackManager });
      assert.equal(other.status, 404, other.text);
      assert.equal(other.body.error.code, 'PROPOSAL_NOT_FOUND');
      const review = await api.put(`${M}/events/${f.A}/proposals/${f.pT2}/review`, { token: tokens.trackManager, json: { score: 3 } });
      assert.equal(review.body.error.code, 'PROPOSAL_NOT_FOUND', review.text);
      const list = await api.get(`${M}/events/${f.A}/proposals`, { token: tokens.trackManager });
      assert.ok(list.body.data.length > 0 && list.body.data.every((p: { track: { id: number } | null }) => p.track?.id === f.T1), list.text);
      const all = await api.get(`${M}/events/${f.A}/proposals`, { token: tokens.reviewer });
      assert.ok(all.body.data.some((p: { id: number }) => p.id === f.pT2));
    });

    test('every route: no token 401, the roles allowed succeed, everyone else 403', async () => {
      const table: string[] = [];
      const wrong: string[] = [];
      for (const route of routes) {
        const row: string[] = [];
        for (const role of ROLES) {
          const r = await route.call(tokens[role]);
          const allowed = role !== 'none' && (route.allowed === 'all' || route.allowed.includes(role));
          const expected = role === 'none' ? 401 : allowed ? route.ok : 403;
          row.push(String(r.status));
          if (r.status !== expected) wrong.push(`${route.name} as ${role}: ${r.status} (expected ${expected}) ${r.text.slice(0, 200)}`);
          else if (expected === 403) assert.equal(r.body.error.code, route.denied ?? 'FORBIDDEN', `${route.name} as ${role}`);
          else if (expected === 401) assert.equal(r.body.error.code, 'UNAUTHENTICATED');
        }
        table.push(`${route.name.padEnd(40)} ${row.join(' ')}`);
      }
      assert.deepEqual(wrong, [], `\n${ROLES.join(' ')}\n${table.join('\n')}`);
      assert.ok(routes.length >= 40);
    });

    // A new /api/v1/manage route fails here, by name, until routes above probes it.
    test('the matrix reached every organizer route the app has', () => {
      assert.deepEqual(uncoveredRoutes(AUDIENCES.organizerApi, env.app.routes, probed), []);
    });

    test('the matrix covered every documented organizer route and method', async () => {
      const doc = await api.openApi();
      const documented = Object.entries(doc.paths)
        .filter(([p]) => p.startsWith(`${M}/`))
        .flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
      assert.deepEqual(documented.filter((d) => !covered.has(d)).sort(), []);
    });
  });
}
