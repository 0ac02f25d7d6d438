/*
 * Backups: what a backup file is, and the scheduled backups' names and retention (pure rules).
 *
 * - SQLite: the database itself, copied by SQLite's online backup API (a consistent snapshot
 *   while the server writes): a plain SQLite file that the sqlite3 shell opens as it is.
 * - PostgreSQL: a pg_dump archive in its custom format (one consistent snapshot), restored
 *   with pg_restore.
 * A restore tells them apart by their first bytes, and checks that the file holds Hallway's
 * schema (its migrations table) before it touches the database.
 */

export type BackupKind = 'sqlite' | 'postgres';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const PGDUMP_MAGIC = Buffer.from('PGDMP', 'latin1');

/** The kind of backup a file's first bytes announce, or null when neither. */
export function backupKindOf(head: Buffer): BackupKind | null {
  if (head.length >= SQLITE_MAGIC.length && head.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) return 'sqlite';
  if (head.length >= PGDUMP_MAGIC.length && head.subarray(0, PGDUMP_MAGIC.length).equals(PGDUMP_MAGIC)) return 'postgres';
  return null;
}

/** The migrations' own bookkeeping tables: present in an empty (migrated) database. */
export const BOOKKEEPING_TABLES: ReadonlySet<string> = new Set(['kysely_migration', 'kysely_migration_lock', 'settings']);

/** The first migration of every Hallway database: a backup without it is not Hallway's. */
export const FIRST_MIGRATION = '2026-11-22T0500-create-program';

const EXTENSION: Record<BackupKind, string> = { sqlite: 'sqlite', postgres: 'pgdump' };
const SCHEDULED = /^hallway-(\d{8}T\d{6}Z)\.(sqlite|pgdump)$/;

/** A scheduled backup's file name: `hallway-20270301T120000Z.sqlite` (sorts by time). */
export function scheduledBackupName(at: Date, kind: BackupKind): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `hallway-${stamp}.${EXTENSION[kind]}`;
}

/** Of the files in the backup folder, the scheduled backups to delete so that the newest `keep` remain (others are never touched). */
export function backupsToPrune(files: readonly string[], keep: number): string[] {
  const ours = files.filter((f) => SCHEDULED.test(f)).sort();
  return ours.slice(0, Math.max(0, ours.length - keep));
}

/** "3 events, 120 users and 2 more tables with rows" from row counts per table (the non-empty ones, largest first). */
export function describeRows(counts: Readonly<Record<string, number>>): string {
  const rows = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = rows.slice(0, 5).map(([table, n]) => `${n} row${n === 1 ? '' : 's'} in ${table}`);
  const more = rows.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more table${more === 1 ? '' : 's'} with rows` : ''}`;
}
