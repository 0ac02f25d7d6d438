import { after, before } from 'node:test';
import { loadConfig, type Config } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/database.js';
import type { TestDatabase } from './databases.js';

/** Where module tests link to: the base URL of the configuration they run with. */
export const BASE_URL = 'https://hallway.test';

export interface ModuleEnv<C> {
  readonly db: Db;
  readonly config: Config;
  /** The module's context (configuration, clock, secret…), made from the configuration. */
  readonly ctx: C;
}

/**
 * A fresh migrated database for the enclosing describe(), its configuration, and the context a
 * module's actions take; filled in by before(), dropped by after().
 */
export function useModuleDb<C>(database: TestDatabase, contextOf: (config: Config) => C): ModuleEnv<C> {
  const env = {} as { db: Db; config: Config; ctx: C };
  let drop: () => Promise<void> = async () => {};
  before(async () => {
    const created = await database.create({ migrated: true });
    drop = created.drop;
    env.db = createDb(created.config);
    env.config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL }, { database: created.config });
    env.ctx = contextOf(env.config);
  });
  after(async () => {
    await env.db.destroy();
    await drop();
  });
  return env;
}
