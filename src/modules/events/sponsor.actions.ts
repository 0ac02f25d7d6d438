import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { EventErrors } from './event.errors.js';
import { SponsorSchema, UpdateSponsorSchema } from './event.schemas.js';
import { withEventWrite } from './event-write.js';
import { assertNameFree, definedOnly, uniqueAs, nextPosition } from './event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { toSponsorRecord, type SponsorRecord } from './records.js';

const EDIT_SPONSORS = { may: canManageEvent, what: 'edit the sponsors of this event' };

/**
 * Adds a sponsor at the end of the event's sponsor list.
 * Side effects, in one transaction (withEventWrite): sponsors row, version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404), NAME_TAKEN (409).
 */
export async function createSponsor(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<SponsorRecord> {
  const data = parseInput(SponsorSchema, input);
  return uniqueAs(
    () => EventErrors.nameTaken('sponsor', data.name),
    () =>
      withEventWrite(ctx, actor, eventId, EDIT_SPONSORS, async ({ trx, audit }) => {
        await assertNameFree(trx, 'sponsors', eventId, data.name, null);
        const row = await trx
          .insertInto('sponsors')
          .values({
            event_id: eventId,
            name: data.name,
            level: data.level,
            url: data.url,
            logo_url: data.logoUrl,
            contribution: data.contribution,
            position: await nextPosition(trx, 'sponsors', eventId),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        audit({ entityType: 'sponsor', action: 'sponsor.created', entityId: row.id, summary: `Added sponsor "${row.name}" (${row.level})` });
        return toSponsorRecord(row);
      }),
  );
}

/**
 * Changes a sponsor's fields (absent fields are kept).
 * Side effects, in one transaction (withEventWrite): sponsors row, version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404: also a sponsor of another event), NAME_TAKEN (409).
 */
export async function updateSponsor(ctx: ModuleContext, actor: Actor | null, eventId: number, sponsorId: number, input: unknown): Promise<SponsorRecord> {
  const data = parseInput(UpdateSponsorSchema, input);
  return uniqueAs(
    () => EventErrors.nameTaken('sponsor', data.name ?? ''),
    () =>
      withEventWrite(ctx, actor, eventId, EDIT_SPONSORS, async ({ trx, audit }) => {
        const before = await trx.selectFrom('sponsors').selectAll().where('id', '=', sponsorId).where('event_id', '=', eventId).executeTakeFirst();
        if (!before) throw EventErrors.notFound('sponsor', sponsorId);
        if (data.name !== undefined && data.name !== before.name) await assertNameFree(trx, 'sponsors', eventId, data.name, sponsorId);
        const values = definedOnly({ name: data.name, level: data.level, url: data.url, logo_url: data.logoUrl, contribution: data.contribution });
        const row = Object.keys(values).length
          ? await trx.updateTable('sponsors').set(values).where('id', '=', sponsorId).returningAll().executeTakeFirstOrThrow()
          : before;
        const renamed = row.name !== before.name ? ` (was "${before.name}")` : '';
        audit({ entityType: 'sponsor', action: 'sponsor.updated', entityId: sponsorId, summary: `Updated sponsor "${row.name}"${renamed}` });
        return toSponsorRecord(row);
      }),
  );
}

/**
 * Removes a sponsor; sessions it sponsored stay, without a sponsor (their sequence is bumped).
 * Side effects, in one transaction (withEventWrite): sponsors row deleted, sessions.sponsor_id cleared, version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404).
 */
export async function deleteSponsor(ctx: ModuleContext, actor: Actor | null, eventId: number, sponsorId: number): Promise<void> {
  await withEventWrite(ctx, actor, eventId, EDIT_SPONSORS, async ({ trx, now, audit }) => {
    const before = await trx.selectFrom('sponsors').selectAll().where('id', '=', sponsorId).where('event_id', '=', eventId).executeTakeFirst();
    if (!before) throw EventErrors.notFound('sponsor', sponsorId);
    const cleared = await trx
      .updateTable('sessions')
      .set((eb) => ({ sponsor_id: null, sequence: eb('sequence', '+', 1), updated_at: now }))
      .where('sponsor_id', '=', sponsorId)
      .executeTakeFirst();
    await trx.deleteFrom('sponsors').where('id', '=', sponsorId).execute();
    const n = Number(cleared.numUpdatedRows);
    audit({
      entityType: 'sponsor',
      action: 'sponsor.deleted',
      entityId: sponsorId,
      summary: `Removed sponsor "${before.name}"${n ? `; ${n} session${n === 1 ? ' no longer names it' : 's no longer name it'}` : ''}`,
    });
    return undefined;
  });
}
