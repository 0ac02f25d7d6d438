import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { isEditable, type CfpSettings } from '../../modules/cfp/cfp.js';
import type { CfpContext } from '../../modules/cfp/cfp-mail.js';
import { findCfpBySlug, getCfpSettings, listCfpTracks } from '../../modules/cfp/cfp.queries.js';
import { submitProposal, updateProposal, withdrawProposal } from '../../modules/cfp/proposal.actions.js';
import { getMyInvitation, listMyInvitations } from '../../modules/cfp/cospeaker.queries.js';
import { getMyProposal, listEventsToReview, listMyProposals, type MyProposal } from '../../modules/cfp/proposal.queries.js';
import { CfpErrors } from '../../modules/cfp/cfp.errors.js';
import type { EventRow } from '../../modules/events/event.table.js';
import { SESSION_KIND_LABELS } from '../../modules/program/session.js';
import { renderAccountPage, sendAccountPage } from '../account/page.js';
import { formBody, gatherRows, idParam, remapErrors, submitForm } from '../backoffice/shared.js';
import { WindowsFields } from '../backoffice/availability.js';
import { setMyAvailability } from '../../modules/planning/availability.actions.js';
import { myAvailability } from '../../modules/planning/availability.queries.js';
import { ErrorSummary, formState, PostForm, type FormState } from '../components/form.js';
import { attrText } from '../components/html.js';
import { redirectWithNotice, sendPage, signedInActor } from '../private.js';
import { InvitationCard } from './invitation.js';
import { cfpPaths, localWhen, speakerLabel, ProposalFields, ProposalStateBadge, ProposalText, windowOf, windowSentence } from './parts.js';

/*
 * The speaker's side of the call for proposals (private pages: signed in, no-store, CSRF):
 *   GET  /events/:slug/cfp/submit          the proposal form (sign in first)
 *   POST /events/:slug/cfp/submit
 *   GET  /account/proposals                one's proposals across events, invitations to co-speak
 *                                          (and events to review)
 *   GET  /account/proposals/:id            a proposal; its edit form while that is allowed; for a
 *                                          pending co-speaker, only the invitation
 *   POST /account/proposals/:id            save the changes
 *   GET  /account/proposals/:id/withdraw   confirm withdrawing
 *   POST /account/proposals/:id/withdraw
 * Someone else's proposal is "not found", like a proposal that does not exist.
 */
export async function speakerCfpRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const cctx: CfpContext = { config: ctx.config, clock: ctx.clock };

  app.get('/events/:slug/cfp/submit', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const call = await loadCall(ctx, request);
    return sendPage(reply, submitPageHtml(request, reply, actor, call, formState({ language: 'en' })));
  });

  app.post('/events/:slug/cfp/submit', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const call = await loadCall(ctx, request);
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => submitProposal(ctx.db, cctx, actor, call.event.id, body),
      (p) => ({
        to: cfpPaths.proposal(p.id),
        notice: `Thank you: "${p.title}" is submitted (code ${p.code}). We sent a confirmation by e-mail${p.speakers.length > 1 ? ', and your co-speakers an invitation' : ''}.`,
      }),
      (state) => submitPageHtml(request, reply, actor, call, state),
    );
  });

  app.get('/account/proposals', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const [mine, invitations, toReview] = await Promise.all([
      listMyProposals(ctx.db, actor),
      listMyInvitations(ctx.db, actor),
      listEventsToReview(ctx.db, actor),
    ]);
    return sendAccountPage(request, reply, {
      title: 'Your proposals',
      body: ({ csrf }) => (
        <>
          <h1>Your proposals</h1>
          {invitations.map((i) => (
            <InvitationCard invitation={i} action={cfpPaths.answer(i.proposalId)} csrf={csrf} mayAccept />
          ))}
          {mine.length === 0 ? (
            <p>You have not proposed a session yet. Events with an open call for proposals link to it from their page.</p>
          ) : (
            <div class="bo-table-wrap">
              <table class="data-table">
                <caption class="vh">Your proposals</caption>
                <thead>
                  <tr>
                    <th scope="col">Proposal</th>
                    <th scope="col">Event</th>
                    <th scope="col">Format</th>
                    <th scope="col">Submitted</th>
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  {mine.map((m) => (
                    <tr>
                      <th scope="row">
                        <a href={cfpPaths.proposal(m.proposal.id)} safe>
                          {m.proposal.title}
                        </a>
                        {m.isSubmitter ? '' : <span class="hint"> (co-speaker)</span>}
                      </th>
                      <td safe>{m.event.title}</td>
                      <td safe>{SESSION_KIND_LABELS[m.proposal.kind]}</td>
                      <td safe>{localWhen(m.proposal.createdAt, m.event.time_zone)}</td>
                      <td>
                        <ProposalStateBadge state={m.proposal.state} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {toReview.length ? (
            <section class="account-card" aria-labelledby="review-heading">
              <h2 id="review-heading">Proposals to review</h2>
              <ul>
                {toReview.map((e) => (
                  <li>
                    <a href={attrText(`/manage/events/${e.id}/proposals`)} safe>
                      {e.title}
                    </a>{' '}
                    <span class="hint" safe>{`· ${e.submitted} waiting for a decision`}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : (
            ''
          )}
        </>
      ),
    });
  });

  app.get('/account/proposals/:proposalId', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const id = idParam(request, 'proposalId');
    const mine = await getMyProposal(ctx.db, actor, id).catch(async (err: unknown) => {
      // A pending co-speaker sees only the invitation (else: not found, as before).
      if ((err as { code?: string }).code !== 'PROPOSAL_NOT_FOUND') throw err;
      return getMyInvitation(ctx.db, actor, id);
    });
    if (!('proposal' in mine)) {
      return sendAccountPage(request, reply, {
        title: 'Invitation to co-speak',
        body: ({ csrf }) => (
          <>
            <p>
              <a href={cfpPaths.mine()}>Your proposals</a>
            </p>
            <h1>Invitation to co-speak</h1>
            <InvitationCard invitation={mine} action={cfpPaths.answer(id)} csrf={csrf} mayAccept />
          </>
        ),
      });
    }
    return sendPage(reply, await proposalPageHtml(request, reply, ctx, mine, formState()));
  });

  app.post('/account/proposals/:proposalId', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const mine = await getMyProposal(ctx.db, actor, idParam(request, 'proposalId'));
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => updateProposal(ctx.db, cctx, actor, mine.proposal.id, body),
      (p) => ({ to: cfpPaths.proposal(p.id), notice: `"${p.title}" is saved.` }),
      async (state) => proposalPageHtml(request, reply, ctx, mine, state),
    );
  });

  app.post('/account/proposals/:proposalId/availability', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const mine = await getMyProposal(ctx.db, actor, idParam(request, 'proposalId'));
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => setMyAvailability(ctx, actor, mine.proposal.eventId, { windows: gatherRows(body, 'windows') }),
      (n) => ({ to: cfpPaths.proposal(mine.proposal.id), notice: `Your availability is saved: ${n ? `${n} window${n === 1 ? '' : 's'}` : 'any time'}.` }),
      async (state) => proposalPageHtml(request, reply, ctx, mine, formState(), state),
    );
  });

  app.get('/account/proposals/:proposalId/withdraw', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const mine = await getMyProposal(ctx.db, actor, idParam(request, 'proposalId'));
    if (!mine.isSubmitter || mine.proposal.state !== 'submitted') return redirectWithNotice(reply, cfpPaths.proposal(mine.proposal.id));
    return sendAccountPage(request, reply, {
      title: `Withdraw ${mine.proposal.title}`,
      body: ({ csrf }) => (
        <>
          <h1 safe>{`Withdraw "${mine.proposal.title}"?`}</h1>
          <p
            safe
          >{`The organizers of ${mine.event.title} will no longer consider it. This cannot be undone: to propose it again, submit it anew while the call is open.`}</p>
          <PostForm action={cfpPaths.withdraw(mine.proposal.id)} csrf={csrf}>
            <button type="submit" class="danger">
              Withdraw the proposal
            </button>{' '}
            <a href={cfpPaths.proposal(mine.proposal.id)}>Keep it</a>
          </PostForm>
        </>
      ),
    });
  });

  app.post('/account/proposals/:proposalId/withdraw', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const id = idParam(request, 'proposalId');
    const p = await withdrawProposal(ctx.db, cctx, actor, id);
    return redirectWithNotice(reply, cfpPaths.proposal(p.id), `"${p.title}" is withdrawn.`);
  });
}

interface Call {
  readonly event: EventRow;
  readonly cfp: CfpSettings;
  readonly tracks: ReadonlyArray<{ id: number; name: string }>;
  /** ctx.clock.instant() when the page was asked for. */
  readonly now: string;
}

async function loadCall(ctx: AppContext, request: FastifyRequest): Promise<Call> {
  const slug = (request.params as { slug: string }).slug;
  const found = await findCfpBySlug(ctx.db, slug);
  if (!found) throw CfpErrors.cfpNotFound(slug);
  const tracks = await listCfpTracks(ctx.db, found.event.id);
  return { ...found, tracks, now: ctx.clock.instant() };
}

/** The submit form, or why there is none (call not open, address not confirmed). */
function submitPageHtml(request: FastifyRequest, reply: FastifyReply, actor: Actor, call: Call, rawState: FormState): string {
  const state = remapErrors(rawState, { coSpeakers: 'coSpeakers' });
  const cancelled = call.event.cancelled_at !== null;
  const open = windowOf(call.cfp, call.now, cancelled) === 'open';
  return renderAccountPage(request, reply, {
    title: `Propose a session · ${call.event.title}`,
    body: ({ csrf }) => (
      <>
        <h1 safe>{`Propose a session for ${call.event.title}`}</h1>
        <p safe>{windowSentence(call.cfp, call.event.time_zone, call.now, cancelled)}</p>
        <p>
          <a href={cfpPaths.call(call.event.slug)}>Read the call for proposals</a> · <a href={cfpPaths.mine()}>Your proposals</a>
        </p>
        {!open && state.message ? (
          <p class="error-summary" role="alert" safe>
            {state.message}
          </p>
        ) : (
          ''
        )}
        {!actor.emailVerified ? (
          <p class="error-summary" role="alert">
            Confirm your e-mail address first: the confirmation and the organizers' decision are mailed to it. <a href="/account">Your account</a> can send a
            new confirmation link.
          </p>
        ) : !open ? (
          ''
        ) : (
          <PostForm action={cfpPaths.submit(call.event.slug)} csrf={csrf} label="Your proposal">
            <ProposalFields state={state} cfp={call.cfp} tracks={call.tracks} />
            <button type="submit">Submit the proposal</button>
          </PostForm>
        )}
      </>
    ),
  });
}

/** A speaker's proposal: the edit form while the call is open and nobody decided, else the text. */
async function proposalPageHtml(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
  mine: MyProposal,
  rawState: FormState,
  availabilityState?: FormState,
): Promise<string> {
  const p = mine.proposal;
  const actor = request.actor!;
  const availability = p.state === 'withdrawn' || p.state === 'rejected' ? null : await myAvailability(ctx.db, actor.userId, p.eventId);
  const cfp = await getCfpSettings(ctx.db, p.eventId);
  const tracks = await listCfpTracks(ctx.db, p.eventId);
  const editable = mine.isSubmitter && cfp !== null && isEditable(p.state, windowOf(cfp, ctx.clock.instant(), mine.event.cancelled_at !== null));
  const state = remapErrors(rawState, { coSpeakers: 'coSpeakers' });
  return renderAccountPage(request, reply, {
    title: p.title,
    body: ({ csrf }) => (
      <>
        <p>
          <a href={cfpPaths.mine()}>Your proposals</a>
        </p>
        <h1 safe>{p.title}</h1>
        <p>
          <ProposalStateBadge state={p.state} /> <span safe>{`${mine.event.title} · proposed ${localWhen(p.createdAt, mine.event.time_zone)}`}</span>
        </p>
        {!editable && state.message ? (
          <p class="error-summary" role="alert" safe>
            {state.message}
          </p>
        ) : (
          ''
        )}
        {p.state === 'accepted' ? <p>Accepted: the organizers will tell you when and where you speak.</p> : ''}
        {editable ? (
          <PostForm action={cfpPaths.proposal(p.id)} csrf={csrf} label="Change your proposal">
            <p
              class="hint"
              safe
            >{`You can change it until the call closes (${localWhen(cfp!.closesAt, mine.event.time_zone)}) or the organizers decide on it.`}</p>
            {p.speakers.length > 1 ? (
              <p safe>{`Co-speakers: ${p.speakers
                .slice(1)
                .map((x) => speakerLabel(x, true))
                .join(', ')}`}</p>
            ) : (
              ''
            )}
            <ProposalFields state={state} cfp={cfp!} tracks={tracks} proposal={p} />
            <button type="submit">Save changes</button>
          </PostForm>
        ) : (
          <ProposalText proposal={p} showPrivate showAddresses />
        )}
        {mine.isSubmitter && p.state === 'submitted' ? (
          <p>
            <a href={cfpPaths.withdraw(p.id)} class="button secondary">
              Withdraw this proposal
            </a>
          </p>
        ) : (
          ''
        )}
        {mine.isSubmitter ? '' : <p class="hint">You are a co-speaker: the speaker who submitted it changes or withdraws it.</p>}
        {availability ? (
          <section class="card" aria-labelledby="availability-h">
            <h2 id="availability-h">When can you speak?</h2>
            <p class="hint" safe>
              {`Tell the organizers when you are available at ${mine.event.title} (times in ${availability.timeZone}); no window means any time. This is for all your sessions at this event.`}
            </p>
            <ErrorSummary state={availabilityState ?? formState()} />
            <PostForm action={`${cfpPaths.proposal(p.id)}/availability`} csrf={csrf} label="When you can speak">
              <WindowsFields
                days={availability.days}
                windows={availabilityState ? [] : availability.windows}
                state={availabilityState ?? formState()}
                legend="Available"
              />
              <button type="submit">Save availability</button>
            </PostForm>
          </section>
        ) : (
          ''
        )}
      </>
    ),
  });
}
