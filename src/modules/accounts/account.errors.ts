import { DomainError, type Problem } from '../../lib/domain-error.js';

/** One message for every bad or used link, so a link reveals nothing about why it failed. */
const LINK_MESSAGE = 'This link is invalid, was already used, or has expired. Ask for a new one.';

/** Error codes of the accounts module; see docs/errors.md. */
export const AccountErrors = {
  /** A field failed validation; `problems` names each one (email, password, displayName, …). */
  inputInvalid: (problems: Problem[]) =>
    new DomainError(
      'ACCOUNT_INPUT_INVALID',
      `Please correct ${problems.length === 1 ? 'the field' : `${problems.length} fields`}: ${problems.map((p) => p.path).join(', ')}.`,
      422,
      problems,
    ),
  /** Unknown e-mail, account without password, and wrong password all look the same. */
  signInFailed: () => new DomainError('SIGN_IN_FAILED', 'The e-mail address or the password is wrong.', 401),
  /** Per-account limit on wrong passwords (see signIn); `wait` reads "15 minutes". */
  tooManyPasswords: (knownDevice: boolean, wait: string) =>
    new DomainError(
      'RATE_LIMITED',
      knownDevice
        ? `Too many wrong passwords on this device, try again in ${wait}.`
        : `Too many wrong passwords for this address from new devices. Sign in with an e-mail link instead, or try again in ${wait} (where you signed in before, your password still works).`,
      429,
    ),
  tokenInvalid: () => new DomainError('TOKEN_INVALID', LINK_MESSAGE, 400),
  tokenExpired: () => new DomainError('TOKEN_EXPIRED', LINK_MESSAGE, 410),
  forbidden: (what: string) => new DomainError('FORBIDDEN', `You may not ${what}.`, 403),
  /** Also used for things that exist but belong to someone else (no probing of ids). */
  notFound: (what: string) => new DomainError('NOT_FOUND', `No such ${what}.`, 404),
  emailNotVerified: () =>
    new DomainError(
      'EMAIL_NOT_VERIFIED',
      'Confirm your e-mail address first: open the link we mailed you, or ask for a new one on your account page (/account).',
      403,
    ),
  /** COMMUNITY_CREATORS=allowed and no administrator allowed this person (see community-creators.actions.ts). */
  communityCreationNotAllowed: () =>
    new DomainError(
      'COMMUNITY_CREATION_NOT_ALLOWED',
      'On this site only people a site administrator allows may start a community. Ask an administrator to allow you, or ask an organizer of an existing community to invite you.',
      403,
    ),
  invitationEmailMismatch: () =>
    new DomainError('INVITATION_EMAIL_MISMATCH', 'This invitation was sent to another e-mail address. Sign in with that address to accept it.', 403),
  setupDone: () => new DomainError('SETUP_DONE', 'This instance already has accounts; sign in instead.', 409),
  lastOwner: () => new DomainError('LAST_OWNER', 'This is the last owner; make someone else owner first.', 409),
};
