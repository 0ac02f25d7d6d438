import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { actorFor, createAuthSession } from '../../src/modules/accounts/auth-session.queries.js';
import { createApiToken } from '../../src/modules/accounts/api-token.actions.js';
import { saveCfpSettings } from '../../src/modules/cfp/cfp-settings.actions.js';
import { submitProposal } from '../../src/modules/cfp/proposal.actions.js';
import { createRecapDraft } from '../../src/modules/agenda/recap.actions.js';
import { starSession } from '../../src/modules/agenda/star.actions.js';
import { regenerateCalendarFeed } from '../../src/modules/agenda/calendar-feed.actions.js';
import { saveInterestPoll } from '../../src/modules/interest/interest.actions.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { WebClient } from '../support/web-client.js';
import { AUDIENCES, uncoveredRoutes } from '../support/route-inventory.js';
import { createTestUser } from '../factories/users.js';
import { xssDoc } from '../web/hostile.js';
import { moduleContext } from '../support/module-context.js';

/*
 * The role × route matrix of everything outside the back office and the organizer API: public
 * pages and exports, the anonymous account forms, one-time links, the private pages of signed-in
 * people (account, agenda, RSVP, recaps, notes, proposals), the site admin page and the attendee
 * API. Every route of the app not owned by another matrix must be probed here or exempted with a
 * reason; the last test names any that is neither.
 *
 * Access kinds (what each role must get):
 *   public     GET: 200 for everyone, the same body whoever asks (no per-person state), no cookie set
 *   form       anonymous forms: GET 200 (or 303 away when signed in); POST without the form's token 403
 *   link       one-time/secret links with a forged token: GET refused or sent on, POST without the form's token 403
 *   signedIn   anonymous: GET → sign-in redirect, POST 403; everyone signed in reaches it
 *   owner      as signedIn, but only `owner` (and `also`) reaches it; everyone else 404 (or 403), nothing written
 *   admin      as signedIn, but only the site admin; everyone else 403
 *   token      attendee API: no token 401; every token holder reaches it
 *   tokenOwner attendee API: no token 401; only `owner` reaches it, everyone else 404
 * Refused requests must write nothing (row counts of every table).
 */

type Role = 'anonymous' | 'signedIn' | 'attendee' | 'speaker' | 'reviewer' | 'volunteer' | 'trackManager' | 'organizer' | 'admin';
const ROLES: readonly Role[] = ['anonymous', 'signedIn', 'attendee', 'speaker', 'reviewer', 'volunteer', 'trackManager', 'organizer', 'admin'];
type Owner = 'attendee' | 'speaker';

interface Probe {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly access:
    | 'public'
    | 'form'
    | 'link'
    | 'signedIn'
    | 'admin'
    | 'token'
    | { readonly owner: Owner; readonly also?: readonly Role[] }
    | { readonly tokenOwner: Owner };
  /** Form fields or JSON body. */
  readonly body?: Record<string, string | number>;
  /** What an anonymous visitor gets instead of the sign-in redirect (JSON endpoints 401, unguessable owner pages 404). */
  readonly anonymous?: readonly number[];
  /** Statuses that mean "reached" for the roles allowed (default: GET 200; POST 200/303/400/409/422; API 200/201/204/400/409/422). */
  readonly ok?: readonly number[];
  /** Rendered from the clock (what is on now): its body changes with time, not with who asks, so it is not compared. */
  readonly clock?: true;
  /** A Server-Sent Events stream (never ends by itself): its headers are checked, then it is closed unread. */
  readonly stream?: true;
}

/** Routes no role question applies to, with the reason. */
const EXEMPT: Record<string, string> = {
  'GET /assets/*': 'static files of the release (CSS, scripts), the same for everyone',
  'GET /assets/grid.css': 'static CSS',
  'GET /sw.js': 'the service worker script, static',
  'GET /healthz': 'liveness for the load balancer: no data',
  'GET /readyz': 'readiness for the load balancer: no data',
  'GET /api/openapi.json': 'the API description, public by design',
  'OPTIONS /api/v1/*': 'CORS preflight: headers only, never data',
  'OPTIONS /api/v1/manage/*': 'CORS preflight: headers only, never data',
  'OPTIONS /api/v1/me/*': 'CORS preflight: headers only, never data',
};

describe('public, account, attendee and attendee-API routes: role × route matrix', () => {
  let app: RunningApp;
  const users = {} as Record<Exclude<Role, 'anonymous'>, number>;
  const tokens = {} as Record<Role, string | undefined>;
  const f = {} as { eventId: number; proposal: number; recap: number; spareRecap: number; feed: string; session: string; speaker: string; community: string };

  before(async () => {
    app = await startTestApp({ docs: [xssDoc()], webhookDispatcher: false });
    const db = app.db;
    const event = await db
      .selectFrom('events')
      .innerJoin('communities', 'communities.id', 'events.community_id')
      .select(['events.id', 'events.community_id', 'communities.slug'])
      .where('events.slug', '=', 'xss-conf')
      .executeTakeFirstOrThrow();
    f.eventId = event.id;
    f.community = event.slug;
    f.session = 'c0';
    f.speaker = 's0';
    const grant = (role: 'reviewer' | 'volunteer' | 'track_manager') => [{ scope: 'event' as const, scopeId: event.id, role, trackIds: [] }];
    const made = {
      signedIn: await createTestUser(db, { email: 'nobody@example.org', displayName: 'Nobody' }),
      attendee: await createTestUser(db, { email: 'attendee@example.org', displayName: 'Attendee' }),
      speaker: await createTestUser(db, { email: 'speaker@example.org', displayName: 'Speaker' }),
      reviewer: await createTestUser(db, { email: 'reviewer@example.org', displayName: 'Reviewer', grants: grant('reviewer') }),
      volunteer: await createTestUser(db, { email: 'volunteer@example.org', displayName: 'Volunteer', grants: grant('volunteer') }),
      trackManager: await createTestUser(db, { email: 'tm@example.org', displayName: 'Track Manager', grants: grant('track_manager') }),
      organizer: await createTestUser(db, {
        email: 'org@example.org',
        displayName: 'Organizer',
        grants: [{ scope: 'community', scopeId: event.community_id, role: 'owner', trackIds: [] }],
      }),
      admin: await createTestUser(db, { email: 'admin@example.org', displayName: 'Admin', isAdmin: true }),
    };
    const actors = {} as Record<keyof typeof made, Actor>;
    for (const [role, user] of Object.entries(made) as [keyof typeof made, { id: number }][]) {
      users[role] = user.id;
      actors[role] = await actorFor(db, await db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow());
      tokens[role] = (await createApiToken(db, actors[role], 'matrix')).token;
    }
    // The speaker speaks in session c0 and has a proposal in the call; the attendee keeps a recap draft and a calendar feed.
    await db.updateTable('speakers').set({ user_id: users.speaker }).where('event_id', '=', event.id).where('code', '=', f.speaker).execute();
    const cfpCtx = { config: app.hallway.ctx.config, clock: app.hallway.ctx.clock };
    const local = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);
    await saveCfpSettings(db, cfpCtx, actors.organizer, event.id, {
      opensAt: local(-1),
      closesAt: local(30),
      formats: [{ kind: 'talk', durationMinutes: 30 }],
    });
    f.proposal = (await submitProposal(db, cfpCtx, actors.speaker, event.id, { title: 'Matrix talk', kind: 'talk', abstract: 'About access' })).id;
    const c1 = await db.selectFrom('sessions').select('id').where('event_id', '=', event.id).where('code', '=', 'c1').executeTakeFirstOrThrow();
    await starSession(db, actors.attendee, event.id, c1.id);
    f.recap = (await createRecapDraft(moduleContext(db), actors.attendee, event.id)).id;
    f.spareRecap = (await createRecapDraft(moduleContext(db), actors.attendee, event.id)).id;
    f.feed = (await regenerateCalendarFeed(db, actors.attendee, event.id)).token;
    // An open interest poll: its page is a form anyone may post (with the page's token), its private links secrets.
    await saveInterestPoll(moduleContext(db), actors.organizer, event.id, { status: 'open', scope: 'review', intro: 'Matrix poll' });
  });
  after(async () => app?.close());

  const E = (sub = '') => `/events/xss-conf${sub}`;
  const S = (sub = '') => E(`/sessions/${f.session}${sub}`);
  const ME = '/api/v1/me';
  const probes = (): Probe[] => [
    // Public pages, feeds and exports: cacheable, identical for everyone.
    ...[
      '/',
      E(),
      E('/schedule'),
      S(),
      E('/speakers'),
      E(`/speakers/${f.speaker}`),
      E('/theme.css'),
      E('/recaps'),
      E('/recaps.atom'),
      E('/changelog'),
      E('/changelog.atom'),
      `/communities/${f.community}`,
    ].map((path): Probe => ({ method: 'GET', path, access: 'public' })),
    { method: 'GET', path: E('/now'), access: 'public', clock: true },
    // The live updates of the public pages (Server-Sent Events): the same stream for everyone.
    { method: 'GET', path: E('/live'), access: 'public', stream: true },
    // The star link on a public page sends everyone on to the private confirm page.
    { method: 'GET', path: E(`/star?session=${f.session}`), access: 'public', ok: [303] },
    { method: 'GET', path: E('/interest.json'), access: 'public', ok: [200, 404] },
    ...['/schedule.xml', '/schedule.json', '/schedule.ics', '/sessionize.json', `/sessions/${f.session}.ics`, '/rsvp/counts.json', '/cfp'].map(
      (sub): Probe => ({ method: 'GET', path: E(sub), access: 'public' }),
    ),
    ...[
      '',
      '/xss-conf',
      '/xss-conf/days',
      '/xss-conf/rooms',
      '/xss-conf/tracks',
      '/xss-conf/sponsors',
      '/xss-conf/export',
      '/xss-conf/sessions',
      `/xss-conf/sessions/${f.session}`,
      '/xss-conf/speakers',
      `/xss-conf/speakers/${f.speaker}`,
      '/xss-conf/registration',
      '/xss-conf/cfp',
      '/xss-conf/releases',
    ].map((sub): Probe => ({ method: 'GET', path: `/api/v1/events${sub}`, access: 'public' })),
    // Anonymous account forms.
    ...['/sign-up', '/sign-up/sent', '/sign-in', '/sign-in/link/sent', '/forgot-password', '/forgot-password/sent'].map(
      (path): Probe => ({ method: 'GET', path, access: 'form' }),
    ),
    ...['/sign-up', '/sign-in', '/sign-in/link/request', '/forgot-password'].map(
      (path): Probe => ({ method: 'POST', path, access: 'form', body: { email: 'x@example.org' } }),
    ),
    // The interest poll: a form for everyone (signed in or not); a private link with a forged secret.
    { method: 'GET', path: E('/interest'), access: 'form' },
    { method: 'POST', path: E('/interest'), access: 'form', body: { talks: 's1' } },
    { method: 'GET', path: E('/interest/forged-private-link-secret-0123456789'), access: 'link' },
    { method: 'POST', path: E('/interest/forged-private-link-secret-0123456789'), access: 'link', body: { talks: 's1' } },
    // One-time links, with a forged token.
    ...['/sign-in/link', '/verify-email', '/reset-password', '/setup', '/invitations/accept', '/rsvp/manage'].flatMap((path): Probe[] => [
      { method: 'GET', path: `${path}?token=forged`, access: 'link' },
      { method: 'POST', path, access: 'link', body: { token: 'forged' } },
    ]),
    { method: 'POST', path: '/rsvp/manage/cancel', access: 'link', body: { token: 'forged' } },
    // The co-speaker invitation link (answer without signing in), with a forged token.
    { method: 'GET', path: '/cospeaker-invitation?token=forged', access: 'link' },
    { method: 'POST', path: '/cospeaker-invitation', access: 'link', body: { token: 'forged', answer: 'decline' } },
    { method: 'GET', path: E('/agenda/forged-feed-token.ics'), access: 'link' },
    // Private pages of anyone signed in.
    ...[
      '/account',
      '/account/tokens',
      '/account/data',
      '/account/data/download',
      '/account/delete',
      '/account/proposals',
      E('/rsvp'),
      S('/star'),
      E('/my-agenda'),
      S('/notes'),
      E('/my-notes'),
      E('/recaps/new'),
      S('/feedback'),
      '/communities/xss-community/membership',
      E('/cfp/submit'),
    ].map((path): Probe => ({ method: 'GET', path, access: 'signedIn' })),
    ...[E('/ticket'), E('/ticket.ics')].map((path): Probe => ({ method: 'GET', path, access: 'signedIn', ok: [200, 404] })),
    { method: 'GET', path: S('/signup'), access: 'signedIn', ok: [200, 409] },
    { method: 'GET', path: E('/my/starred.json'), access: 'signedIn', anonymous: [401] },
    { method: 'POST', path: '/sign-out', access: 'signedIn' },
    { method: 'POST', path: '/account/sign-out-everywhere', access: 'signedIn' },
    { method: 'POST', path: '/account/profile', access: 'signedIn', body: { displayName: '' } },
    { method: 'POST', path: '/account/password', access: 'signedIn', body: { currentPassword: 'wrong', newPassword: 'x' } },
    { method: 'POST', path: '/account/verification', access: 'signedIn' },
    { method: 'POST', path: '/account/tokens', access: 'signedIn', body: { name: '' } },
    { method: 'POST', path: '/account/delete', access: 'signedIn', body: { confirm: 'no' } },
    { method: 'POST', path: E('/rsvp'), access: 'signedIn', body: { guests: 'many' } },
    { method: 'POST', path: E('/rsvp/cancel'), access: 'signedIn', ok: [303, 404] },
    { method: 'POST', path: S('/signup'), access: 'signedIn' },
    { method: 'POST', path: S('/signup/cancel'), access: 'signedIn' },
    { method: 'POST', path: S('/star'), access: 'signedIn' },
    { method: 'POST', path: S('/unstar'), access: 'signedIn' },
    { method: 'POST', path: E('/my-agenda/feed'), access: 'signedIn' },
    { method: 'POST', path: E('/my-agenda/seen'), access: 'signedIn' },
    { method: 'POST', path: E('/my-agenda/feed/revoke'), access: 'signedIn' },
    { method: 'POST', path: S('/notes'), access: 'signedIn', body: { body: 'x'.repeat(100_001) } },
    { method: 'POST', path: S('/notes/delete'), access: 'signedIn', ok: [303, 404] },
    { method: 'POST', path: E('/recaps/new'), access: 'signedIn', body: { day: 'someday' } },
    { method: 'POST', path: S('/feedback'), access: 'signedIn', body: { rating: '9' } },
    { method: 'POST', path: '/communities/xss-community/join', access: 'signedIn' },
    { method: 'POST', path: '/communities/xss-community/leave', access: 'signedIn' },
    { method: 'POST', path: E('/cfp/submit'), access: 'signedIn', body: { title: '' } },
    // Answering an invitation to co-speak: nobody was invited to the matrix proposal, so everyone reaches the action and finds none.
    { method: 'POST', path: `/account/proposals/${f.proposal}/invitation`, access: 'signedIn', body: { answer: 'accept' }, ok: [404] },
    // Revoking token 0 (nobody's): everyone reaches the action, which finds nothing of theirs.
    { method: 'POST', path: '/account/tokens/0/revoke', access: 'signedIn', ok: [303, 404] },
    // What belongs to one person.
    ...[`/account/proposals/${f.proposal}`, `/account/proposals/${f.proposal}/withdraw`].map(
      (path): Probe => ({ method: 'GET', path, access: { owner: 'speaker' } }),
    ),
    // A session's links: its speakers, and whoever may edit the session (organizers, admins).
    { method: 'GET', path: S('/links'), access: { owner: 'speaker', also: ['organizer', 'admin'] } },
    { method: 'POST', path: `/account/proposals/${f.proposal}`, access: { owner: 'speaker' }, body: { title: '' } },
    { method: 'POST', path: `/account/proposals/${f.proposal}/withdraw`, access: { owner: 'speaker' }, body: { confirm: 'no' } },
    {
      method: 'POST',
      path: `/account/proposals/${f.proposal}/availability`,
      access: { owner: 'speaker' },
      body: { 'windows[0].day': '1999-01-01', 'windows[0].from': 'soon' },
    },
    { method: 'POST', path: S('/links'), access: { owner: 'speaker', also: ['organizer', 'admin'] }, body: { url: 'javascript:alert(1)' } },
    { method: 'POST', path: S('/links/99/remove'), access: { owner: 'speaker', also: ['organizer', 'admin'] }, ok: [303, 404] },
    { method: 'GET', path: E(`/recaps/${f.recap}/edit`), access: { owner: 'attendee' } },
    ...[`/recaps/${f.recap}/export.md`, `/recaps/${f.recap}/export.html`].map(
      (sub): Probe => ({ method: 'GET', path: E(sub), access: { owner: 'attendee' }, anonymous: [404] }),
    ),
    // Deleting: the attendee's second draft (later roles find it gone, and must still be refused).
    { method: 'POST', path: E(`/recaps/${f.spareRecap}/delete`), access: { owner: 'attendee' } },
    { method: 'POST', path: E(`/recaps/${f.recap}/edit`), access: { owner: 'attendee' }, body: { title: '' } },
    { method: 'POST', path: E(`/recaps/${f.recap}/publish`), access: { owner: 'attendee' }, body: { slug: 'NOT A SLUG' } },
    { method: 'POST', path: E(`/recaps/${f.recap}/unpublish`), access: { owner: 'attendee' } },
    // A draft has no public page: its would-be address answers 404 to everyone, its author included.
    { method: 'GET', path: E('/recaps/draft-not-published'), access: 'public', ok: [404] },
    // Site administration.
    { method: 'GET', path: '/admin', access: 'admin' },
    { method: 'POST', path: '/admin/community-creators', access: 'admin', body: { email: 'not an address', allowed: 'true' } },
    // The attendee API.
    ...[`${ME}/rsvps`, `${ME}/events/xss-conf/signups`, `${ME}/communities/xss-community/membership`, `${ME}/proposals`].map(
      (path): Probe => ({ method: 'GET', path, access: 'token' }),
    ),
    // Nobody in the matrix has RSVPed (an RSVP needs an explicit yes or no): reached means RSVP_NOT_FOUND.
    { method: 'GET', path: `${ME}/events/xss-conf/rsvp`, access: 'token', ok: [200, 404] },
    { method: 'GET', path: `${ME}/events/xss-conf/ticket`, access: 'token', ok: [200, 404] },
    { method: 'GET', path: `${ME}/cospeaker-invitations`, access: 'token' },
    { method: 'POST', path: `${ME}/cospeaker-invitations/${f.proposal}`, access: 'token', body: { answer: 'accept' }, ok: [404] },
    { method: 'PUT', path: `${ME}/events/xss-conf/rsvp`, access: 'token', body: { guests: -1 } },
    { method: 'DELETE', path: `${ME}/events/xss-conf/rsvp`, access: 'token', ok: [200, 204, 404, 409] },
    { method: 'PUT', path: `${ME}/events/xss-conf/sessions/${f.session}/signup`, access: 'token', ok: [200, 201, 409, 422] },
    { method: 'DELETE', path: `${ME}/events/xss-conf/sessions/${f.session}/signup`, access: 'token', ok: [200, 204, 404, 409] },
    { method: 'PUT', path: `${ME}/communities/xss-community/membership`, access: 'token' },
    { method: 'DELETE', path: `${ME}/communities/xss-community/membership`, access: 'token' },
    { method: 'POST', path: `${ME}/events/xss-conf/proposals`, access: 'token', body: { title: '' } },
    { method: 'GET', path: `${ME}/proposals/${f.proposal}`, access: { tokenOwner: 'speaker' } },
    {
      method: 'PUT',
      path: `${ME}/proposals/${f.proposal}`,
      access: { tokenOwner: 'speaker' },
      body: { title: 'Edited by the matrix', kind: 'talk', abstract: 'About access' },
    },
    { method: 'POST', path: `${ME}/proposals/${f.proposal}/withdraw`, access: { tokenOwner: 'speaker' }, body: { confirm: 'nonsense' } },
  ];

  /** Row counts of every table but the sign-in sessions and tokens the probes use, in one query: equal = nothing written. */
  let countAll: ReturnType<typeof sql<{ t: string; n: number }>> | undefined;
  async function written(): Promise<string> {
    if (!countAll) {
      const tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(app.db)).rows
        .map((r) => r.name)
        .filter((t) => !['auth_sessions', 'api_tokens'].includes(t));
      countAll = sql<{ t: string; n: number }>`${sql.join(
        tables.map((t) => sql`select ${t} as t, count(*) as n from ${sql.table(t)}`),
        sql` union all `,
      )}`;
    }
    return JSON.stringify((await countAll.execute(app.db)).rows);
  }

  /** A client for the role with a session of its own (sign-out everywhere, a password change or token revocation spoil nothing else). */
  async function clientFor(role: Role): Promise<WebClient> {
    if (role === 'anonymous') return new WebClient(app.url);
    return WebClient.signedIn(app.url, await createAuthSession(app.db, users[role], 'matrix'));
  }

  async function send(role: Role, probe: Probe): Promise<Response> {
    if (probe.path.startsWith('/api/')) {
      const headers: Record<string, string> = {};
      if (tokens[role]) headers.authorization = `Bearer ${tokens[role]}`;
      if (probe.body) headers['content-type'] = 'application/json';
      return app.get(probe.path, { method: probe.method, headers, ...(probe.body ? { body: JSON.stringify(probe.body) } : {}) });
    }
    const client = await clientFor(role);
    const fields = Object.fromEntries(Object.entries(probe.body ?? {}).map(([k, v]) => [k, String(v)]));
    if (probe.method === 'GET') return client.get(probe.path);
    // Signed in, a private POST carries the form token, as the page's form would; anonymous forms and links are posted bare.
    const bare = role === 'anonymous' || probe.access === 'form' || probe.access === 'link';
    return bare ? client.post(probe.path, fields) : client.submit('/account', probe.path, fields);
  }

  /** What `role` must get; undefined = reached (any of probe.ok). */
  function expected(role: Role, probe: Probe): readonly number[] | 'signIn' | 'reached' {
    const a = probe.access;
    const api = probe.path.startsWith('/api/');
    if (a === 'public') return 'reached';
    if (a === 'link') return probe.method === 'POST' ? [403] : [200, 303, 400, 404];
    if (a === 'form') return probe.method === 'POST' ? [403] : [200, 303];
    if (api) {
      if (role === 'anonymous') return [401];
      if (a === 'token') return 'reached';
      if (typeof a === 'object' && 'tokenOwner' in a) return a.tokenOwner === role ? 'reached' : [404];
      throw new Error(`${probe.path}: an API route needs token or tokenOwner access`);
    }
    if (role === 'anonymous') return probe.method !== 'GET' ? [403] : (probe.anonymous ?? 'signIn');
    if (a === 'signedIn') return 'reached';
    if (a === 'admin') return role === 'admin' ? 'reached' : [403];
    if (typeof a === 'object' && 'owner' in a) return a.owner === role || a.also?.includes(role) ? 'reached' : [403, 404];
    throw new Error(`${probe.path}: unknown access`);
  }

  const probed = new Set<string>();
  let answers = 0;

  test('every role gets what its access allows, and refused requests write nothing', async () => {
    const failures: string[] = [];
    const publicBodies = new Map<string, string>();
    for (const role of ROLES) {
      for (const probe of probes()) {
        probed.add(`${probe.method} ${probe.path}`);
        const want = expected(role, probe);
        const refused = Array.isArray(want) && want.every((s) => s >= 400);
        const before = refused || probe.access === 'link' || probe.access === 'form' ? await written() : undefined;
        const res = await send(role, probe);
        const streamed = probe.stream === true && res.ok;
        if (streamed && !/^text\/event-stream/.test(res.headers.get('content-type') ?? '')) failures.push(`${role}: ${probe.path} is not an event stream`);
        const body = streamed ? (await res.body?.cancel(), '') : await res.text();
        answers++;
        const label = `${role}: ${probe.method} ${probe.path} (${JSON.stringify(probe.access)})`;
        const ok = probe.ok ?? (probe.method === 'GET' ? [200] : probe.path.startsWith('/api/') ? [200, 201, 204, 400, 409, 422] : [200, 303, 400, 409, 422]);
        if (want === 'signIn') {
          if (res.status !== 303 || res.headers.get('location') !== `/sign-in?next=${encodeURIComponent(probe.path)}`)
            failures.push(`${label}: ${res.status} → ${res.headers.get('location')}, expected the sign-in redirect`);
        } else if (want === 'reached') {
          if (!ok.includes(res.status)) failures.push(`${label}: ${res.status}, expected ${ok.join('/')} ${body.slice(0, 120)}`);
        } else if (!want.includes(res.status)) failures.push(`${label}: ${res.status}, expected ${want.join('/')}`);
        if (probe.access === 'public') {
          if (res.headers.getSetCookie().length) failures.push(`${label}: a public answer sets a cookie`);
          const first = publicBodies.get(probe.path);
          if (first === undefined) publicBodies.set(probe.path, `${res.status} ${body}`);
          else if (first !== `${res.status} ${body}` && !probe.clock && !probe.stream)
            failures.push(`${label}: differs from what an anonymous visitor got (a public answer must not depend on who asks)`);
        }
        if (before !== undefined && (await written()) !== before) failures.push(`${label}: refused, yet it wrote`);
      }
    }
    assert.deepEqual(failures, []);
  });

  // A new route outside /manage and /api/v1/manage fails here, by name, until probes() or EXEMPT lists it.
  test('the matrix reached every route the app has outside the back office and organizer API', () => {
    assert.ok(answers > 500, `${answers} answers checked`);
    const exempt = new Set(Object.keys(EXEMPT));
    assert.deepEqual(
      uncoveredRoutes(
        AUDIENCES.everyoneElse,
        app.routes.filter((r) => !exempt.has(r)),
        probed,
      ),
      [],
    );
    assert.deepEqual(
      Object.keys(EXEMPT).filter((r) => !app.routes.includes(r)),
      [],
      'EXEMPT names a route the app no longer has',
    );
  });
});
