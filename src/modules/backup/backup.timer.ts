import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { runScheduledBackup } from './backup.actions.js';

export interface BackupTimerLogger {
  info(msg: string): void;
  error(msg: string): void;
}

/** How often each server process asks whether the next scheduled backup is due. */
export const BACKUP_CHECK_MS = 60_000;

/**
 * Scheduled backups (BACKUP_DIR set): every `checkMs` each server process asks whether a backup
 * is due; the turn is claimed in the database, so of the processes sharing it one writes each
 * backup. A failed backup is logged; the next is due an interval later. Returns `stop`, which
 * cancels the timer and waits for a backup in progress. Does nothing without BACKUP_DIR.
 */
export function startBackupTimer(
  db: Db,
  config: Pick<Config, 'database' | 'backups'>,
  logger: BackupTimerLogger,
  options: { checkMs?: number; clock?: Clock } = {},
): () => Promise<void> {
  if (!config.backups) return async () => {};
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        const done = await runScheduledBackup(db, config, options.clock ?? systemClock);
        if (done) {
          logger.info(
            `backup written: ${done.file} (${(done.bytes / 1_048_576).toFixed(1)} MiB in ${done.seconds.toFixed(2)} s)${done.pruned.length ? `; deleted ${done.pruned.length} older` : ''}`,
          );
        }
      } catch (err) {
        logger.error(`scheduled backup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    })().finally(() => (running = undefined));
  };
  const timer = setInterval(tick, options.checkMs ?? BACKUP_CHECK_MS);
  timer.unref();
  // The first look soon after start-up (a backup is due at once when none was ever made).
  const first = setTimeout(tick, Math.min(options.checkMs ?? BACKUP_CHECK_MS, 5_000));
  first.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    clearTimeout(first);
    await running;
  };
}
