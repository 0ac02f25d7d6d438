import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/database.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { createApiToken } from '../../src/modules/accounts/api-token.actions.js';
import { rowCounts } from '../../src/modules/backup/backup.queries.js';
import { testDatabases } from '../support/databases.js';
import { hallwayCli as hallway, startServers, type RunningServers } from '../support/processes.js';
import { compiledCli } from '../support/compiled-cli.js';

/*
 * `hallway backup` / `hallway restore` (issue 19), on SQLite and PostgreSQL: a backup taken while
 * a server takes RSVPs over HTTP restores into an empty database with every RSVP confirmed before
 * the backup started; restores refuse a database holding data (unless --force), a damaged,
 * foreign or unknown file and the other kind of database, changing nothing, with exit code 2;
 * a backup to a place it cannot write fails the same way and leaves nothing behind.
 */

const EVENTS = 8;
const PEOPLE = 300;
const NOW = '2027-01-01T00:00:00Z';

function urlOf(config: DatabaseConfig): string {
  return config.kind === 'sqlite' ? `sqlite:${config.filename}` : config.url;
}

/** Events open for RSVPs and people with API tokens (each person may RSVP once to each event: EVENTS × PEOPLE writes). */
async function seed(db: Db): Promise<{ slugs: string[]; tokens: string[] }> {
  const c = await db.insertInto('communities').values({ slug: 'bk', name: 'Backups', url: null, created_at: NOW }).returning('id').executeTakeFirstOrThrow();
  const slugs: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const slug = `bk-meetup-${i}`;
    await db
      .insertInto('events')
      .values({
        community_id: c.id,
        slug,
        kind: 'meetup',
        title: `Backup meetup ${i}`,
        acronym: 'bk',
        time_zone: 'Europe/Berlin',
        start_date: '2099-05-01',
        end_date: '2099-05-01',
        venue_url: null,
        code_of_conduct_url: null,
        url: null,
        capacity: null,
        published: 1,
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
    slugs.push(slug);
  }
  const rows = Array.from({ length: PEOPLE }, (_, k) => ({
    email: `p${k}@backup.example`,
    email_verified_at: NOW,
    password_hash: null,
    display_name: `Person ${k}`,
    is_admin: 0,
    created_at: NOW,
    updated_at: NOW,
  }));
  const people = await db.insertInto('users').values(rows).returning(['id', 'display_name']).execute();
  const tokens: string[] = [];
  for (const p of people) {
    const actor: Actor = { userId: p.id, displayName: p.display_name, isAdmin: false, emailVerified: true, grants: [] };
    tokens.push((await createApiToken(db, actor, 'backup test')).token);
  }
  return { slugs, tokens };
}

/** Runs `hallway <args>` and notes when it started (for the writes confirmed before it). */
function cliStarted(
  args: string[],
  env: Record<string, string>,
): { startedAt: number; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [compiledCli(), ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return { startedAt, done: new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr }))) };
}

for (const database of testDatabases) {
  describe(`hallway backup and restore on ${database.name}`, () => {
    let source: { config: DatabaseConfig; drop: () => Promise<void> };
    let dir: string;
    let backupFile: string;
    const env = () => ({ DATABASE_URL: urlOf(source.config) });
    /** Fresh empty databases made by the tests, dropped at the end. */
    const made: (() => Promise<void>)[] = [];
    const emptyDatabase = async () => {
      const d = await database.create();
      made.push(d.drop);
      return d.config;
    };
    const counts = async (config: DatabaseConfig) => {
      const db = createDb(config);
      try {
        return await rowCounts(db);
      } finally {
        await db.destroy();
      }
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hallway-backup-'));
      source = await database.create({ migrated: true });
      backupFile = join(dir, `during-load.${database.name === 'sqlite' ? 'sqlite' : 'pgdump'}`);
    });
    after(async () => {
      for (const drop of made) await drop();
      await source?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a backup taken during a load of RSVPs restores into an empty database with every RSVP confirmed before it started', async () => {
      const db = createDb(source.config);
      const { slugs, tokens } = await seed(db);
      await db.destroy();
      let servers: RunningServers | undefined;
      try {
        servers = await startServers(urlOf(source.config), 1);
        const base = servers.bases[0]!;
        // Every (person, event) pair once, by 6 concurrent clients; each confirmed RSVP noted with when its answer came.
        const jobs = slugs.flatMap((slug) => tokens.map((token, person) => ({ slug, token, person })));
        const confirmed: { slug: string; person: number; at: number }[] = [];
        let next = 0;
        let stop = false;
        const client = async () => {
          while (!stop && next < jobs.length) {
            const job = jobs[next++]!;
            const r = await fetch(`${base}/api/v1/me/events/${job.slug}/rsvp`, {
              method: 'PUT',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${job.token}` },
              body: '{"attending":true}',
            });
            assert.equal(r.status, 200, await r.text());
            await r.arrayBuffer().catch(() => undefined);
            confirmed.push({ slug: job.slug, person: job.person, at: performance.now() });
          }
        };
        const load = Promise.all(Array.from({ length: 6 }, client));
        // Writes flow: start the backup once 100 are confirmed, and stop the load when it is done.
        while (confirmed.length < 100) await new Promise((r) => setImmediate(r));
        const backup = cliStarted(['backup', backupFile], env());
        const result = await backup.done;
        const endedAt = performance.now();
        stop = true;
        await load;
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /^Backup written to .*during-load/);
        const before = confirmed.filter((c) => c.at < backup.startedAt);
        const during = confirmed.filter((c) => c.at >= backup.startedAt && c.at <= endedAt);
        assert.ok(before.length >= 100);
        assert.ok(during.length > 0, 'writes went on while the backup was taken');

        const target = await emptyDatabase();
        const restored = await hallway(['restore', backupFile], { DATABASE_URL: urlOf(target) });
        assert.equal(restored.code, 0, restored.stderr);
        assert.match(restored.stdout, new RegExp(`^Restored .*${EVENTS} events, ${PEOPLE} accounts`));
        const rdb = createDb(target);
        try {
          const rows = await rdb
            .selectFrom('rsvps')
            .innerJoin('events', 'events.id', 'rsvps.event_id')
            .innerJoin('users', 'users.id', 'rsvps.user_id')
            .select(['events.slug', 'users.email', 'rsvps.status'])
            .execute();
          const have = new Set(rows.map((r) => `${r.slug} ${r.email}`));
          const missing = before.filter((c) => !have.has(`${c.slug} p${c.person}@backup.example`));
          assert.deepEqual(missing, [], 'every RSVP confirmed before the backup started is in it');
          assert.ok(rows.length <= confirmed.length, 'nothing that was never confirmed');
          assert.ok(rows.every((r) => r.status === 'going'));
          // The RSVP counters (kept by triggers) came back with the rows, not counted twice.
          const seats = await rdb
            .selectFrom('registration_settings')
            .select((eb) => eb.fn.sum<number>('seats_taken').as('n'))
            .executeTakeFirstOrThrow();
          assert.equal(Number(seats.n), rows.length);
        } finally {
          await rdb.destroy();
        }
      } finally {
        await servers?.stop();
      }
    });

    test('restore refuses a database that holds data, saying what it found, and changes nothing; --force replaces it', async () => {
      const before = await counts(source.config);
      const r = await hallway(['restore', backupFile], env());
      assert.equal(r.code, 2);
      assert.match(r.stderr, /The database to restore into is not empty: it holds .*\d+ rows in rsvps/);
      assert.match(r.stderr, /--force/);
      assert.deepEqual(await counts(source.config), before);

      const target = await emptyDatabase();
      assert.equal((await hallway(['restore', backupFile], { DATABASE_URL: urlOf(target) })).code, 0);
      const backedUp = await counts(target);
      const forced = await hallway(['restore', '--force', backupFile], env());
      assert.equal(forced.code, 0, forced.stderr);
      assert.match(forced.stdout, /replacing what the database held/);
      assert.deepEqual(await counts(source.config), backedUp);
    });

    test('restore refuses a damaged, foreign or unknown file and the other kind of backup, exit 2, writing nothing', async () => {
      const target = await emptyDatabase();
      const truncated = join(dir, 'truncated');
      writeFileSync(truncated, readFileSync(backupFile).subarray(0, Math.floor(readFileSync(backupFile).length / 3)));
      const noise = join(dir, 'noise.bin');
      writeFileSync(noise, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)));
      const foreign = join(dir, `foreign.${database.name}`);
      if (database.name === 'sqlite') {
        const f = new SQLite(foreign);
        f.exec("create table notes (id integer primary key, body text); insert into notes (body) values ('not hallway')");
        f.close();
      } else {
        const other = await emptyDatabase();
        const client = new pg.Client({ connectionString: urlOf(other) });
        await client.connect();
        await client.query("create table notes (id serial primary key, body text); insert into notes (body) values ('not hallway')");
        await client.end();
        const dumped = spawn('pg_dump', ['--format=custom', `--file=${foreign}`, `--dbname=${urlOf(other)}`]);
        assert.equal(await new Promise((r) => dumped.on('close', r)), 0);
      }
      const otherKind = join(dir, 'other-kind');
      if (database.name === 'sqlite') writeFileSync(otherKind, Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(100)]));
      else {
        const s = new SQLite(otherKind);
        s.exec('create table kysely_migration (name text)');
        s.close();
      }
      const cases: [string, RegExp][] = [
        [
          truncated,
          database.name === 'sqlite' ? /is not a usable Hallway backup: the database is damaged/ : /is not a usable Hallway backup: pg_restore cannot read it/,
        ],
        [noise, /is not a usable Hallway backup: it is neither an SQLite database nor a pg_dump custom-format archive/],
        [foreign, /is not a usable Hallway backup: it is an? (SQLite database|PostgreSQL archive), but not Hallway's/],
        [otherKind, /This is a backup of an? (SQLite|PostgreSQL) database and DATABASE_URL names an? (SQLite|PostgreSQL) database/],
        [join(dir, 'no-such-file'), /Cannot read .*no-such-file: no such file/],
        [dir, /it is a folder/],
      ];
      for (const [file, message] of cases) {
        const r = await hallway(['restore', '--force', file], { DATABASE_URL: urlOf(target) });
        assert.equal(r.code, 2, `${file}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.match(r.stderr, /Nothing was changed\./);
      }
      if (target.kind === 'sqlite') assert.equal(existsSync(target.filename), false, 'no database file was created');
      else assert.deepEqual(await counts(target), {}, 'no table was created');
    });

    test('backup to a place it cannot write: a clear error, exit 2, nothing left behind', async () => {
      const file = join(dir, 'a-file');
      writeFileSync(file, 'x');
      const cases: [string, RegExp][] = [
        [join(dir, 'missing-folder', 'b.backup'), /Cannot write the backup to .*: the folder .*missing-folder does not exist\. Nothing was written\./],
        [join(file, 'b.backup'), /Cannot write the backup to .*: .*a-file is not a folder/],
        [dir, /it is a folder; name a file in it/],
        ['/proc/hallway.backup', /Cannot write the backup to \/proc\/hallway\.backup: cannot create files in \/proc/],
      ];
      const listed = readdirSync(dir).sort();
      for (const [target, message] of cases) {
        const r = await hallway(['backup', target], env());
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
      }
      assert.deepEqual(readdirSync(dir).sort(), listed, 'no partial file');
    });

    if (database.name === 'sqlite') {
      test('a backup made by a newer Hallway (a migration this version does not know) is refused', async () => {
        const newer = join(dir, 'newer.sqlite');
        writeFileSync(newer, readFileSync(backupFile));
        const s = new SQLite(newer);
        s.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('2099-01-01T0000-from-the-future', NOW);
        s.close();
        const target = await emptyDatabase();
        const r = await hallway(['restore', newer], { DATABASE_URL: urlOf(target) });
        assert.equal(r.code, 2);
        assert.match(r.stderr, /was made by a newer version of Hallway .*2099-01-01T0000-from-the-future/);
      });

      test('restoring over a file that is not a database is refused, naming it, unless --force', async () => {
        const target = join(dir, 'garbage.sqlite');
        writeFileSync(target, 'not a database, just some bytes someone left here\n'.repeat(200));
        const refused = await hallway(['restore', backupFile], { DATABASE_URL: `sqlite:${target}` });
        assert.equal(refused.code, 2, refused.stderr);
        assert.match(refused.stderr, /The database to restore into is not empty: it holds a file that is not an SQLite database .*--force/);
        assert.doesNotMatch(refused.stderr, /\n\s+at /, 'a message, not a stack trace');
        assert.match(readFileSync(target, 'utf8'), /^not a database/, 'the file is untouched');
        const forced = await hallway(['restore', '--force', backupFile], { DATABASE_URL: `sqlite:${target}` });
        assert.equal(forced.code, 0, forced.stderr);
        assert.ok((await counts({ kind: 'sqlite', filename: target })).rsvps! > 0, 'the backup is in place of the garbage');
      });

      test('backing up onto the database itself is refused', async () => {
        const r = await hallway(['backup', (source.config as { filename: string }).filename], env());
        assert.equal(r.code, 2);
        assert.match(r.stderr, /that is the database itself/);
      });
    }
  });
}
