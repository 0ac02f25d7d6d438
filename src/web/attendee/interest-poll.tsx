import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { countAttempt, tooManyAttempts, type AttemptLimit } from '../../modules/accounts/attempt.queries.js';
import { MAX_PICKS, type PollTalk } from '../../modules/interest/interest.js';
import { saveInterestPicks, type InterestVoter } from '../../modules/interest/interest.actions.js';
import { InterestErrors } from '../../modules/interest/interest.errors.js';
import { findLinkVoter, loadMyInterest, publicPoll, type MyInterest } from '../../modules/interest/interest.queries.js';
import { CsrfField, ErrorSummary, formState, formStateFromError, type FormState } from '../components/form.js';
import { attrText, paths } from '../components/html.js';
import { Page } from '../layouts/page.js';
import { csrfToken, redirectWithNotice, sendPage, takeNotice } from '../private.js';
import { bodyOf, eventOf } from './shared.js';

/*
 * The interest poll (issue 14), private pages (inside privatePages: cookie auth, no-store, CSRF):
 *   GET  /events/:slug/interest          the talks in this visitor's own random order, with the
 *                                        signed-in person's picks ticked
 *   POST /events/:slug/interest          saveInterestPicks: a signed-in person's picks; an anonymous
 *                                        visitor's first save makes their private link and goes there
 *   GET  /events/:slug/interest/:token   an anonymous visitor's picks, by their private link
 *   POST /events/:slug/interest/:token   saves them again
 * The order is seeded by who is asking (their account; else a random seed cookie of this browser),
 * so it stays put for one person and differs between people: no position bias.
 * The seed cookie is never stored on the server. Private links carry a secret: their pages send
 * no referrer. Anonymous saves are limited per client IP (counted in the database).
 */

/** Anonymous saves per client IP: new private links, and saves through one. */
export const INTEREST_RATE_LIMITS = {
  newLink: { bucket: 'interest_new_link', max: 10, windowMs: 60 * 60_000 },
  linkSave: { bucket: 'interest_link_save', max: 60, windowMs: 15 * 60_000 },
} as const satisfies Record<string, AttemptLimit & { bucket: string }>;

const SEED_COOKIE = 'hallway_poll_seed';

/** This browser's order seed: kept in a cookie (a year), made on first visit. */
function browserSeed(request: FastifyRequest, reply: FastifyReply): string {
  const have = request.cookies[SEED_COOKIE];
  if (have && /^[A-Za-z0-9_-]{16,40}$/.test(have)) return have;
  const seed = randomBytes(12).toString('base64url');
  reply.setCookie(SEED_COOKIE, seed, { path: '/events/', httpOnly: true, sameSite: 'lax', maxAge: 365 * 86_400 });
  return seed;
}

export async function interestPollRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  /** The event, its poll (404 INTEREST_POLL_NOT_FOUND when none), and the link's voter (404 when the link is unknown). */
  const pollOf = async (slug: string, token: string | null) => {
    const { head, snap } = await eventOf(ctx, slug);
    const poll = await publicPoll(ctx.db, head.id);
    let voterId: number | null = null;
    if (token !== null) {
      voterId = (await findLinkVoter(ctx.db, head.id, token))?.id ?? null;
      if (voterId === null) throw InterestErrors.linkInvalid();
    }
    return { event: snap.event, poll, voterId };
  };

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    token: string | null,
    state: FormState = formState(),
    status = 200,
  ): Promise<FastifyReply> => {
    const { event, poll, voterId } = await pollOf(slug, token);
    const actor = token === null ? request.actor : null;
    const seed = actor ? `user:${actor.userId}` : browserSeed(request, reply);
    const mine = await loadMyInterest(ctx.db, poll, { userId: actor?.userId ?? null, voterId }, seed, ctx.clock.instant());
    if (token !== null) reply.header('Referrer-Policy', 'no-referrer');
    const csrf = csrfToken(reply);
    const html = Page({
      title: `What do you want to see? · ${event.title}`,
      eventNav: { slug: event.slug, title: event.title, current: 'session' },
      account: request.actor ? { displayName: request.actor.displayName, isAdmin: request.actor.isAdmin, csrf } : undefined,
      notice: takeNotice(request, reply),
      children: <PollPage slug={event.slug} token={token} actor={actor} mine={mine} csrf={csrf} state={state} baseUrl={ctx.config.baseUrl} />,
    });
    return sendPage(reply, html, status);
  };

  const save = async (request: FastifyRequest, reply: FastifyReply, slug: string, token: string | null): Promise<FastifyReply> => {
    const body = bodyOf(request);
    const { event } = await pollOf(slug, token);
    const voter: InterestVoter = token === null && request.actor ? { kind: 'person', actor: request.actor } : { kind: 'link', token };
    try {
      if (voter.kind === 'link') {
        const limit = token === null ? INTEREST_RATE_LIMITS.newLink : INTEREST_RATE_LIMITS.linkSave;
        const status = await countAttempt(ctx.db, `${limit.bucket}:ip:${request.ip}`, limit, { countRefused: true, now: ctx.clock.now().getTime() });
        if (status.limited) {
          reply.header('Retry-After', String(Math.ceil(status.retryAfterMs / 1000)));
          throw tooManyAttempts(status.retryAfterMs);
        }
      }
      const saved = await saveInterestPicks(ctx, voter, event.id, body);
      const n = saved.picks.length;
      const picked = `${n === 0 ? 'No talks' : n === 1 ? '1 talk' : `${n} talks`} picked.`;
      if (saved.token)
        return redirectWithNotice(reply, paths.interestPoll(event.slug, saved.token), `Saved: ${picked} Keep this page's address to change them later.`);
      return redirectWithNotice(reply, paths.interestPoll(event.slug, token ?? undefined), `Saved: ${picked}`);
    } catch (err) {
      if (!(err instanceof DomainError) || err.status >= 500 || err.status === 403 || err.status === 404) throw err;
      return render(request, reply, slug, token, formStateFromError(err, { talks: body.talks }), err.status);
    }
  };

  app.get<{ Params: { slug: string } }>('/events/:slug/interest', (request, reply) => render(request, reply, request.params.slug, null));
  app.post<{ Params: { slug: string } }>('/events/:slug/interest', (request, reply) => save(request, reply, request.params.slug, null));
  app.get<{ Params: { slug: string; token: string } }>('/events/:slug/interest/:token', (request, reply) =>
    render(request, reply, request.params.slug, request.params.token),
  );
  app.post<{ Params: { slug: string; token: string } }>('/events/:slug/interest/:token', (request, reply) =>
    save(request, reply, request.params.slug, request.params.token),
  );
}

function PollPage(p: {
  slug: string;
  token: string | null;
  actor: Actor | null;
  mine: MyInterest;
  csrf: string;
  state: FormState;
  baseUrl: string;
}): JSX.Element {
  const { mine, state } = p;
  // After a refused save, the ticks as submitted; else as saved.
  const submitted = 'talks' in state.values ? new Set(state.values.talks ? state.values.talks.split(',') : []) : null;
  const ticked = (key: string) => (submitted ? submitted.has(key) : mine.picked.has(key));
  const action = paths.interestPoll(p.slug, p.token ?? undefined);
  const link = p.token ? `${p.baseUrl.replace(/\/$/, '')}${action}` : null;
  return (
    <section class="interest-poll" aria-labelledby="poll-h">
      <h1 id="poll-h">What do you want to see?</h1>
      {mine.poll.intro
        ? mine.poll.intro
            .split(/\n\s*\n/)
            .filter((x) => x.trim())
            .map((para) => <p safe>{para}</p>)
        : ''}
      <p>
        Tick the talks you would like to attend. The organizers see only how many people want each talk and which talks the same people want, so they can keep
        those apart and put popular talks in big rooms; nobody sees who picked what. The talks are listed in an order of their own for you, so no talk gains
        from its place in the list.
      </p>
      {link ? (
        <div class="card" role="note">
          <p>
            <strong>Your private link:</strong>{' '}
            <a href={attrText(action)} safe>
              {link}
            </a>
          </p>
          <p>Bookmark it to change your picks later. Anyone with this link can see and change them.</p>
        </div>
      ) : p.actor ? (
        <p>Your picks are saved with your account; sessions you star on the programme count as well.</p>
      ) : (
        <p>
          You are not signed in: when you save, you get a private link to come back and change your picks. Or <a href="/sign-in">sign in</a> to keep them with
          your account.
        </p>
      )}
      {!mine.open ? (
        <p class="error-summary" role="status">
          The poll is closed: the talks are shown, but picks can no longer be changed.
        </p>
      ) : (
        ''
      )}
      <ErrorSummary state={state} labels={{ talks: 'Talks' }} />
      <form method="post" action={attrText(action)}>
        <CsrfField token={p.csrf} />
        <fieldset disabled={!mine.open}>
          <legend safe>{`Talks (${mine.talks.length}; pick up to ${MAX_PICKS})`}</legend>
          {mine.talks.length === 0 ? <p>No talks are in the poll yet.</p> : ''}
          <ul class="interest-talks">
            {mine.talks.map((t) => (
              <TalkItem talk={t} ticked={ticked(t.key)} starred={mine.starred.has(t.key)} />
            ))}
          </ul>
          <button type="submit">Save my picks</button>
        </fieldset>
      </form>
    </section>
  );
}

function TalkItem(p: { talk: PollTalk; ticked: boolean; starred: boolean }): JSX.Element {
  const t = p.talk;
  const id = `talk-${t.key}`;
  const details = [t.speakers.join(', '), t.track ?? '', t.inReview ? 'proposal in review' : ''].filter(Boolean).join(' · ');
  return (
    <li class="interest-talk">
      <input type="checkbox" name="talks" value={attrText(t.key)} id={id} checked={p.ticked} aria-describedby={`${id}-about`} />{' '}
      <label for={id} safe>
        {t.title}
      </label>
      <div id={`${id}-about`} class="hint">
        {details ? <p safe>{details}</p> : ''}
        {p.starred ? <p>★ In your agenda: your star counts already.</p> : ''}
        {t.abstract ? (
          <p class="interest-abstract" safe>
            {t.abstract}
          </p>
        ) : (
          ''
        )}
      </div>
    </li>
  );
}
