import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.js';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import { WebClient } from '../support/web-client.js';
import { createTestUser } from '../factories/users.js';
import { actionSchemaStringFields, type SchemaField } from '../support/schema-fields.js';
import { Corpus, acceptedScriptUrls, htmlProblems, icalProblems, xmlProblems } from '../support/xss-corpus.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { signUp, updateProfile } from '../../src/modules/accounts/account.actions.js';
import { createApiToken } from '../../src/modules/accounts/api-token.actions.js';
import { createCommunity } from '../../src/modules/events/community.actions.js';
import { createEvent } from '../../src/modules/events/event.actions.js';
import { releaseSchedule } from '../../src/modules/schedule/release.actions.js';
import { setEventHosts } from '../../src/modules/events/host.actions.js';
import { createSponsor } from '../../src/modules/events/sponsor.actions.js';
import { createSeries, generateOccurrences } from '../../src/modules/events/series.actions.js';
import { createBlocker } from '../../src/modules/planning/blocker.actions.js';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { createTrack } from '../../src/modules/program/track.actions.js';
import { createSession } from '../../src/modules/program/session.actions.js';
import { createSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import { saveCfpSettings } from '../../src/modules/cfp/cfp-settings.actions.js';
import { submitProposal } from '../../src/modules/cfp/proposal.actions.js';
import { saveReview } from '../../src/modules/cfp/review.actions.js';
import { createTicketType, updateRegistrationSettings } from '../../src/modules/registration/registration.actions.js';
import { rsvp } from '../../src/modules/registration/rsvp.actions.js';
import { registrationContext } from '../../src/modules/registration/rsvp.queries.js';
import { cancelEvent } from '../../src/modules/registration/event-cancel.actions.js';
import { saveNote } from '../../src/modules/agenda/note.actions.js';
import { createRecapDraft, publishRecap, saveRecapDraft } from '../../src/modules/agenda/recap.actions.js';
import { submitFeedback } from '../../src/modules/agenda/feedback.actions.js';
import { addSessionLink } from '../../src/modules/agenda/speaker-links.actions.js';
import { starSession } from '../../src/modules/agenda/star.actions.js';
import { regenerateCalendarFeed } from '../../src/modules/agenda/calendar-feed.actions.js';
import { createWebhook } from '../../src/modules/webhooks/webhook.actions.js';
import { saveInterestPicks, saveInterestPoll } from '../../src/modules/interest/interest.actions.js';
import { moduleContext } from '../support/module-context.js';

/*
 * The XSS corpus: every string field of every action input schema (found by walking the zod
 * schemas, so a new field is in by itself) is filled through the real actions with payloads
 * tagged by a marker of its own, then every GET route of the app is rendered for an organizer,
 * a speaker and an attendee, and every mail in the outbox is read. Nothing a payload could make
 * may exist: no element or attribute in HTML, no broken XML, no property line in iCalendar, no
 * header line in a mail subject. A hit names the field whose marker it carries.
 */

/** String fields that are not free text, each with why a payload cannot be put in it. */
const EXEMPT: ReadonlyArray<{ fields: RegExp; why: string; refusesMarkup: boolean }> = [
  { fields: /\.(email|coSpeakers\[\])$/, why: 'an e-mail address: checked as one, <, > and " refused', refusesMarkup: true },
  { fields: /\.(password|currentPassword|newPassword)$/, why: 'a password: hashed, never shown', refusesMarkup: false },
  { fields: /\.slug$/, why: 'a slug: lower-case letters, digits and hyphens', refusesMarkup: true },
  {
    fields: /\.(startDate|endDate|startsOn|endsOn|day|opensAt|closesAt|dayChange|startTime|endTime|days\[\])$/,
    why: 'a date or time of a fixed pattern',
    refusesMarkup: true,
  },
  {
    fields: /^(CreateSessionSchema|ScheduleSchema|EventDocumentSchema\.sessions\[\]|ScheduleMoveSchema|BlockerSchema)\.start$/,
    why: 'a local date-time, read in the event zone: anything else is refused by the action',
    refusesMarkup: false,
  },
  {
    fields: /^(WindowsSchema|OpeningHoursSchema)\.windows\[\]\.(from|to)$/,
    why: 'a time of day HH:MM (an availability window)',
    refusesMarkup: true,
  },
  { fields: /\.timeZone$/, why: "an IANA time-zone name from the known list (the document's checked by importEventDocument's rules)", refusesMarkup: false },
  { fields: /\.(language|color|code|guid|questions\[\]\.id)$/, why: 'a language code, colour, code, UUID or id of a fixed pattern', refusesMarkup: true },
  { fields: /\.handles\.(mastodon|bluesky|github|gitlab|linkedin|x)$/, why: 'a social handle: letters, digits, @ . _ -', refusesMarkup: true },
  {
    fields: /^EventDocumentSchema\.sessions\[\]\.(track|room|sponsoredBy|speakers\[\])$/,
    why: 'a reference to a track, room, sponsor or speaker of the document by its name or code (filled: those fields)',
    refusesMarkup: false,
  },
  { fields: /^InterestPicksSchema\.talks\[\]$/, why: 'a talk key of a fixed pattern (s<id> or p<id>), checked against the poll', refusesMarkup: true },
  { fields: /^TicketScanSchema\.ticket$/, why: 'a scanned ticket token: looked up, never stored or shown', refusesMarkup: false },
];

/** URL fields: their schema must refuse script URLs; they get the most hostile http(s) URL it accepts. */
const URL_FIELD = /(\.|^)(url|venueUrl|codeOfConductUrl|logoUrl|avatarUrl|handles\.website|links\[\]\.url|hosts\[\]\.url)$/i;

/** Fields a corpus marker may legitimately never show up for, with the reason. */
const NOT_SHOWN: Record<string, string> = {
  'AttendeeQuerySchema.q': 'a search query: it filters the attendee list and is not echoed',
};

const exemptionOf = (key: string) => EXEMPT.find((e) => e.fields.test(key));

describe('XSS corpus: every user-text field, every place it is rendered', () => {
  let app: RunningApp;
  let fields: SchemaField[];
  let corpus: Corpus;
  const outputs: Array<{ where: string; body: string; type: string }> = [];
  const ids = {} as {
    event: number;
    doc: number;
    community: number;
    docCommunity: number;
    series: number;
    recap: number;
    session: number;
    proposal: number;
    speaker: number;
    feed: string;
  };
  const slugs = { event: 'corpus-conf', doc: 'corpus-doc' };
  const clients: Array<{ who: string; web: WebClient; token: string }> = [];

  before(async () => {
    fields = await actionSchemaStringFields();
    corpus = new Corpus(fields);
    const T = (key: string) => corpus.text(key);
    const U = (key: string) => corpus.url(key);

    // The whole-event document: everything an import writes.
    const D = (path: string) => `EventDocumentSchema.${path}`;
    const room = T(D('rooms[].name'));
    const track = T(D('tracks[].name'));
    const sponsor = T(D('sponsors[].name'));
    app = await startTestApp({
      webhookDispatcher: false,
      env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
      docs: [
        {
          format: 'hallway-event/1',
          community: { slug: 'corpus-doc-community', name: T(D('community.name')), description: T(D('community.description')), url: U(D('community.url')) },
          event: {
            slug: slugs.doc,
            kind: 'conference',
            ...corpus.texts(D('event'), ['title', 'acronym', 'description']),
            ...corpus.urls(D('event'), ['codeOfConductUrl', 'url']),
            timeZone: 'Europe/Amsterdam',
            startDate: '2027-05-20',
            endDate: '2027-05-20',
            venue: { ...corpus.texts(D('event.venue'), ['name', 'address']), url: U(D('event.venue.url')) },
            hosts: [{ name: T(D('event.hosts[].name')), role: 'host', url: U(D('event.hosts[].url')) }],
          },
          rooms: [{ name: room, description: T(D('rooms[].description')) }],
          tracks: [{ name: track, color: '#336699', description: T(D('tracks[].description')) }],
          speakers: [
            {
              code: 'doc-speaker',
              ...corpus.texts(D('speakers[]'), ['name', 'jobTitle', 'company', 'bio']),
              avatarUrl: U(D('speakers[].avatarUrl')),
              handles: { website: U(D('speakers[].handles.website')), github: 'octocat' },
            },
          ],
          sponsors: [
            { name: sponsor, level: 'gold', url: U(D('sponsors[].url')), logoUrl: U(D('sponsors[].logoUrl')), contribution: T(D('sponsors[].contribution')) },
          ],
          sessions: [
            {
              code: 'doc-talk',
              kind: 'talk',
              ...corpus.texts(D('sessions[]'), ['title', 'subtitle', 'abstract']),
              room,
              track,
              sponsoredBy: sponsor,
              start: '2027-05-20T10:00',
              durationMinutes: 45,
              speakers: ['doc-speaker'],
              links: [{ kind: 'slides', title: T(D('sessions[].links[].title')), url: U(D('sessions[].links[].url')) }],
            },
          ],
        },
      ],
    });
    const db = app.db;
    const config = app.hallway.ctx.config;
    const actorOf = async (id: number): Promise<Actor> => actorFor(db, await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    const adminUser = await createTestUser(db, { email: 'admin@example.org', displayName: 'Admin', isAdmin: true });
    const speakerUser = await createTestUser(db, { email: 'speaker@example.org', displayName: 'Speaker' });
    const attendeeUser = await createTestUser(db, { email: 'attendee@example.org', displayName: 'Attendee' });
    const admin = await actorOf(adminUser.id);
    let attendee = await actorOf(attendeeUser.id);
    const speaker = await actorOf(speakerUser.id);

    // Accounts: a sign-up (its verification mail), a display name, an API token's name.
    await signUp(db, config, { email: 'new@example.org', password: 'correct horse battery', displayName: T('SetupSchema.displayName') });
    await updateProfile(db, attendee, { displayName: T('ProfileSchema.displayName') });
    attendee = await actorOf(attendeeUser.id);
    const adminToken = (await createApiToken(db, admin, T('ApiTokenNameSchema.name'))).token;
    const attendeeToken = (await createApiToken(db, attendee, 'attendee')).token;
    const speakerToken = (await createApiToken(db, speaker, 'speaker')).token;

    // A community, a published event with its hosts, sponsor, room, track, speaker and session, all through the back-office actions.
    const C = (p: string) => `CommunitySchema.${p}`;
    ids.community = (
      await createCommunity(moduleContext(db), admin, { slug: 'corpus-community', name: T(C('name')), description: T(C('description')), url: U(C('url')) })
    ).id;
    ids.event = (
      await createEvent(moduleContext(db), admin, {
        communityId: ids.community,
        slug: slugs.event,
        kind: 'conference',
        ...corpus.texts('CreateEventSchema', ['title', 'acronym', 'venueName', 'venueAddress', 'description']),
        ...corpus.urls('CreateEventSchema', ['venueUrl', 'codeOfConductUrl', 'url']),
        timeZone: 'Europe/Amsterdam',
        startDate: '2027-06-10',
        endDate: '2027-06-10',
        capacity: 100,
      })
    ).id;
    await setEventHosts(moduleContext(db), admin, ids.event, {
      hosts: [{ name: T('SetHostsSchema.hosts[].name'), role: 'host', url: U('SetHostsSchema.hosts[].url') }],
    });
    const S = (p: string) => `SponsorSchema.${p}`;
    const sponsorId = (
      await createSponsor(moduleContext(db), admin, ids.event, {
        name: T(S('name')),
        level: 'gold',
        url: U(S('url')),
        logoUrl: U(S('logoUrl')),
        contribution: T(S('contribution')),
      })
    ).id;
    const roomId = (await createRoom(moduleContext(db), admin, ids.event, { name: T('RoomSchema.name'), description: T('RoomSchema.description') })).id;
    const trackId = (await createTrack(moduleContext(db), admin, ids.event, { name: T('TrackSchema.name'), description: T('TrackSchema.description') })).id;
    // An internal blocker: its title is on the schedule editor's page.
    await createBlocker(moduleContext(db), admin, ids.event, { roomId, title: T('BlockerSchema.title'), start: '2027-06-10T08:00', durationMinutes: 60 });
    const P = (p: string) => `SpeakerSchema.${p}`;
    ids.speaker = (
      await createSpeaker(moduleContext(db), admin, ids.event, {
        ...corpus.texts('SpeakerSchema', ['name', 'jobTitle', 'company', 'bio']),
        avatarUrl: U(P('avatarUrl')),
        handles: { website: U(P('handles.website')), github: 'octocat' },
      })
    ).id;
    await db.updateTable('speakers').set({ user_id: speakerUser.id }).where('id', '=', ids.speaker).execute();
    const X = (p: string) => `CreateSessionSchema.${p}`;
    ids.session = (
      await createSession(moduleContext(db), admin, ids.event, {
        kind: 'talk',
        ...corpus.texts('CreateSessionSchema', ['title', 'subtitle', 'abstract']),
        roomId,
        trackId,
        sponsorId,
        start: '2027-06-10T10:00',
        durationMinutes: 45,
        speakerIds: [ids.speaker],
        links: [{ kind: 'video', title: T(X('links[].title')), url: U(X('links[].url')) }],
      })
    ).id;
    // The first release publishes the event; its name and comment are on the changelog, and the speaker gets a mail.
    await releaseSchedule({ db, clock: app.hallway.ctx.clock, config }, admin, ids.event, corpus.texts('ReleaseScheduleSchema', ['name', 'comment']));
    await createWebhook(db, config, admin, ids.event, { url: U('CreateWebhookSchema.url'), description: T('CreateWebhookSchema.description') });

    // A recurring meetup series and its occurrences.
    const R = (p: string) => `CreateSeriesSchema.${p}`;
    ids.series = (
      await createSeries(moduleContext(db), admin, ids.community, {
        name: T(R('name')),
        slug: 'corpus-series',
        titlePattern: `${T(R('titlePattern'))} {n}`.slice(0, 200),
        description: T(R('description')),
        venueName: T(R('venueName')),
        venueAddress: T(R('venueAddress')),
        venueUrl: U(R('venueUrl')),
        timeZone: 'Europe/Amsterdam',
        agenda: [{ kind: 'talk', title: T(R('agenda[].title')), offsetMinutes: 0, durationMinutes: 30 }],
        frequency: 'monthly',
        weekday: 'tuesday',
        ordinal: 'first',
        startsOn: '2027-01-01',
        count: 2,
      })
    ).id;
    await generateOccurrences(moduleContext(db), admin, ids.series, { today: '2027-01-01' });

    // The call for proposals: the call, a proposal, a review.
    const cfpCtx = { config, clock: fixedClock('2027-02-01T12:00:00Z') };
    await saveCfpSettings(db, cfpCtx, admin, ids.event, {
      opensAt: '2027-01-01T09:00',
      closesAt: '2027-04-01T09:00',
      callText: T('CfpSettingsSchema.callText'),
      formats: [{ kind: 'talk', durationMinutes: 30 }],
    });
    const Q = (p: string) => `ProposalSchema.${p}`;
    ids.proposal = (
      await submitProposal(db, cfpCtx, speaker, ids.event, {
        title: T(Q('title')),
        kind: 'talk',
        abstract: T(Q('abstract')),
        description: T(Q('description')),
        notes: T(Q('notes')),
        language: 'en',
      })
    ).id;
    await saveReview(db, cfpCtx, admin, ids.event, ids.proposal, { score: 4, comment: T('ReviewSchema.comment') });

    // The interest poll: its intro on the poll page; the session and the proposal (in review) picked, so both titles are on the organizer's counts.
    await saveInterestPoll(moduleContext(db), admin, ids.event, { status: 'open', scope: 'review', intro: T('InterestPollSchema.intro') });
    await saveInterestPicks(moduleContext(db), { kind: 'person', actor: attendee }, ids.event, { talks: [`s${ids.session}`, `p${ids.proposal}`] });
    await saveInterestPicks(moduleContext(db), { kind: 'person', actor: admin }, ids.event, { talks: [`s${ids.session}`, `p${ids.proposal}`] });

    // Registration: questions, a ticket type, an RSVP answering them.
    const regCtx = await registrationContext(db, config, fixedClock('2027-02-01T12:00:00Z'));
    await updateRegistrationSettings(db, regCtx, admin, ids.event, {
      questions: [
        { id: 'diet', label: T('RegistrationSettingsSchema.questions[].label'), kind: 'text', required: false, options: [] },
        { id: 'size', label: 'Size', kind: 'choice', required: false, options: [T('RegistrationSettingsSchema.questions[].options[]')] },
      ],
    });
    await createTicketType(db, regCtx, admin, ids.event, { name: T('TicketTypeSchema.name'), description: T('TicketTypeSchema.description') });
    await rsvp(db, regCtx, attendee, ids.event, { attending: true, answers: { diet: T('RsvpSchema.answers{}') } });

    // The attendee's agenda: a star, a note, a feedback, a published recap, a calendar feed; the speaker's own link.
    await starSession(db, attendee, ids.event, ids.session);
    await saveNote(db, attendee, ids.event, ids.session, { body: T('NoteSchema.body'), qa: T('NoteSchema.qa') });
    await submitFeedback(db, attendee, ids.event, ids.session, { rating: 4, comment: T('FeedbackSchema.comment') }, new Date('2027-06-10T12:00:00Z'));
    await addSessionLink(moduleContext(db), speaker, ids.event, ids.session, {
      kind: 'code',
      title: T('SpeakerLinkSchema.title'),
      url: U('SpeakerLinkSchema.url'),
    });
    ids.recap = (await createRecapDraft(moduleContext(db), attendee, ids.event)).id;
    const W = (p: string) => `SaveRecapSchema.${p}`;
    await saveRecapDraft(moduleContext(db), attendee, ids.recap, {
      title: T(W('title')),
      introduction: T(W('introduction')),
      sections: [
        { sessionId: ids.session, notes: T(W('sections[].notes')), qa: T(W('sections[].qa')) },
        { sessionId: null, title: T(W('sections[].title')), notes: 'A section of a session since deleted', qa: '' },
      ],
    });
    await publishRecap(moduleContext(db), attendee, ids.recap, {});
    ids.feed = (await regenerateCalendarFeed(db, attendee, ids.event)).token;

    clients.push(
      { who: 'organizer', web: WebClient.signedIn(app.url, adminUser.sessionCookie), token: adminToken },
      { who: 'speaker', web: WebClient.signedIn(app.url, speakerUser.sessionCookie), token: speakerToken },
      { who: 'attendee', web: WebClient.signedIn(app.url, attendeeUser.sessionCookie), token: attendeeToken },
    );
    // The attendee search of the organizer API takes a query (it is not echoed).
    outputs.push(await fetched(`/api/v1/manage/events/${ids.event}/attendees?q=${encodeURIComponent(T('AttendeeQuerySchema.q'))}`, clients[0]!));

    // Every page before and after the event is called off (the reason is on its pages and in everyone's mail).
    for (const path of await paths()) for (const client of clients) outputs.push(await fetched(path, client));
    await cancelEvent(db, regCtx, admin, ids.event, { reason: T('CancelEventSchema.reason') });
    for (const path of [`/events/${slugs.event}`, `/events/${slugs.event}/schedule`, `/events/${slugs.event}/schedule.ics`, `/manage/events/${ids.event}`]) {
      for (const client of clients) outputs.push(await fetched(path, client));
    }
  });
  after(async () => app?.close());

  async function fetched(path: string, client: (typeof clients)[number]): Promise<{ where: string; body: string; type: string }> {
    const res = path.startsWith('/api/') ? await fetch(app.url + path, { headers: { authorization: `Bearer ${client.token}` } }) : await client.web.get(path);
    const type = res.headers.get('content-type') ?? '';
    // A live stream (Server-Sent Events) never ends: it carries ids and JSON the pages' script
    // reads as text (assets/live.js), never HTML; it is closed unread.
    if (type.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { where: `GET ${path} as ${client.who} (${res.status})`, body: '', type };
    }
    return { where: `GET ${path} as ${client.who} (${res.status})`, body: await res.text(), type };
  }

  /** Every GET route of the app with its parameters filled from the corpus's records. */
  async function paths(): Promise<string[]> {
    const db = app.db;
    const docEvent = await db.selectFrom('events').select(['id', 'community_id']).where('slug', '=', slugs.doc).executeTakeFirstOrThrow();
    const occurrence = await db
      .selectFrom('series_occurrences')
      .innerJoin('events', 'events.id', 'series_occurrences.event_id')
      .select(['events.id', 'events.slug'])
      .where('series_occurrences.series_id', '=', ids.series)
      .orderBy('events.id')
      .executeTakeFirstOrThrow();
    const recapSlug = (await db.selectFrom('recaps').select('slug').where('id', '=', ids.recap).executeTakeFirstOrThrow()).slug;
    const of = async (table: 'rooms' | 'tracks' | 'sponsors' | 'webhooks' | 'ticket_types', eventId: number) =>
      (await db.selectFrom(table).select('id').where('event_id', '=', eventId).orderBy('id').execute()).map((r) => String(r.id));
    const rsvps = (await db.selectFrom('rsvps').select('id').where('event_id', '=', ids.event).execute()).map((r) => String(r.id));
    const perEvent = async (eventId: number, slug: string, code: string, speakerCode: string, speakerId: number, sessionId: number) => ({
      slug: [slug],
      eventId: [String(eventId)],
      id: [String(eventId)],
      code: [code],
      recapSlug: [recapSlug!],
      proposalId: [String(ids.proposal)],
      sessionId: [String(sessionId)],
      speakerId: [String(speakerId)],
      roomId: await of('rooms', eventId),
      trackId: await of('tracks', eventId),
      sponsorId: await of('sponsors', eventId),
      webhookId: await of('webhooks', eventId),
      ticketTypeId: await of('ticket_types', eventId),
      rsvpId: rsvps,
      token: [ids.feed],
      communityId: [String(ids.community)],
      seriesId: [String(ids.series)],
      speakerCode: [speakerCode],
    });
    const docSession = await db.selectFrom('sessions').select('id').where('event_id', '=', docEvent.id).executeTakeFirstOrThrow();
    const docSpeaker = await db.selectFrom('speakers').select('id').where('event_id', '=', docEvent.id).executeTakeFirstOrThrow();
    const mySpeaker = await db.selectFrom('speakers').select('code').where('id', '=', ids.speaker).executeTakeFirstOrThrow();
    const mySession = await db.selectFrom('sessions').select('code').where('id', '=', ids.session).executeTakeFirstOrThrow();
    const values = [
      await perEvent(ids.event, slugs.event, mySession.code!, mySpeaker.code, ids.speaker, ids.session),
      await perEvent(docEvent.id, slugs.doc, 'doc-talk', 'doc-speaker', docSpeaker.id, docSession.id),
      { ...(await perEvent(occurrence.id, occurrence.slug, 'none', 'none', 0, 0)), communityId: [String(docEvent.community_id)] },
    ];
    const out = new Set<string>(['/', '/events', `/communities/corpus-community`, `/communities/corpus-doc-community`]);
    for (const route of app.routes) {
      if (!route.startsWith('GET ') || route.includes('*')) continue;
      for (const v of values) {
        // Speaker pages take a speaker code where the route says :code after /speakers/.
        const template = route
          .slice(4)
          .replace(/\/speakers\/:code/, '/speakers/:speakerCode')
          .replace(/\/recaps\/:id\//, '/recaps/:recapId/');
        let paths = [template];
        for (const name of template.match(/:[A-Za-z]+/g) ?? []) {
          const key = name.slice(1);
          const options = key === 'recapId' ? [String(ids.recap)] : (v as Record<string, string[]>)[key];
          if (!options) {
            paths = [];
            break;
          }
          paths = paths.flatMap((p) => options.map((o) => p.replace(name, encodeURIComponent(o))));
        }
        for (const p of paths) out.add(p);
      }
    }
    for (const slug of Object.values(slugs)) out.add(`/events/${slug}/schedule?view=list`);
    return [...out];
  }

  test('every string field of the action input schemas is filled by the corpus or exempt for a stated reason', () => {
    const filled = corpus.filled();
    const missing = fields.filter((f) => !filled.has(f.key) && !exemptionOf(f.key)).map((f) => f.key);
    assert.deepEqual(
      missing,
      [],
      `string fields the XSS corpus does not fill (fill them in test/security/xss-corpus.test.ts, or exempt them with a reason):\n${missing.join('\n')}`,
    );
    assert.ok(filled.size > 60, `${filled.size} fields filled`);
    for (const e of EXEMPT)
      assert.ok(
        fields.some((f) => e.fields.test(f.key)),
        `the exemption ${e.fields} matches no field any more`,
      );
  });

  test('exempt fields that are patterns refuse markup; URL fields refuse script URLs', () => {
    for (const f of fields) {
      const e = exemptionOf(f.key);
      if (e?.refusesMarkup) assert.ok(!f.field.safeParse("<script>alert('x')</script>").success, `${f.key} is exempt as "${e.why}" but accepts markup`);
      if (URL_FIELD.test(f.key)) assert.deepEqual(acceptedScriptUrls(f.field), [], `${f.key} accepts script URLs`);
    }
  });

  test('every filled field is shown somewhere (a page, a feed, an export or a mail)', async () => {
    const mails = await app.db.selectFrom('mail_outbox').selectAll().execute();
    const all = [...outputs.map((o) => o.body), ...mails.flatMap((m) => [m.subject, m.text_body, m.html_body ?? ''])].join('\n');
    const unseen = [...corpus.filled()].filter(([key, m]) => !all.includes(m) && !NOT_SHOWN[key]).map(([key]) => key);
    assert.deepEqual(unseen, [], 'fields the corpus filled but no output shows: the test would not notice them rendered unsafely');
  });

  test('no page has an element or attribute made by a payload', (t) => {
    const html = outputs.filter((o) => o.type.startsWith('text/html'));
    const kinds = (re: RegExp) => outputs.filter((o) => re.test(o.type)).length;
    t.diagnostic(
      `${corpus.filled().size} fields filled; ${outputs.length} answers read: ${html.length} HTML, ${kinds(/xml/)} XML, ${kinds(/calendar/)} iCalendar, ${kinds(/json/)} JSON`,
    );
    assert.ok(html.length > 150, `${html.length} HTML pages`);
    const problems = html.flatMap((o) => htmlProblems(o.body, corpus).map((p) => `${o.where}: ${p}`));
    assert.deepEqual(problems, []);
  });

  test('XML exports and feeds stay well-formed, payloads kept as text', () => {
    const xml = outputs.filter((o) => /xml/.test(o.type) && o.body.length > 0);
    assert.ok(xml.length >= 6, `${xml.length} XML documents`);
    for (const o of xml) {
      assert.deepEqual(xmlProblems(o.body), [], `${o.where} is not well-formed`);
      assert.ok(corpus.fieldsIn(o.body).length > 0, `${o.where} shows no field of the corpus`);
      assert.ok(!/<!ENTITY/.test(o.body), `${o.where} has an entity declaration`);
    }
  });

  test('iCalendar files have only known property lines, none injected', () => {
    const ics = outputs.filter((o) => o.type.startsWith('text/calendar'));
    assert.ok(ics.length >= 6, `${ics.length} calendars`);
    for (const o of ics) {
      assert.deepEqual(icalProblems(o.body, corpus), [], o.where);
      assert.ok(corpus.fieldsIn(o.body).length > 0, `${o.where} shows no field of the corpus`);
    }
  });

  test('JSON exports and API answers parse', () => {
    const json = outputs.filter((o) => o.type.includes('json'));
    assert.ok(json.length > 20, `${json.length} JSON answers`);
    for (const o of json) assert.doesNotThrow(() => JSON.parse(o.body), o.where);
  });

  test('mails: no header line in a subject or address, HTML bodies escaped', async () => {
    const mails = await app.db.selectFrom('mail_outbox').selectAll().execute();
    assert.ok(mails.length >= 4, `${mails.length} mails`);
    assert.ok(
      mails.some((m) => corpus.fieldsIn(m.subject).length > 0),
      'a subject carries a payload',
    );
    for (const m of mails) {
      const where = `mail #${m.id} "${m.subject.slice(0, 60)}"`;
      assert.ok(!/[\r\n\u0085\u2028\u2029]/.test(m.subject), `${where}: a line break in the subject (fields ${corpus.fieldsIn(m.subject).join(', ')})`);
      assert.ok(!/[\r\n,<>]/.test(m.to_address), `${where}: a header line or a second address in To`);
      if (m.html_body) assert.deepEqual(htmlProblems(m.html_body, corpus, { mail: true }), [], `${where}: HTML body`);
      for (const a of JSON.parse(m.attachments) as Array<{ filename: string; contentType: string; content: string }>) {
        if (a.contentType.startsWith('text/calendar'))
          assert.deepEqual(icalProblems(Buffer.from(a.content, 'base64').toString('utf8'), corpus), [], `${where}: ${a.filename}`);
      }
    }
  });
});
