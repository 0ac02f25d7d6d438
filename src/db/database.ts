import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseConfig } from '../config.js';
import { HallwaySqliteDialect, withStatementCache } from './sqlite-driver.js';
import { MAIN_AUTOCHECKPOINT_PAGES, startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';
import type { CommunityTable, EventHostTable, EventTable, SponsorTable } from '../modules/events/event.table.js';
import type { RoomTable, SessionLinkTable, SessionSpeakerTable, SessionTable, TrackTable } from '../modules/program/program.table.js';
import type { SpeakerTable } from '../modules/speakers/speaker.table.js';
import type { CommunityMemberTable, EventSeriesTable, SeriesOccurrenceTable } from '../modules/events/series.table.js';
import type {
  ApiTokenTable,
  AuditLogTable,
  AuthAttemptTable,
  AuthSessionTable,
  InvitationTable,
  OneTimeTokenTable,
  RoleGrantTable,
  UserTable,
} from '../modules/accounts/account.table.js';
import type { MailOutboxTable } from '../modules/mail/mail.table.js';
import type {
  AgendaFeedTokenTable,
  AgendaStarTable,
  RecapSectionTable,
  RecapTable,
  SessionFeedbackTable,
  SessionNoteTable,
} from '../modules/agenda/agenda.table.js';
import type {
  RegistrationSettingsTable,
  RsvpReminderTable,
  RsvpTable,
  SessionSignupTable,
  SignupSessionTable,
  TicketTypeTable,
} from '../modules/registration/registration.table.js';
import type {
  CfpSettingsTable,
  CospeakerInvitationTable,
  CospeakerOptoutTable,
  ProposalReviewTable,
  ProposalSpeakerTable,
  ProposalTable,
} from '../modules/cfp/cfp.table.js';
import type { WebhookDeliveryTable, WebhookTable } from '../modules/webhooks/webhook.table.js';
import type { ReleaseChangeTable, ReleaseSessionTable, ScheduleReleaseTable } from '../modules/schedule/release.table.js';
import type { AvailabilityTable, ScheduleBlockerTable } from '../modules/planning/planning.table.js';
import type { OptimizerRunTable } from '../modules/planning/optimizer-run.table.js';
import type { InterestPickTable, InterestPollTable, InterestVoterTable } from '../modules/interest/interest.table.js';

/** Every table, as the modules' *.table.ts files declare them. */
export interface Database {
  communities: CommunityTable;
  events: EventTable;
  event_hosts: EventHostTable;
  sponsors: SponsorTable;
  rooms: RoomTable;
  tracks: TrackTable;
  speakers: SpeakerTable;
  sessions: SessionTable;
  session_speakers: SessionSpeakerTable;
  session_links: SessionLinkTable;
  users: UserTable;
  auth_sessions: AuthSessionTable;
  one_time_tokens: OneTimeTokenTable;
  api_tokens: ApiTokenTable;
  auth_attempts: AuthAttemptTable;
  role_grants: RoleGrantTable;
  invitations: InvitationTable;
  audit_log: AuditLogTable;
  mail_outbox: MailOutboxTable;
  settings: { key: string; value: string };
  agenda_stars: AgendaStarTable;
  agenda_feed_tokens: AgendaFeedTokenTable;
  session_notes: SessionNoteTable;
  recaps: RecapTable;
  recap_sections: RecapSectionTable;
  session_feedback: SessionFeedbackTable;
  registration_settings: RegistrationSettingsTable;
  ticket_types: TicketTypeTable;
  rsvps: RsvpTable;
  rsvp_reminders: RsvpReminderTable;
  signup_sessions: SignupSessionTable;
  session_signups: SessionSignupTable;
  community_members: CommunityMemberTable;
  event_series: EventSeriesTable;
  series_occurrences: SeriesOccurrenceTable;
  cfp_settings: CfpSettingsTable;
  proposals: ProposalTable;
  proposal_speakers: ProposalSpeakerTable;
  proposal_reviews: ProposalReviewTable;
  cospeaker_invitations: CospeakerInvitationTable;
  cospeaker_optouts: CospeakerOptoutTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  schedule_releases: ScheduleReleaseTable;
  release_sessions: ReleaseSessionTable;
  release_changes: ReleaseChangeTable;
  schedule_blockers: ScheduleBlockerTable;
  availability: AvailabilityTable;
  optimizer_runs: OptimizerRunTable;
  interest_polls: InterestPollTable;
  interest_voters: InterestVoterTable;
  interest_picks: InterestPickTable;
}

export type Db = Kysely<Database>;

// PostgreSQL returns COUNT(*) and BIGINT as strings by default; our counts fit a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/**
 * Opens the configured database. SQLite runs in WAL mode with foreign keys on, through one
 * connection with cached prepared statements; transactions take its write lock at once unless
 * marked read-only (BEGIN IMMEDIATE; see sqlite-driver.ts).
 * `backgroundCheckpoints` (a server's long-lived database): checkpoints run in a worker thread,
 * not inside the commits of the one connection (see wal-checkpointer.ts).
 */
export function createDb(config: DatabaseConfig, options: { poolSize?: number; backgroundCheckpoints?: boolean } = {}): Db {
  const observers = new Set<QueryObserver>();
  const log = (event: LogEvent) => {
    if (observers.size === 0) return;
    const kind = queryKind(event.query.sql);
    const seconds = event.queryDurationMillis / 1000;
    for (const observer of observers) observer(kind, seconds, event.level === 'error');
  };
  const db = openDb(config, options, log);
  queryObservers.set(db, observers);
  return db;
}

/** Told of every statement a database opened by createDb runs: its kind, how long it took, whether it failed. */
export type QueryObserver = (kind: QueryKind, seconds: number, failed: boolean) => void;

export type QueryKind = 'select' | 'insert' | 'update' | 'delete' | 'transaction' | 'other';

const queryObservers = new WeakMap<Db, Set<QueryObserver>>();

/**
 * Calls `observer` after every statement `db` (opened by createDb; its transactions included)
 * runs, from Kysely's log hook, so the modules' code knows nothing of it (the metrics' database
 * time). Returns the function that stops it.
 */
export function observeQueries(db: Db, observer: QueryObserver): () => void {
  const observers = queryObservers.get(db);
  observers?.add(observer);
  return () => void observers?.delete(observer);
}

const KINDS: Record<string, QueryKind> = {
  select: 'select',
  with: 'select',
  insert: 'insert',
  update: 'update',
  delete: 'delete',
  begin: 'transaction',
  commit: 'transaction',
  rollback: 'transaction',
  savepoint: 'transaction',
  release: 'transaction',
};

/** The statement's kind, from its first word (a bounded set: a metrics label). */
export function queryKind(statement: string): QueryKind {
  const word = /^\s*([A-Za-z]+)/.exec(statement)?.[1]?.toLowerCase();
  return (word && KINDS[word]) || 'other';
}

function openDb(config: DatabaseConfig, options: { poolSize?: number; backgroundCheckpoints?: boolean }, log: (event: LogEvent) => void): Db {
  if (config.kind === 'sqlite') {
    const file = config.filename !== ':memory:';
    if (file) mkdirSync(dirname(config.filename), { recursive: true });
    const sqlite = new SQLite(config.filename);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    let checkpointer: WalCheckpointer | undefined;
    if (file && options.backgroundCheckpoints) {
      sqlite.pragma(`wal_autocheckpoint = ${MAIN_AUTOCHECKPOINT_PAGES}`);
      checkpointer = startWalCheckpointer(config.filename);
    }
    return new Kysely<Database>({
      dialect: new HallwaySqliteDialect({ database: withStatementCache(sqlite) }, { beforeDestroy: () => checkpointer?.stop() }),
      log,
    });
  }
  const pool = new pg.Pool({ connectionString: config.url, max: options.poolSize ?? 10 });
  // An idle connection can be closed by the server (restart, failover, an administrator). The
  // pool discards it and opens a new one on the next query; unhandled, the event would end the
  // process, so it becomes a warning.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL connection lost while idle: ${err.message}`));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log });
}

/**
 * Runs fn in a transaction, or directly in the caller's when `db` already is one (adapters may
 * own the transaction; Kysely cannot nest them).
 */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** Whether the database answers (readiness): resolves when `select 1` does, else rejects with its error. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: any database schema will do for asking the dialect
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}
