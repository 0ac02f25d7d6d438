import type { Kysely } from 'kysely';

/*
 * Frozen history: accounts, sign-in sessions, one-time links, API tokens, role grants,
 * invitations, the audit log and the mail outbox. Secrets (session ids, one-time links, API
 * tokens) are stored only as SHA-256 hashes, so a database leak does not hand out sessions.
 */

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const id = (t: any) =>
    pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement());

  await id(db.schema.createTable('users'))
    .addColumn('email', 'text', (c: any) => c.notNull().unique())
    .addColumn('email_verified_at', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('display_name', 'text', (c: any) => c.notNull())
    .addColumn('is_admin', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute();

  await db.schema
    .createTable('auth_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.createIndex('auth_sessions_user_idx').on('auth_sessions').column('user_id').execute();

  await db.schema
    .createTable('one_time_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('one_time_tokens_user_idx').on('one_time_tokens').column('user_id').execute();

  await id(db.schema.createTable('api_tokens'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('token_hash', 'text', (c: any) => c.notNull().unique())
    .addColumn('prefix', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

  await id(db.schema.createTable('role_grants'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('scope_type', 'text', (c: any) => c.notNull())
    .addColumn('scope_id', 'integer', (c: any) => c.notNull())
    .addColumn('role', 'text', (c: any) => c.notNull())
    .addColumn('track_ids', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('role_grants_uq', ['user_id', 'scope_type', 'scope_id', 'role'])
    .execute();
  await db.schema.createIndex('role_grants_scope_idx').on('role_grants').columns(['scope_type', 'scope_id']).execute();

  await id(db.schema.createTable('invitations'))
    .addColumn('email', 'text', (c: any) => c.notNull())
    .addColumn('scope_type', 'text', (c: any) => c.notNull())
    .addColumn('scope_id', 'integer', (c: any) => c.notNull())
    .addColumn('role', 'text', (c: any) => c.notNull())
    .addColumn('track_ids', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('token_hash', 'text', (c: any) => c.notNull().unique())
    .addColumn('invited_by', 'integer', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('expires_at', 'text', (c: any) => c.notNull())
    .addColumn('accepted_at', 'text')
    .execute();

  await id(db.schema.createTable('audit_log'))
    .addColumn('actor_user_id', 'integer', (c: any) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_label', 'text', (c: any) => c.notNull())
    .addColumn('community_id', 'integer')
    .addColumn('event_id', 'integer')
    .addColumn('action', 'text', (c: any) => c.notNull())
    .addColumn('entity_type', 'text', (c: any) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('summary', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_event_idx').on('audit_log').columns(['event_id', 'created_at']).execute();

  await id(db.schema.createTable('mail_outbox'))
    .addColumn('to_address', 'text', (c: any) => c.notNull())
    .addColumn('subject', 'text', (c: any) => c.notNull())
    .addColumn('text_body', 'text', (c: any) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('attachments', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('attempts', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('mail_outbox_status_idx').on('mail_outbox').columns(['status', 'id']).execute();

  // Instance-wide settings, e.g. the generated secret that signs cookies when SECRET_KEY is unset
  // (kept in the database so every process sharing it agrees).
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  // A speaker profile may belong to an account (so the speaker can edit it, and so deleting the
  // account can keep the talk credited as the speaker chose).
  await db.schema
    .alterTable('speakers')
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('speakers').dropColumn('user_id').execute();
  for (const t of ['settings', 'mail_outbox', 'audit_log', 'invitations', 'role_grants', 'api_tokens', 'one_time_tokens', 'auth_sessions', 'users']) {
    await db.schema.dropTable(t).execute();
  }
}
