import type { Kysely } from 'kysely';

/*
 * Frozen history: registration (RSVPs with capacity and a waitlist, ticket types, reminders,
 * check-in) and sign-ups for sessions with their own capacity. Instants are text in the one UTC
 * form (YYYY-MM-DDTHH:MM:SSZ), flags are integers, JSON lists are text.
 *
 * The guarantees (confirmed seats never above capacity, first come first served, each person
 * promoted once) are kept by the actions, which run every change of one event's registration in
 * a transaction that first locks the event's row; the constraints here back them up: one RSVP
 * per person and event, one sign-up per person and session, each reminder recorded once.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  // An event can be called off; it stays visible (marked cancelled) but takes no RSVPs.
  await db.schema.alterTable('events').addColumn('cancelled_at', 'text').execute();

  await db.schema
    .createTable('registration_settings')
    .addColumn('event_id', 'integer', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    // Seats (attendees plus their guests); null = unlimited. Starts as events.capacity.
    .addColumn('capacity', 'integer')
    .addColumn('opens_at', 'text')
    // null = when the event starts.
    .addColumn('closes_at', 'text')
    // Closed early by an organizer (until reopened).
    .addColumn('closed_at', 'text')
    .addColumn('guest_limit', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('questions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('allow_session_overlap', 'integer', (c) => c.notNull().defaultTo(0))
    // Hours before the start at which a reminder goes out, JSON array of integers.
    .addColumn('reminder_hours', 'text', (c) => c.notNull().defaultTo('[24]'))
    // Arrival counter of the waitlist (the last number handed out).
    .addColumn('waitlist_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await id(db.schema.createTable('ticket_types'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    // Seats of this type; null = only the event's capacity limits it.
    .addColumn('quota', 'integer')
    // Room for paid tickets later: 0 = free.
    .addColumn('price_cents', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('currency', 'text')
    .addColumn('position', 'integer', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('ticket_types_event_name_uq', ['event_id', 'name'])
    .execute();

  await id(db.schema.createTable('rsvps'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id').onDelete('cascade'))
    // going | waitlisted | not_going | cancelled
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('guests', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('answers', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .addColumn('ticket_type_id', 'integer', (c: any) => c.references('ticket_types.id').onDelete('set null'))
    // Arrival order on the waitlist (smaller = earlier); null unless waitlisted.
    .addColumn('waitlist_seq', 'integer')
    // Random part of the ticket token; replaced to void a ticket.
    .addColumn('ticket_nonce', 'text', (c: any) => c.notNull())
    .addColumn('promoted_at', 'text')
    .addColumn('checked_in_at', 'text')
    .addColumn('checked_in_by', 'integer', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('rsvps_event_user_uq', ['event_id', 'user_id'])
    .execute();
  await db.schema.createIndex('rsvps_event_status_idx').on('rsvps').columns(['event_id', 'status', 'waitlist_seq']).execute();
  await db.schema.createIndex('rsvps_user_idx').on('rsvps').column('user_id').execute();

  await db.schema
    .createTable('rsvp_reminders')
    .addColumn('rsvp_id', 'integer', (c) => c.notNull().references('rsvps.id').onDelete('cascade'))
    .addColumn('hours_before', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rsvp_reminders_pk', ['rsvp_id', 'hours_before'])
    .execute();

  await db.schema
    .createTable('signup_sessions')
    .addColumn('session_id', 'integer', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('events.id').onDelete('cascade'))
    // null = the room's capacity (unlimited without a room capacity).
    .addColumn('capacity', 'integer')
    .addColumn('waitlist_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signup_sessions_event_idx').on('signup_sessions').column('event_id').execute();

  await id(db.schema.createTable('session_signups'))
    .addColumn('session_id', 'integer', (c: any) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id').onDelete('cascade'))
    // going | waitlisted | cancelled
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('waitlist_seq', 'integer')
    .addColumn('promoted_at', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('session_signups_session_user_uq', ['session_id', 'user_id'])
    .execute();
  await db.schema.createIndex('session_signups_status_idx').on('session_signups').columns(['session_id', 'status', 'waitlist_seq']).execute();
  await db.schema.createIndex('session_signups_user_idx').on('session_signups').columns(['event_id', 'user_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['session_signups', 'signup_sessions', 'rsvp_reminders', 'rsvps', 'ticket_types', 'registration_settings']) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('events').dropColumn('cancelled_at').execute();
}
