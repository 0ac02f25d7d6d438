import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { countRecentMail } from '../mail/outbox.queries.js';
import { DAY_MS, HOUR_MS, systemClock, type Clock } from '../../lib/clock.js';

/** How long each kind of one-time link works. */
export const TOKEN_TTL_MS = {
  verifyEmail: 48 * HOUR_MS,
  resetPassword: HOUR_MS,
  signInByMail: HOUR_MS,
  /** Printed by `hallway admin create`. */
  signInForAdmin: DAY_MS,
  setup: DAY_MS,
  invitation: 7 * DAY_MS,
} as const;

/**
 * At most this many mails an hour to one address from the account actions that anyone can
 * trigger with just an address (sign-up, sign-in link, password reset): beyond it they are
 * silently skipped, with the same answer to the caller, so the form cannot be used to flood
 * someone's inbox.
 */
export const ACCOUNT_MAILS_PER_HOUR = 5;

/** False when the address already got ACCOUNT_MAILS_PER_HOUR mails in the last hour. */
export async function mayMail(db: Db, email: string, clock: Clock = systemClock): Promise<boolean> {
  return (await countRecentMail(db, email, new Date(clock.now().getTime() - HOUR_MS))) < ACCOUNT_MAILS_PER_HOUR;
}

/** An absolute link to a page that redeems a one-time token: `${BASE_URL}${path}?token=…`. */
export function tokenLink(config: Pick<Config, 'baseUrl'>, path: string, token: string): string {
  return `${config.baseUrl}${path}?token=${encodeURIComponent(token)}`;
}

/** The pages that redeem each link (built by the web layer). */
export const LINK_PATHS = {
  verifyEmail: '/verify-email',
  resetPassword: '/reset-password',
  signIn: '/sign-in/link',
  setup: '/setup',
  invitation: '/invitations/accept',
  /** Plain pages linked from mails. */
  signInPage: '/sign-in',
  forgotPasswordPage: '/forgot-password',
} as const;
