import type { Generated, Selectable } from 'kysely';

export interface UserTable {
  id: Generated<number>;
  /** Lower-cased; private: never shown on public pages, exports or the public API. */
  email: string;
  email_verified_at: string | null;
  /** scrypt hash in PHC-like form; null for accounts that only sign in by one-time link. */
  password_hash: string | null;
  display_name: string;
  is_admin: Generated<number>;
  /** 1 when a site administrator allowed this person to start communities (COMMUNITY_CREATORS=allowed). */
  may_create_communities: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface AuthSessionTable {
  /** SHA-256 of the cookie value: the cookie itself is never stored. */
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: Generated<string>;
}

export interface OneTimeTokenTable {
  token_hash: string;
  user_id: number | null;
  /** verify_email | reset_password | sign_in | setup (see TokenPurpose in one-time-token.queries.ts) */
  purpose: string;
  email: string;
  data: Generated<string>;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  /** First characters of the token, shown in the UI so people can tell tokens apart. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface RoleGrantTable {
  id: Generated<number>;
  user_id: number;
  /** community | event */
  scope_type: string;
  scope_id: number;
  /** owner | organizer | track_manager | reviewer | speaker | volunteer */
  role: string;
  /** JSON array of track ids, for track managers. */
  track_ids: Generated<string>;
  created_at: string;
}

export interface InvitationTable {
  id: Generated<number>;
  email: string;
  scope_type: string;
  scope_id: number;
  role: string;
  track_ids: Generated<string>;
  token_hash: string;
  invited_by: number | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  actor_user_id: number | null;
  /** Display name at the time, kept when the account is deleted. */
  actor_label: string;
  community_id: number | null;
  event_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: string;
  created_at: string;
}

/** One rate-limited attempt (see attempt.queries.ts); rows older than the longest window are deleted. */
export interface AuthAttemptTable {
  id: Generated<number>;
  /** What is counted for whom: "sign_in:ip:203.0.113.7", "password:account:<sha-256 of the address>". */
  bucket: string;
  /** UTC with milliseconds (Date#toISOString). */
  created_at: string;
}

export type UserRow = Selectable<UserTable>;
export type RoleGrantRow = Selectable<RoleGrantTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
