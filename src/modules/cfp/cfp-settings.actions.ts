import type { Db } from '../../db/database.js';
import type { Problem } from '../../lib/domain-error.js';
import { parseInstant, toStoredInstant } from '../../lib/time.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import { parseInput } from '../../lib/form-fields.js';
import type { CfpSettings } from './cfp.js';
import { CfpErrors } from './cfp.errors.js';
import type { CfpContext } from './cfp-mail.js';
import { canManageCfp } from './cfp.policy.js';
import { getCfpSettings } from './cfp.queries.js';
import { CfpSettingsSchema } from './cfp.schemas.js';
import { withEventWrite } from '../events/event-write.js';

/**
 * Sets up or replaces the event's call for proposals: `opensAt` and `closesAt` as local
 * date-times in the event's zone (stored as UTC instants), the call text and the formats open
 * to proposals with their durations. Closing early stays as it was. Organizers only.
 * Side effects, in one transaction (the event locked first): cfp_settings row, event version
 * bump, audit row.
 * @throws VALIDATION_FAILED (422: a field; a local time skipped by daylight saving; closesAt not
 *   after opensAt), FORBIDDEN (403), NOT_FOUND (404: event).
 */
export async function saveCfpSettings(db: Db, ctx: CfpContext, actor: Actor | null, eventId: number, input: unknown): Promise<CfpSettings> {
  const data = parseInput(CfpSettingsSchema, input);
  return withEventWrite(
    { db, clock: ctx.clock },
    actor,
    eventId,
    { may: canManageCfp, what: 'set up the call for proposals of this event' },
    async ({ trx, event, now, audit }) => {
      const problems: Problem[] = [];
      const instant = (path: string, text: string) => {
        const dt = parseInstant(text, event.time_zone);
        if (!dt) problems.push({ path, message: `is not a time that exists in ${event.time_zone}` });
        return dt ? toStoredInstant(dt) : '';
      };
      const opensAt = instant('opensAt', data.opensAt);
      const closesAt = instant('closesAt', data.closesAt);
      if (opensAt && closesAt && closesAt <= opensAt) problems.push({ path: 'closesAt', message: 'must be after the opening' });
      if (problems.length) throw EventErrors.validationFailed(problems);
      const values = { opens_at: opensAt, closes_at: closesAt, call_text: data.callText, formats: JSON.stringify(data.formats), updated_at: now };
      const existed = (await getCfpSettings(trx, eventId)) !== null;
      if (existed) await trx.updateTable('cfp_settings').set(values).where('event_id', '=', eventId).execute();
      else
        await trx
          .insertInto('cfp_settings')
          .values({ event_id: eventId, ...values, created_at: now })
          .execute();
      audit({
        action: existed ? 'cfp.updated' : 'cfp.created',
        entityType: 'event',
        entityId: eventId,
        summary: `Call for proposals ${existed ? 'changed' : 'set up'}: ${data.opensAt} to ${data.closesAt} (${event.time_zone}), formats ${data.formats.map((f) => `${f.kind} ${f.durationMinutes} min`).join(', ')}`,
      });
      return (await getCfpSettings(trx, eventId))!;
    },
  );
}

/**
 * Closes the call now, before its closing date (`close`), or lifts that (`reopen`: the dates
 * decide again). Organizers only. Side effects: cfp_settings row, event version bump, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404: event), CFP_NOT_FOUND (404: no call set up).
 */
export async function setCfpClosedEarly(db: Db, ctx: CfpContext, actor: Actor | null, eventId: number, closed: boolean): Promise<CfpSettings> {
  return withEventWrite(
    { db, clock: ctx.clock },
    actor,
    eventId,
    { may: canManageCfp, what: 'close or reopen the call for proposals of this event' },
    async ({ trx, now, audit }) => {
      const before = await getCfpSettings(trx, eventId);
      if (!before) throw CfpErrors.cfpNotFound(eventId);
      await trx
        .updateTable('cfp_settings')
        .set({ closed_at: closed ? (before.closedAt ?? now) : null, updated_at: now })
        .where('event_id', '=', eventId)
        .execute();
      audit({
        action: closed ? 'cfp.closed' : 'cfp.reopened',
        entityType: 'event',
        entityId: eventId,
        summary: closed ? 'Call for proposals closed early' : 'Call for proposals reopened (its dates apply again)',
      });
      return (await getCfpSettings(trx, eventId))!;
    },
  );
}
