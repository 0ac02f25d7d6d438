import { Worker } from 'node:worker_threads';
import type { Explanation, OptimizerInstance, Placement, Score, Unsatisfiable } from '../optimizer/optimizer.js';

/*
 * Checking a FOSDEM-sized instance and scoring the current draft cost a few hundred milliseconds
 * each: "Propose a programme" does both in a short-lived worker thread (instance-check-worker.ts),
 * so the request that starts a run waits for them without holding up every other request.
 */

export interface InstanceCheck {
  readonly problems: readonly Unsatisfiable[];
  /** The current draft's score and explanation; null when there are problems. */
  readonly baseline: { readonly score: Score; readonly explanation: Explanation } | null;
}

/** checkInstance, then evaluate of `placements`, in a worker thread (heap capped at `memoryMb`). */
export function checkInWorker(instance: OptimizerInstance, placements: readonly Placement[], memoryMb = 512): Promise<InstanceCheck> {
  return new Promise((resolve, reject) => {
    const worker = spawn({ instance, placements }, memoryMb);
    let done = false;
    worker.once('message', (answer: InstanceCheck) => {
      done = true;
      resolve(answer);
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (!done) reject(err);
      done = true;
    });
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`the instance check stopped (exit code ${code})`));
      done = true;
    });
  });
}

/**
 * instance-check-worker.js next to this file in the build (dist/), instance-check-worker.ts under
 * tsx (whose loader a worker does not inherit: a small eval'd bootstrap registers it first, as
 * optimizer/optimizer-thread.ts does).
 */
function spawn(data: unknown, memoryMb: number): Worker {
  const ownUrl = import.meta.url;
  const typescript = ownUrl.endsWith('.ts');
  const entry = new URL(`./instance-check-worker.${typescript ? 'ts' : 'js'}`, ownUrl);
  const options = { workerData: data, resourceLimits: { maxOldGenerationSizeMb: memoryMb }, stdout: false, stderr: false };
  if (!typescript) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
