import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import { ensureAllowed, scopeOf, type DbOrTrx } from '../events/event-write.queries.js';
import type { OptimizerRunRow, OptimizerRunStatus } from './optimizer-run.table.js';
import type { OptimizerRuns } from './optimizer-runs.js';
import type { OptimizerRunRecord } from './proposal.js';
import { ProposeOptionsSchema, type ProposeOptions } from './proposal.schemas.js';

/*
 * Reads of the optimizer's runs (organizers only: a proposal shows every track's sessions and the
 * audience's interest). Each read first fails the event's runs whose process is gone (reap).
 */

/** The event (404) if the actor may propose a programme for it (403: organizers). */
export async function proposableEvent(db: DbOrTrx, actor: Actor | null, eventId: number): Promise<EventRow> {
  const e = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!e) throw EventErrors.notFound('event', eventId);
  ensureAllowed(canManageEvent(actor, scopeOf(e)), 'propose a programme for this event');
  return e;
}

/** A stored run as a record; `progress` is this process's fresher figure when it runs it. */
export function toRunRecord(row: OptimizerRunRow, runs?: OptimizerRuns): OptimizerRunRecord {
  return {
    id: row.id,
    eventId: row.event_id,
    number: row.number,
    status: row.status as OptimizerRunStatus,
    createdBy: row.created_by_label,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    decidedAt: row.decided_at,
    message: row.message,
    options: JSON.parse(row.options),
    progress: (row.status === 'running' ? runs?.progressOf(row.id) : null) ?? (row.progress ? JSON.parse(row.progress) : null),
    summary: JSON.parse(row.summary),
    baseline: JSON.parse(row.baseline),
    proposal: row.proposal ? JSON.parse(row.proposal) : null,
  };
}

/** The run (404 when not of this event). */
export async function runRow(db: DbOrTrx, eventId: number, runId: number): Promise<OptimizerRunRow> {
  const row = await db.selectFrom('optimizer_runs').selectAll().where('id', '=', runId).where('event_id', '=', eventId).executeTakeFirst();
  if (!row) throw EventErrors.notFound('proposal run', runId);
  return row;
}

/**
 * One run with its progress, proposal and explanations.
 * @throws NOT_FOUND (404: event, run), FORBIDDEN (403).
 */
export async function loadOptimizerRun(
  ctx: { db: Db; clock: Clock; optimizer: OptimizerRuns },
  actor: Actor | null,
  eventId: number,
  runId: number,
): Promise<OptimizerRunRecord> {
  await proposableEvent(ctx.db, actor, eventId);
  await ctx.optimizer.reap(ctx.db, ctx.clock, eventId);
  return toRunRecord(await runRow(ctx.db, eventId, runId), ctx.optimizer);
}

/** A run in a list: no proposal or instance summary. */
export interface RunListItem {
  readonly id: number;
  readonly number: number;
  readonly status: OptimizerRunStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly message: string;
}

/**
 * The event's latest runs, newest first, and the options to prefill the next one with (the last
 * run's; the defaults when there is none).
 * @throws NOT_FOUND (404), FORBIDDEN (403).
 */
export async function listOptimizerRuns(
  ctx: { db: Db; clock: Clock; optimizer: OptimizerRuns },
  actor: Actor | null,
  eventId: number,
  limit = 10,
): Promise<{ event: EventRow; runs: RunListItem[]; lastOptions: ProposeOptions }> {
  const event = await proposableEvent(ctx.db, actor, eventId);
  await ctx.optimizer.reap(ctx.db, ctx.clock, eventId);
  const rows = await ctx.db
    .selectFrom('optimizer_runs')
    .select(['id', 'number', 'status', 'created_by_label', 'created_at', 'finished_at', 'message', 'options'])
    .where('event_id', '=', eventId)
    .orderBy('number', 'desc')
    .limit(limit)
    .execute();
  const last = rows[0] ? ProposeOptionsSchema.safeParse(JSON.parse(rows[0].options)) : null;
  return {
    event,
    runs: rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status as OptimizerRunStatus,
      createdBy: r.created_by_label,
      createdAt: r.created_at,
      finishedAt: r.finished_at,
      message: r.message,
    })),
    lastOptions: last?.success ? last.data : ProposeOptionsSchema.parse({}),
  };
}

/** The event's running run, if any. */
export async function runningRun(db: DbOrTrx, eventId: number): Promise<{ id: number; number: number } | undefined> {
  return db.selectFrom('optimizer_runs').select(['id', 'number']).where('event_id', '=', eventId).where('status', '=', 'running').executeTakeFirst();
}
