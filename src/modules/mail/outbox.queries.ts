import type { Config } from '../../config.js';
import { compiledOnce } from '../../db/compiled-query.js';
import type { Db } from '../../db/database.js';
import { storedInstant, systemClock, type Clock } from '../../lib/clock.js';
import { MAX_ATTEMPTS, notifyMailEnqueued, type MailCategory, type MailMessage, type MailStatus } from './mail.js';

/** The configuration enqueueMail reads: whether SMTP is set up, and which database this is. */
export type OutboxConfig = Pick<Config, 'smtpUrl' | 'database'>;

/**
 * Puts a mail in the outbox, inside the caller's transaction when given one (so a mail is
 * queued exactly when the change that caused it commits). Status is `queued` when SMTP_URL is
 * set, else `kept` (an administrator reads it with listOutbox; a running mail sender logs
 * "mail kept in outbox: to=… subject=…"). Pokes a mail sender running in this process.
 * Side effects: one mail_outbox row. Throws nothing of its own.
 */
export async function enqueueMail(
  db: Db,
  config: OutboxConfig,
  message: MailMessage,
  clock: Clock = systemClock,
): Promise<{ id: number; status: 'queued' | 'kept' }> {
  const status = config.smtpUrl ? 'queued' : 'kept';
  const attachments = (message.attachments ?? []).map((a) => ({
    filename: a.filename,
    contentType: a.contentType,
    content: (typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content).toString('base64'),
  }));
  const [row] = await insertMail(db, [
    message.to,
    message.subject.replace(/[\r\n]+/g, ' ').slice(0, 300),
    message.text,
    message.html ?? null,
    JSON.stringify(attachments),
    status,
    clock.instant(),
    message.category ?? 'general',
  ]);
  notifyMailEnqueued({ database: config.database, id: row!.id, to: message.to, subject: message.subject, status });
  return { id: row!.id, status };
}

/** Every RSVP queues a mail in its transaction: compiled once. */
const insertMail = compiledOnce<
  [to: string, subject: string, text: string, html: string | null, attachments: string, status: MailStatus, createdAt: string, category: MailCategory],
  { id: number }
>(8, (db, m) =>
  db
    .insertInto('mail_outbox')
    .values({ to_address: m[0]!, subject: m[1]!, text_body: m[2]!, html_body: m[3]!, attachments: m[4]!, status: m[5]!, created_at: m[6]!, category: m[7]! })
    .returning('id'),
);

export interface OutboxEntry {
  readonly id: number;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  readonly attachmentNames: readonly string[];
  readonly status: MailStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  /** When sent; for `sending`/`failed` rows, the last attempt. */
  readonly sentAt: string | null;
}

/**
 * The newest outbox entries, newest first, for the administrators' outbox page (callers check
 * canAdministerSite: bodies contain one-time links). Optionally only one status.
 */
export async function listOutbox(db: Db, options: { limit?: number; status?: MailStatus } = {}): Promise<OutboxEntry[]> {
  let q = db
    .selectFrom('mail_outbox')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(options.limit ?? 50, 1), 1000));
  if (options.status) q = q.where('status', '=', options.status);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    attachmentNames: (JSON.parse(r.attachments) as { filename: string }[]).map((a) => a.filename),
    status: r.status as MailStatus,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }));
}

/**
 * How many mails were put in the outbox for this address since `since` (throttling the account
 * mails). Co-speaker invitations are not counted: they have their own limits, and other people
 * send them, so they must never hold back a person's password reset or sign-in link.
 */
export async function countRecentMail(db: Db, to: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('to_address', '=', to)
    .where('created_at', '>=', storedInstant(since))
    .where('category', '<>', 'cospeaker_invitation')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Deletes every outbox row addressed to `to` (account deletion). Returns how many. */
export async function deleteMailTo(db: Db, to: string): Promise<number> {
  const r = await db.deleteFrom('mail_outbox').where('to_address', '=', to).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** What waits in the outbox (the metrics): unsent mails by status, and when the oldest one still to be sent was queued. */
export interface OutboxBacklog {
  readonly queued: number;
  readonly sending: number;
  /** Failed rows, retried or given up on (attempts = MAX_ATTEMPTS). */
  readonly failed: number;
  /** created_at of the oldest mail a sender will still try (queued, sending, or failed with attempts left); null when none. */
  readonly oldestUnsentAt: string | null;
}

/** Reads the outbox's backlog through its (status, id) index: sent and kept mails are not counted. */
export async function outboxBacklog(db: Db): Promise<OutboxBacklog> {
  const rows = await db
    .selectFrom('mail_outbox')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['queued', 'sending', 'failed'])
    .groupBy('status')
    .execute();
  const oldest = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.min('created_at').as('at'))
    .where((eb) => eb.or([eb('status', 'in', ['queued', 'sending']), eb.and([eb('status', '=', 'failed'), eb('attempts', '<', MAX_ATTEMPTS)])]))
    .executeTakeFirst();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { queued: count('queued'), sending: count('sending'), failed: count('failed'), oldestUnsentAt: (oldest?.at as string | null | undefined) ?? null };
}
