import type { Config } from '../../config.js';
import type { Trx } from '../events/event-write.queries.js';
import { enqueueMail } from '../mail/outbox.queries.js';
import { isoInstant } from '../mail/mail.js';
import { compose } from '../mail/templates.js';
import { SESSION_KIND_LABELS } from '../program/session.js';
import type { ProposalRecord } from './cfp.js';

/*
 * The mails of the call for proposals, queued in the caller's transaction (a mail exists exactly
 * when the change it reports committed): one per speaker address, so co-speakers hear of their
 * proposal too.
 */

/** What the CFP actions need besides the database: where links point, the outbox, the clock. */
export interface CfpContext {
  readonly config: Pick<Config, 'baseUrl' | 'smtpUrl' | 'database'>;
  /** Tests pin time; defaults to the system clock. */
  readonly now?: () => Date;
}

/** Now in the stored instant form. */
export function cfpNow(ctx: CfpContext): string {
  return isoInstant(ctx.now ? ctx.now() : new Date());
}

export function proposalUrl(ctx: CfpContext, proposalId: number): string {
  return `${ctx.config.baseUrl}/account/proposals/${proposalId}`;
}

export type ProposalMailKind = 'submitted' | 'accepted' | 'rejected';

/** Queues one mail per speaker of `proposal` about `kind`. Side effect: outbox rows. */
export async function queueProposalMails(trx: Trx, ctx: CfpContext, kind: ProposalMailKind, proposal: ProposalRecord, eventTitle: string): Promise<void> {
  const what = `"${proposal.title}" (${SESSION_KIND_LABELS[proposal.kind]}, ${proposal.durationMinutes} minutes)`;
  const link = { link: proposalUrl(ctx, proposal.id), label: 'See the proposal' };
  for (const s of proposal.speakers) {
    const hi = `Hello ${s.name ?? s.email},`;
    const content =
      kind === 'submitted'
        ? compose(`Proposal received: ${proposal.title}`, hi, [
            `Thank you: your proposal ${what} for ${eventTitle} is in, with the code ${proposal.code}.`,
            s.userId === proposal.submittedBy
              ? 'You can change it while the call for proposals is open and nobody has decided on it yet, or withdraw it.'
              : 'You are named as a co-speaker. Sign in with this address to see the proposal under your proposals.',
            link,
          ])
        : kind === 'accepted'
          ? compose(`Accepted: ${proposal.title}`, hi, [
              `Congratulations! Your proposal ${what} was accepted for ${eventTitle}.`,
              'Next steps: the organizers will put it on the programme and tell you the day, time and room. Your speaker page appears when the programme is published; you can add slides and the video afterwards from your account.',
              'If you can no longer give the session, please tell the organizers soon.',
              link,
            ])
          : compose(`About your proposal: ${proposal.title}`, hi, [
              `Thank you for proposing ${what} for ${eventTitle}. We received many more good proposals than the programme has room for, and we are sorry to say this one was not selected.`,
              'We hope to see you at the event, and to read your proposals again next time.',
              link,
            ]);
    await enqueueMail(trx, ctx.config, { to: s.email, ...content });
  }
}
