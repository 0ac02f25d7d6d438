import type { Clock } from '../lib/clock.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { ModuleContext } from '../modules/context.js';
import type { LiveHub } from '../modules/live/live-hub.js';
import type { OptimizerRuns } from '../modules/planning/optimizer-runs.js';
import type { WarningsCache } from '../modules/planning/warnings.cache.js';
import type { SnapshotCache } from '../modules/schedule/snapshot.cache.js';
import type { EventStreams } from './event-stream.js';
import type { ResponseCache } from './response-cache.js';

/** What the adapters (web pages, API) are given by buildApp; passed explicitly, never global. */
export interface AppContext extends ModuleContext {
  readonly config: Config;
  readonly db: Db;
  readonly snapshots: SnapshotCache;
  readonly responses: ResponseCache;
  /** Tells this process's live connections about releases and draft changes, from every process (modules/live). */
  readonly live: LiveHub;
  /** The open Server-Sent Events streams (ended at shutdown). */
  readonly streams: EventStreams;
  /** The schedule editor's warning indexes (incremental per move; see planning/warnings.cache.ts). */
  readonly planning: WarningsCache;
  /** The optimizer runs this process started (worker threads; see planning/optimizer-runs.ts). */
  readonly optimizer: OptimizerRuns;
  /** The one clock: every "now" of modules, pages and jobs comes from it (tests set it). */
  readonly clock: Clock;
}
