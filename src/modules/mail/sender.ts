import { createTransport, type Transporter } from 'nodemailer';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { MailRow } from './mail.table.js';
import { storedInstant, systemClock, type Clock } from '../../lib/clock.js';
import { ABANDONED_CLAIM_MS, MAX_ATTEMPTS, onMailEnqueued, retryDelayMs, sameDatabase, type MailLogger } from './mail.js';

/** How many due mails one sendQueuedMail run delivered and how many failed. */
export interface SendResult {
  readonly sent: number;
  readonly failed: number;
}

/** Rows a sender may try now: queued; failed and past their back-off; or abandoned while sending. */
function dueRows(db: Db, now: Date, limit: number) {
  const before = (ms: number) => storedInstant(new Date(now.getTime() - ms));
  return db
    .selectFrom('mail_outbox')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('status', '=', 'queued'),
        ...Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) =>
          eb.and([eb('status', '=', 'failed'), eb('attempts', '=', i + 1), eb('sent_at', '<=', before(retryDelayMs(i + 1)))]),
        ),
        eb.and([eb('status', '=', 'sending'), eb('attempts', '<', MAX_ATTEMPTS), eb('sent_at', '<=', before(ABANDONED_CLAIM_MS))]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Claims a row for this process: succeeds only if nobody changed it since it was read (same status
 * and attempts), so two processes never send the same mail. Counts the attempt.
 */
async function claim(db: Db, row: MailRow, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('mail_outbox')
    .set({ status: 'sending', attempts: row.attempts + 1, sent_at: storedInstant(now) })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .where('attempts', '=', row.attempts)
    .where('status', 'in', ['queued', 'failed', 'sending'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Sends due outbox rows through `transport` (nodemailer), oldest first, up to `limit`.
 * Side effects: each row claimed (`sending`, attempts + 1) and then marked `sent` (sent_at) or
 * `failed` (last_error; retried after retryDelayMs until MAX_ATTEMPTS). Never throws for a
 * failed delivery; `kept` rows are never sent.
 */
export async function sendQueuedMail(
  db: Db,
  config: Pick<Config, 'mailFrom'>,
  transport: Transporter,
  options: { clock?: Clock; now?: Date; limit?: number } = {},
): Promise<SendResult> {
  const clock = options.clock ?? systemClock;
  const now = options.now ?? clock.now();
  let sent = 0;
  let failed = 0;
  for (const row of await dueRows(db, now, options.limit ?? 50)) {
    if (!(await claim(db, row, now))) continue;
    try {
      await transport.sendMail({
        from: config.mailFrom,
        to: row.to_address,
        subject: row.subject,
        text: row.text_body,
        ...(row.html_body ? { html: row.html_body } : {}),
        attachments: (JSON.parse(row.attachments) as { filename: string; contentType: string; content: string }[]).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.content, 'base64'),
        })),
      });
      await db.updateTable('mail_outbox').set({ status: 'sent', sent_at: clock.instant(), last_error: null }).where('id', '=', row.id).execute();
      sent++;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await db
        .updateTable('mail_outbox')
        .set({ status: 'failed', last_error: message.slice(0, 1000) })
        .where('id', '=', row.id)
        .execute();
      failed++;
    }
  }
  return { sent, failed };
}

export interface MailSenderOptions {
  /** How often to look for due mail besides being poked by enqueueMail (default 5 s). */
  readonly intervalMs?: number;
  /** Use this transport instead of createTransport(config.smtpUrl). */
  readonly transport?: Transporter;
  /** The app's clock (default the system clock). */
  readonly clock?: Clock;
}

/**
 * Starts the background mail sender for this process and returns `stop` (waits for a send in
 * progress, then closes the SMTP connection). With SMTP_URL it sends due mail every few seconds
 * and shortly after any enqueueMail in this process; without it, it logs each kept mail as
 * "mail kept in outbox: to=… subject=…". Several processes may run one on the same database.
 */
export function startMailSender(db: Db, config: Config, logger: MailLogger, options: MailSenderOptions = {}): () => Promise<void> {
  if (!config.smtpUrl && !options.transport) {
    logger.info('SMTP_URL is not set: mail is kept in the outbox for administrators to read');
    const off = onMailEnqueued((m) => {
      if (m.status === 'kept' && sameDatabase(m.database, config.database)) logger.info(`mail kept in outbox: to=${m.to} subject=${m.subject}`);
    });
    return async () => void off();
  }
  const transport = options.transport ?? createTransport(config.smtpUrl);
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let poke: NodeJS.Timeout | null = null;

  const tick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const r = await sendQueuedMail(db, config, transport, { clock: options.clock });
          if (r.sent) logger.info(`mail sent: ${r.sent}`);
          if (r.failed) logger.warn(`mail failed: ${r.failed} (will be retried; see the outbox)`);
        } catch (err) {
          logger.error(`mail sender: ${err instanceof Error ? err.message : String(err)}`);
        }
      } while (again && !stopped);
    })().finally(() => (running = null));
    return running;
  };

  const timer = setInterval(() => void tick(), options.intervalMs ?? 5000);
  timer.unref();
  const off = onMailEnqueued((m) => {
    if (m.status !== 'queued' || !sameDatabase(m.database, config.database) || poke) return;
    // Enqueueing may happen inside a transaction that has not committed yet: wait a moment.
    poke = setTimeout(() => {
      poke = null;
      void tick();
    }, 50);
  });
  void tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    if (poke) clearTimeout(poke);
    off();
    await running;
    if (!options.transport) transport.close();
  };
}
