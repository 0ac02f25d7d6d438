import type { DatabaseConfig } from '../../config.js';

/*
 * Outbox rules shared by enqueueing and sending: statuses, the retry limit and back-off, and the
 * in-process signal that lets a running mail sender react at once to newly queued mail.
 */

/** Outbox row statuses; see MailOutboxTable.status. */
export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'failed', 'kept'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** A mail is tried at most this many times; then it stays `failed` for an administrator to see. */
export const MAX_ATTEMPTS = 5;

/** A `sending` row older than this was abandoned by a crashed process and may be retried. */
export const ABANDONED_CLAIM_MS = 30 * 60_000;

/** Wait after the n-th failed attempt: 1, 4, 16, 64 minutes. */
export function retryDelayMs(attempts: number): number {
  return 60_000 * 4 ** Math.max(0, attempts - 1);
}

export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  /** Raw bytes, or text (stored as UTF-8). */
  readonly content: Buffer | string;
}

/** A mail as callers hand it to enqueueMail. */
export interface MailMessage {
  /** One address. */
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Optional HTML alternative; callers escape user text (see escapeHtml in templates.ts). */
  readonly html?: string | null;
  readonly attachments?: readonly MailAttachment[];
  /** Default `general`; see MailOutboxTable.category. */
  readonly category?: MailCategory;
}

export type MailCategory = 'general' | 'cospeaker_invitation';

/** What the mail sender needs to log: a pino or Fastify logger fits. */
export interface MailLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** What a mail sender hears about a newly enqueued mail. */
export interface EnqueuedMail {
  readonly database: DatabaseConfig;
  readonly id: number;
  readonly to: string;
  readonly subject: string;
  readonly status: 'queued' | 'kept';
}

type Listener = (mail: EnqueuedMail) => void;
const listeners = new Set<Listener>();

/**
 * Subscribes to mail enqueued by this process (any database; compare `mail.database`).
 * Returns the unsubscribe function. Used by startMailSender only.
 */
export function onMailEnqueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells running mail senders in this process about a new outbox row (called by enqueueMail). */
export function notifyMailEnqueued(mail: EnqueuedMail): void {
  for (const l of listeners) l(mail);
}

/** Whether two database configs name the same database (a sender only reacts to its own). */
export function sameDatabase(a: DatabaseConfig, b: DatabaseConfig): boolean {
  return a.kind === 'sqlite' ? b.kind === 'sqlite' && a.filename === b.filename : b.kind === 'postgres' && a.url === b.url;
}
