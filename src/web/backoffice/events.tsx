import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { DomainError } from '../../lib/domain-error.js';
import { listManagedCommunities } from '../../modules/events/community.queries.js';
import { EVENT_KINDS } from '../../modules/events/event.js';
import { getInterestCounts, interestCountsShown } from '../../modules/agenda/agenda.queries.js';
import { setInterestCountsShown } from '../../modules/agenda/star.actions.js';
import { createEvent, updateEvent } from '../../modules/events/event.actions.js';
import { publishEvent, unpublishEvent } from '../../modules/schedule/publication.actions.js';
import { previewRelease } from '../../modules/schedule/release.actions.js';
import type { ReleaseRecord } from '../../modules/schedule/release.queries.js';
import type { CommunityRecord, EventRecord } from '../../modules/events/records.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { SERVICE_KINDS } from '../../modules/program/session.js';
import { localLabel } from '../../modules/events/event-dates.js';
import { CancelledNotice, EventDates, EventKindBadge } from '../components/event-bits.js';
import {
  ButtonForm,
  CheckboxField,
  ErrorSummary,
  PostForm,
  SelectField,
  TextArea,
  TextField,
  formState,
  type FormState,
  type Option,
} from '../components/form.js';
import { paths, plural } from '../components/html.js';
import {
  ActionError,
  bo,
  boContext,
  boPage,
  buttonAction,
  Facts,
  formBody,
  idParam,
  loadEvent,
  queryOf,
  StateBadge,
  submitForm,
  type BoContext,
} from './shared.js';

/*
 *   GET  /manage/events/new                 new event form (?communityId= preselects)
 *   POST /manage/events/new
 *   GET  /manage/events/:id                 overview: status, counts, publish/unpublish
 *   GET  /manage/events/:id/edit            event settings (organizers)
 *   POST /manage/events/:id/edit
 *   POST /manage/events/:id/publish
 *   POST /manage/events/:id/unpublish
 *   (cancelling: the reason form is on the settings page, it posts to event-cancel.tsx)
 *   POST /manage/events/:id/interest-counts  setInterestCountsShown (organizers): "N interested"
 *                                            on the public pages, or for the team only
 */
export async function eventPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/new', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const communities = await listManagedCommunities(ctx.db, c.actor);
    const q = queryOf(request);
    return reply
      .type('text/html; charset=utf-8')
      .send(renderNewEvent(c, communities, formState({ communityId: q.communityId ?? '', kind: 'conference', timeZone: 'UTC' })));
  });

  app.post('/manage/events/new', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => createEvent(ctx, c.actor, body),
      (event) => ({ to: bo.event(event.id), notice: `"${event.title}" created as a draft. Add rooms, speakers and sessions, then publish it.` }),
      async (state) => renderNewEvent(c, await listManagedCommunities(ctx.db, c.actor), state),
    );
  });

  app.get('/manage/events/:eventId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'));
    return reply.type('text/html; charset=utf-8').send(renderOverview(c, ed, await overviewOf(ctx, c, ed)));
  });

  app.post('/manage/events/:eventId/interest-counts', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const show = formBody(request).show;
    return buttonAction(
      reply,
      () => setInterestCountsShown(ctx, c.actor, ed.event.id, { show }),
      {
        to: bo.event(ed.event.id),
        notice:
          show === 'on' ? 'The public session pages and schedule now show how many people are interested.' : 'Interest counts are shown to the team only.',
      },
      async (error) => renderOverview(c, ed, await overviewOf(ctx, c, ed), error),
    );
  });

  app.get('/manage/events/:eventId/edit', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    return reply.type('text/html; charset=utf-8').send(renderEditEvent(c, ed, formState()));
  });

  app.post('/manage/events/:eventId/edit', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => updateEvent(ctx, c.actor, ed.event.id, body),
      (event) => ({ to: bo.event(event.id), notice: `"${event.title}" saved.` }),
      (state) => renderEditEvent(c, ed, state),
    );
  });

  for (const name of ['publish', 'unpublish'] as const) {
    app.post(`/manage/events/:eventId/${name}`, async (request, reply) => {
      const c = boContext(request, reply);
      if (!c) return reply;
      const eventId = idParam(request, 'eventId');
      const ed = await loadEvent(ctx, c, eventId);
      return buttonAction(
        reply,
        () => (name === 'publish' ? publishEvent(ctx, c.actor, eventId) : unpublishEvent(ctx, c.actor, eventId)),
        {
          to: bo.event(eventId),
          notice:
            name === 'publish'
              ? `"${ed.event.title}" is published: its pages and API are public now.`
              : `"${ed.event.title}" is a draft again: its public pages are gone.`,
        },
        async (error) => renderOverview(c, ed, await overviewOf(ctx, c, ed), error),
      );
    });
  }
}

export const EVENT_LABELS: Record<string, string> = {
  communityId: 'Community',
  kind: 'Kind',
  title: 'Title',
  acronym: 'Short name',
  slug: 'Address (slug)',
  startDate: 'First day',
  endDate: 'Last day',
  dayChange: 'Day change',
  timeZone: 'Time zone',
  venueName: 'Venue',
  venueAddress: 'Venue address',
  venueUrl: 'Venue website',
  capacity: 'Capacity',
  description: 'Description',
  codeOfConductUrl: 'Code of conduct',
  url: 'Event website',
};

let zoneOptions: Option[] | undefined;

/** Every IANA zone the runtime knows, for the time zone select. */
function timeZoneOptions(): Option[] {
  if (!zoneOptions) {
    const zones = new Set<string>(Intl.supportedValuesOf('timeZone'));
    zones.add('UTC');
    zoneOptions = [...zones].sort().map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));
  }
  return zoneOptions;
}

/** The event's own fields, shared by the new and edit forms. */
function EventFields(p: { state: FormState; event?: EventRecord }): JSX.Element {
  const e = p.event;
  const s = p.state;
  return (
    <>
      <fieldset>
        <legend>What</legend>
        <SelectField
          name="kind"
          label="Kind"
          state={s}
          fallback={e?.kind}
          options={EVENT_KINDS.map((k) => ({
            value: k,
            label: k === 'conference' ? 'Conference (several rooms, a schedule grid)' : 'Meetup (one evening, an agenda)',
          }))}
        />
        <TextField name="title" label="Title" state={s} fallback={e?.title} required />
        <TextField name="acronym" label="Short name" hint="Optional, e.g. RC27." state={s} fallback={e?.acronym} />
        <TextField
          name="slug"
          label="Address (slug)"
          hint="Used in the public address /events/<slug>: lower-case letters, digits and hyphens."
          state={s}
          fallback={e?.slug}
          required
        />
        <TextArea
          name="description"
          label="Description"
          hint="Markdown: **bold**, _italic_, [links](https://…), lists."
          rows={8}
          state={s}
          fallback={e?.description}
        />
      </fieldset>
      <fieldset>
        <legend>When</legend>
        <TextField name="startDate" type="date" label="First day" state={s} fallback={e?.startDate} required />
        <TextField name="endDate" type="date" label="Last day" hint="The same as the first day for a one-day event." state={s} fallback={e?.endDate} required />
        <SelectField
          name="timeZone"
          label="Time zone"
          hint="The venue's zone: every time in the programme is entered and shown in it."
          state={s}
          fallback={e?.timeZone}
          options={timeZoneOptions()}
          required
        />
        <TextField
          name="dayChange"
          type="time"
          label="Day change"
          hint="Sessions before this local time belong to the day before (late-night events). Default 04:00."
          state={s}
          fallback={e?.dayChange}
        />
      </fieldset>
      <fieldset>
        <legend>Where</legend>
        <TextField name="venueName" label="Venue" state={s} fallback={e?.venueName} />
        <TextArea name="venueAddress" label="Venue address" rows={3} state={s} fallback={e?.venueAddress} />
        <TextField name="venueUrl" type="url" label="Venue website" state={s} fallback={e?.venueUrl} />
        <TextField
          name="capacity"
          type="number"
          min="1"
          label="Capacity"
          hint="How many people fit; optional. Once people RSVP, change it on the Registration page (it moves the waitlist)."
          state={s}
          fallback={e?.capacity}
        />
      </fieldset>
      <fieldset>
        <legend>Links</legend>
        <TextField
          name="codeOfConductUrl"
          type="url"
          label="Code of conduct"
          hint="Address of the code of conduct, shown on the event page."
          state={s}
          fallback={e?.codeOfConductUrl}
        />
        <TextField name="url" type="url" label="Event website" state={s} fallback={e?.url} />
      </fieldset>
    </>
  );
}

function renderNewEvent(c: BoContext, communities: readonly CommunityRecord[], state: FormState): string {
  return boPage(c, {
    title: 'New event',
    children: (
      <>
        <h1>New event</h1>
        {communities.length === 0 ? (
          <p>
            Events belong to a community, and you do not run one yet. <a href={bo.newCommunity()}>Start a community</a> first.
          </p>
        ) : (
          <>
            <p class="lede">The event starts as a draft: nobody else sees it until you publish it.</p>
            <ErrorSummary state={state} labels={EVENT_LABELS} />
            <PostForm action={bo.newEvent()} csrf={c.csrf}>
              <SelectField
                name="communityId"
                label="Community"
                state={state}
                options={communities.map((m) => ({ value: String(m.id), label: m.name }))}
                required
              />
              <EventFields state={state} />
              <button type="submit">Create event</button>
            </PostForm>
          </>
        )}
      </>
    ),
  });
}

/** The settings page; `cancelState` is the cancel form's (the reason refused by event-cancel.tsx). */
export function renderEditEvent(c: BoContext, ed: EventForEditing, state: FormState, cancelState: FormState = formState()): string {
  return boPage(c, {
    title: 'Settings',
    event: { ed, section: 'edit' },
    children: (
      <>
        <h1>Event settings</h1>
        <ErrorSummary state={state} labels={EVENT_LABELS} />
        <PostForm action={bo.event(ed.event.id, 'edit')} csrf={c.csrf}>
          <EventFields state={state} event={ed.event} />
          <button type="submit">Save event</button>
        </PostForm>
        <section class="card" aria-labelledby="cancel-h">
          <h2 id="cancel-h">Cancel this event</h2>
          <CancelEventForm c={c} ed={ed} state={cancelState} />
        </section>
      </>
    ),
  });
}

const CANCEL_LABELS: Record<string, string> = { reason: 'Reason' };

/** Cancelling, first step (see event-cancel.tsx): the reason, or what was decided once cancelled. */
function CancelEventForm(p: { c: BoContext; ed: EventForEditing; state: FormState }): JSX.Element {
  const e = p.ed.event;
  if (e.cancelledAt) {
    // The summary explains a refused second cancellation (EVENT_ALREADY_CANCELLED).
    return (
      <>
        <ErrorSummary state={p.state} labels={CANCEL_LABELS} />
        <p class="notice notice-cancelled" safe>
          {`Cancelled on ${e.cancelledAt.slice(0, 10)}: ${e.cancellationReason ?? 'no reason was recorded.'}`}
        </p>
      </>
    );
  }
  return (
    <>
      <p>
        Cancelling is final: the public pages say "Cancelled" with your reason, RSVPs and session sign-ups close, reminders stop, and everyone going or on a
        waitlist gets one e-mail with the reason. You confirm on the next page.
      </p>
      <ErrorSummary state={p.state} labels={CANCEL_LABELS} />
      <PostForm action={bo.event(e.id, 'cancel')} csrf={p.c.csrf} label="Cancel the event">
        <TextArea name="reason" label="Reason" hint="Shown publicly on the event page and sent to attendees." rows={3} state={p.state} required />
        <button type="submit" class="danger">
          Cancel event…
        </button>
      </PostForm>
    </>
  );
}

/** Expected audience: stars on the sessions the actor may see, and whether the public sees the counts. */
interface Audience {
  readonly shown: boolean;
  /** Stars over the sessions the actor may see (one person starring two sessions counts twice). */
  readonly stars: number;
  readonly top: ReadonlyArray<{ id: number; title: string; n: number }>;
}

/** What the overview shows besides the event: the audience and, for organizers, what is not yet released. */
interface Overview {
  readonly audience: Audience;
  readonly release: { readonly latest: ReleaseRecord | null; readonly pending: number } | null;
}

async function overviewOf(ctx: AppContext, c: BoContext, ed: EventForEditing): Promise<Overview> {
  const [audience, preview] = await Promise.all([
    audienceOf(ctx, c, ed),
    ed.permissions.manageEvent ? previewRelease(ctx, c.actor, ed.event.id) : Promise.resolve(null),
  ]);
  return { audience, release: preview && { latest: preview.latest, pending: preview.changes.length } };
}

async function audienceOf(ctx: AppContext, c: BoContext, ed: EventForEditing): Promise<Audience> {
  const shown = await interestCountsShown(ctx.db, ed.event.id);
  if (ed.event.state !== 'published') return { shown, stars: 0, top: [] };
  const interest = await getInterestCounts(ctx.db, c.actor, ed.event.id);
  const tracks = ed.permissions.editableTrackIds;
  const visible = tracks === 'all' ? ed.sessions : ed.sessions.filter((s) => s.trackId !== null && tracks.includes(s.trackId));
  const rows = visible.map((s) => ({ id: s.id, title: s.title, n: interest?.counts.get(s.id) ?? 0 })).filter((r) => r.n > 0);
  rows.sort((a, b) => b.n - a.n || a.title.localeCompare(b.title));
  return { shown, stars: rows.reduce((sum, r) => sum + r.n, 0), top: rows.slice(0, 5) };
}

function renderOverview(c: BoContext, ed: EventForEditing, { audience, release }: Overview, error?: DomainError): string {
  const e = ed.event;
  const confirmed = ed.sessions.filter((s) => s.status === 'confirmed');
  const talks = confirmed.filter((s) => !SERVICE_KINDS.has(s.kind)).length;
  const cancelled = ed.sessions.length - confirmed.length;
  const manage = ed.permissions.manageEvent;
  return boPage(c, {
    title: 'Overview',
    event: { ed, section: 'overview' },
    children: (
      <>
        <header class="page-head">
          <p class="eyebrow">
            <EventKindBadge kind={e.kind} /> <span safe>{ed.community.name}</span>
          </p>
          <h1 safe>{e.title}</h1>
          <p>
            <EventDates startDate={e.startDate} endDate={e.endDate} /> · <span safe>{e.timeZone}</span> · <StateBadge state={e.state} />
            {e.cancelledAt ? <StateBadge state="cancelled" /> : ''}
          </p>
          <CancelledNotice event={e} reason />
        </header>
        <ActionError error={error} />
        <section class="card" aria-labelledby="status-h">
          <h2 id="status-h">Status</h2>
          {e.state === 'published' ? (
            <p>
              Published: everyone can see <a href={paths.event(e.slug)}>the public page</a>, the schedule and the API.
            </p>
          ) : (
            <p>Draft: only the team sees it. Publishing makes the event page, schedule and API public.</p>
          )}
          {manage ? (
            e.state === 'published' ? (
              <ButtonForm action={bo.event(e.id, 'unpublish')} csrf={c.csrf} label="Unpublish (back to draft)" class="secondary" />
            ) : (
              <ButtonForm action={bo.event(e.id, 'publish')} csrf={c.csrf} label="Publish event" />
            )
          ) : (
            <p class="hint">You manage sessions of your tracks; an organizer publishes the event.</p>
          )}
        </section>
        <section class="card" aria-labelledby="counts-h">
          <h2 id="counts-h">Programme</h2>
          <Facts
            items={[
              ['Days', String(ed.days.length)],
              ['Rooms', String(ed.rooms.length)],
              ['Tracks', String(ed.tracks.length)],
              ['Talks and other sessions', String(talks)],
              ['All confirmed items', String(confirmed.length)],
              ['Cancelled', String(cancelled)],
              ['Speakers', String(ed.speakers.length)],
              ['Sponsors', String(ed.sponsors.length)],
            ]}
          />
          <p class="bo-actions">
            <a class="button" href={bo.event(e.id, 'sessions/new')}>
              Add a session
            </a>
            <a class="button secondary" href={bo.event(e.id, 'speakers/new')}>
              Add a speaker
            </a>
          </p>
          {release ? <ReleaseStatus eventId={e.id} timeZone={e.timeZone} latest={release.latest} pending={release.pending} /> : ''}
        </section>
        <AudienceSection c={c} ed={ed} audience={audience} />
      </>
    ),
  });
}

/**
 * What the public sees of the programme against the draft: "3 changes not released yet" with the
 * way to release them, or that everything is released. Rooms, times, cancellations and speakers
 * stay in the draft until released; organizers must never wonder which version is public.
 */
function ReleaseStatus(p: { eventId: number; timeZone: string; latest: ReleaseRecord | null; pending: number }): JSX.Element {
  const released = p.latest ? (
    <>
      The public sees version <strong safe>{p.latest.name}</strong>, released{' '}
      <time datetime={p.latest.releasedAt} safe>
        {localLabel(p.latest.releasedAt, p.timeZone)}
      </time>
      .
    </>
  ) : (
    <>Nothing is released yet: the first release publishes the programme.</>
  );
  return (
    <div class={p.pending > 0 ? 'notice' : ''} role="status">
      <p>
        {released}{' '}
        {p.pending > 0 ? (
          <>
            <strong safe>{`${plural(p.pending, 'change', 'changes')} in the draft not released yet`}</strong> (rooms, times, cancellations and speakers stay in
            the draft until released).
          </>
        ) : (
          'Everything in the draft is released.'
        )}
      </p>
      <p class="bo-actions">
        <a class={p.pending > 0 ? 'button' : 'button secondary'} href={bo.event(p.eventId, 'releases')}>
          {p.pending > 0 ? 'Review and release' : 'Releases'}
        </a>
        <a class="button secondary" href={bo.event(p.eventId, 'schedule')}>
          Schedule editor
        </a>
      </p>
    </div>
  );
}

/** Expected audience (stars per session) and, for organizers, the "show publicly" setting. */
function AudienceSection(p: { c: BoContext; ed: EventForEditing; audience: Audience }): JSX.Element {
  const { c, ed, audience } = p;
  const e = ed.event;
  return (
    <section class="card" aria-labelledby="audience-h">
      <h2 id="audience-h">Expected audience</h2>
      <p>Attendees star the sessions they plan to attend. The sessions list shows how many are interested in each.</p>
      {audience.top.length ? (
        <ol class="bo-audience">
          {audience.top.map((r) => (
            <li>
              <a href={bo.event(e.id, `sessions/${r.id}`)} safe>
                {r.title}
              </a>{' '}
              <span class="hint" safe>{`${r.n} interested`}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p class="hint">Nobody has starred a session yet.</p>
      )}
      <p>
        <a href={`${bo.event(e.id, 'sessions')}?sort=interest`}>Sessions by interest</a>
      </p>
      {ed.permissions.manageEvent ? (
        <PostForm action={bo.event(e.id, 'interest-counts')} csrf={c.csrf} label="Interest counts">
          <CheckboxField
            name="show"
            label="Show “N interested” on the public session pages and schedule"
            hint="Counts are never shown per person. Off: only the team sees them."
            state={formState({ show: audience.shown ? 'on' : '' })}
          />
          <button type="submit" class="secondary">
            Save
          </button>
        </PostForm>
      ) : (
        <p class="hint">{audience.shown ? 'The public pages show these counts.' : 'Only the team sees these counts.'}</p>
      )}
    </section>
  );
}
