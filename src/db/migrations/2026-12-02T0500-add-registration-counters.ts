import { sql, type Kysely } from 'kysely';

/*
 * Frozen history: each event's seats taken (going RSVPs and their guests) and waitlist length,
 * kept in registration_settings by the database itself. Every RSVP write reads both under the
 * event's lock; counting the rows instead grew with the event (a 3,000-seat conference summed
 * 3,000 rows for each new RSVP). Triggers on rsvps keep the counters exact for every change,
 * including rows removed by cascades (an account or an event deleted), which no action sees.
 * The counters start from the rows already there.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

/** What one RSVP row counts for, as SQL over the row `r` (NEW or OLD). */
const seats = (r: string) => `(CASE WHEN ${r}.status = 'going' THEN 1 + ${r}.guests ELSE 0 END)`;
const waiting = (r: string) => `(CASE WHEN ${r}.status = 'waitlisted' THEN 1 ELSE 0 END)`;
const add = (r: string, sign: '+' | '-') =>
  `UPDATE registration_settings SET seats_taken = seats_taken ${sign} ${seats(r)}, waitlisted = waitlisted ${sign} ${waiting(r)} ` +
  `WHERE event_id = ${r}.event_id AND ${r}.status IN ('going', 'waitlisted')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('registration_settings')
    .addColumn('seats_taken', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('registration_settings')
    .addColumn('waitlisted', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql
    .raw(
      `UPDATE registration_settings SET ` +
        `seats_taken = (SELECT COALESCE(SUM(${seats('r')}), 0) FROM rsvps r WHERE r.event_id = registration_settings.event_id), ` +
        `waitlisted = (SELECT COALESCE(SUM(${waiting('r')}), 0) FROM rsvps r WHERE r.event_id = registration_settings.event_id)`,
    )
    .execute(db);
  if (isPostgres(db)) {
    await sql
      .raw(
        `CREATE FUNCTION rsvps_keep_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN ${add('OLD', '-')}; END IF;
  IF TG_OP <> 'DELETE' THEN ${add('NEW', '+')}; END IF;
  RETURN NULL;
END $$`,
      )
      .execute(db);
    await sql
      .raw(
        `CREATE TRIGGER rsvps_keep_counts AFTER INSERT OR DELETE OR UPDATE OF status, guests, event_id ON rsvps FOR EACH ROW EXECUTE FUNCTION rsvps_keep_counts()`,
      )
      .execute(db);
  } else {
    await sql.raw(`CREATE TRIGGER rsvps_counts_insert AFTER INSERT ON rsvps BEGIN ${add('NEW', '+')}; END`).execute(db);
    await sql.raw(`CREATE TRIGGER rsvps_counts_delete AFTER DELETE ON rsvps BEGIN ${add('OLD', '-')}; END`).execute(db);
    await sql
      .raw(`CREATE TRIGGER rsvps_counts_update AFTER UPDATE OF status, guests, event_id ON rsvps BEGIN ${add('OLD', '-')}; ${add('NEW', '+')}; END`)
      .execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql.raw('DROP TRIGGER rsvps_keep_counts ON rsvps').execute(db);
    await sql.raw('DROP FUNCTION rsvps_keep_counts()').execute(db);
  } else {
    for (const t of ['rsvps_counts_insert', 'rsvps_counts_delete', 'rsvps_counts_update']) await sql.raw(`DROP TRIGGER ${t}`).execute(db);
  }
  await db.schema.alterTable('registration_settings').dropColumn('waitlisted').execute();
  await db.schema.alterTable('registration_settings').dropColumn('seats_taken').execute();
}
