import { DomainError } from '../../lib/domain-error.js';
import type { CfpWindow } from './cfp.js';

/**
 * Error codes of the call for proposals and its review (docs/errors.md). FORBIDDEN and
 * VALIDATION_FAILED are the shared back-office codes (EventErrors). Every refusal leaves the
 * database as it was.
 */
export const CfpErrors = {
  /** No call for proposals is set up for the event (or no such event). */
  cfpNotFound: (ref: number | string) => new DomainError('CFP_NOT_FOUND', `Event ${ref} has no call for proposals.`, 404),
  closed: (why: Exclude<CfpWindow, 'open'> | 'event_cancelled', opensAt: string) =>
    new DomainError(
      'CFP_CLOSED',
      why === 'event_cancelled'
        ? 'The event was cancelled, so its call for proposals is closed.'
        : why === 'not_yet_open'
          ? `The call for proposals opens at ${opensAt}.`
          : why === 'closed_early'
            ? 'The organizers closed the call for proposals.'
            : 'The call for proposals is closed.',
      409,
    ),
  /** Unknown proposal, or one the asker may not see (never says which). */
  proposalNotFound: (id: number | string) => new DomainError('PROPOSAL_NOT_FOUND', `No proposal #${id} here.`, 404),
  notEditable: (state: string) =>
    new DomainError(
      'PROPOSAL_NOT_EDITABLE',
      state === 'submitted'
        ? 'The call for proposals is closed, so the proposal can no longer be changed.'
        : `This proposal is ${state}; it can no longer be changed.`,
      409,
    ),
  transitionInvalid: (transition: string, state: string) =>
    new DomainError('PROPOSAL_TRANSITION_INVALID', `Cannot ${transition} a proposal that is ${state}.`, 409),
  ownProposal: () => new DomainError('REVIEW_OWN_PROPOSAL', 'You are a speaker of this proposal, so you do not review it.', 403),
  scheduled: (what: string) => new DomainError('PROPOSAL_SCHEDULED', `This proposal is already on the programme; ${what}.`, 409),
  notAccepted: (state: string) => new DomainError('PROPOSAL_NOT_ACCEPTED', `Only accepted proposals go on the programme; this one is ${state}.`, 409),
};
