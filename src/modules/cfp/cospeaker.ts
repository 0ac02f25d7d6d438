/*
 * Co-speakers' consent, as pure rules. A submitter names co-speakers by address; each is
 * `pending` until they answer the invitation: `accepted` makes them a speaker of the proposal
 * (they see it, appear on the programme, do not review it), `declined` never does. Nothing a
 * submitter gets back says whether an address has an account: the list shows the address as
 * typed and the invitation's state, and a name only once that person accepted.
 */

export const COSPEAKER_STATUSES = ['pending', 'accepted', 'declined'] as const;
export type CospeakerStatus = (typeof COSPEAKER_STATUSES)[number];

export const COSPEAKER_STATUS_LABELS: Record<CospeakerStatus, string> = { pending: 'invited, no answer yet', accepted: 'accepted', declined: 'declined' };

/** The window the invitation limits count over. */
export const INVITATION_WINDOW_MS = 24 * 60 * 60_000;

/**
 * Co-speakers one person may add (across all their proposals) per INVITATION_WINDOW_MS; beyond,
 * the change is refused (RATE_LIMITED). Counted in the database, so it holds across processes.
 */
export const INVITATIONS_PER_SENDER = 20;

/**
 * Invitation mails one address receives per INVITATION_WINDOW_MS, whoever sends them; beyond, the
 * co-speaker is still listed (pending) but not mailed: they find the invitation under their
 * proposals once they sign in with that address.
 */
export const INVITATION_MAILS_PER_RECIPIENT = 3;

/** What becomes of a newly added co-speaker. */
export type InvitationOutcome = 'mail' | 'quiet' | 'opted_out';

/** The rule for one newly added address: opted out → declined at once; over the recipient's limit → pending without a mail. */
export function invitationOutcome(optedOut: boolean, mailsInWindow: number): InvitationOutcome {
  if (optedOut) return 'opted_out';
  return mailsInWindow >= INVITATION_MAILS_PER_RECIPIENT ? 'quiet' : 'mail';
}
