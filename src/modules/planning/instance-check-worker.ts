import { parentPort, workerData } from 'node:worker_threads';
import { evaluate } from '../optimizer/evaluate.js';
import { checkInstance } from '../optimizer/feasibility.js';
import type { OptimizerInstance, Placement } from '../optimizer/optimizer.js';

/*
 * The worker of instance-check-thread.ts: checks an instance (what cannot be satisfied) and, when
 * it can be, scores the current draft, off the server's event loop.
 */
const { instance, placements } = workerData as { instance: OptimizerInstance; placements: Placement[] };
const problems = checkInstance(instance);
parentPort!.postMessage({ problems, baseline: problems.length ? null : evaluate(instance, placements) });
