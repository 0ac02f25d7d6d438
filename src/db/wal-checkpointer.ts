import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * SQLite in WAL mode copies the log back into the database file (a checkpoint) from inside the
 * commit that crosses wal_autocheckpoint pages, and with synchronous=NORMAL that checkpoint
 * fsyncs the log and the database file. On the one connection a server process has, that commit
 * then blocks the event loop for the fsyncs: measured under an RSVP rush, 1 commit in 100 took
 * 5–25 ms and those stalls were two thirds of all commit time.
 *
 * So a server checkpoints from a worker thread with its own connection to the file: a PASSIVE
 * checkpoint (it never blocks the writer, and costs next to nothing when every frame is already
 * copied) every CHECKPOINT_EVERY_MS. The main connection keeps an automatic checkpoint as a backstop, at a higher
 * threshold (MAIN_AUTOCHECKPOINT_PAGES): the log restarts from its beginning only after a
 * checkpoint that copied every frame, which the worker rarely achieves under steady writes, so
 * the backstop bounds the log's size; by then the worker has copied nearly every frame, so the
 * backstop's own checkpoint is short.
 */

const CHECKPOINT_EVERY_MS = 100;

/** The main connection's backstop, in pages (4 KiB): ~40 MiB of log. */
export const MAIN_AUTOCHECKPOINT_PAGES = 10_000;

/** The worker's code, CommonJS (an eval'd worker): opens the file and checkpoints on a timer. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('wal_autocheckpoint = 0');
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // SQLITE_BUSY: another checkpoint runs (the backstop); the next tick tries again.
    if (!String(err && err.code).startsWith('SQLITE_BUSY')) parentPort.postMessage({ error: String(err && err.message) });
  }
};
const timer = setInterval(tick, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export interface WalCheckpointer {
  /** Stops the worker and closes its connection (the main connection's close does the last checkpoint). */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `filename` (an SQLite database already in WAL mode) from a worker thread.
 * Errors other than a busy database are reported through `onError` (the worker goes on).
 */
export function startWalCheckpointer(
  filename: string,
  onError: (message: string) => void = (m) => process.emitWarning(`SQLite checkpoint: ${m}`),
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, filename, everyMs: CHECKPOINT_EVERY_MS } });
  // Never keeps the process alive on its own.
  worker.unref();
  worker.on('message', (m: { error?: string }) => m.error && onError(m.error));
  worker.on('error', (err) => onError(err.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Waiting for the exit must keep the process alive until it comes.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
