import { sql } from 'kysely';
import { isPostgres, type Db } from '../../db/database.js';
import { storedInstant } from '../../lib/clock.js';
import { BOOKKEEPING_TABLES } from './backup.js';

/** Rows in each table of the database that holds data (the migrations' bookkeeping and the settings left out). */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = isPostgres(db)
    ? (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema() order by tablename`.execute(db)).rows
    : (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db)).rows;
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    if (BOOKKEEPING_TABLES.has(name)) continue;
    const row = (await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db)).rows[0];
    counts[name] = Number(row?.n ?? 0);
  }
  return counts;
}

/**
 * PostgreSQL: a statement dropping every table, view, sequence and function of the current
 * schema (what a restore replaces), or null when it has none. Run in the restore's transaction.
 */
export async function dropEverythingStatement(db: Db): Promise<string | null> {
  const { rows } = await sql<{ statement: string }>`
    select format('DROP TABLE IF EXISTS %I.%I CASCADE;', schemaname, tablename) as statement from pg_tables where schemaname = current_schema()
    union all
    select format('DROP VIEW IF EXISTS %I.%I CASCADE;', schemaname, viewname) from pg_views where schemaname = current_schema()
    union all
    select format('DROP SEQUENCE IF EXISTS %I.%I CASCADE;', sequence_schema, sequence_name) from information_schema.sequences where sequence_schema = current_schema()
    union all
    select format('DROP FUNCTION IF EXISTS %s CASCADE;', p.oid::regprocedure) from pg_proc p where p.pronamespace = current_schema()::regnamespace
  `.execute(db);
  return rows.length ? rows.map((r) => r.statement).join('\n') : null;
}

/** The settings row holding when a process last took the turn of the scheduled backup. */
const CLAIM_KEY = 'backup.last_started_at';

/**
 * Takes this turn of the scheduled backup for this process when the last one started at least
 * `intervalMs` before `now` (or never did): a conditional write, so of the processes sharing
 * the database exactly one wins each turn. Returns whether this process won.
 */
export async function claimScheduledBackup(db: Db, now: Date, intervalMs: number): Promise<boolean> {
  const at = storedInstant(now);
  const row = await db.selectFrom('settings').select('value').where('key', '=', CLAIM_KEY).executeTakeFirst();
  if (!row) {
    const r = await db
      .insertInto('settings')
      .values({ key: CLAIM_KEY, value: at })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }
  const last = Date.parse(row.value);
  if (Number.isFinite(last) && now.getTime() - last < intervalMs) return false;
  const r = await db.updateTable('settings').set({ value: at }).where('key', '=', CLAIM_KEY).where('value', '=', row.value).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
