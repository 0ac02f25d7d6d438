import type { Generated, Selectable } from 'kysely';

export interface MailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** JSON array of { filename, contentType, content (base64) }. */
  attachments: Generated<string>;
  /**
   * queued | sending | sent | failed | kept (no SMTP configured: kept for administrators to read).
   * `failed` with attempts < MAX_ATTEMPTS is retried after a back-off; at MAX_ATTEMPTS it is final.
   */
  status: string;
  /** Delivery attempts started so far (incremented when a sender claims the row). */
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  /**
   * When the mail was sent. While a row is `sending` or `failed` it holds the time of the last
   * attempt instead: the back-off and the recovery of abandoned claims are computed from it.
   */
  sent_at: string | null;
  /**
   * general | cospeaker_invitation. Co-speaker invitations have their own limits (cfp module) and
   * are not counted by countRecentMail, so they never hold back a person's account mails.
   */
  category: Generated<string>;
}

export type MailRow = Selectable<MailOutboxTable>;
