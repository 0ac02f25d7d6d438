import { sql, type Kysely } from 'kysely';

/*
 * Frozen history: each star remembers when and where its session was as the person last saw it
 * (when starring, or when they marked the changes as seen), so "My agenda" can say "moved from
 * 10:30 in Side Room" or "cancelled since you starred it". Nullable: a star from before this
 * migration starts from its session as it is now.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agenda_stars').addColumn('seen_starts_at', 'text').execute();
  await db.schema.alterTable('agenda_stars').addColumn('seen_room_id', 'integer').execute();
  await db.schema.alterTable('agenda_stars').addColumn('seen_status', 'text').execute();
  await sql`UPDATE agenda_stars SET
      seen_starts_at = (SELECT s.starts_at FROM sessions s WHERE s.id = agenda_stars.session_id),
      seen_room_id = (SELECT s.room_id FROM sessions s WHERE s.id = agenda_stars.session_id),
      seen_status = (SELECT s.status FROM sessions s WHERE s.id = agenda_stars.session_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['seen_status', 'seen_room_id', 'seen_starts_at']) await db.schema.alterTable('agenda_stars').dropColumn(c).execute();
}
