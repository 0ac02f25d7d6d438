import { loadInterestVotes } from '../interest/interest.queries.js';
import { evaluate } from '../optimizer/evaluate.js';
import { checkInstance } from '../optimizer/feasibility.js';
import { startOptimizer } from '../optimizer/optimizer-thread.js';
import type { OptimizerEngine } from './proposal.js';

/** The real optimizer: votes from the interest poll, the solver in a worker thread (modules/optimizer). */
export const OPTIMIZER_ENGINE: OptimizerEngine = { loadVotes: loadInterestVotes, checkInstance, evaluate, start: startOptimizer };
