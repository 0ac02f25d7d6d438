import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDb, type Db } from '../../src/db/database.js';
import { FAILED_PASSWORD_LIMIT } from '../../src/modules/accounts/account.actions.js';
import { AUTH_RATE_LIMITS } from '../../src/web/account/rate-limits.js';
import { createTestUser } from '../factories/users.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { startServers, type RunningServers } from '../support/processes.js';
import { WebClient } from '../support/web-client.js';

/*
 * Security review (issue 11, item 8): the sign-in limits used to be counted in each process's
 * memory, so two processes allowed twice the guesses. Two real server processes share one
 * database here and the guesses alternate between them: the limits hold for the pair.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`sign-in limits across two server processes on one ${database.name} database`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let servers: RunningServers | undefined;
    let bases: readonly string[] = [];

    before(async () => {
      const created = await database.create({ migrated: true });
      drop = created.drop;
      db = createDb(created.config);
      const url = created.config.kind === 'sqlite' ? `sqlite:${created.config.filename}` : created.config.url;
      servers = await startServers(url, 2, { TRUST_PROXY: 'true', SECRET_KEY: 'k'.repeat(40) });
      bases = servers.bases;
    });
    after(async () => {
      await servers?.stop();
      await db?.destroy();
      await drop?.();
    });

    /** Signs in at the two processes in turn, all from client IP `ip`; the statuses in order. */
    async function alternate(ip: string, attempts: Array<{ email: string; password: string }>): Promise<number[]> {
      const clients = bases.map((b) => new WebClient(b, { 'x-forwarded-for': ip }));
      const out: number[] = [];
      for (const [i, a] of attempts.entries()) out.push((await clients[i % 2]!.submit('/sign-in', '/sign-in', a)).status);
      return out;
    }

    test(`one client IP gets ${AUTH_RATE_LIMITS.signIn.max} sign-in attempts in all, not per process`, async () => {
      const max = AUTH_RATE_LIMITS.signIn.max;
      const attempts = Array.from({ length: max + 2 }, (_, i) => ({ email: `guess${i}@example.org`, password: `guess ${i}` }));
      assert.deepEqual(await alternate('203.0.113.10', attempts), [...Array(max).fill(401), 429, 429]);
      assert.deepEqual(await alternate('203.0.113.11', attempts.slice(0, 1)), [401], 'another client IP is not limited');
    });

    test(`one account gets ${FAILED_PASSWORD_LIMIT.max} wrong passwords in all, from any IP and either process`, async () => {
      await createTestUser(db, { email: 'target@example.org' });
      const max = FAILED_PASSWORD_LIMIT.max;
      const statuses: number[] = [];
      for (let i = 0; i <= max; i++) {
        const c = new WebClient(bases[i % 2]!, { 'x-forwarded-for': `203.0.113.${20 + i}` });
        statuses.push((await c.submit('/sign-in', '/sign-in', { email: 'target@example.org', password: `wrong ${i}` })).status);
      }
      assert.deepEqual(statuses, [...Array(max).fill(401), 429]);
    });
  });
}
