import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import type { OptimizerInstance, Progress, Proposal } from '../optimizer/optimizer.js';
import type { OptimizerEngine, OptimizerHandle } from './proposal.js';

/*
 * The optimizer runs of this process (AppContext.optimizer), like the warnings cache a per-process
 * object: each run is a worker thread (the engine's `start`, optimizer-thread.ts) that this process
 * started and alone can stop. While it runs, the registry writes its progress and a heartbeat to
 * its optimizer_runs row once a second (`heartbeatMs`) and reads back whether another process asked
 * it to stop; when it ends, the proposal (or the failure). A running row whose process is gone (the
 * same host and that pid no longer alive, or no heartbeat for `staleMs`) is failed by `reap`, which
 * every read of an event's runs calls first: after a restart, a run that was going shows as failed
 * (interrupted), never as running forever. `close` (the app's onClose) stops every worker and
 * waits for their last writes.
 */

interface Entry {
  readonly handle: OptimizerHandle;
  progress: Progress | null;
  readonly timer: NodeJS.Timeout;
  readonly settled: Promise<void>;
  /** While a progress write is in flight, the next tick skips. */
  writing: boolean;
}

export class OptimizerRuns {
  /** This process: host, pid and a random part (two apps in one process, as in tests, differ). */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  private readonly entries = new Map<number, Entry>();
  private closed = false;

  constructor(
    readonly engine: OptimizerEngine,
    private readonly options: { readonly heartbeatMs?: number; readonly staleMs?: number; readonly memoryMb?: number } = {},
  ) {}

  /** Starts the run whose row (status running, owner = this) the caller inserted; returns at once. */
  launch(db: Db, clock: Clock, runId: number, instance: OptimizerInstance, opts: { seed: number; timeLimitMs: number }): void {
    if (this.closed) throw new Error('the optimizer registry is closed');
    let handle: OptimizerHandle;
    try {
      handle = this.engine.start(instance, { ...opts, ...(this.options.memoryMb ? { memoryMb: this.options.memoryMb } : {}) });
    } catch (err) {
      void this.finish(db, clock, runId, null, err);
      return;
    }
    const entry: Entry = {
      handle,
      progress: null,
      writing: false,
      timer: setInterval(() => void this.beat(db, clock, runId), this.options.heartbeatMs ?? 1000),
      settled: handle.result.then(
        (proposal) => this.finish(db, clock, runId, proposal, null),
        (err) => this.finish(db, clock, runId, null, err),
      ),
    };
    entry.timer.unref();
    handle.onProgress((p) => {
      entry.progress = p;
    });
    this.entries.set(runId, entry);
  }

  /** Whether this process runs it now. */
  has(runId: number): boolean {
    return this.entries.has(runId);
  }

  /** The latest progress this process heard (fresher than the row's). */
  progressOf(runId: number): Progress | null {
    return this.entries.get(runId)?.progress ?? null;
  }

  /** Asks the worker to stop; its best so far becomes the proposal. False when this process does not run it. */
  stop(runId: number): boolean {
    const entry = this.entries.get(runId);
    if (!entry) return false;
    entry.handle.stop();
    return true;
  }

  /** Resolves once the run has ended and its row is written (at once when this process does not run it). */
  async settled(runId: number): Promise<void> {
    await this.entries.get(runId)?.settled;
  }

  /**
   * Fails the event's running rows whose process is gone: on this host with a pid no longer alive,
   * or silent for `staleMs`. Called before any read or start of the event's runs.
   */
  async reap(db: Db, clock: Clock, eventId: number): Promise<void> {
    const rows = await db
      .selectFrom('optimizer_runs')
      .select(['id', 'owner', 'heartbeat_at'])
      .where('event_id', '=', eventId)
      .where('status', '=', 'running')
      .execute();
    const now = clock.now().getTime();
    for (const r of rows) {
      if (r.owner === this.owner) continue;
      const gone = !ownerAlive(r.owner) || now - Date.parse(r.heartbeat_at) > (this.options.staleMs ?? 30_000);
      if (!gone) continue;
      await db
        .updateTable('optimizer_runs')
        .set({ status: 'failed', message: 'Interrupted: the server running it stopped before it finished.', finished_at: clock.instant() })
        .where('id', '=', r.id)
        .where('status', '=', 'running')
        .where('owner', '=', r.owner)
        .execute();
    }
  }

  /** Stops every run of this process and waits for their rows to be written (the app's onClose). */
  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.entries.values()];
    for (const e of pending) e.handle.stop();
    await Promise.allSettled(pending.map((e) => e.settled));
  }

  /** The heartbeat: progress and time to the row; a stop asked from another process is obeyed. */
  private async beat(db: Db, clock: Clock, runId: number): Promise<void> {
    const entry = this.entries.get(runId);
    if (!entry || entry.writing) return;
    entry.writing = true;
    try {
      const row = await db
        .updateTable('optimizer_runs')
        .set({ heartbeat_at: clock.instant(), ...(entry.progress ? { progress: JSON.stringify(entry.progress) } : {}) })
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .returning(['stop_requested'])
        .executeTakeFirst();
      // Discarded (or failed by someone) meanwhile, or a stop asked for elsewhere: stop the worker.
      if (!row || row.stop_requested === 1) entry.handle.stop();
    } catch {
      // The database is away for a moment (or closing): the next beat tries again.
    } finally {
      entry.writing = false;
    }
  }

  private async finish(db: Db, clock: Clock, runId: number, proposal: Proposal | null, err: unknown): Promise<void> {
    const entry = this.entries.get(runId);
    if (entry) clearInterval(entry.timer);
    try {
      const now = clock.instant();
      if (proposal) {
        const progress: Progress = { elapsedMs: proposal.elapsedMs, iterations: proposal.iterations, best: proposal.score };
        await db
          .updateTable('optimizer_runs')
          .set({
            status: proposal.stopped ? 'stopped' : 'done',
            proposal: JSON.stringify(proposal),
            progress: JSON.stringify(progress),
            heartbeat_at: now,
            finished_at: now,
          })
          .where('id', '=', runId)
          .where('status', '=', 'running')
          .execute();
      } else {
        const message = err instanceof Error ? err.message : String(err);
        await db
          .updateTable('optimizer_runs')
          .set({ status: 'failed', message: `The optimizer failed: ${message}`.slice(0, 500), heartbeat_at: now, finished_at: now })
          .where('id', '=', runId)
          .where('status', '=', 'running')
          .execute();
      }
    } catch {
      // Closing: the row stays running and the next process's reap fails it.
    } finally {
      this.entries.delete(runId);
    }
  }
}

/** False when the owner ran on this host under a pid that no longer exists. */
function ownerAlive(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return true;
  if (Number(pid) === process.pid) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
