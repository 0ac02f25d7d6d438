import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import type { CfpContext } from '../../../modules/cfp/cfp-mail.js';
import { CfpErrors } from '../../../modules/cfp/cfp.errors.js';
import { findCfpBySlug } from '../../../modules/cfp/cfp.queries.js';
import { answerMyInvitation } from '../../../modules/cfp/cospeaker.actions.js';
import { listMyInvitations } from '../../../modules/cfp/cospeaker.queries.js';
import { submitProposal, updateProposal, withdrawProposal } from '../../../modules/cfp/proposal.actions.js';
import { getMyProposal, listMyProposals } from '../../../modules/cfp/proposal.queries.js';
import { InvitationAnswerBody, InvitationAnsweredSchema, InvitationSchema, MyProposalSchema, ProposalBody, toMyProposalJson } from '../cfp.schemas.js';
import { listOf, one } from '../zod-schema.js';
import { meRoute } from './route.js';

/**
 * The token owner's proposals to calls for proposals: list, read, submit, change, withdraw, and
 * answer invitations to co-speak, with the same actions as the speaker's web pages. Another person's proposal is PROPOSAL_NOT_FOUND
 * (404), never FORBIDDEN, so its existence does not leak.
 */
export async function myProposalRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.db;
  const cctx: CfpContext = { config: ctx.config, clock: ctx.clock };
  /** Answers with the proposal as the speaker reads it (event and submitter flag included). */
  const mine = async (actor: Parameters<typeof getMyProposal>[1], proposalId: number) => ({
    data: toMyProposalJson(await getMyProposal(db, actor, proposalId)),
  });

  meRoute(app, {
    method: 'GET',
    url: '/proposals',
    operationId: 'listMyProposals',
    summary: 'My proposals',
    description: 'The proposals you submitted or are named in as a co-speaker (by a confirmed address), across events, newest first.',
    ok: { status: 200, schema: listOf(MyProposalSchema, 'Your proposals.') },
    errors: [],
    handler: async (_request, _reply, { actor }) => ({ data: (await listMyProposals(db, actor)).map(toMyProposalJson) }),
  });

  meRoute(app, {
    method: 'GET',
    url: '/proposals/:proposalId',
    params: ['proposalId'],
    operationId: 'getMyProposal',
    summary: 'One of my proposals',
    description: 'PROPOSAL_NOT_FOUND (404) for unknown proposals and other people’s alike.',
    ok: { status: 200, schema: one(MyProposalSchema, 'Your proposal.') },
    errors: [400, 404],
    handler: async (_request, _reply, { actor, ids }) => mine(actor, ids.proposalId!),
  });

  meRoute(app, {
    method: 'POST',
    url: '/events/:slug/proposals',
    textParams: ['slug'],
    operationId: 'submitProposal',
    summary: 'Submit a proposal',
    description:
      'To the event’s open call, with you as the first speaker; you get a receipt by mail and each co-speaker an invitation (they are `pending` until they accept; at most 20 new co-speakers a day, else RATE_LIMITED, 429, and nothing is written). Needs a confirmed e-mail address (EMAIL_NOT_VERIFIED, 403). CFP_NOT_FOUND (404) when the event has no call; CFP_CLOSED (409) outside its window, when closed early or the event was cancelled; VALIDATION_FAILED (422) names each bad field (also a `kind` the call does not offer, a `trackId` not of this event, your own address in `coSpeakers`).',
    body: ProposalBody,
    ok: { status: 201, schema: one(MyProposalSchema, 'The new proposal.') },
    errors: [400, 403, 404, 409, 413, 415, 422, 429],
    handler: async (request, reply, { actor }) => {
      const slug = (request.params as { slug: string }).slug;
      const found = await findCfpBySlug(db, slug);
      if (!found) throw CfpErrors.cfpNotFound(slug);
      const p = await submitProposal(db, cctx, actor, found.event.id, request.body);
      reply.header('Location', `/api/v1/me/proposals/${p.id}`);
      return mine(actor, p.id);
    },
  });

  meRoute(app, {
    method: 'PUT',
    url: '/proposals/:proposalId',
    params: ['proposalId'],
    operationId: 'updateMyProposal',
    summary: 'Change my proposal',
    description:
      'Replaces the proposal’s fields and co-speakers (send them all, as on submission); co-speakers still listed keep their answer, new ones are invited (RATE_LIMITED, 429, past 20 a day). Only its submitter (co-speakers: FORBIDDEN, 403), only while the call is open (CFP_CLOSED, 409) and nobody has decided on it (PROPOSAL_NOT_EDITABLE, 409). VALIDATION_FAILED (422) names each bad field.',
    body: ProposalBody,
    ok: { status: 200, schema: one(MyProposalSchema, 'The proposal as changed.') },
    errors: [400, 403, 404, 409, 413, 415, 422, 429],
    handler: async (request, _reply, { actor, ids }) => {
      await updateProposal(db, cctx, actor, ids.proposalId!, request.body);
      return mine(actor, ids.proposalId!);
    },
  });

  meRoute(app, {
    method: 'POST',
    url: '/proposals/:proposalId/withdraw',
    params: ['proposalId'],
    operationId: 'withdrawMyProposal',
    summary: 'Withdraw my proposal',
    description:
      'Withdraws a proposal nobody has decided on yet (also after the call closed); it stays listed as `withdrawn`, which is final. Only its submitter (FORBIDDEN, 403 for co-speakers); PROPOSAL_TRANSITION_INVALID (409) once decided or withdrawn.',
    ok: { status: 200, schema: one(MyProposalSchema, 'The withdrawn proposal.') },
    errors: [400, 403, 404, 409],
    handler: async (_request, _reply, { actor, ids }) => {
      await withdrawProposal(db, cctx, actor, ids.proposalId!);
      return mine(actor, ids.proposalId!);
    },
  });

  meRoute(app, {
    method: 'GET',
    url: '/cospeaker-invitations',
    operationId: 'listMyCospeakerInvitations',
    summary: 'Invitations to co-speak',
    description: 'Proposals that name your confirmed address as a co-speaker and wait for your answer: only the title, the event and who invites you.',
    ok: { status: 200, schema: listOf(InvitationSchema, 'Pending invitations, newest first.') },
    errors: [],
    handler: async (_request, _reply, { actor }) => ({ data: await listMyInvitations(db, actor) }),
  });

  meRoute(app, {
    method: 'POST',
    url: '/cospeaker-invitations/:proposalId',
    params: ['proposalId'],
    operationId: 'answerCospeakerInvitation',
    summary: 'Accept or decline an invitation to co-speak',
    description:
      '`accept` makes you a speaker of the proposal (you see it, appear on the programme when it is scheduled, and no longer review it); `decline` with `block: true` also stops all further co-speaker invitations to your address. PROPOSAL_NOT_FOUND (404) when no invitation to your confirmed address waits for an answer.',
    body: InvitationAnswerBody,
    ok: { status: 200, schema: one(InvitationAnsweredSchema, 'Your answer.') },
    errors: [400, 404, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({ data: await answerMyInvitation(db, cctx, actor, ids.proposalId!, request.body) }),
  });
}
