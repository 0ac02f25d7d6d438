import type { Db } from '../../db/database.js';
import { compiledOnce } from '../../db/compiled-query.js';

/*
 * When API tokens were last used, written in batches instead of on the request that used them:
 * an UPDATE of its own would make every first call of a minute a write transaction (on SQLite a
 * commit of its own through the one connection, queued with everyone's RSVPs). A use is noted in
 * memory and written, together with every other use noted meanwhile, WRITE_DELAY_MS later or
 * when the app closes. This process shows its not yet written uses on the account page, so the
 * value shown stays as precise as before; a crash loses at most WRITE_DELAY_MS of marks, which
 * are informational only.
 */

/** How long a noted use waits before it is written (with the uses noted meanwhile). */
export const WRITE_DELAY_MS = 5_000;

interface PendingUses {
  /** Token id → when it was used (storage form), not yet written. */
  readonly uses: Map<number, string>;
  timer: NodeJS.Timeout | undefined;
}

/** Per database, so that several apps in one process (tests) keep theirs apart. */
const pendingByDb = new WeakMap<Db, PendingUses>();

/** Tokens per UPDATE: a fixed number of ids (unused places hold 0, never an id), so one statement text. */
const BATCH = 100;

const setLastUsed = compiledOnce<[at: string, ...tokenIds: number[]], never>(1 + BATCH, (db, m) =>
  db.updateTable('api_tokens').set({ last_used_at: m[0]! }).where('id', 'in', m.slice(1)),
);

/** Notes that the token was used at `at`; written within WRITE_DELAY_MS (see above). */
export function noteApiTokenUse(db: Db, tokenId: number, at: string): void {
  let pending = pendingByDb.get(db);
  if (!pending) pendingByDb.set(db, (pending = { uses: new Map(), timer: undefined }));
  if (!pending.uses.has(tokenId)) pending.uses.set(tokenId, at);
  // unref: a pending mark never keeps a CLI command or test process alive; close() writes it.
  pending.timer ??= setTimeout(() => {
    writeApiTokenUses(db).catch((err: Error) => process.emitWarning(`API token last use not written: ${err.message}`));
  }, WRITE_DELAY_MS).unref();
}

/** A use of the token noted but not yet written, if any. */
export function unwrittenApiTokenUse(db: Db, tokenId: number): string | undefined {
  return pendingByDb.get(db)?.uses.get(tokenId);
}

/** Writes the noted uses now, in one transaction (the timer does this; app close calls it). */
export async function writeApiTokenUses(db: Db): Promise<void> {
  const pending = pendingByDb.get(db);
  if (!pending) return;
  clearTimeout(pending.timer);
  pending.timer = undefined;
  if (pending.uses.size === 0) return;
  const uses = [...pending.uses];
  // Uses share their instant (to the second) in a busy moment: one UPDATE per instant and BATCH tokens.
  const byInstant = new Map<string, number[]>();
  for (const [tokenId, at] of uses) {
    const ids = byInstant.get(at);
    if (ids) ids.push(tokenId);
    else byInstant.set(at, [tokenId]);
  }
  await db.transaction().execute(async (trx) => {
    for (const [at, ids] of byInstant) {
      for (let i = 0; i < ids.length; i += BATCH) {
        const batch = ids.slice(i, i + BATCH);
        await setLastUsed(trx, [at, ...batch, ...new Array<number>(BATCH - batch.length).fill(0)]);
      }
    }
  });
  // Dropped only once written: a use noted meanwhile for the same token waits for the next write.
  for (const [tokenId, at] of uses) if (pending.uses.get(tokenId) === at) pending.uses.delete(tokenId);
}
