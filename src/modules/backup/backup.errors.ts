import { DomainError } from '../../lib/domain-error.js';

/** Error codes of `hallway backup` / `hallway restore` and the scheduled backups (see docs/errors.md). */
export const BackupErrors = {
  /** The backup cannot be written there: no such folder, a file in the way, no permission, a read-only disk. */
  targetUnwritable: (file: string, reason: string) =>
    new DomainError('BACKUP_TARGET_UNWRITABLE', `Cannot write the backup to ${file}: ${reason}. Nothing was written.`, 400),
  /** What to back up is missing or cannot be backed up (an in-memory database, a file that does not exist). */
  sourceMissing: (reason: string) => new DomainError('BACKUP_SOURCE_MISSING', `Nothing to back up: ${reason}.`, 400),
  /** The file to restore does not exist or cannot be read. */
  fileNotFound: (file: string, reason: string) => new DomainError('BACKUP_FILE_NOT_FOUND', `Cannot read ${file}: ${reason}. Nothing was changed.`, 400),
  /** The file is not a Hallway backup, or a damaged one. */
  fileInvalid: (file: string, reason: string) =>
    new DomainError('BACKUP_FILE_INVALID', `${file} is not a usable Hallway backup: ${reason}. Nothing was changed.`, 422),
  /** The backup was made by a newer Hallway (it has migrations this version does not know). */
  fileTooNew: (file: string, unknown: readonly string[]) =>
    new DomainError(
      'BACKUP_FROM_NEWER_VERSION',
      `${file} was made by a newer version of Hallway (its schema has ${unknown.length} migration${unknown.length === 1 ? '' : 's'} this version does not know: ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''}). Restore it with that version or a later one. Nothing was changed.`,
      422,
    ),
  /** A backup of one kind of database restored into the other. */
  kindMismatch: (backup: 'sqlite' | 'postgres', target: 'sqlite' | 'postgres') =>
    new DomainError(
      'BACKUP_KIND_MISMATCH',
      `This is a backup of ${label(backup)} database and DATABASE_URL names ${label(target)} database: restore it into ${label(backup)} database. Nothing was changed.`,
      422,
    ),
  /** The database to restore into holds data; --force replaces it. */
  targetNotEmpty: (found: string) =>
    new DomainError(
      'RESTORE_TARGET_NOT_EMPTY',
      `The database to restore into is not empty: it holds ${found}. Restore into an empty database, or pass --force to replace everything in it. Nothing was changed.`,
      409,
    ),
  /** pg_dump, pg_restore or psql is not installed. */
  toolMissing: (tool: string) =>
    new DomainError(
      'BACKUP_TOOL_MISSING',
      `${tool} is not installed: PostgreSQL backups need the PostgreSQL client tools (Debian: apt install postgresql-client), of the server's major version or newer.`,
      500,
    ),
  /** The backup or restore failed on the way (the tool's or the database's message); nothing half done was left. */
  failed: (what: 'backup' | 'restore', reason: string) =>
    new DomainError('BACKUP_FAILED', `The ${what} failed: ${reason}${what === 'restore' ? ' Nothing was changed.' : ''}`, 500),
};

function label(kind: 'sqlite' | 'postgres'): string {
  return kind === 'sqlite' ? 'an SQLite' : 'a PostgreSQL';
}
