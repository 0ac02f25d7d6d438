import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { canManageCommunity } from '../accounts/account.policy.js';
import { ALLOWED_ONLY, assertMayCreateCommunity, type CommunityCreatorSettings } from '../accounts/community-creators.actions.js';
import { recordAudit } from '../accounts/audit.queries.js';
import { EventErrors } from './event.errors.js';
import { CommunitySchema, UpdateCommunitySchema } from './event.schemas.js';
import { definedOnly, ensureAllowed, nowInstant, touchCommunityEvents, uniqueAs, type Trx } from './event-write.queries.js';
import { parseInput } from './fields.schemas.js';
import { toCommunityRecord, type CommunityRecord } from './records.js';

/**
 * Creates a community and makes the actor its owner (a 'owner' role grant on the community).
 * The `actor` object passed in is not changed: rebuild it (actorFor) to see the new grant.
 * Who may is the operator's COMMUNITY_CREATORS (`settings`; without it, the safe `allowed`).
 * Side effects, in one transaction: communities row, role_grants row, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403, not signed in), EMAIL_NOT_VERIFIED (403),
 * COMMUNITY_CREATION_NOT_ALLOWED (403), SLUG_TAKEN (409).
 */
export async function createCommunity(db: Db, actor: Actor | null, input: unknown, settings: CommunityCreatorSettings = ALLOWED_ONLY): Promise<CommunityRecord> {
  await assertMayCreateCommunity(db, settings, actor);
  const data = parseInput(CommunitySchema, input);
  const user = actor!;
  return uniqueAs(() => EventErrors.slugTaken('community', data.slug), () =>
    db.transaction().execute(async (trx) => {
      await assertSlugFree(trx, data.slug, null);
      const ts = nowInstant();
      const row = await trx
        .insertInto('communities')
        .values({ slug: data.slug, name: data.name, description: data.description, url: data.url, created_at: ts })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('role_grants')
        .values({ user_id: user.userId, scope_type: 'community', scope_id: row.id, role: 'owner', track_ids: '[]', created_at: ts })
        .execute();
      await recordAudit(trx, {
        actor,
        communityId: row.id,
        eventId: null,
        action: 'community.created',
        entityType: 'community',
        entityId: row.id,
        summary: `Created community "${row.name}" (${row.slug}); ${user.displayName} is its owner`,
      });
      return toCommunityRecord(row);
    }),
  );
}

/**
 * Changes a community's slug, name, description or URL (absent fields are kept). Bumps the
 * version of each of its events, whose pages show the community.
 * Side effects, in one transaction: communities row, events versions, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404), SLUG_TAKEN (409).
 */
export async function updateCommunity(db: Db, actor: Actor | null, communityId: number, input: unknown): Promise<CommunityRecord> {
  const data = parseInput(UpdateCommunitySchema, input);
  ensureAllowed(canManageCommunity(actor, communityId), 'edit this community');
  return uniqueAs(() => EventErrors.slugTaken('community', data.slug ?? ''), () =>
    db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('communities').selectAll().where('id', '=', communityId).executeTakeFirst();
      if (!before) throw EventErrors.notFound('community', communityId);
      if (data.slug !== undefined && data.slug !== before.slug) await assertSlugFree(trx, data.slug, communityId);
      const values = definedOnly(data);
      const row = Object.keys(values).length
        ? await trx.updateTable('communities').set(values).where('id', '=', communityId).returningAll().executeTakeFirstOrThrow()
        : before;
      await touchCommunityEvents(trx, communityId);
      const changed = (Object.keys(values) as Array<keyof typeof values>).filter((k) => values[k] !== before[k]);
      await recordAudit(trx, {
        actor,
        communityId,
        eventId: null,
        action: 'community.updated',
        entityType: 'community',
        entityId: communityId,
        summary: `Updated community "${row.name}"${changed.length ? `: ${changed.join(', ')}` : ' (no changes)'}`,
      });
      return toCommunityRecord(row);
    }),
  );
}

async function assertSlugFree(trx: Trx, slug: string, self: number | null) {
  const clash = await trx.selectFrom('communities').select('id').where('slug', '=', slug).executeTakeFirst();
  if (clash && clash.id !== self) throw EventErrors.slugTaken('community', slug);
}
