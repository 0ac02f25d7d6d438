import { loadInterestVotes } from '../interest/interest.queries.js';
import type { OptimizerEngine } from './proposal.js';

/** The real optimizer: votes from the interest poll, the solver in a worker thread (modules/optimizer, merged next). */
const missing = () => {
  throw new Error('the optimizer is not part of this build yet');
};
export const OPTIMIZER_ENGINE: OptimizerEngine = { loadVotes: loadInterestVotes, checkInstance: missing, evaluate: missing, start: missing };
