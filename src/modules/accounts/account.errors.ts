import { DomainError, type Problem } from '../../lib/domain-error.js';

/** One message for every bad or used link, so a link reveals nothing about why it failed. */
const LINK_MESSAGE = 'This link is invalid, was already used, or has expired. Ask for a new one.';

/** Error codes of the accounts module; see docs/errors.md. */
export const AccountErrors = {
  /** A field failed validation; `problems` names each one (email, password, displayName, …). */
  inputInvalid: (problems: Problem[]) =>
    new DomainError('ACCOUNT_INPUT_INVALID', `Please correct ${problems.length === 1 ? 'the field' : `${problems.length} fields`}: ${problems.map((p) => p.path).join(', ')}.`, 422, problems),
  /** Unknown e-mail, account without password, and wrong password all look the same. */
  signInFailed: () => new DomainError('SIGN_IN_FAILED', 'The e-mail address or the password is wrong.', 401),
  tokenInvalid: () => new DomainError('TOKEN_INVALID', LINK_MESSAGE, 400),
  tokenExpired: () => new DomainError('TOKEN_EXPIRED', LINK_MESSAGE, 410),
  forbidden: (what: string) => new DomainError('FORBIDDEN', `You may not ${what}.`, 403),
  /** Also used for things that exist but belong to someone else (no probing of ids). */
  notFound: (what: string) => new DomainError('NOT_FOUND', `No such ${what}.`, 404),
  emailNotVerified: () => new DomainError('EMAIL_NOT_VERIFIED', 'Confirm your e-mail address first (we sent you a link; you can ask for a new one).', 403),
  invitationEmailMismatch: () =>
    new DomainError('INVITATION_EMAIL_MISMATCH', 'This invitation was sent to another e-mail address. Sign in with that address to accept it.', 403),
  setupDone: () => new DomainError('SETUP_DONE', 'This instance already has accounts; sign in instead.', 409),
  lastOwner: () => new DomainError('LAST_OWNER', 'This is the last owner; make someone else owner first.', 409),
};
