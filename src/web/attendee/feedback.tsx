import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { feedbackRefusal, getMyFeedback, getSessionFeedbackSummary, submitFeedback, type FeedbackSummary } from '../../modules/agenda/feedback.actions.js';
import { DomainError } from '../../lib/domain-error.js';
import { ErrorSummary, PostForm, TextArea, formState, type FormState } from '../components/form.js';
import { attrText, paths } from '../components/html.js';
import { formatSessionWhen, LocalClock } from '../components/time-format.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { attendeePaths, bodyOf, eventOf, field, formFailure, sendAttendeePage, sessionOf } from './shared.js';

/**
 * Private routes:
 *   GET  /events/:slug/sessions/:code/feedback   the rating (1–5) and comment form, prefilled with
 *                                                the person's earlier feedback; speakers of the
 *                                                session and organizers also see the summary
 *   POST /events/:slug/sessions/:code/feedback   submitFeedback; FEEDBACK_TOO_EARLY and
 *                                                FEEDBACK_NOT_ATTENDEE are shown as form messages
 */
export async function feedbackRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code/feedback', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    return feedbackPage(ctx, request, reply, actor, null, 200);
  });

  app.post<{ Params: { slug: string; code: string } }>('/events/:slug/sessions/:code/feedback', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { head, snap } = await eventOf(ctx, request.params.slug);
    const session = sessionOf(snap, request.params.code);
    const body = bodyOf(request);
    const input = { rating: field(body, 'rating'), comment: field(body, 'comment') };
    try {
      await submitFeedback(ctx.db, actor, head.id, session.id, input, ctx.clock.now());
    } catch (err) {
      const { state, status } = formFailure(err, input);
      return feedbackPage(ctx, request, reply, actor, state, status);
    }
    return redirectWithNotice(reply, attendeePaths.feedback(snap.event.slug, session.code), 'Thank you: your feedback is saved.');
  });
}

async function feedbackPage(
  ctx: AppContext,
  request: FastifyRequest<{ Params: { slug: string; code: string } }>,
  reply: FastifyReply,
  actor: Actor,
  failed: FormState | null,
  status: number,
): Promise<FastifyReply> {
  const { head, snap } = await eventOf(ctx, request.params.slug);
  const session = sessionOf(snap, request.params.code);
  const e = snap.event;
  const mine = await getMyFeedback(ctx.db, actor, session.id);
  // Asked first, so nobody fills in a form that is then refused (too early, not an attendee).
  const refusal = failed ? null : await feedbackRefusal(ctx.db, actor, head.id, session.id, ctx.clock.now());
  const state = failed ?? formState(mine ? { rating: mine.rating, comment: mine.comment } : {});
  let summary: FeedbackSummary | null = null;
  try {
    summary = await getSessionFeedbackSummary(ctx.db, actor, head.id, session.id);
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'FORBIDDEN') throw err;
  }
  return sendAttendeePage(request, reply, actor, {
    title: `Feedback on ${session.title}`,
    event: e,
    status,
    body: (csrf) => (
      <>
        <header class="page-head">
          <p class="eyebrow">Session feedback</p>
          <h1 safe>{session.title}</h1>
          <p safe>{formatSessionWhen(new LocalClock(e.timeZone), session.startsAt, session.endsAt)}</p>
          <p>
            <a href={attrText(paths.session(e.slug, session.code))}>Session page</a> ·{' '}
            <a href={attrText(attendeePaths.notes(e.slug, session.code))}>Your notes</a>
          </p>
        </header>
        <section class="account-card" aria-labelledby="give-heading">
          <h2 id="give-heading">{mine ? 'Change your feedback' : 'Give feedback'}</h2>
          {refusal ? (
            <>
              <p class="notice" safe>
                {refusal.code === 'FEEDBACK_TOO_EARLY'
                  ? `Feedback opens when the session starts: ${formatSessionWhen(new LocalClock(e.timeZone), session.startsAt, session.endsAt)}.`
                  : refusal.message}
              </p>
              {refusal.code === 'FEEDBACK_NOT_ATTENDEE' ? (
                <p>
                  <a href={attrText(`${paths.session(e.slug, session.code)}#star-form`)}>Star the session</a> if you were there, then come back.
                </p>
              ) : (
                ''
              )}
            </>
          ) : (
            <FeedbackForm csrf={csrf} e={e} code={session.code} state={state} />
          )}
        </section>
        {summary ? <SummarySection summary={summary} /> : ''}
      </>
    ),
  });
}

function FeedbackForm(p: { csrf: string; e: { slug: string }; code: string; state: FormState }): JSX.Element {
  const { e, state, csrf } = p;
  const rating = state.values.rating ?? '';
  const ratingError = state.errors.rating;
  return (
    <>
      <p>The speakers and organizers see the ratings and comments, never who wrote them. One feedback per person: sending again replaces yours.</p>
      <ErrorSummary state={state} labels={{ rating: 'Rating', comment: 'Comment' }} />
      <PostForm action={attendeePaths.feedback(e.slug, p.code)} csrf={csrf} class="feedback-form">
        <fieldset class={`field rating${ratingError ? ' field-error' : ''}`} id="f-rating">
          <legend>Rating (1 = poor, 5 = excellent)</legend>
          {ratingError ? (
            <p class="error" safe>
              {ratingError}
            </p>
          ) : (
            ''
          )}
          {['1', '2', '3', '4', '5'].map((v) => (
            <label class="rating-option">
              <input type="radio" name="rating" value={v} checked={rating === v} required /> <span safe>{v}</span>
            </label>
          ))}
        </fieldset>
        <TextArea name="comment" label="Comment for the speakers" state={state} rows={5} />
        <button type="submit">Send feedback</button>
      </PostForm>
    </>
  );
}

function SummarySection(p: { summary: FeedbackSummary }): JSX.Element {
  const s = p.summary;
  return (
    <section class="account-card feedback-summary" aria-labelledby="summary-heading">
      <h2 id="summary-heading">Feedback so far</h2>
      {s.count === 0 ? (
        <p>No feedback yet.</p>
      ) : (
        <>
          <p safe>{`${s.count} ${s.count === 1 ? 'rating' : 'ratings'}, average ${s.average?.toFixed(2) ?? '–'} out of 5.`}</p>
          <ul class="rating-distribution">
            {s.distribution.map((n, i) => (
              <li safe>{`${i + 1}: ${n}`}</li>
            ))}
          </ul>
          {s.comments.length ? (
            <ul class="feedback-comments">
              {s.comments.map((c) => (
                <li>
                  <span class="badge" safe>{`${c.rating}/5`}</span> <span safe>{c.comment}</span>
                </li>
              ))}
            </ul>
          ) : (
            ''
          )}
        </>
      )}
    </section>
  );
}
