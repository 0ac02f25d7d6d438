import { compiledOnce } from '../../db/compiled-query.js';
import type { InferResult, Kysely } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import { hashSecret, newSecret } from '../../lib/secrets.js';
import type { Actor } from './actor.js';
import { noteApiTokenUse, unwrittenApiTokenUse } from './api-token-use.js';
import { AccountErrors } from './account.errors.js';
import { canCreateApiToken } from './account.policy.js';
import { ApiTokenNameSchema, parseInput } from './account.schemas.js';
import { actorFor } from './auth-session.queries.js';
import { recordAudit } from './audit.queries.js';
import { storedInstant, systemClock, type Clock } from '../../lib/clock.js';

/*
 * Personal access tokens for the API: `hw_` + 256 random bits. The token is shown once, when
 * created; the table keeps its SHA-256 and a short display prefix. A token acts as its owner
 * (same grants, same actor), sent as "Authorization: Bearer hw_…".
 */

export const API_TOKEN_PREFIX = 'hw_';
/** Characters of the token kept for display ("hw_AbCd123…"), enough to tell tokens apart. */
const DISPLAY_PREFIX_LENGTH = 10;
/** last_used_at is written at most this often per token (a busy script would otherwise write on every call). */
const LAST_USED_GRANULARITY_MS = 60_000;

export interface ApiTokenInfo {
  readonly id: number;
  readonly name: string;
  /** The first characters, for display only. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/**
 * Creates a token for the actor and returns it, with its secret, once: it cannot be shown again.
 * Needs a confirmed e-mail address (a token organizes as its owner).
 * Side effects: api_tokens row (hash + prefix). Errors: ACCOUNT_INPUT_INVALID (`name`, 1–100),
 * EMAIL_NOT_VERIFIED.
 */
export async function createApiToken(db: Db, actor: Actor, name: string, clock: Clock = systemClock): Promise<ApiTokenInfo & { token: string }> {
  const parsed = parseInput(ApiTokenNameSchema, { name });
  if (!canCreateApiToken(actor)) throw AccountErrors.emailNotVerified();
  const token = newSecret(API_TOKEN_PREFIX);
  const createdAt = clock.instant();
  const prefix = token.slice(0, DISPLAY_PREFIX_LENGTH);
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: actor.userId, name: parsed.name, token_hash: hashSecret(token), prefix, created_at: createdAt, last_used_at: null, revoked_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, name: parsed.name, prefix, createdAt, lastUsedAt: null, revokedAt: null, token };
}

/** The actor's own tokens, newest first, revoked ones included (never the secret). */
export async function listApiTokens(db: Db, actor: Actor): Promise<ApiTokenInfo[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', actor.userId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: unwrittenApiTokenUse(db, r.id) ?? r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/**
 * Revokes one of the actor's tokens (idempotent for an already revoked one). Someone else's
 * token is NOT_FOUND, never FORBIDDEN, so ids cannot be probed. Errors: NOT_FOUND.
 */
export async function revokeApiToken(db: Db, actor: Actor, id: number, clock: Clock = systemClock): Promise<void> {
  const row = await db.selectFrom('api_tokens').select(['id', 'revoked_at']).where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
  if (!row) throw AccountErrors.notFound('API token');
  if (row.revoked_at === null) await db.updateTable('api_tokens').set({ revoked_at: clock.instant() }).where('id', '=', id).execute();
}

/** How many of the user's tokens still work (not revoked). */
export async function countActiveApiTokens(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Revokes every working token of the user, because `why` ("signed out everywhere"), and returns
 * how many. Side effects: api_tokens rows, an audit_log row when there were any.
 */
export async function revokeAllApiTokens(db: Db, user: { id: number; displayName: string }, why: string, clock: Clock = systemClock): Promise<number> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: clock.instant() })
    .where('user_id', '=', user.id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  const revoked = Number(result.numUpdatedRows);
  if (revoked > 0) {
    await recordAudit(db, {
      at: clock.instant(),
      actor: { userId: user.id, displayName: user.displayName },
      communityId: null,
      eventId: null,
      action: 'user.api_tokens_revoked',
      entityType: 'user',
      entityId: user.id,
      summary: `${user.displayName} ${why} and revoked ${revoked === 1 ? '1 API token' : `${revoked} API tokens`}`,
    });
  }
  return revoked;
}

/**
 * The actor behind a bearer token (the raw token, or "Bearer <token>"), or null when it is
 * unknown or revoked. Side effect: last_used_at, at most once a minute, written a few seconds
 * later with other tokens' (see api-token-use.ts).
 */
export async function findActorByApiToken(db: Db, bearer: string, clock: Clock = systemClock): Promise<Actor | null> {
  const token = bearer.replace(/^Bearer\s+/i, '').trim();
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await findToken(db, [hashSecret(token)]);
  if (!row || row.revoked_at !== null) return null;
  const now = clock.now();
  if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) >= LAST_USED_GRANULARITY_MS)
    noteApiTokenUse(db, row.tokenId, storedInstant(now));
  return actorFor(db, row);
}

function buildTokenRead(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as tokenId',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'users.id',
      'users.display_name',
      'users.is_admin',
      'users.email_verified_at',
    ])
    .where('api_tokens.token_hash', '=', tokenHash);
}

/** Every API request runs this: compiled once. */
const findToken = compiledOnce<[tokenHash: string], InferResult<ReturnType<typeof buildTokenRead>>[number]>(1, (db, m) => buildTokenRead(db, m[0]!));
