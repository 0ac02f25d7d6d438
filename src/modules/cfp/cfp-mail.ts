import type { Config } from '../../config.js';
import type { Trx } from '../events/event-write.queries.js';
import { enqueueMail } from '../mail/outbox.queries.js';
import type { Clock } from '../../lib/clock.js';
import { compose } from '../mail/templates.js';
import { SESSION_KIND_LABELS } from '../program/session.js';
import type { ProposalRecord } from './cfp.js';

/*
 * The mails of the call for proposals, queued in the caller's transaction (a mail exists exactly
 * when the change it reports committed): the submitter's receipt, one decision mail per accepted
 * speaker, and the co-speaker invitation (its own outbox category and limits, see cospeaker.ts).
 */

/** What the CFP actions need besides the database: where links point, the outbox, the clock. */
export interface CfpContext {
  readonly config: Pick<Config, 'baseUrl' | 'smtpUrl' | 'database'>;
  /** The app's clock (AppContext.clock). */
  readonly clock: Clock;
}

export function proposalUrl(ctx: CfpContext, proposalId: number): string {
  return `${ctx.config.baseUrl}/account/proposals/${proposalId}`;
}

export type ProposalMailKind = 'submitted' | 'accepted' | 'rejected';

/**
 * Queues one mail about `kind` per speaker of `proposal` who agreed to speak in it: the receipt
 * of a submission goes to the submitter only (co-speakers get their invitation instead), a
 * decision to the submitter and the co-speakers who accepted. Side effect: outbox rows.
 */
export async function queueProposalMails(trx: Trx, ctx: CfpContext, kind: ProposalMailKind, proposal: ProposalRecord, eventTitle: string): Promise<void> {
  const what = `"${proposal.title}" (${SESSION_KIND_LABELS[proposal.kind]}, ${proposal.durationMinutes} minutes)`;
  const link = { link: proposalUrl(ctx, proposal.id), label: 'See the proposal' };
  const to = kind === 'submitted' ? proposal.speakers.slice(0, 1) : proposal.speakers.filter((s) => s.status === 'accepted');
  const submitter = proposal.speakers[0];
  for (const s of to) {
    const hi = `Hello ${s.name ?? s.email},`;
    // Co-speakers did not submit: they are told whose proposal it is, never thanked for proposing.
    const cospeaker = s !== submitter;
    const whose = cospeaker
      ? `the proposal ${what} by ${submitter?.name ?? submitter?.email ?? 'your co-speaker'}, in which you speak,`
      : `your proposal ${what}`;
    const content =
      kind === 'submitted'
        ? compose(
            `Proposal received: ${proposal.title}`,
            hi,
            [
              `Thank you: your proposal ${what} for ${eventTitle} is in, with the code ${proposal.code}.`,
              'You can change it while the call for proposals is open and nobody has decided on it yet, or withdraw it.',
              proposal.speakers.length > 1 ? 'Each co-speaker is asked by e-mail whether they speak with you; your proposal shows their answers.' : '',
              link,
            ].filter(Boolean),
          )
        : kind === 'accepted'
          ? compose(`Accepted: ${proposal.title}`, hi, [
              `Congratulations! ${whose[0]!.toUpperCase()}${whose.slice(1)} was accepted for ${eventTitle}.`,
              'Next steps: the organizers will put it on the programme and tell you the day, time and room. Your speaker page appears when the programme is published; you can add slides and the video afterwards from your account.',
              'If you can no longer give the session, please tell the organizers soon.',
              link,
            ])
          : compose(`About your proposal: ${proposal.title}`, hi, [
              `${cospeaker ? `Thank you for offering to speak in ${what}, proposed by ${submitter?.name ?? submitter?.email ?? 'your co-speaker'},` : `Thank you for proposing ${what}`} for ${eventTitle}. We received many more good proposals than the programme has room for, and we are sorry to say this one was not selected.`,
              'We hope to see you at the event, and to read your proposals again next time.',
              link,
            ]);
    await enqueueMail(trx, ctx.config, { to: s.email, ...content }, ctx.clock);
  }
}

/** The page a co-speaker invitation's link opens (redeemed there by a POST, never by the GET). */
export const INVITATION_PATH = '/cospeaker-invitation';

/**
 * Asks `to` whether they speak in a proposal: accept (after signing in with that address) or
 * decline, also for good, without signing in. Never says whether the address has an account.
 * Side effect: one outbox row of category `cospeaker_invitation` (not counted against the
 * address's hourly account mails).
 */
export async function queueInvitationMail(
  trx: Trx,
  ctx: CfpContext,
  m: { to: string; secret: string; inviter: string; title: string; eventTitle: string },
): Promise<void> {
  const link = `${ctx.config.baseUrl}${INVITATION_PATH}?token=${encodeURIComponent(m.secret)}`;
  const content = compose(`${m.inviter} invites you to co-speak: ${m.title}`, 'Hello,', [
    `${m.inviter} proposed "${m.title}" for ${m.eventTitle} and named this address as a co-speaker.`,
    'Nothing is shown to the organizers or on the programme under your name unless you accept. To accept, open the link and sign in (or sign up) with this address. To decline, open the link: no account needed, and you can ask for no more such invitations from anyone.',
    { link, label: 'Accept or decline' },
    'If you do not know this person, decline, or ignore this mail.',
  ]);
  await enqueueMail(trx, ctx.config, { to: m.to, ...content, category: 'cospeaker_invitation' }, ctx.clock);
}
