import { loadInterestVotes } from '../interest/interest.queries.js';
import { startOptimizer } from '../optimizer/optimizer-thread.js';
import { checkInWorker } from './instance-check-thread.js';
import type { OptimizerEngine } from './proposal.js';

/**
 * The real optimizer: votes from the interest poll; the instance checked and the draft scored in a
 * short-lived worker thread, the search in its own (modules/optimizer).
 */
export const OPTIMIZER_ENGINE: OptimizerEngine = { loadVotes: loadInterestVotes, prepare: checkInWorker, start: startOptimizer };
