import { DomainError } from '../../lib/domain-error.js';
import type { Unsatisfiable } from './optimizer.js';

/**
 * The optimizer cannot run on this instance (checkInstance found problems, or the search could not
 * place every talk): `unsatisfiable` names each problem's talks and constraint. Nothing was written.
 */
export class OptimizerError extends DomainError {
  constructor(readonly unsatisfiable: readonly Unsatisfiable[]) {
    super(
      'OPTIMIZER_UNSATISFIABLE',
      `The programme cannot be planned as asked (${unsatisfiable.length} problem${unsatisfiable.length === 1 ? '' : 's'}): ${unsatisfiable
        .slice(0, 3)
        .map((u) => u.message)
        .join(' ')}${unsatisfiable.length > 3 ? ' …' : ''} Nothing was changed.`,
      422,
      unsatisfiable.map((u) => ({ path: u.keys.length > 0 ? `talks[${u.keys.join(',')}]` : '(instance)', message: `${u.code}: ${u.message}` })),
    );
    this.name = 'OptimizerError';
  }
}

/** Error codes of the optimizer run (docs/errors.md). */
export const OptimizerErrors = {
  failed: (detail: string) => new DomainError('OPTIMIZER_FAILED', `The optimizer stopped without a result (${detail}); nothing was changed.`, 500),
};
