import type { Kysely } from 'kysely';

/*
 * Frozen history: webhooks. Organizers register URLs that hear when an event's public programme
 * changes; a background dispatcher compares events.version with what each endpoint was last
 * told and posts the latest version (rapid edits coalesce into one delivery). Each attempt is
 * logged in webhook_deliveries (the dispatcher keeps the last 50 per endpoint). Instants are
 * text in the one UTC form, flags are integers.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await id(db.schema.createTable('webhooks'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('url', 'text', (c: any) => c.notNull())
    // Signs every delivery (HMAC-SHA256); kept as is because signing needs it.
    .addColumn('secret', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    // Why it is inactive when the dispatcher turned it off (null when an organizer paused it).
    .addColumn('disabled_reason', 'text')
    // The events.version the endpoint last heard about successfully.
    .addColumn('last_version_sent', 'integer', (c: any) => c.notNull().defaultTo(0))
    // Failed attempts in a row; reset by a success or by resuming.
    .addColumn('failures', 'integer', (c: any) => c.notNull().defaultTo(0))
    // After a failure: not before this instant.
    .addColumn('next_attempt_at', 'text')
    // Set by the dispatcher that is delivering right now; an old one was abandoned by a crash.
    .addColumn('claimed_at', 'text')
    .addColumn('created_by', 'integer', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_event_idx').on('webhooks').column('event_id').execute();

  await id(db.schema.createTable('webhook_deliveries'))
    .addColumn('webhook_id', 'integer', (c: any) => c.notNull().references('webhooks.id').onDelete('cascade'))
    // The value of the hallway-delivery header.
    .addColumn('delivery_id', 'text', (c: any) => c.notNull())
    // schedule.changed | ping
    .addColumn('type', 'text', (c: any) => c.notNull())
    .addColumn('event_version', 'integer', (c: any) => c.notNull())
    // delivered | failed
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('http_status', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c: any) => c.notNull())
    .addColumn('attempted_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_webhook_idx').on('webhook_deliveries').columns(['webhook_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhooks').execute();
}
