import { parseInput } from '../../lib/form-fields.js';
import { hashSecret, newSecret } from '../../lib/secrets.js';
import { parseInstant, toStoredInstant } from '../../lib/time.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { EventErrors } from '../events/event.errors.js';
import { withEventWrite, type Writer } from '../events/event-write.js';
import { isUniqueViolation, type Trx } from '../events/event-write.queries.js';
import { parseTalkKey, pollIsOpen, type InterestPoll, type TalkKey } from './interest.js';
import { InterestErrors } from './interest.errors.js';
import { findInterestPoll, findLinkVoter, findUserVoter, loadPollTalks, publicPoll, voterPickKeys } from './interest.queries.js';
import { InterestPicksSchema, InterestPollSchema } from './interest.schemas.js';

/*
 * The interest poll's use cases, shared by the back office, the organizer API and the public
 * poll page. Settings change what the event shows (the event page links an open poll), so they
 * go through withEventWrite; a voter's picks are private like stars and RSVPs and bump nothing.
 */

/**
 * Sets up or changes the event's interest poll: open or closed, which talks (accepted only, or
 * also proposals in review), the intro text, an optional closing time (local date-time in the
 * event's zone, or with an offset; blank: none). Organizers only (or an operator: the demo loader).
 * Side effects, in one transaction: interest_polls row, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404: event).
 */
export async function saveInterestPoll(ctx: ModuleContext, actor: Writer, eventId: number, input: unknown): Promise<InterestPoll> {
  const data = parseInput(InterestPollSchema, input);
  return withEventWrite(ctx, actor, eventId, { may: canManageEvent, what: 'set up the interest poll of this event' }, async ({ trx, event, now, audit }) => {
    let closesAt: string | null = null;
    if (data.closesAt !== null) {
      const dt = parseInstant(data.closesAt, event.time_zone);
      if (!dt) throw EventErrors.validationFailed([{ path: 'closesAt', message: `is not a time that exists in ${event.time_zone}` }]);
      closesAt = toStoredInstant(dt);
    }
    const before = await findInterestPoll(trx, eventId);
    const values = { status: data.status, scope: data.scope, intro: data.intro, closes_at: closesAt, updated_at: now };
    if (before) await trx.updateTable('interest_polls').set(values).where('event_id', '=', eventId).execute();
    else
      await trx
        .insertInto('interest_polls')
        .values({ event_id: eventId, ...values, created_at: now })
        .execute();
    audit({
      action: before ? 'interest.poll_updated' : 'interest.poll_created',
      entityType: 'event',
      entityId: eventId,
      summary: `Interest poll ${before ? 'changed' : 'set up'}: ${data.status}, ${data.scope === 'review' ? 'accepted talks and proposals in review' : 'accepted talks'}${closesAt ? `, closes ${closesAt}` : ''}`,
    });
    return (await findInterestPoll(trx, eventId))!;
  });
}

/** Who saves picks: a signed-in person, or an anonymous visitor with their private link's secret (null: a first save). */
export type InterestVoter = { readonly kind: 'person'; readonly actor: Actor } | { readonly kind: 'link'; readonly token: string | null };

export interface SavedPicks {
  readonly picks: readonly TalkKey[];
  /** The private link's secret, for an anonymous visitor's first save (shown once, stored only hashed). */
  readonly token: string | null;
}

/**
 * Saves a voter's picks: the talks they want (keys `s<id>` / `p<id>` of the poll's talks),
 * replacing what they picked before. A signed-in person's picks are theirs (stored with their
 * user id; their stars count as well, separately); an anonymous visitor's first save creates a
 * private link whose secret is returned once (only its hash is stored), later saves name it.
 * Picks are private like stars: no event version bump, no audit row.
 * Side effects, in one transaction: interest_voters row (first save), interest_picks rows.
 * @throws VALIDATION_FAILED (422: talks; more than MAX_PICKS; an anonymous first save with none),
 *   INTEREST_TALK_UNKNOWN (422: keys not in the poll, each named), INTEREST_POLL_NOT_FOUND (404),
 *   INTEREST_LINK_INVALID (404), INTEREST_POLL_CLOSED (409). Nothing changes on any of them.
 */
export async function saveInterestPicks(ctx: ModuleContext, voter: InterestVoter, eventId: number, input: unknown): Promise<SavedPicks> {
  const { talks } = parseInput(InterestPicksSchema, input);
  const wanted = [...new Set(talks)];
  if (voter.kind === 'link' && voter.token === null && wanted.length === 0)
    throw EventErrors.validationFailed([{ path: 'talks', message: 'tick at least one talk' }]);
  return ctx.db
    .transaction()
    .execute(async (trx) => {
      const now = ctx.clock.instant();
      const poll = await publicPoll(trx, eventId);
      let voterId: number | undefined;
      if (voter.kind === 'link' && voter.token !== null) {
        voterId = (await findLinkVoter(trx, eventId, voter.token))?.id;
        if (voterId === undefined) throw InterestErrors.linkInvalid();
      }
      if (!pollIsOpen(poll, now)) throw InterestErrors.pollClosed();
      const offered = new Map((await loadPollTalks(trx, eventId, poll.scope)).map((t) => [t.key, t]));
      const problems = talks.flatMap((k, i) => (offered.has(k) ? [] : [{ path: `talks[${i}]`, message: `"${k}" is not a talk of this poll` }]));
      if (problems.length) throw InterestErrors.talksUnknown(problems);

      let token: string | null = null;
      if (voter.kind === 'person') {
        voterId = (await findUserVoter(trx, eventId, voter.actor.userId))?.id;
        if (voterId === undefined)
          voterId = (
            await trx
              .insertInto('interest_voters')
              .values({ event_id: eventId, user_id: voter.actor.userId, token_hash: null, created_at: now, updated_at: now })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id;
      } else if (voterId === undefined) {
        token = newSecret();
        voterId = (
          await trx
            .insertInto('interest_voters')
            .values({ event_id: eventId, user_id: null, token_hash: hashSecret(token), created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
      }
      await trx.updateTable('interest_voters').set({ updated_at: now }).where('id', '=', voterId).execute();
      await trx.deleteFrom('interest_picks').where('voter_id', '=', voterId).execute();
      const rows = await pickRows(trx, eventId, voterId, wanted, now);
      for (let i = 0; i < rows.length; i += 200)
        await trx
          .insertInto('interest_picks')
          .values(rows.slice(i, i + 200))
          .execute();
      return { picks: [...(await voterPickKeys(trx, voterId))].sort(), token };
    })
    .catch((err: unknown) => {
      // Two first saves of one person at once: the second finds the first's row on a retry.
      if (voter.kind === 'person' && isUniqueViolation(err)) return saveInterestPicks(ctx, voter, eventId, input);
      throw err;
    });
}

/** The rows of the picks: a session with the proposal it came from (if any); a proposal by its id. */
async function pickRows(trx: Trx, eventId: number, voterId: number, keys: readonly TalkKey[], now: string) {
  const sessionIds = keys.map(parseTalkKey).flatMap((t) => (t?.kind === 'session' ? [t.id] : []));
  const fromProposal = new Map<number, number>();
  for (let i = 0; i < sessionIds.length; i += 500) {
    const rows = await trx
      .selectFrom('proposals')
      .select(['id', 'session_id'])
      .where('event_id', '=', eventId)
      .where('session_id', 'in', sessionIds.slice(i, i + 500))
      .execute();
    for (const r of rows) if (r.session_id !== null) fromProposal.set(r.session_id, r.id);
  }
  return keys.map((k) => {
    const t = parseTalkKey(k)!;
    return t.kind === 'session'
      ? { voter_id: voterId, session_id: t.id, proposal_id: fromProposal.get(t.id) ?? null, created_at: now }
      : { voter_id: voterId, session_id: null, proposal_id: t.id, created_at: now };
  });
}
