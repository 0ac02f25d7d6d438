import type { Db } from '../../src/db/database.js';
import { signalRelease } from '../../src/modules/live/live.queries.js';

/**
 * Releases the event's programme as the release action will (`releaseSchedule`, being written in
 * src/modules/releases/): in one transaction, the next schedule_releases row (numbered 1, 2, …)
 * and the live channel's signal, which other processes hear only once it commits.
 *
 * A stand-in until that action lands: every live test releases through here, so swapping this
 * body for a call of the real action is the only change the tests need.
 */
export async function releaseProgramme(
  db: Db,
  eventId: number,
  options: { readonly name?: string; readonly comment?: string; readonly changes?: number; readonly at?: string } = {},
): Promise<{ number: number; name: string }> {
  return db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('schedule_releases')
      .select((eb) => eb.fn.max('number').as('n'))
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    const number = (last?.n ?? 0) + 1;
    const name = options.name ?? String(number);
    await trx
      .insertInto('schedule_releases')
      .values({
        event_id: eventId,
        number,
        name,
        comment: options.comment ?? '',
        released_at: options.at ?? '2027-04-01T12:00:00Z',
        released_by: null,
        released_by_label: 'test fixtures',
        notifications: 'none',
        change_count: options.changes ?? 0,
      })
      .execute();
    await signalRelease(trx, eventId, number);
    return { number, name };
  });
}
