import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import { acceptOptimizerRun, discardOptimizerRun, startOptimizerRun, stopOptimizerRun } from '../../../modules/planning/optimizer.actions.js';
import { loadOptimizerRun } from '../../../modules/planning/optimizer.queries.js';
import { presentRun, type OptimizerRunRecord } from '../../../modules/planning/proposal.js';
import { one } from '../zod-schema.js';
import { manageRoute } from './route.js';
import { AcceptOutcomeSchema, OptimizerRunSchema, ProposeBody } from './propose.schemas.js';

/*
 * "Propose a programme" (organizers), the same actions as the editor's propose pages:
 *   POST /events/:eventId/schedule/optimizer-runs                  start the optimizer (201: the run, running)
 *   GET  /events/:eventId/schedule/optimizer-runs/:runId           progress, then the proposal, its changes and explanations
 *   POST /events/:eventId/schedule/optimizer-runs/:runId/stop      stop it, keeping the best so far
 *   POST /events/:eventId/schedule/optimizer-runs/:runId/accept    write the proposal into the draft (never public)
 *   POST /events/:eventId/schedule/optimizer-runs/:runId/discard
 */
export async function proposeRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/schedule/optimizer-runs',
    params: ['eventId'],
    operationId: 'startScheduleProposal',
    summary: 'Propose a programme (start the optimizer)',
    description:
      'Organizers. Builds the optimizer’s input from the draft (the chosen days, rooms and grain; pinned sessions, keynotes and breaks stay; rooms’ hours minus blockers; speakers’ availability; sign-ups; room restrictions per track and kind; the interest poll and stars) and starts it off the request. Refused before anything starts when the input cannot be satisfied: OPTIMIZER_UNSATISFIABLE (422) names each session and constraint. One run at a time per event (OPTIMIZER_RUN_ACTIVE). Poll the run for progress; stop it any time.',
    body: ProposeBody,
    ok: { status: 201, schema: one(OptimizerRunSchema, 'The run, running.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => ({ data: runJson(await startOptimizerRun(ctx, actor, ids.eventId!, request.body)) }),
  });

  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/schedule/optimizer-runs/:runId',
    params: ['eventId', 'runId'],
    operationId: 'getScheduleProposal',
    summary: 'A proposal run: progress, proposal, changes, explanations',
    description:
      'Organizers. While running: the best score so far. Then the proposal as a change to the draft (sessions moved, from → to; sessions and accepted proposals placed) and the explanations of the current draft and the proposal side by side.',
    ok: { status: 200, schema: one(OptimizerRunSchema, 'The run.') },
    errors: [403, 404],
    handler: async (_request, _reply, { actor, ids }) => ({ data: runJson(await loadOptimizerRun(ctx, actor, ids.eventId!, ids.runId!)) }),
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/schedule/optimizer-runs/:runId/stop',
    params: ['eventId', 'runId'],
    operationId: 'stopScheduleProposal',
    summary: 'Stop a proposal run, keeping its best so far',
    description: 'Organizers. The run ends with status `stopped` and its best proposal so far (within a second).',
    ok: { status: 200, schema: one(OptimizerRunSchema, 'The run.') },
    errors: [403, 404, 409],
    handler: async (_request, _reply, { actor, ids }) => {
      await stopOptimizerRun(ctx, actor, ids.eventId!, ids.runId!);
      await ctx.optimizer.settled(ids.runId!);
      return { data: runJson(await loadOptimizerRun(ctx, actor, ids.eventId!, ids.runId!)) };
    },
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/schedule/optimizer-runs/:runId/accept',
    params: ['eventId', 'runId'],
    operationId: 'acceptScheduleProposal',
    summary: 'Accept a proposal into the draft',
    description:
      'Organizers. Moves and places the sessions of the proposal in the draft programme in one change (one audit row); the public sees it only after a release. Refused when the draft changed since the run started (OPTIMIZER_DRAFT_CHANGED: propose again) or the run has no proposal to accept (OPTIMIZER_RUN_STATE).',
    ok: { status: 200, schema: one(AcceptOutcomeSchema, 'What changed.') },
    errors: [403, 404, 409],
    handler: async (_request, _reply, { actor, ids }) => {
      const done = await acceptOptimizerRun(ctx, actor, ids.eventId!, ids.runId!);
      return { data: { ...done, run: runJson(done.run) } };
    },
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/schedule/optimizer-runs/:runId/discard',
    params: ['eventId', 'runId'],
    operationId: 'discardScheduleProposal',
    summary: 'Discard a proposal',
    description: 'Organizers. A running one is stopped first. The draft is unchanged.',
    ok: { status: 200, schema: one(OptimizerRunSchema, 'The run.') },
    errors: [403, 404, 409],
    handler: async (_request, _reply, { actor, ids }) => ({ data: runJson(await discardOptimizerRun(ctx, actor, ids.eventId!, ids.runId!)) }),
  });
}

/** A run as the API shows it (OptimizerRunSchema). */
function runJson(run: OptimizerRunRecord) {
  const v = presentRun(run);
  return {
    ...run,
    instance: {
      talks: run.summary.talks.length,
      rooms: run.summary.rooms,
      voters: run.summary.voters,
      preferences: run.summary.preferences,
      attendeesPerVoter: run.summary.attendeesPerVoter,
      attendeesPerVoterReason: run.summary.attendeesPerVoterReason,
    },
    current: v.current,
    proposal:
      run.proposal && v.proposed
        ? {
            figures: v.proposed,
            seed: run.proposal.seed,
            iterations: run.proposal.iterations,
            elapsedMs: run.proposal.elapsedMs,
            stopped: run.proposal.stopped,
          }
        : null,
    changes: v.changes,
  };
}
