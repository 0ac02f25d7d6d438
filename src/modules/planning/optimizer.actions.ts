import { parseInput } from '../../lib/form-fields.js';
import { WallClock } from '../../lib/time.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import { scheduleProposalIn } from '../cfp/decision.actions.js';
import { addMinutes, localLabel } from '../events/event-dates.js';
import { withEventWrite } from '../events/event-write.js';
import type { Trx } from '../events/event-write.queries.js';
import { ProgramErrors } from '../program/program.errors.js';
import { findOverlaps } from '../program/session.js';
import type { PlanningContext } from './move.actions.js';
import type { OptimizerRuns } from './optimizer-runs.js';
import { proposableEvent, runningRun, runRow, toRunRecord } from './optimizer.queries.js';
import { OptimizerError } from '../optimizer/optimizer.errors.js';
import { PlanningErrors } from './planning.errors.js';
import { currentPlacements, diffProposal, instantAtMinute, localAtMinute, type OptimizerRunRecord } from './proposal.js';
import { buildOptimizerInstance } from './proposal.queries.js';
import { ProposeOptionsSchema } from './proposal.schemas.js';

/*
 * "Propose a programme" (issue 14): start the optimizer on the event's draft, stop it, accept its
 * proposal into the draft, or discard it. Organizers only: a proposal moves every track's sessions.
 * Starting, stopping and discarding write only the run's own row (optimizer_runs: bookkeeping, not
 * the programme, so no version bump); accepting changes the draft programme, through the write
 * path, in one transaction, and never publishes anything: the public sees it at the next release.
 */

/** The module context of these actions: the app's per-process registry of runs. */
export interface OptimizerContext extends PlanningContext {
  readonly optimizer: OptimizerRuns;
}

/**
 * Starts the optimizer on the draft: builds the instance (days, rooms, grain, restrictions of
 * `input`; pins, hours, blockers, availability, sign-ups and interest of the event), checks it,
 * and when nothing stands in the way stores the run and starts it off the request (a worker
 * thread). Refused before anything is written when the input cannot be satisfied, naming each
 * talk and constraint concerned.
 * Side effects: one optimizer_runs row (running), the worker.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404), OPTIMIZER_UNSATISFIABLE (422),
 *   OPTIMIZER_RUN_ACTIVE (409).
 */
export async function startOptimizerRun(ctx: OptimizerContext, actor: Actor | null, eventId: number, input: unknown): Promise<OptimizerRunRecord> {
  const event = await proposableEvent(ctx.db, actor, eventId);
  const options = parseInput(ProposeOptionsSchema, input);
  const engine = ctx.optimizer.engine;
  await ctx.optimizer.reap(ctx.db, ctx.clock, eventId);
  const active = await runningRun(ctx.db, eventId);
  if (active) throw PlanningErrors.runActive(active.number);
  const { voters } = await engine.loadVotes(ctx.db, eventId);
  const built = await buildOptimizerInstance(ctx.db, event, options, voters);
  // Checking and scoring a FOSDEM-sized instance take a few hundred ms each: off this thread.
  const { problems, baseline } = built.problems.length
    ? { problems: built.problems, baseline: null }
    : await engine.prepare(built.instance, currentPlacements(built.instance));
  if (problems.length || !baseline) throw new OptimizerError(problems);
  const now = ctx.clock.instant();
  let row: Awaited<ReturnType<typeof runRow>>;
  try {
    row = await ctx.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('optimizer_runs')
        .select((eb) => eb.fn.max('number').as('n'))
        .where('event_id', '=', eventId)
        .executeTakeFirst();
      return trx
        .insertInto('optimizer_runs')
        .values({
          event_id: eventId,
          number: Number(last?.n ?? 0) + 1,
          created_by: actor!.userId,
          created_by_label: actor!.displayName,
          status: 'running',
          owner: ctx.optimizer.owner,
          base_version: Number(event.version),
          fingerprint: built.fingerprint,
          options: JSON.stringify(options),
          summary: JSON.stringify(built.summary),
          baseline: JSON.stringify(baseline),
          created_at: now,
          heartbeat_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  } catch (err) {
    // Another start won the race (one running run per event: a unique index).
    const other = await runningRun(ctx.db, eventId);
    if (other) throw PlanningErrors.runActive(other.number);
    throw err;
  }
  ctx.optimizer.launch(ctx.db, ctx.clock, row.id, built.instance, { seed: options.seed, timeLimitMs: options.timeLimitSeconds * 1000 });
  return toRunRecord(row, ctx.optimizer);
}

/**
 * Stops a running run: its best proposal so far is kept (status stopped). A run of another
 * process is asked to stop through its row (it obeys within a second).
 * Side effects: the worker told to stop, or optimizer_runs.stop_requested.
 * @throws FORBIDDEN (403), NOT_FOUND (404), OPTIMIZER_RUN_STATE (409: not running).
 */
export async function stopOptimizerRun(ctx: OptimizerContext, actor: Actor | null, eventId: number, runId: number): Promise<OptimizerRunRecord> {
  await proposableEvent(ctx.db, actor, eventId);
  await ctx.optimizer.reap(ctx.db, ctx.clock, eventId);
  const row = await runRow(ctx.db, eventId, runId);
  if (row.status !== 'running') throw PlanningErrors.runState(row.number, row.status, 'stopped');
  if (!ctx.optimizer.stop(runId)) {
    await ctx.db.updateTable('optimizer_runs').set({ stop_requested: 1 }).where('id', '=', runId).where('status', '=', 'running').execute();
  }
  return toRunRecord(await runRow(ctx.db, eventId, runId), ctx.optimizer);
}

/**
 * Discards a run's proposal (a running one is stopped first); nothing of the draft changes.
 * Side effects: optimizer_runs.status = discarded (and the worker stopped).
 * @throws FORBIDDEN (403), NOT_FOUND (404), OPTIMIZER_RUN_STATE (409: accepted or discarded already).
 */
export async function discardOptimizerRun(ctx: OptimizerContext, actor: Actor | null, eventId: number, runId: number): Promise<OptimizerRunRecord> {
  await proposableEvent(ctx.db, actor, eventId);
  const row = await runRow(ctx.db, eventId, runId);
  if (row.status === 'accepted' || row.status === 'discarded') throw PlanningErrors.runState(row.number, row.status, 'discarded');
  await ctx.db
    .updateTable('optimizer_runs')
    .set({ status: 'discarded', decided_at: ctx.clock.instant(), finished_at: row.finished_at ?? ctx.clock.instant() })
    .where('id', '=', runId)
    .where('status', '=', row.status)
    .execute();
  ctx.optimizer.stop(runId);
  return toRunRecord(await runRow(ctx.db, eventId, runId), ctx.optimizer);
}

/** What accepting did. */
export interface AcceptOutcome {
  readonly run: OptimizerRunRecord;
  readonly version: number;
  readonly moved: number;
  readonly placed: number;
}

/**
 * Accepts a finished (or stopped) run's proposal into the draft programme: every session it
 * moves is moved, every session off the grid and accepted proposal it places is placed (a proposal
 * becomes a session, as cfp's scheduleProposalIn), in one transaction, with one audit row
 * "optimizer proposal N accepted: M sessions moved". Refused when the draft changed since the run
 * started (the proposal was made for another draft). Nothing is released or made public.
 * Side effects, in one transaction: sessions (room, start, end, placed, sequence), new sessions,
 * speaker profiles and links for proposals, optimizer_runs.status = accepted, event version bump,
 * audit rows.
 * @throws FORBIDDEN (403), NOT_FOUND (404), OPTIMIZER_RUN_STATE (409: not done or stopped),
 *   OPTIMIZER_DRAFT_CHANGED (409), SESSION_ROOM_CONFLICT / SPEAKER_DOUBLE_BOOKED (409: a safety net).
 */
export async function acceptOptimizerRun(ctx: OptimizerContext, actor: Actor | null, eventId: number, runId: number): Promise<AcceptOutcome> {
  const done = await withEventWrite(ctx, actor, eventId, { may: canManageEvent, what: 'propose a programme for this event' }, async (w) => {
    // Placement is released, never public as drafted: public caches and webhooks do not move.
    w.draftOnly();
    const row = await runRow(w.trx, eventId, runId);
    if ((row.status !== 'done' && row.status !== 'stopped') || !row.proposal) throw PlanningErrors.runState(row.number, row.status, 'accepted');
    const record = toRunRecord(row);
    const now = await buildOptimizerInstance(w.trx, w.event, record.options, []);
    if (now.fingerprint !== row.fingerprint) throw PlanningErrors.draftChanged(row.number);
    const diff = diffProposal(record.summary, record.proposal!.placements);
    const clock = new WallClock(w.event.time_zone);
    const movedIds: number[] = [];
    for (const c of [...diff.moved, ...diff.placed]) {
      if (!c.key.startsWith('s')) continue;
      const id = Number(c.key.slice(1));
      const startsAt = instantAtMinute(record.summary.origin, c.to.start);
      await w.trx
        .updateTable('sessions')
        .set((eb) => ({
          room_id: c.to.roomId,
          starts_at: startsAt,
          ends_at: addMinutes(startsAt, c.durationMinutes),
          placed: 1,
          updated_at: w.now,
          sequence: eb('sequence', '+', 1),
        }))
        .where('id', '=', id)
        .where('event_id', '=', eventId)
        .execute();
      movedIds.push(id);
    }
    // Sessions first, so a proposal placed where a session was sees the slot free.
    for (const c of diff.placed) {
      if (!c.key.startsWith('p')) continue;
      const { session } = await scheduleProposalIn(w, actor, eventId, Number(c.key.slice(1)), {
        roomId: c.to.roomId,
        start: localAtMinute(record.summary, c.to.start, clock),
      });
      movedIds.push(session.id);
    }
    await assertStillSound(w.trx, eventId, w.event.time_zone, movedIds);
    await w.trx.updateTable('optimizer_runs').set({ status: 'accepted', decided_at: w.now }).where('id', '=', runId).execute();
    const placed = diff.placed.length;
    w.audit({
      action: 'optimizer.accepted',
      entityType: 'optimizer_run',
      entityId: runId,
      summary: `optimizer proposal ${row.number} accepted: ${diff.moved.length} session${diff.moved.length === 1 ? '' : 's'} moved${placed ? `, ${placed} placed` : ''}`,
    });
    return { version: Number(w.event.version), moved: diff.moved.length, placed };
  });
  return { ...done, run: toRunRecord(await runRow(ctx.db, eventId, runId), ctx.optimizer) };
}

/**
 * After writing a proposal: no room or speaker holds two confirmed sessions at once among the
 * sessions it moved and their neighbours (the optimizer promises it; this is the safety net, in
 * memory from one read of the event's placed sessions).
 */
async function assertStillSound(trx: Trx, eventId: number, zone: string, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const moved = new Set(ids);
  const rows = await trx
    .selectFrom('sessions')
    .select(['id', 'title', 'room_id', 'starts_at', 'ends_at'])
    .where('event_id', '=', eventId)
    .where('placed', '=', 1)
    .where('status', '=', 'confirmed')
    .execute();
  const byRoom = new Map<number, Array<{ id: number; title: string; startsAt: string; endsAt: string }>>();
  for (const r of rows) {
    if (r.room_id === null) continue;
    const list = byRoom.get(r.room_id) ?? [];
    list.push({ id: r.id, title: r.title, startsAt: r.starts_at, endsAt: r.ends_at });
    byRoom.set(r.room_id, list);
  }
  const problems = [];
  for (const list of byRoom.values()) {
    for (const [a, b] of findOverlaps(list)) {
      if (moved.has(a.id) || moved.has(b.id)) {
        problems.push({ path: 'roomId', message: `"${a.title}" and "${b.title}" would share a room at ${localLabel(b.startsAt, zone)}` });
      }
    }
  }
  if (problems.length) throw ProgramErrors.roomConflict(problems);
  const links = await trx
    .selectFrom('session_speakers')
    .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
    .select(['session_speakers.speaker_id', 'sessions.id', 'sessions.title', 'sessions.starts_at', 'sessions.ends_at'])
    .where('sessions.event_id', '=', eventId)
    .where('sessions.placed', '=', 1)
    .where('sessions.status', '=', 'confirmed')
    .execute();
  const bySpeaker = new Map<number, Array<{ id: number; title: string; startsAt: string; endsAt: string }>>();
  for (const l of links) {
    const list = bySpeaker.get(l.speaker_id) ?? [];
    list.push({ id: l.id, title: l.title, startsAt: l.starts_at, endsAt: l.ends_at });
    bySpeaker.set(l.speaker_id, list);
  }
  for (const list of bySpeaker.values()) {
    for (const [a, b] of findOverlaps(list)) {
      if (moved.has(a.id) || moved.has(b.id)) {
        problems.push({ path: 'speakerIds', message: `a speaker of "${a.title}" also speaks in "${b.title}" at ${localLabel(b.startsAt, zone)}` });
      }
    }
  }
  if (problems.length) throw ProgramErrors.speakerDoubleBooked(problems);
}
