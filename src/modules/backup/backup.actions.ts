import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { Config, DatabaseConfig } from '../../config.js';
import { createDb, type Db } from '../../db/database.js';
import { knownMigrations, migrateToLatest } from '../../db/migrate.js';
import type { Clock } from '../../lib/clock.js';
import { backupKindOf, backupsToPrune, describeRows, FIRST_MIGRATION, scheduledBackupName, type BackupKind } from './backup.js';
import { BackupErrors } from './backup.errors.js';
import { claimScheduledBackup, dropEverythingStatement, rowCounts } from './backup.queries.js';

/*
 * `hallway backup <file>` and `hallway restore <file> [--force]` (src/cli), and the scheduled
 * backups of a server (backup.timer.ts). Backups are taken while the server runs: SQLite's online
 * backup API copies one consistent snapshot (in a worker thread, so a server's event loop never
 * waits for it), pg_dump reads one snapshot (a repeatable-read transaction). Either way every
 * write committed before the backup started is in it. The file is written under a temporary name
 * next to its target and renamed into place when complete, so a failed backup leaves nothing.
 *
 * A restore checks everything before it writes anything: the file (kind, integrity, Hallway's
 * schema, no migration newer than this version), then the database (it must hold no data unless
 * `force`). It then replaces the database in one step (SQLite: the backup API into the file, one
 * transaction; PostgreSQL: psql --single-transaction), and migrates it to this version's schema.
 * Stop the servers before restoring: they keep caches of what they read.
 */

export interface BackupSummary {
  readonly file: string;
  readonly kind: BackupKind;
  readonly bytes: number;
  readonly seconds: number;
}

/** Writes a consistent backup of `database` to `file` (replacing a file already there). */
export async function backupDatabase(database: DatabaseConfig, file: string): Promise<BackupSummary> {
  const started = process.hrtime.bigint();
  const target = resolve(file);
  await checkWritable(target, database);
  const partial = join(dirname(target), `.${basename(target)}.partial-${randomBytes(4).toString('hex')}`);
  try {
    if (database.kind === 'sqlite') await sqliteCopy(database.filename, partial, 'backup');
    else await pgDump(database.url, partial);
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { file: target, kind: database.kind, bytes: (await stat(target)).size, seconds };
}

async function checkWritable(target: string, database: DatabaseConfig): Promise<void> {
  if (database.kind === 'sqlite') {
    if (database.filename === ':memory:') throw BackupErrors.sourceMissing('the database is in memory (sqlite::memory:)');
    const exists = await stat(database.filename).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!exists) throw BackupErrors.sourceMissing(`there is no database at ${database.filename}`);
    if ([database.filename, `${database.filename}-wal`, `${database.filename}-shm`].includes(target)) {
      throw BackupErrors.targetUnwritable(target, 'that is the database itself');
    }
  }
  const folder = dirname(target);
  const dir = await stat(folder).catch((err: NodeJS.ErrnoException) => err);
  if (dir instanceof Error)
    throw BackupErrors.targetUnwritable(target, dir.code === 'ENOTDIR' ? `${folder} is not a folder` : `the folder ${folder} does not exist`);
  if (!dir.isDirectory()) throw BackupErrors.targetUnwritable(target, `${folder} is not a folder`);
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) throw BackupErrors.targetUnwritable(target, 'it is a folder; name a file in it');
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw BackupErrors.targetUnwritable(target, `no permission to write in ${folder}`);
  }
  // The real test (read-only disks, root squash, /proc…): create and remove a file there.
  const probe = join(folder, `.hallway-write-test-${randomBytes(4).toString('hex')}`);
  try {
    await (await open(probe, 'wx')).close();
  } catch (err) {
    throw BackupErrors.targetUnwritable(target, (err as NodeJS.ErrnoException).code === 'EROFS' ? 'the disk is read-only' : `cannot create files in ${folder}`);
  } finally {
    await rm(probe, { force: true });
  }
}

/** The worker copying one SQLite database into another file with the online backup API, in one step (one snapshot). */
const SQLITE_COPY_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
(async () => {
  const db = new Database(workerData.source, { fileMustExist: true, readonly: workerData.readonly });
  try {
    db.pragma('busy_timeout = 10000');
    await db.backup(workerData.target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  if (!workerData.readonly) {
    // A backup file is one self-contained file: no WAL (reading it later creates nothing beside it).
    const out = new Database(workerData.target, { fileMustExist: true });
    out.pragma('journal_mode = DELETE');
    out.close();
  }
})().then(
  () => parentPort.postMessage({ ok: true }),
  (err) => parentPort.postMessage({ error: String((err && err.message) || err), code: err && err.code }),
);
`;

/** Copies SQLite database `source` into `target` (created, or replaced in one transaction) off the main thread. */
function sqliteCopy(source: string, target: string, what: 'backup' | 'restore'): Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((done, fail) => {
    // A restore only reads the backup file; a backup reads the live database as one more connection.
    const worker = new Worker(SQLITE_COPY_WORKER, { eval: true, workerData: { driver, source, target, readonly: what === 'restore' } });
    worker.once('message', (m: { ok?: true; error?: string }) => (m.ok ? done() : fail(BackupErrors.failed(what, m.error ?? 'unknown error'))));
    worker.once('error', (err) => fail(BackupErrors.failed(what, err.message)));
    worker.once('exit', () => fail(BackupErrors.failed(what, 'the copying thread ended early')));
  });
}

/** What the PostgreSQL tools are given: the URL without its password (ps shows arguments), the password in PGPASSWORD. */
function pgConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a PostgreSQL client tool to its end (stdout kept when `keepStdout`); a missing tool is BACKUP_TOOL_MISSING. */
function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv, keepStdout = false): Promise<ToolRun> {
  return new Promise((done, fail) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-8000)));
    child.once('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOENT' ? BackupErrors.toolMissing(tool) : err));
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

async function pgDump(url: string, target: string): Promise<void> {
  const { dbname, env } = pgConnection(url);
  const r = await runTool('pg_dump', ['--format=custom', '--no-password', `--file=${target}`, `--dbname=${dbname}`], env);
  if (r.code !== 0) throw BackupErrors.failed('backup', `pg_dump: ${firstLines(r.stderr)}`);
}

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 3).join(' ').replace(/\s+/g, ' ') || 'no message';
}

export interface RestoreSummary {
  readonly kind: BackupKind;
  /** Rows restored per table (the tables holding data). */
  readonly rows: Readonly<Record<string, number>>;
  /** Whether data that was in the database was replaced (--force). */
  readonly replaced: boolean;
  /** Migrations applied after the restore (the backup was made by an older version). */
  readonly migrated: readonly string[];
}

/**
 * Restores `file` (made by backupDatabase) into `database`. Refuses, changing nothing: a file
 * that is missing, not a backup, damaged, not Hallway's, of the other kind of database or made
 * by a newer version; a database holding data unless `force`.
 */
export async function restoreDatabase(database: DatabaseConfig, file: string, options: { force?: boolean } = {}): Promise<RestoreSummary> {
  const source = resolve(file);
  const head = await readHead(source);
  const kind = backupKindOf(head);
  if (!kind) throw BackupErrors.fileInvalid(file, 'it is neither an SQLite database nor a pg_dump custom-format archive');
  if (kind !== database.kind) throw BackupErrors.kindMismatch(kind, database.kind);
  const migrations = kind === 'sqlite' ? sqliteBackupMigrations(source, file) : await pgBackupMigrations(source, file);
  if (!migrations.includes(FIRST_MIGRATION)) throw BackupErrors.fileInvalid(file, "it does not hold Hallway's schema");
  const known = new Set(await knownMigrations());
  const unknown = migrations.filter((m) => !known.has(m));
  if (unknown.length) throw BackupErrors.fileTooNew(file, unknown);

  let replaced = false;
  if (database.kind === 'sqlite') {
    if (database.filename === ':memory:') throw BackupErrors.sourceMissing('DATABASE_URL names an in-memory database');
    const exists = await stat(database.filename).then(
      () => true,
      () => false,
    );
    let notADatabase = false;
    if (exists) {
      try {
        replaced = await checkEmpty(createDb(database), options.force === true);
      } catch (err) {
        // Something that is not an SQLite database sits where DATABASE_URL points: refused like
        // a database holding data (never a stack trace), replaced only with --force.
        if (!isNotADatabase(err)) throw err;
        if (!options.force) throw BackupErrors.targetNotEmpty(`a file that is not an SQLite database (${(err as Error).message})`);
        replaced = true;
        notADatabase = true;
      }
    }
    // SQLite's backup API writes into a database: what is not one is removed first (--force said so).
    if (notADatabase) for (const f of [database.filename, `${database.filename}-wal`, `${database.filename}-shm`]) await rm(f, { force: true });
    await mkdir(dirname(database.filename), { recursive: true });
    await sqliteCopy(source, database.filename, 'restore');
  } else {
    const db = createDb(database, { poolSize: 1 });
    let drop: string | null;
    try {
      replaced = await checkEmpty(db, options.force === true, false);
      drop = await dropEverythingStatement(db);
    } finally {
      await db.destroy();
    }
    await pgRestore(database.url, source, drop);
  }
  const db = createDb(database);
  try {
    const migrated = (await migrateToLatest(db)).map((r) => r.migrationName);
    return { kind, rows: await rowCounts(db), replaced, migrated };
  } finally {
    await db.destroy();
  }
}

async function readHead(file: string): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    if ((await handle.stat()).isDirectory()) throw BackupErrors.fileNotFound(file, 'it is a folder');
    const head = Buffer.alloc(16);
    const { bytesRead } = await handle.read(head, 0, 16, 0);
    return head.subarray(0, bytesRead);
  } catch (err) {
    if (err instanceof Error && err.name === 'DomainError') throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw BackupErrors.fileNotFound(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : `cannot read it (${code ?? 'error'})`);
  } finally {
    await handle?.close();
  }
}

/** Whether the database held data (then `force` must be set, else RESTORE_TARGET_NOT_EMPTY); closes it unless `close` is false. */
function isNotADatabase(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

async function checkEmpty(db: Db, force: boolean, close = true): Promise<boolean> {
  try {
    const counts = await rowCounts(db);
    const full = Object.values(counts).some((n) => n > 0);
    if (full && !force) throw BackupErrors.targetNotEmpty(describeRows(counts));
    return full;
  } finally {
    if (close) await db.destroy();
  }
}

/** The migrations an SQLite backup records, after checking the file's integrity (read-only). */
function sqliteBackupMigrations(source: string, file: string): string[] {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(source, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw BackupErrors.fileInvalid(file, `the database is damaged (${String(check)})`);
    const table = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
    if (!table) throw BackupErrors.fileInvalid(file, "it is an SQLite database, but not Hallway's (no migrations table)");
    return (db.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
  } catch (err) {
    if (err instanceof Error && err.name === 'DomainError') throw err;
    throw BackupErrors.fileInvalid(file, `the database is damaged (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    db?.close();
  }
}

/** The migrations a pg_dump archive records, after pg_restore has read its table of contents. */
async function pgBackupMigrations(source: string, file: string): Promise<string[]> {
  const list = await runTool('pg_restore', ['--list', source], process.env, true);
  if (list.code !== 0) throw BackupErrors.fileInvalid(file, `pg_restore cannot read it (${firstLines(list.stderr)})`);
  if (!/ TABLE DATA \S+ kysely_migration /.test(list.stdout))
    throw BackupErrors.fileInvalid(file, "it is a PostgreSQL archive, but not Hallway's (no migrations table)");
  const data = await runTool('pg_restore', ['--data-only', '--table=kysely_migration', '--file=-', source], process.env, true);
  if (data.code !== 0) throw BackupErrors.fileInvalid(file, `pg_restore cannot read it (${firstLines(data.stderr)})`);
  const copy = /^COPY [^\n]*kysely_migration[^\n]* FROM stdin;\n([\s\S]*?)^\\\.$/m.exec(data.stdout);
  if (!copy) throw BackupErrors.fileInvalid(file, 'its migrations table cannot be read');
  return copy[1]!
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t')[0]!);
}

/**
 * Replays the archive into the database in one transaction: first `drop` (what was there), then
 * pg_restore's SQL through psql --single-transaction, so a failure anywhere changes nothing.
 */
async function pgRestore(url: string, source: string, drop: string | null): Promise<void> {
  const { dbname, env } = pgConnection(url);
  const psql = spawn('psql', ['-X', '-q', '--no-password', '-v', 'ON_ERROR_STOP=1', '--single-transaction', `--dbname=${dbname}`], {
    env,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const restore = spawn('pg_restore', ['--no-owner', '--no-privileges', '--file=-', source], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let psqlErr = '';
  let restoreErr = '';
  psql.stderr.setEncoding('utf8').on('data', (d: string) => (psqlErr = (psqlErr + d).slice(-8000)));
  restore.stderr.setEncoding('utf8').on('data', (d: string) => (restoreErr = (restoreErr + d).slice(-8000)));
  const ended = (child: ReturnType<typeof spawn>, tool: string) =>
    new Promise<number | null>((done, fail) => {
      child.once('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOENT' ? BackupErrors.toolMissing(tool) : err));
      child.once('close', (code) => done(code));
    });
  const psqlDone = ended(psql, 'psql');
  const restoreDone = ended(restore, 'pg_restore');
  psql.stdin.on('error', () => {}); // psql stopped early: its exit code and message tell why
  if (drop) psql.stdin.write(`${drop}\n`);
  restore.stdout.pipe(psql.stdin);
  const [restoreCode, psqlCode] = await Promise.all([restoreDone, psqlDone]);
  if (restoreCode !== 0) throw BackupErrors.failed('restore', `pg_restore: ${firstLines(restoreErr)}`);
  if (psqlCode !== 0) throw BackupErrors.failed('restore', `psql: ${firstLines(psqlErr)}`);
}

/**
 * One turn of the scheduled backups (BACKUP_DIR): when this process wins the turn (see
 * claimScheduledBackup), writes `hallway-<time>.<kind>` into the folder and deletes the oldest
 * scheduled backups beyond `keep`. Returns the backup written, or null when it was not this
 * process's turn.
 */
export async function runScheduledBackup(
  db: Db,
  config: Pick<Config, 'database' | 'backups'>,
  clock: Clock,
): Promise<(BackupSummary & { readonly pruned: readonly string[] }) | null> {
  const backups = config.backups;
  if (!backups) return null;
  const now = clock.now();
  if (!(await claimScheduledBackup(db, now, backups.intervalHours * 3_600_000))) return null;
  await mkdir(backups.dir, { recursive: true });
  const summary = await backupDatabase(config.database, join(backups.dir, scheduledBackupName(now, config.database.kind)));
  const pruned = backupsToPrune(await readdir(backups.dir), backups.keep);
  for (const name of pruned) await rm(join(backups.dir, name), { force: true });
  return { ...summary, pruned };
}
