import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import { canViewBackOffice } from '../../modules/accounts/account.policy.js';
import { PROPOSAL_STATE_LABELS, PROPOSAL_STATES, SCORE_LABELS, SCORES } from '../../modules/cfp/cfp.js';
import type { CfpContext } from '../../modules/cfp/cfp-mail.js';
import { canManageCfp, canViewProposals } from '../../modules/cfp/cfp.policy.js';
import { decideProposal, scheduleProposal } from '../../modules/cfp/decision.actions.js';
import { getProposalForReview, listProposalsForReview, type ProposalForReview, type ProposalListItem } from '../../modules/cfp/proposal.queries.js';
import { findCfpEvent } from '../../modules/cfp/cfp.queries.js';
import { saveReview } from '../../modules/cfp/review.actions.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import { toEventRecord } from '../../modules/events/records.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { SESSION_KIND_LABELS } from '../../modules/program/session.js';
import { ErrorSummary, PostForm, SelectField, TextArea, TextField, formState, type FormState, type Option } from '../components/form.js';
import { attrText } from '../components/html.js';
import { formatDayMedium } from '../components/time-format.js';
import { localWhen, ProposalStateBadge, ProposalText, speakerLabel } from '../cfp/parts.js';
import { sendPage } from '../private.js';
import { localStart } from './sessions.js';
import {
  ActionError,
  bo,
  boContext,
  boPage,
  DataTable,
  formBody,
  idParam,
  loadEvent,
  queryOf,
  remapErrors,
  submitForm,
  type BoContext,
  type EventNav,
} from './shared.js';

/*
 * Reviewing and deciding on proposals. Reviewers, organizers and owners see every proposal of the
 * event, track managers those of their tracks (enforced by the queries and actions); reviewers
 * who may not open the rest of the back office see only these pages.
 *   GET  /manage/events/:id/proposals                      list (?state, ?sort=score)
 *   GET  /manage/events/:id/proposals/:proposalId          the proposal, its reviews, one's review form
 *   POST /manage/events/:id/proposals/:proposalId/review   save one's review (score, comment)
 *   POST /manage/events/:id/proposals/:proposalId/decide   accept | reject | undo (organizers)
 *   POST /manage/events/:id/proposals/:proposalId/schedule put an accepted proposal on the programme (organizers)
 */
export async function proposalPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const cctx: CfpContext = { config: ctx.config, clock: ctx.clock };

  app.get('/manage/events/:eventId/proposals', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const { nav, manage } = await loadNav(ctx, c, idParam(request, 'eventId'));
    const filter = queryOf(request);
    let items: ProposalListItem[] = [];
    let error: DomainError | undefined;
    try {
      items = await listProposalsForReview(ctx.db, c.actor, nav.event.id, filter);
    } catch (err) {
      if (!(err instanceof DomainError) || err.status !== 422) throw err;
      error = err;
    }
    return sendPage(reply, renderList(c, nav, items, filter, manage, error), error ? 422 : 200);
  });

  app.get('/manage/events/:eventId/proposals/:proposalId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const page = await loadProposal(ctx, c, request);
    return sendPage(reply, renderDetail(c, page, {}));
  });

  app.post('/manage/events/:eventId/proposals/:proposalId/review', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const page = await loadProposal(ctx, c, request);
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => saveReview(ctx.db, cctx, c.actor, page.nav.event.id, page.seen.proposal.id, body),
      (r) => ({ to: detailPath(page), notice: `Your review (${r.score}) is saved.` }),
      (state) => renderDetail(c, page, { review: state }),
    );
  });

  app.post('/manage/events/:eventId/proposals/:proposalId/decide', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const page = await loadProposal(ctx, c, request);
    if (!page.manage) throw EventErrors.forbidden('decide on proposals of this event');
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => decideProposal(ctx.db, cctx, c.actor, page.nav.event.id, page.seen.proposal.id, body),
      (p) => ({
        to: detailPath(page),
        notice:
          p.state === 'submitted'
            ? `Decision undone: "${p.title}" is waiting for a decision again.`
            : `"${p.title}" is ${p.state}; the speakers are being mailed.`,
      }),
      (state) => renderDetail(c, page, { decision: state }),
    );
  });

  app.post('/manage/events/:eventId/proposals/:proposalId/schedule', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const page = await loadProposal(ctx, c, request);
    if (!page.manage || !page.ed) throw EventErrors.forbidden('put proposals of this event on the programme');
    const body = formBody(request);
    const input = { roomId: body.roomId, start: localStart(body.day, body.time, page.ed.event.dayChange) };
    return submitForm(
      reply,
      body,
      () => scheduleProposal(ctx.db, cctx, c.actor, page.nav.event.id, page.seen.proposal.id, input),
      ({ session }) => ({
        to: detailPath(page),
        notice: `"${session.title}" is on the programme (${formatDayMedium(session.day)}, ${session.start.slice(11, 16)}).`,
      }),
      (state) => renderDetail(c, page, { schedule: remapErrors(state, { start: 'time' }) }),
    );
  });
}

interface NavPage {
  readonly nav: EventNav;
  /** The whole event for those who may open its back office (rooms and days for the programme form). */
  readonly ed: EventForEditing | null;
  readonly manage: boolean;
}

/** The event's navigation: the full back office, or only the proposals for reviewers. 403 for those who may not review. */
async function loadNav(ctx: AppContext, c: BoContext, eventId: number): Promise<NavPage> {
  const row = await findCfpEvent(ctx.db, eventId);
  if (!row) throw EventErrors.notFound('event', eventId);
  const scope = { eventId: row.id, communityId: row.community_id };
  if (!canViewProposals(c.actor, scope)) throw EventErrors.forbidden('see the proposals of this event');
  const manage = canManageCfp(c.actor, scope);
  if (canViewBackOffice(c.actor, scope)) {
    const ed = await loadEvent(ctx, c, eventId);
    return { nav: ed, ed, manage };
  }
  return { nav: { event: toEventRecord(row), permissions: { manageEvent: false, editableTrackIds: [] }, reviewerOnly: true }, ed: null, manage };
}

interface ProposalPage extends NavPage {
  readonly seen: ProposalForReview;
}

async function loadProposal(ctx: AppContext, c: BoContext, request: FastifyRequest): Promise<ProposalPage> {
  const nav = await loadNav(ctx, c, idParam(request, 'eventId'));
  const seen = await getProposalForReview(ctx.db, c.actor, nav.nav.event.id, idParam(request, 'proposalId'));
  return { ...nav, seen };
}

const detailPath = (p: ProposalPage) => bo.event(p.nav.event.id, `proposals/${p.seen.proposal.id}`);

/** `showAddresses`: organizers see speakers' e-mail addresses; reviewers only names (as in the API). */
function renderList(
  c: BoContext,
  nav: EventNav,
  items: readonly ProposalListItem[],
  filter: Record<string, string>,
  showAddresses: boolean,
  error?: DomainError,
): string {
  const id = nav.event.id;
  const f = formState(filter);
  return boPage(c, {
    title: 'Proposals',
    event: { ed: nav, section: 'proposals' },
    children: (
      <>
        <h1>Proposals</h1>
        <ActionError error={error} />
        <form method="get" action={attrText(bo.event(id, 'proposals'))} class="bo-filters" aria-label="Filter proposals">
          <SelectField
            name="state"
            label="State"
            state={f}
            options={[{ value: '', label: 'Any state' }, ...PROPOSAL_STATES.map((s) => ({ value: s, label: PROPOSAL_STATE_LABELS[s] }))]}
          />
          <SelectField
            name="sort"
            label="Order"
            state={f}
            options={[
              { value: '', label: 'Newest first' },
              { value: 'score', label: 'Best average score first' },
            ]}
          />
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
        <DataTable
          caption="Proposals"
          headers={['Proposal', 'Format', 'Track', 'Speakers', 'State', 'Reviews', 'Average', 'Yours']}
          empty="No proposals match."
        >
          {items.map((i) => (
            <tr>
              <th scope="row">
                <a href={bo.event(id, `proposals/${i.proposal.id}`)} safe>
                  {i.proposal.title}
                </a>
              </th>
              <td safe>{`${SESSION_KIND_LABELS[i.proposal.kind]} (${i.proposal.durationMinutes}′)`}</td>
              <td safe>{i.proposal.trackName ?? '—'}</td>
              <td safe>{i.proposal.speakers.map((s) => speakerLabel(s, showAddresses)).join(', ')}</td>
              <td>
                <ProposalStateBadge state={i.proposal.state} />
              </td>
              <td class="num" safe>
                {String(i.reviewCount)}
              </td>
              <td class="num" safe>
                {i.averageScore === null ? '—' : i.averageScore.toFixed(1)}
              </td>
              <td class="num" safe>
                {i.myScore === null ? '—' : String(i.myScore)}
              </td>
            </tr>
          ))}
        </DataTable>
      </>
    ),
  });
}

interface DetailForms {
  readonly review?: FormState;
  readonly decision?: FormState;
  readonly schedule?: FormState;
}

function renderDetail(c: BoContext, page: ProposalPage, forms: DetailForms): string {
  const { seen, nav, ed, manage } = page;
  const p = seen.proposal;
  const zone = nav.event.timeZone;
  const action = (sub: string) => bo.event(nav.event.id, `proposals/${p.id}/${sub}`);
  const review = forms.review ?? formState(seen.myReview ? { score: String(seen.myReview.score), comment: seen.myReview.comment } : {});
  const scores: Option[] = [{ value: '', label: '— choose —' }, ...SCORES.map((s) => ({ value: String(s), label: SCORE_LABELS[s]! }))];
  return boPage(c, {
    title: p.title,
    event: { ed: nav, section: 'proposals' },
    children: (
      <>
        <p>
          <a href={bo.event(nav.event.id, 'proposals')}>All proposals</a>
        </p>
        <h1 safe>{p.title}</h1>
        <p>
          <ProposalStateBadge state={p.state} />{' '}
          <span safe>{`· proposed ${localWhen(p.createdAt, zone)}${p.decidedAt ? ` · decided ${localWhen(p.decidedAt, zone)}` : ''}`}</span>
        </p>
        <ProposalText proposal={p} showPrivate showAddresses={manage} />

        <section class="card" aria-labelledby="reviews-h">
          <h2 id="reviews-h">Reviews</h2>
          {seen.isSpeaker ? (
            <p>You are a speaker of this proposal, so you do not review it and do not see its reviews.</p>
          ) : (
            <>
              <p>
                {seen.reviews.length
                  ? `${seen.reviews.length} review${seen.reviews.length === 1 ? '' : 's'}, average ${seen.averageScore!.toFixed(1)} of 5.`
                  : 'No reviews yet.'}
              </p>
              {seen.reviews.length ? (
                <ul class="reviews">
                  {seen.reviews.map((r) => (
                    <li>
                      <strong safe>{`${r.reviewerName}: ${r.score}`}</strong>
                      {r.comment ? <TextComment text={r.comment} /> : ''}
                    </li>
                  ))}
                </ul>
              ) : (
                ''
              )}
              {seen.canReview ? (
                <>
                  <h3>{seen.myReview ? 'Your review' : 'Review it'}</h3>
                  <ErrorSummary state={review} labels={{ score: 'Score', comment: 'Comment' }} />
                  <PostForm action={action('review')} csrf={c.csrf} label="Your review">
                    <SelectField name="score" label="Score" hint="1 is weak, 5 is excellent." state={review} options={scores} required />
                    <TextArea
                      name="comment"
                      label="Comment"
                      hint="For the organizers and the other reviewers; speakers never see it."
                      rows={4}
                      state={review}
                    />
                    <button type="submit">{seen.myReview ? 'Update my review' : 'Save my review'}</button>
                  </PostForm>
                </>
              ) : (
                ''
              )}
            </>
          )}
        </section>

        {manage ? <DecisionSection c={c} page={page} action={action} forms={forms} /> : ''}
        {manage && ed && p.state === 'accepted' && p.sessionId === null ? (
          <ScheduleSection c={c} ed={ed} action={action('schedule')} state={forms.schedule ?? formState({ day: ed.days[0] ?? '' })} />
        ) : (
          ''
        )}
        {p.sessionId !== null && ed ? (
          <p>
            On the programme: <a href={bo.event(nav.event.id, `sessions/${p.sessionId}`)}>its session</a>.
          </p>
        ) : (
          ''
        )}
      </>
    ),
  });
}

function TextComment(p: { text: string }): JSX.Element {
  return (
    <p class="review-comment" safe>
      {p.text}
    </p>
  );
}

/** Accept / reject a submitted proposal, or undo the decision while it is not on the programme. */
function DecisionSection(p: { c: BoContext; page: ProposalPage; action: (sub: string) => string; forms: DetailForms }): JSX.Element {
  const pr = p.page.seen.proposal;
  const state = p.forms.decision ?? formState();
  const button = (decision: 'accept' | 'reject' | 'undo', label: string, cls: string) => (
    <PostForm action={p.action('decide')} csrf={p.c.csrf} class="button-form">
      <input type="hidden" name="decision" value={decision} />
      <button type="submit" class={cls} safe>
        {label}
      </button>
    </PostForm>
  );
  return (
    <section class="card" aria-labelledby="decision-h">
      <h2 id="decision-h">Decision</h2>
      <ErrorSummary state={state} />
      {pr.state === 'submitted' ? (
        <>
          <p>Accepting or rejecting mails every speaker of the proposal.</p>
          <p class="bo-actions">
            {button('accept', 'Accept', '')}
            {button('reject', 'Reject', 'danger')}
          </p>
        </>
      ) : pr.state === 'withdrawn' ? (
        <p>The speaker withdrew this proposal.</p>
      ) : pr.sessionId !== null ? (
        <p>Accepted and on the programme. To undo the decision, delete its session first.</p>
      ) : (
        <>
          <p>Undoing puts the proposal back to "submitted" and mails nobody; the next decision mails the speakers again.</p>
          <p class="bo-actions">{button('undo', 'Undo the decision', 'secondary')}</p>
        </>
      )}
    </section>
  );
}

/** Room, day and time for an accepted proposal; its length is the proposal's. */
function ScheduleSection(p: { c: BoContext; ed: EventForEditing; action: string; state: FormState }): JSX.Element {
  const ed = p.ed;
  return (
    <section class="card" aria-labelledby="schedule-h">
      <h2 id="schedule-h">Put it on the programme</h2>
      <p>
        Creates the session with the proposal's title, format, length, abstract and track, and its speakers who have accounts (their speaker profiles are
        created when missing). Co-speakers known only by address are added on the Speakers page.
      </p>
      <ErrorSummary state={p.state} labels={{ roomId: 'Room', day: 'Day', time: 'Start time' }} />
      <PostForm action={p.action} csrf={p.c.csrf} label="Put it on the programme">
        <SelectField
          name="roomId"
          label="Room"
          state={p.state}
          options={[{ value: '', label: '— no room —' }, ...ed.rooms.map((r) => ({ value: String(r.id), label: r.name }))]}
        />
        <SelectField name="day" label="Day" state={p.state} options={ed.days.map((d) => ({ value: d, label: formatDayMedium(d) }))} required />
        <TextField
          name="time"
          type="time"
          label="Start time"
          hint={`Local time (${ed.event.timeZone}). Times before ${ed.event.dayChange} are in the night after the chosen day.`}
          state={p.state}
          required
        />
        <button type="submit">Add to the programme</button>
      </PostForm>
    </section>
  );
}
