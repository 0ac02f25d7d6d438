import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import type { MailLogger } from '../mail/mail.js';
import { sendDueReminders } from './reminder.actions.js';
import { registrationContext, type RegistrationContext } from './rsvp.queries.js';

/** How often each server process looks for reminders now due. */
export const REMINDER_INTERVAL_MS = 5 * 60_000;

/**
 * Runs `sendDueReminders` every REMINDER_INTERVAL_MS (the first run a little after start-up), in
 * every server process: reminders are claimed in the database (rsvp_reminders), so processes
 * never send one twice. A failed run is logged and retried at the next tick. Returns `stop`,
 * which cancels the timer and waits for a run in progress.
 */
export function startReminderTimer(
  db: Db,
  config: Config,
  logger: MailLogger,
  options: { intervalMs?: number; firstRunMs?: number; clock?: Clock } = {},
): () => Promise<void> {
  const interval = options.intervalMs ?? REMINDER_INTERVAL_MS;
  let ctx: RegistrationContext | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    running = (async () => {
      try {
        ctx ??= await registrationContext(db, config, options.clock ?? systemClock);
        const n = await sendDueReminders(db, ctx);
        if (n > 0) logger.info(`Queued ${n} reminder mail${n === 1 ? '' : 's'}`);
      } catch (err) {
        logger.error(`Reminder run failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    void running.finally(() => {
      running = undefined;
      if (!stopped) schedule(interval);
    });
  };
  const schedule = (ms: number) => {
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  schedule(options.firstRunMs ?? 30_000);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
