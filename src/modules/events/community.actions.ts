import type { Actor } from '../accounts/actor.js';
import { canManageCommunity } from '../accounts/account.policy.js';
import { ALLOWED_ONLY, assertMayCreateCommunity, type CommunityCreatorSettings } from '../accounts/community-creators.actions.js';
import type { ModuleContext } from '../context.js';
import { EventErrors } from './event.errors.js';
import { CommunitySchema, UpdateCommunitySchema } from './event.schemas.js';
import { withCommunityWrite, withAuditedCreate } from './event-write.js';
import { definedOnly, uniqueAs, type Trx } from './event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { toCommunityRecord, type CommunityRecord } from './records.js';

/**
 * Creates a community and makes the actor its owner (a 'owner' role grant on the community).
 * The `actor` object passed in is not changed: rebuild it (actorFor) to see the new grant.
 * Who may is the operator's COMMUNITY_CREATORS (`settings`; without it, the safe `allowed`).
 * Side effects, in one transaction: communities row, role_grants row, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403, not signed in), EMAIL_NOT_VERIFIED (403),
 * COMMUNITY_CREATION_NOT_ALLOWED (403), SLUG_TAKEN (409).
 */
export async function createCommunity(
  ctx: ModuleContext,
  actor: Actor | null,
  input: unknown,
  settings: CommunityCreatorSettings = ALLOWED_ONLY,
): Promise<CommunityRecord> {
  await assertMayCreateCommunity(ctx.db, settings, actor);
  const data = parseInput(CommunitySchema, input);
  const user = actor!;
  return uniqueAs(
    () => EventErrors.slugTaken('community', data.slug),
    () =>
      withAuditedCreate(ctx, actor, async ({ trx, now, audit }) => {
        await assertSlugFree(trx, data.slug, null);
        const row = await trx
          .insertInto('communities')
          .values({ slug: data.slug, name: data.name, description: data.description, url: data.url, created_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('role_grants')
          .values({ user_id: user.userId, scope_type: 'community', scope_id: row.id, role: 'owner', track_ids: '[]', created_at: now })
          .execute();
        audit({
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
 * Side effects, in one transaction (withCommunityWrite): communities row, events versions, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404), SLUG_TAKEN (409).
 */
export async function updateCommunity(ctx: ModuleContext, actor: Actor | null, communityId: number, input: unknown): Promise<CommunityRecord> {
  const data = parseInput(UpdateCommunitySchema, input);
  return uniqueAs(
    () => EventErrors.slugTaken('community', data.slug ?? ''),
    () =>
      withCommunityWrite(ctx, actor, communityId, { may: canManageCommunity, what: 'edit this community' }, async ({ trx, audit }) => {
        const before = await trx.selectFrom('communities').selectAll().where('id', '=', communityId).executeTakeFirst();
        if (!before) throw EventErrors.notFound('community', communityId);
        if (data.slug !== undefined && data.slug !== before.slug) await assertSlugFree(trx, data.slug, communityId);
        const values = definedOnly(data);
        const row = Object.keys(values).length
          ? await trx.updateTable('communities').set(values).where('id', '=', communityId).returningAll().executeTakeFirstOrThrow()
          : before;
        const changed = (Object.keys(values) as Array<keyof typeof values>).filter((k) => values[k] !== before[k]);
        audit({
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
