import type { Generated, Selectable } from 'kysely';

export interface MailOutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** JSON array of { filename, contentType, content (base64) }. */
  attachments: Generated<string>;
  /** queued | sent | failed | kept (no SMTP configured: kept for administrators to read) */
  status: string;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export type MailRow = Selectable<MailOutboxTable>;
