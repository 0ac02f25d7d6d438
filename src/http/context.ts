import type { Clock } from '../lib/clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { ModuleContext } from '../modules/context.js';
import type { WarningsCache } from '../modules/planning/warnings.cache.js';
import type { SnapshotCache } from '../modules/schedule/snapshot.cache.js';
import type { ResponseCache } from './response-cache.js';

/** What the adapters (web pages, API) are given by buildApp; passed explicitly, never global. */
export interface AppContext extends ModuleContext {
  readonly config: Config;
  readonly db: Db;
  readonly snapshots: SnapshotCache;
  readonly responses: ResponseCache;
  /** The schedule editor's warning indexes (incremental per move; see planning/warnings.cache.ts). */
  readonly planning: WarningsCache;
  /** The one clock: every "now" of modules, pages and jobs comes from it (tests set it). */
  readonly clock: Clock;
}
