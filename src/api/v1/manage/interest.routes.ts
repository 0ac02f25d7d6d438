import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../../http/context.js';
import { MAX_PICKS, POLL_SCOPES, POLL_STATUSES, type InterestPoll } from '../../../modules/interest/interest.js';
import { saveInterestPoll } from '../../../modules/interest/interest.actions.js';
import { getInterestResults } from '../../../modules/interest/interest.queries.js';
import { InterestPollSchema } from '../../../modules/interest/interest.schemas.js';
import { arrayOf, enumOf, instant, int, nullable, num, object, one, str } from '../zod-schema.js';
import { manageRoute } from './route.js';

/*
 * The interest poll of an event (issue 14), with the same action and query as the back office's
 * Interest tab:
 *   GET /events/:eventId/interest   the settings (null until set up), counts per talk, the strongest
 *                                   co-interest pairs: aggregates only, nobody is named (organizers
 *                                   and track managers)
 *   PUT /events/:eventId/interest   set up or change the poll (organizers)
 */

export const InterestPollJsonSchema = object({
  status: enumOf(POLL_STATUSES, 'open: takes picks (until closesAt, if set); closed: shows the talks, takes nothing.'),
  scope: enumOf(POLL_SCOPES, 'accepted: sessions and accepted proposals; review: also proposals still in review.'),
  intro: str('Plain text shown above the talks.'),
  closesAt: nullable(instant('When the poll stops taking picks (UTC); null: when closed by hand.')),
  updatedAt: instant('Last change of the settings (UTC).'),
});

const TalkCountSchema = object({
  key: str('The talk: s<sessionId> for a session, p<proposalId> for a proposal without a session yet.'),
  title: str(),
  track: nullable(str()),
  count: int('People who want it: poll picks and stars on the published programme, a signed-in person counted once.'),
});

const PairSchema = object({
  a: str('A talk key.'),
  b: str('The other talk key.'),
  aTitle: str(),
  bTitle: str(),
  both: int('People who want both.'),
  lift: num('both × voters / (count a × count b): above 1, more people want both than chance would give.'),
  score: int('fullnarp’s pair score, 0–9: 4 × lift × (P(a|b) + P(b|a)), capped at 9.'),
});

export const InterestResultsSchema = object({
  poll: nullable(InterestPollJsonSchema),
  voters: int('People with at least one pick or star.'),
  picks: int('Picks and stars, a talk counted once per person.'),
  talks: arrayOf(TalkCountSchema, 'Every wanted talk, most wanted first.'),
  pairs: arrayOf(PairSchema, 'The strongest co-interest pairs (at least two people wanting both), most people first; at most 50.'),
});

export const InterestPollBody = InterestPollSchema.describe(
  `The whole poll settings: status (open | closed, default open), scope (accepted | review, default accepted), intro text, closesAt (a local date-time in the event’s zone, or with an offset; null or blank: none). Each person may pick at most ${MAX_PICKS} talks.`,
);

function toPollJson(p: InterestPoll): z.infer<typeof InterestPollJsonSchema> {
  return { status: p.status, scope: p.scope, intro: p.intro, closesAt: p.closesAt, updatedAt: p.updatedAt };
}

export async function interestRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const results = async (actor: Parameters<typeof getInterestResults>[1], eventId: number) => {
    const r = await getInterestResults(ctx.db, actor, eventId, { pairLimit: 50 });
    return {
      data: {
        poll: r.poll ? toPollJson(r.poll) : null,
        voters: r.voters,
        picks: r.picks,
        talks: r.talks.map((t) => ({ key: t.key, title: t.title, track: t.track, count: t.count })),
        pairs: r.pairs.map((p) => ({ a: p.a, b: p.b, aTitle: p.aTitle, bTitle: p.bTitle, both: p.both, lift: p.lift, score: p.score })),
      },
    };
  };

  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/interest',
    params: ['eventId'],
    operationId: 'getInterest',
    summary: 'The interest poll and what people want',
    description:
      'Organizers and track managers. The poll settings (null until set up), how many people want each talk (poll picks and stars on the published programme) and the strongest co-interest pairs. Aggregates only: no person is named or identifiable.',
    ok: { status: 200, schema: one(InterestResultsSchema, 'The settings and the aggregates.') },
    errors: [403, 404],
    handler: async (_request, _reply, { actor, ids }) => results(actor, ids.eventId!),
  });

  manageRoute(app, {
    method: 'PUT',
    url: '/events/:eventId/interest',
    params: ['eventId'],
    operationId: 'saveInterestPoll',
    summary: 'Set up or change the interest poll',
    description:
      'Organizers. Opens, closes or changes the event’s interest poll (public at /events/<slug>/interest once the event is published). VALIDATION_FAILED (422) names each bad field (also a closing time skipped by daylight saving).',
    body: InterestPollBody,
    ok: { status: 200, schema: one(InterestResultsSchema, 'The settings as saved, with the aggregates.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => {
      await saveInterestPoll(ctx, actor, ids.eventId!, request.body ?? {});
      return results(actor, ids.eventId!);
    },
  });
}
