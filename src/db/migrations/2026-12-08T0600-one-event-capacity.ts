import { sql, type Kysely } from 'kysely';

/*
 * Frozen history: one capacity per event (issue 17). The event had a capacity (its settings form,
 * its public page and the API) and registration a second one (created from the first on the first
 * RSVP, then changed on the registration page), so lowering a meetup's registration capacity to 3
 * left the public page saying "60 seats". events.capacity is now the only one: the registration
 * capacity of events that had RSVPs moves there and the registration column goes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update events set capacity = (select rs.capacity from registration_settings rs where rs.event_id = events.id)
    where exists (select 1 from registration_settings rs where rs.event_id = events.id)`.execute(db);
  await db.schema.alterTable('registration_settings').dropColumn('capacity').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registration_settings').addColumn('capacity', 'integer').execute();
  await sql`update registration_settings set capacity = (select e.capacity from events e where e.id = registration_settings.event_id)`.execute(db);
}
