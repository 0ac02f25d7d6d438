import type { Kysely } from 'kysely';

/*
 * Frozen history: the call for proposals (CFP) and its review. Instants are text in the one UTC
 * form (YYYY-MM-DDTHH:MM:SSZ), flags are integers, JSON lists are text.
 *
 * A proposal is what a speaker submits; once accepted and put on the programme it points at the
 * session made from it (session_id, cleared if that session is deleted). The constraints back
 * the actions' rules: one CFP per event, one review per reviewer and proposal, each speaker
 * listed once per proposal, proposal codes unique in their event.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await db.schema
    .createTable('cfp_settings')
    .addColumn('event_id', 'integer', (c) => c.primaryKey().references('events.id').onDelete('cascade'))
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    // Closed early by an organizer (until reopened).
    .addColumn('closed_at', 'text')
    // Plain text; paragraphs are blank-line separated.
    .addColumn('call_text', 'text', (c) => c.notNull().defaultTo(''))
    // JSON array of { kind, durationMinutes }: the session kinds speakers may propose.
    .addColumn('formats', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await id(db.schema.createTable('proposals'))
    .addColumn('event_id', 'integer', (c: any) => c.notNull().references('events.id').onDelete('cascade'))
    .addColumn('code', 'text', (c: any) => c.notNull())
    // submitted | accepted | rejected | withdrawn
    .addColumn('state', 'text', (c: any) => c.notNull())
    .addColumn('title', 'text', (c: any) => c.notNull())
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c: any) => c.notNull())
    .addColumn('abstract', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('track_id', 'integer', (c: any) => c.references('tracks.id').onDelete('set null'))
    .addColumn('language', 'text', (c: any) => c.notNull().defaultTo('en'))
    .addColumn('level', 'text')
    // For the organizers only.
    .addColumn('notes', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('submitted_by', 'integer', (c: any) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('session_id', 'integer', (c: any) => c.references('sessions.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addColumn('decided_at', 'text')
    .addUniqueConstraint('proposals_event_code_uq', ['event_id', 'code'])
    .execute();
  await db.schema.createIndex('proposals_event_state_idx').on('proposals').columns(['event_id', 'state']).execute();
  await db.schema.createIndex('proposals_submitted_by_idx').on('proposals').column('submitted_by').execute();

  await db.schema
    .createTable('proposal_speakers')
    .addColumn('proposal_id', 'integer', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // Lower-cased address; co-speakers are invited by address.
    .addColumn('email', 'text', (c) => c.notNull())
    // The account, when known (the submitter; a co-speaker whose address had a confirmed account).
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addPrimaryKeyConstraint('proposal_speakers_pk', ['proposal_id', 'position'])
    .addUniqueConstraint('proposal_speakers_email_uq', ['proposal_id', 'email'])
    .execute();
  await db.schema.createIndex('proposal_speakers_email_idx').on('proposal_speakers').column('email').execute();
  await db.schema.createIndex('proposal_speakers_user_idx').on('proposal_speakers').column('user_id').execute();

  await id(db.schema.createTable('proposal_reviews'))
    .addColumn('proposal_id', 'integer', (c: any) => c.notNull().references('proposals.id').onDelete('cascade'))
    .addColumn('reviewer_id', 'integer', (c: any) => c.notNull().references('users.id').onDelete('cascade'))
    // 1 (weak) … 5 (excellent).
    .addColumn('score', 'integer', (c: any) => c.notNull())
    .addColumn('comment', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('proposal_reviews_proposal_reviewer_uq', ['proposal_id', 'reviewer_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['proposal_reviews', 'proposal_speakers', 'proposals', 'cfp_settings']) {
    await db.schema.dropTable(t).execute();
  }
}
