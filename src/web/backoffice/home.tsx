import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { canManageCommunity } from '../../modules/accounts/account.policy.js';
import { assertMayCreateCommunity, mayCreateCommunity } from '../../modules/accounts/community-creators.actions.js';
import { createCommunity, updateCommunity } from '../../modules/events/community.actions.js';
import { getCommunityForEditing, listManagedCommunities } from '../../modules/events/community.queries.js';
import type { CommunityRecord } from '../../modules/events/records.js';
import { listEventsForActor, type BackOfficeEventItem } from '../../modules/program/backoffice.queries.js';
import { listCheckInOnlyEvents, type CheckInEvent } from '../../modules/registration/registration-pages.queries.js';
import { listEventsToReview, type EventToReview } from '../../modules/cfp/proposal.queries.js';
import { EventDates, EventKindBadge } from '../components/event-bits.js';
import { ErrorSummary, PostForm, TextArea, TextField, formState, type FormState } from '../components/form.js';
import { bo, boContext, boPage, formBody, idParam, StateBadge, submitForm, type BoContext } from './shared.js';

/*
 *   GET  /manage                       the actor's events, grouped by community; first, for
 *                                      check-in volunteers, a link to each door they work;
 *                                      for reviewers, a link to each event's proposals
 *   GET  /manage/communities/new       new community form (who may: COMMUNITY_CREATORS; others
 *                                      get a page saying whom to ask)
 *   POST /manage/communities/new
 *   GET  /manage/communities/:id       edit a community (owners and organizers)
 *   POST /manage/communities/:id
 */
export async function homePages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const [events, communities, doors, toReview, mayStart] = await Promise.all([
      listEventsForActor(ctx.db, c.actor),
      listManagedCommunities(ctx.db, c.actor),
      listCheckInOnlyEvents(ctx.db, c.actor),
      listEventsToReview(ctx.db, c.actor),
      mayCreateCommunity(ctx.db, ctx.config, c.actor),
    ]);
    // Reviewers without the rest of the back office reach the proposals from here.
    const shown = new Set(events.map((e) => e.id));
    return reply
      .type('text/html; charset=utf-8')
      .send(renderHome(c, { events, managed: communities, doors, toReview: toReview.filter((e) => !shown.has(e.id)), mayStart }));
  });

  app.get('/manage/communities/new', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    await assertMayCreateCommunity(ctx.db, ctx.config, c.actor);
    return reply.type('text/html; charset=utf-8').send(renderCommunityForm(c, null, formState()));
  });

  app.post('/manage/communities/new', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => createCommunity(ctx, c.actor, body, ctx.config),
      (community) => ({ to: bo.newEvent(community.id), notice: `Community "${community.name}" created. Now add its first event.` }),
      (state) => renderCommunityForm(c, null, state),
    );
  });

  app.get('/manage/communities/:communityId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const community = await getCommunityForEditing(ctx.db, c.actor, idParam(request, 'communityId'));
    return reply.type('text/html; charset=utf-8').send(renderCommunityForm(c, community, formState()));
  });

  app.post('/manage/communities/:communityId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const community = await getCommunityForEditing(ctx.db, c.actor, idParam(request, 'communityId'));
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => updateCommunity(ctx, c.actor, community.id, body),
      (updated) => ({ to: bo.home(), notice: `Community "${updated.name}" saved.` }),
      (state) => renderCommunityForm(c, community, state),
    );
  });
}

interface CommunityGroup {
  readonly id: number;
  readonly name: string;
  readonly events: BackOfficeEventItem[];
}

interface HomeParts {
  readonly events: readonly BackOfficeEventItem[];
  readonly managed: readonly CommunityRecord[];
  readonly doors: readonly CheckInEvent[];
  readonly toReview: readonly EventToReview[];
  /** The actor may start a community (COMMUNITY_CREATORS). */
  readonly mayStart: boolean;
}

function renderHome(c: BoContext, { events, managed, doors, toReview, mayStart }: HomeParts): string {
  const groups = new Map<number, CommunityGroup>();
  for (const m of managed) groups.set(m.id, { id: m.id, name: m.name, events: [] });
  for (const e of events) {
    const g = groups.get(e.communityId) ?? { id: e.communityId, name: e.communityName, events: [] };
    g.events.push(e);
    groups.set(e.communityId, g);
  }
  const list = [...groups.values()].sort((a, b) => a.name.localeCompare(b.name));
  return boPage(c, {
    title: 'Back office',
    children: (
      <>
        <header class="page-head">
          <h1>Back office</h1>
          <p class="lede">The communities and events you run. Drafts are visible only here until you publish them.</p>
          <p class="bo-actions">
            {mayStart ? (
              <a class="button" href={bo.newCommunity()}>
                New community
              </a>
            ) : (
              ''
            )}
            {managed.length ? (
              <a class="button secondary" href={bo.newEvent()}>
                New event
              </a>
            ) : (
              ''
            )}
          </p>
        </header>
        <CheckInDoors doors={doors} />
        <ReviewDoors events={toReview} />
        {list.length === 0 && doors.length === 0 && toReview.length === 0 ? (
          <p>
            {mayStart
              ? 'You do not run any community or event yet. Start a community, then add its events.'
              : 'You do not run any community or event yet. On this site a site administrator allows who may start a community: ask one, or ask an organizer of an existing community to invite you.'}
          </p>
        ) : (
          ''
        )}
        {list.map((g) => (
          <section class="card bo-community" aria-labelledby={`community-${g.id}`}>
            <h2 id={`community-${g.id}`} safe>
              {g.name}
            </h2>
            {canManageCommunity(c.actor, g.id) ? (
              <p class="bo-actions">
                <a href={bo.community(g.id)}>Edit community</a>
                <a href={bo.newEvent(g.id)}>New event in this community</a>
                <a href={`${bo.community(g.id)}/series`}>Event series</a>
                <a href={`${bo.community(g.id)}/members`}>Members</a>
              </p>
            ) : (
              ''
            )}
            {g.events.length === 0 ? (
              <p>No events yet.</p>
            ) : (
              <table class="data-table">
                <caption class="vh" safe>{`Events of ${g.name}`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Dates</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {g.events.map((e) => (
                    <tr>
                      <td>
                        <a href={bo.event(e.id)} safe>
                          {e.title}
                        </a>{' '}
                        <EventKindBadge kind={e.kind} />
                      </td>
                      <td>
                        <EventDates startDate={e.startDate} endDate={e.endDate} />
                      </td>
                      <td>
                        <StateBadge state={e.state} />
                        {e.canManage ? '' : <span class="hint"> (track manager)</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ))}
      </>
    ),
  });
}

/** A reviewer's way in: the events whose proposals they review (and whose back office they do not otherwise open). */
function ReviewDoors({ events }: { events: readonly EventToReview[] }): JSX.Element {
  if (events.length === 0) return '';
  return (
    <section class="card bo-doors" aria-labelledby="review-h">
      <h2 id="review-h">Proposals to review</h2>
      <ul class="bo-door-list">
        {events.map((e) => (
          <li>
            <a class="button" href={bo.event(e.id, 'proposals')} safe>
              {`Review proposals for ${e.title}`}
            </a>{' '}
            <span class="hint" safe>{`${e.submitted} waiting for a decision`}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A volunteer's way in (sign-in lands here): one big link per event they check people in at. */
function CheckInDoors({ doors }: { doors: readonly CheckInEvent[] }): JSX.Element {
  if (doors.length === 0) return '';
  return (
    <section class="card bo-doors" aria-labelledby="doors-h">
      <h2 id="doors-h">Check-in</h2>
      <p>You check people in at the door of these events.</p>
      <ul class="bo-door-list">
        {doors.map((d) => (
          <li>
            <a class="button" href={`${bo.event(d.id, 'checkin')}`} safe>
              {`Check in at ${d.title}`}
            </a>{' '}
            <EventDates startDate={d.startDate} endDate={d.endDate} />
            {d.cancelled ? <span class="badge badge-cancelled">Cancelled</span> : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

const COMMUNITY_LABELS: Record<string, string> = { name: 'Name', slug: 'Address (slug)', description: 'Description', url: 'Website' };

function renderCommunityForm(c: BoContext, community: CommunityRecord | null, state: FormState): string {
  const title = community ? `Edit ${community.name}` : 'New community';
  return boPage(c, {
    title,
    children: (
      <>
        <h1 safe>{title}</h1>
        <ErrorSummary state={state} labels={COMMUNITY_LABELS} />
        <PostForm action={community ? bo.community(community.id) : bo.newCommunity()} csrf={c.csrf}>
          <TextField name="name" label="Name" state={state} fallback={community?.name} required />
          <TextField
            name="slug"
            label="Address (slug)"
            hint="Lower-case letters, digits and hyphens, e.g. rust-meetup-berlin."
            state={state}
            fallback={community?.slug}
            required
          />
          <TextArea name="description" label="Description" hint="Markdown." state={state} fallback={community?.description} />
          <TextField name="url" type="url" label="Website" state={state} fallback={community?.url} />
          <button type="submit">{community ? 'Save community' : 'Create community'}</button>
        </PostForm>
      </>
    ),
  });
}
