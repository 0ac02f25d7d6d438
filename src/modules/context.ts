import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';

/**
 * What every module action that writes is given: the database and the app's one clock (every
 * "now" it stores comes from `clock`, so tests set the date). buildApp's AppContext satisfies it,
 * so adapters pass their `ctx` as it is; tests pass `{ db, clock }`.
 */
export interface ModuleContext {
  readonly db: Db;
  readonly clock: Clock;
}
