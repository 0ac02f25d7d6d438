import type { Kysely } from 'kysely';

/*
 * Frozen history: co-speakers agree before they count (security review, issue 11).
 *
 * proposal_speakers.status: pending (invited, not answered) | accepted | declined. Only accepted
 * speakers see, edit and speak in a proposal or are kept from reviewing it. Rows from before
 * this migration become accepted, so nothing changes for them. A pending row carries the SHA-256
 * of the secret in its invitation mail's link (token_hash, cleared once answered).
 *
 * cospeaker_invitations: one row per co-speaker added to a proposal, never deleted with the
 * proposal's speakers, so the per-sender and per-recipient limits hold across edits and
 * processes. cospeaker_optouts: addresses whose owner declined and asked for no more invitations.
 *
 * mail_outbox.category: 'general', or 'cospeaker_invitation' (those have their own limits and do
 * not count against the hourly limit on the account mails sent to an address).
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .alterTable('proposal_speakers')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('accepted'))
    .execute();
  await db.schema.alterTable('proposal_speakers').addColumn('token_hash', 'text').execute();
  await db.schema.alterTable('proposal_speakers').addColumn('invited_at', 'text').execute();
  await db.schema.alterTable('proposal_speakers').addColumn('responded_at', 'text').execute();
  await db.schema.createIndex('proposal_speakers_token_uq').on('proposal_speakers').column('token_hash').unique().execute();

  const table = db.schema.createTable('cospeaker_invitations');
  await (pg ? table.addColumn('id', 'serial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('sender_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Lower-cased address.
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cospeaker_invitations_sender_idx').on('cospeaker_invitations').columns(['sender_id', 'created_at']).execute();
  await db.schema.createIndex('cospeaker_invitations_email_idx').on('cospeaker_invitations').columns(['email', 'created_at']).execute();

  await db.schema
    .createTable('cospeaker_optouts')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .alterTable('mail_outbox')
    .addColumn('category', 'text', (c) => c.notNull().defaultTo('general'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('category').execute();
  await db.schema.dropTable('cospeaker_optouts').execute();
  await db.schema.dropTable('cospeaker_invitations').execute();
  await db.schema.dropIndex('proposal_speakers_token_uq').execute();
  for (const c of ['responded_at', 'invited_at', 'token_hash', 'status']) await db.schema.alterTable('proposal_speakers').dropColumn(c).execute();
}
