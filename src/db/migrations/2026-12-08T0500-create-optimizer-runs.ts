import { sql, type Kysely } from 'kysely';

/*
 * Frozen history: proposing a programme (issue 14).
 *
 * sessions.pinned: 1 = the organizer pinned the session where it is; the optimizer never moves
 * it (the editor still may).
 *
 * optimizer_runs: one run of the schedule optimizer for an event, from start to the organizer's
 * decision. status: running | done | stopped | failed | accepted | discarded (at most one running
 * per event, checked by the start action). A run belongs to the process that started it (`owner`,
 * a random token per process) which writes its progress at most once a second (`heartbeat_at`);
 * a running row whose owner stopped beating is failed (interrupted) by the next reader.
 * options: the form as given (JSON); summary: the instance's rooms and talks as the run saw them
 * (titles, current places: the diff's "from"); fingerprint: what the draft was when the run
 * started (accepting refuses a draft that changed since); baseline: the current draft's score and
 * explanation; proposal: the optimizer's answer (JSON). Instants are UTC text like everywhere.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .alterTable('sessions')
    .addColumn('pinned', 'integer', (c: any) => c.notNull().defaultTo(0))
    .execute();

  const table = db.schema.createTable('optimizer_runs');
  await (pg ? table.addColumn('id', 'serial', (c: any) => c.primaryKey()) : table.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c: any) => c.notNull())
    .addColumn('created_by', 'integer', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_label', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('owner', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('stop_requested', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('base_version', 'integer', (c: any) => c.notNull())
    .addColumn('fingerprint', 'text', (c: any) => c.notNull())
    .addColumn('options', 'text', (c: any) => c.notNull())
    .addColumn('summary', 'text', (c: any) => c.notNull())
    .addColumn('baseline', 'text', (c: any) => c.notNull())
    .addColumn('progress', 'text')
    .addColumn('proposal', 'text')
    .addColumn('message', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c: any) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema.createIndex('optimizer_runs_event_idx').on('optimizer_runs').columns(['event_id', 'number']).unique().execute();
  // One running proposal per event, kept by the database whatever the number of processes.
  await sql`CREATE UNIQUE INDEX optimizer_runs_running_idx ON optimizer_runs (event_id) WHERE status = 'running'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('optimizer_runs').execute();
  await db.schema.alterTable('sessions').dropColumn('pinned').execute();
}
