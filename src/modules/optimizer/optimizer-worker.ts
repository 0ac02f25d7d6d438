import { parentPort, workerData } from 'node:worker_threads';
import { OptimizerError } from './optimizer.errors.js';
import type { OptimizerMessage, OptimizerTask } from './optimizer-thread.js';
import { optimize } from './solver.js';

/*
 * The optimizer's worker thread (started by optimizer-thread.ts, never imported by the main
 * thread): runs the search, posts progress, and posts its proposal, the problems that make the
 * instance impossible, or (a bug) a crash.
 */
const port = parentPort!;
const task = workerData as OptimizerTask;
const flag = new Int32Array(task.stopFlag);
const post = (m: OptimizerMessage) => port.postMessage(m);

try {
  const proposal = optimize(task.instance, {
    seed: task.seed,
    timeLimitMs: task.timeLimitMs,
    shouldStop: () => Atomics.load(flag, 0) !== 0,
    onProgress: (progress) => post({ type: 'progress', progress }),
  });
  post({ type: 'done', proposal });
} catch (err) {
  if (err instanceof OptimizerError) post({ type: 'unsatisfiable', unsatisfiable: err.unsatisfiable });
  else post({ type: 'crash', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
