import { Worker } from 'node:worker_threads';
import { OptimizerError, OptimizerErrors } from './optimizer.errors.js';
import type { OptimizerInstance, Progress, Proposal, Unsatisfiable } from './optimizer.js';

/*
 * Runs optimize() off the event loop in a worker thread (optimizer-worker.ts) with its own heap
 * capped at `memoryMb`, so the server keeps answering during a run. Progress arrives as messages
 * (about every 250 ms). stop() raises a flag in shared memory that the search reads between moves,
 * so the worker finishes with its best placement so far (stopped = true); only a worker that does
 * not answer within a grace period is terminated. A worker that crashes, runs out of memory or
 * never answers rejects the result with OPTIMIZER_FAILED; an impossible instance with
 * OPTIMIZER_UNSATISFIABLE (an OptimizerError naming the problems).
 */
export interface OptimizerRun {
  readonly result: Promise<Proposal>;
  onProgress(cb: (p: Progress) => void): void;
  stop(): void;
}

export interface OptimizerTask {
  readonly instance: OptimizerInstance;
  readonly seed: number;
  readonly timeLimitMs: number;
  /** Int32Array over it: [0] = 1 asks the search to stop. */
  readonly stopFlag: SharedArrayBuffer;
}

export type OptimizerMessage =
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'done'; readonly proposal: Proposal }
  | { readonly type: 'unsatisfiable'; readonly unsatisfiable: readonly Unsatisfiable[] }
  | { readonly type: 'crash'; readonly message: string };

export const DEFAULT_OPTIMIZER_MEMORY_MB = 256;
/** How long a worker asked to stop (or past its budget) may take to answer before it is terminated. */
export const STOP_GRACE_MS = 5_000;

/**
 * The worker's code is optimizer-worker.js next to this file in the build (dist/), and
 * optimizer-worker.ts under tsx: a worker does not inherit the tsx loader of the main thread, so
 * then a small eval'd bootstrap registers it first (as schedule/import-thread.ts does).
 */
function spawnWorker(task: OptimizerTask, memoryMb: number): Worker {
  const ownUrl = import.meta.url;
  const typescript = ownUrl.endsWith('.ts');
  const entry = new URL(`./optimizer-worker.${typescript ? 'ts' : 'js'}`, ownUrl);
  const options = {
    workerData: task,
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    stdout: false,
    stderr: false,
  };
  if (!typescript) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

export function startOptimizer(instance: OptimizerInstance, opts: { seed: number; timeLimitMs: number; memoryMb?: number }): OptimizerRun {
  const stopFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(stopFlag);
  const memoryMb = opts.memoryMb ?? DEFAULT_OPTIMIZER_MEMORY_MB;
  const worker = spawnWorker({ instance, seed: opts.seed, timeLimitMs: opts.timeLimitMs, stopFlag }, memoryMb);
  const listeners: ((p: Progress) => void)[] = [];
  let settled = false;
  let killTimer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let stopRun: () => void = () => {};

  const result = new Promise<Proposal>((resolve, reject) => {
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      clearTimeout(deadline);
      fn();
    };
    worker.on('message', (m: OptimizerMessage) => {
      if (m.type === 'progress') {
        if (!settled) for (const cb of listeners) cb(m.progress);
      } else if (m.type === 'done') settle(() => resolve(m.proposal));
      else if (m.type === 'unsatisfiable') settle(() => reject(new OptimizerError(m.unsatisfiable)));
      else settle(() => reject(OptimizerErrors.failed(`the worker crashed: ${m.message.split('\n')[0]}`)));
    });
    worker.on('error', (err: Error & { code?: string }) =>
      settle(() =>
        reject(
          OptimizerErrors.failed(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needed more than its memory limit of ${memoryMb} MB` : `the worker failed: ${err.message}`,
          ),
        ),
      ),
    );
    worker.on('exit', (code) => settle(() => reject(OptimizerErrors.failed(`the worker exited with code ${code} before it answered`))));
    const askToStop = () => {
      Atomics.store(flag, 0, 1);
      if (killTimer || settled) return;
      killTimer = setTimeout(() => {
        settle(() => reject(OptimizerErrors.failed(`the worker did not stop within ${STOP_GRACE_MS / 1000} s`)));
        void worker.terminate();
      }, STOP_GRACE_MS);
    };
    // The search stops by itself at its budget; this is the safety net if it does not.
    deadline = setTimeout(askToStop, Math.max(0, opts.timeLimitMs) + STOP_GRACE_MS);
    stopRun = askToStop;
  });
  // Marked as handled here so a caller that only awaits later never trips an unhandled rejection.
  result.catch(() => {});

  return {
    result,
    onProgress(cb) {
      listeners.push(cb);
    },
    stop() {
      stopRun();
    },
  };
}
