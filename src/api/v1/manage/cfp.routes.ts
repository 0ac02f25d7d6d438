import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import type { Actor } from '../../../modules/accounts/actor.js';
import type { CfpContext } from '../../../modules/cfp/cfp-mail.js';
import { CfpErrors } from '../../../modules/cfp/cfp.errors.js';
import { canManageCfp } from '../../../modules/cfp/cfp.policy.js';
import { DecisionSchema, ProposalFilterSchema, ReviewSchema as ReviewInput, ScheduleSchema } from '../../../modules/cfp/cfp.schemas.js';
import { findCfpEvent, getCfpSettings } from '../../../modules/cfp/cfp.queries.js';
import { saveCfpSettings, setCfpClosedEarly } from '../../../modules/cfp/cfp-settings.actions.js';
import { decideProposal, scheduleProposal } from '../../../modules/cfp/decision.actions.js';
import { getProposalForReview, listProposalsForReview } from '../../../modules/cfp/proposal.queries.js';
import { saveReview } from '../../../modules/cfp/review.actions.js';
import { EventErrors } from '../../../modules/events/event.errors.js';
import { ensureAllowed, scopeOf } from '../../../modules/events/event-write.queries.js';
import {
  CfpSchema,
  CfpSettingsBody,
  ProposalForReviewSchema,
  ProposalListItemSchema,
  ProposalSchema,
  ReviewSchema,
  toCfpJson,
  toForReviewJson,
  toListItemJson,
  toProposalJson,
  toReviewJson,
} from '../cfp.schemas.js';
import { object } from '../zod-schema.js';
import { manageRoute } from './route.js';
import { listOf, one, SessionRecordSchema } from './schemas.js';

/**
 * The call for proposals of an event (organizers) and its proposals (reviewers, organizers, track
 * managers for their tracks), with the same actions and queries as the back office's pages; the
 * permissions are theirs. Speakers' e-mail addresses are shown to organizers only.
 */
export async function cfpRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.db;
  const cctx: CfpContext = { config: ctx.config, clock: ctx.clock };

  const eventOf = async (eventId: number) => {
    const event = await findCfpEvent(db, eventId);
    if (!event) throw EventErrors.notFound('event', eventId);
    return event;
  };
  /** Organizers of the event see the speakers' addresses (as on the back office's pages for them). */
  const organizes = async (actor: Actor, eventId: number) => canManageCfp(actor, scopeOf(await eventOf(eventId)));
  const callOf = async (eventId: number) => {
    const event = await eventOf(eventId);
    const cfp = await getCfpSettings(db, eventId);
    if (!cfp) throw CfpErrors.cfpNotFound(eventId);
    return { data: toCfpJson(event, cfp, cctx.clock.instant()) };
  };
  const forReview = async (actor: Actor, eventId: number, proposalId: number) => ({
    data: toForReviewJson(await getProposalForReview(db, actor, eventId, proposalId), await organizes(actor, eventId)),
  });

  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/cfp',
    params: ['eventId'],
    operationId: 'getCfp',
    summary: 'The call for proposals',
    description: 'Organizers. CFP_NOT_FOUND (404) until one is set up (PUT).',
    ok: { status: 200, schema: one(CfpSchema, 'The call.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => {
      const event = await eventOf(ids.eventId!);
      ensureAllowed(canManageCfp(actor, scopeOf(event)), 'see the call for proposals settings of this event');
      return callOf(ids.eventId!);
    },
  });

  manageRoute(app, {
    method: 'PUT',
    url: '/events/:eventId/cfp',
    params: ['eventId'],
    operationId: 'saveCfp',
    summary: 'Set up or replace the call for proposals',
    description:
      'Organizers. The whole call: `opensAt` and `closesAt` are local date-times in the event’s zone (answered as UTC instants). An early close stays as it was. VALIDATION_FAILED (422) names each bad field (also a time skipped by daylight saving, `closesAt` not after `opensAt`).',
    body: CfpSettingsBody,
    ok: { status: 200, schema: one(CfpSchema, 'The call as saved.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => {
      await saveCfpSettings(db, cctx, actor, ids.eventId!, request.body);
      return callOf(ids.eventId!);
    },
  });

  for (const [name, closed] of [
    ['close', true],
    ['reopen', false],
  ] as const) {
    manageRoute(app, {
      method: 'POST',
      url: `/events/:eventId/cfp/${name}`,
      params: ['eventId'],
      operationId: closed ? 'closeCfp' : 'reopenCfp',
      summary: closed ? 'Close the call early' : 'Reopen the call',
      description: closed
        ? 'Organizers. Nobody can submit or change proposals any more; withdrawing still works.'
        : 'Organizers. Lifts an early close: the call’s dates decide again.',
      ok: { status: 200, schema: one(CfpSchema, 'The call.') },
      errors: [400, 403, 404],
      handler: async (_request, _reply, { actor, ids }) => {
        await setCfpClosedEarly(db, cctx, actor, ids.eventId!, closed);
        return callOf(ids.eventId!);
      },
    });
  }

  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/proposals',
    params: ['eventId'],
    operationId: 'listProposals',
    summary: 'Proposals to review',
    description:
      'Reviewers and organizers: all of the event’s proposals; track managers: those of their tracks. Newest first, or `sort=score` (best average first, unreviewed last). Speakers’ addresses only for organizers.',
    query: ProposalFilterSchema,
    ok: { status: 200, schema: listOf(ProposalListItemSchema, 'The proposals.') },
    errors: [400, 403, 404, 422],
    handler: async (request, _reply, { actor, ids }) => {
      const items = await listProposalsForReview(db, actor, ids.eventId!, request.query ?? {});
      const emails = await organizes(actor, ids.eventId!);
      return { data: items.map((i) => toListItemJson(i, emails)) };
    },
  });

  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/proposals/:proposalId',
    params: ['eventId', 'proposalId'],
    operationId: 'getProposalForReview',
    summary: 'A proposal with its reviews',
    description:
      'As in the list. A speaker of the proposal sees no reviews (`isSpeaker`). PROPOSAL_NOT_FOUND (404) for a proposal of another event or outside a track manager’s tracks.',
    ok: { status: 200, schema: one(ProposalForReviewSchema, 'The proposal.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => forReview(actor, ids.eventId!, ids.proposalId!),
  });

  manageRoute(app, {
    method: 'PUT',
    url: '/events/:eventId/proposals/:proposalId/review',
    params: ['eventId', 'proposalId'],
    operationId: 'saveMyReview',
    summary: 'Review a proposal',
    description:
      'Your review: a score from 1 to 5 and a comment (for organizers and reviewers; speakers never see it). One per reviewer and proposal; sending it again replaces it. REVIEW_OWN_PROPOSAL (403) for a proposal you speak in; VALIDATION_FAILED (422) names the field.',
    body: ReviewInput.describe('Your review.'),
    ok: { status: 200, schema: one(ReviewSchema, 'Your review as saved.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({
      data: toReviewJson(await saveReview(db, cctx, actor, ids.eventId!, ids.proposalId!, request.body)),
    }),
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/proposals/:proposalId/decide',
    params: ['eventId', 'proposalId'],
    operationId: 'decideProposal',
    summary: 'Accept, reject, or undo the decision',
    description:
      'Organizers. `accept` or `reject` a submitted proposal (every speaker is mailed); `undo` puts a decided one back to submitted (mails nobody) unless it is on the programme (PROPOSAL_SCHEDULED, 409). PROPOSAL_TRANSITION_INVALID (409) from any other state.',
    body: DecisionSchema.describe('The decision.'),
    ok: { status: 200, schema: one(ProposalSchema, 'The proposal as decided.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({
      data: toProposalJson(await decideProposal(db, cctx, actor, ids.eventId!, ids.proposalId!, request.body), true),
    }),
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/proposals/:proposalId/schedule',
    params: ['eventId', 'proposalId'],
    operationId: 'scheduleProposal',
    summary: 'Put an accepted proposal on the programme',
    description:
      'Organizers. Makes a confirmed session from the proposal (its title, format, duration, abstract, language, level, track and the speakers who have accounts) in `roomId` at `start`, by the programme’s own rules: SESSION_ROOM_CONFLICT or SPEAKER_DOUBLE_BOOKED (409), SESSION_OUTSIDE_DATES (422); nothing is written then. PROPOSAL_NOT_ACCEPTED or PROPOSAL_SCHEDULED (409).',
    body: ScheduleSchema.describe('Where and when.'),
    ok: { status: 201, schema: one(object({ proposal: ProposalSchema, session: SessionRecordSchema }), 'The proposal and its new session.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, reply, { actor, ids }) => {
      const r = await scheduleProposal(db, cctx, actor, ids.eventId!, ids.proposalId!, request.body);
      reply.header('Location', `/api/v1/manage/events/${ids.eventId}/sessions/${r.session.id}`);
      return { data: { proposal: toProposalJson(r.proposal, true), session: r.session } };
    },
  });
}
