import type { AddressInfo } from 'node:net';
import { buildApp, type BuildOptions, type HallwayApp } from '../../src/app.js';
import type { Clock } from '../../src/lib/clock.js';
import { loadConfig } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/database.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import type { EventDocumentInput } from '../../src/modules/schedule/event-document.schemas.js';
import { sqliteDatabase, type TestDatabase } from './databases.js';
import { moduleContext, TEST_OPERATOR } from './module-context.js';

export interface RunningApp {
  /** http://127.0.0.1:PORT of a real listening server. */
  readonly url: string;
  readonly hallway: HallwayApp;
  readonly db: Db;
  /** Every route of the app as `METHOD /url` (HEAD routes Fastify adds for GET left out), in registration order. */
  readonly routes: readonly string[];
  /** Fetches a path on the server. */
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts a real Hallway server on a loopback port over a fresh real database, with the given
 * event documents imported first.
 */
export async function startTestApp(
  options: {
    database?: TestDatabase;
    docs?: readonly EventDocumentInput[];
    renderCacheEntries?: number;
    /** Extra environment variables for loadConfig (e.g. SMTP_URL, MAIL_FROM). */
    env?: Record<string, string>;
    /** Run the background webhook dispatcher (default true, or with options); webhook tests mostly call deliverDueWebhooks. */
    webhookDispatcher?: BuildOptions['webhookDispatcher'];
    /** The app's clock (default the system clock); tests that depend on the date pass fixedClock. */
    clock?: Clock;
    /** Live updates: SQLite poll interval, SSE heartbeat, most streams (BuildOptions.live). */
    live?: BuildOptions['live'];
    /** The optimizer behind "Propose a programme" (BuildOptions.optimizer): a stand-in engine, heartbeat. */
    optimizer?: BuildOptions['optimizer'];
  } = {},
): Promise<RunningApp> {
  const { config: dbConfig, drop } = await (options.database ?? sqliteDatabase).create({ migrated: true });
  const config = loadConfig(
    { LOG_LEVEL: 'silent', ...options.env },
    { database: dbConfig, port: 0, host: '127.0.0.1', renderCacheEntries: options.renderCacheEntries ?? 500 },
  );
  const db = createDb(dbConfig);
  for (const doc of options.docs ?? []) await importEventDocument(moduleContext(db), TEST_OPERATOR, doc);
  const routes: string[] = [];
  const hallway = await buildApp(config, {
    db,
    logger: false,
    migrate: false,
    webhookDispatcher: options.webhookDispatcher,
    clock: options.clock,
    live: options.live,
    optimizer: options.optimizer,
    onRoute: (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
    },
  });
  await hallway.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = hallway.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    routes,
    hallway,
    db,
    get: (path, init) => fetch(url + path, init),
    async close() {
      await hallway.close();
      await db.destroy();
      await drop();
    },
  };
}
