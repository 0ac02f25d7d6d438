import type { Db } from '../../src/db/database.js';
import { fixedClock } from '../../src/lib/clock.js';
import { withEventWrite } from '../../src/modules/events/event-write.js';
import { releaseDraftIn } from '../../src/modules/schedule/release.actions.js';
import { TEST_OPERATOR } from './module-context.js';

/**
 * Releases the event's programme through the real action (releaseDraftIn, speaker mails held),
 * after moving `changes` of its placed sessions (or those named in `move`, by code) half an hour
 * later in the draft, so the release has exactly that many changes (default 1). The live channel's signal is part of the action.
 */
export async function releaseProgramme(
  db: Db,
  eventId: number,
  options: { readonly name?: string; readonly comment?: string; readonly changes?: number; readonly move?: readonly string[]; readonly at?: string } = {},
): Promise<{ number: number; name: string }> {
  const clock = fixedClock(options.at ?? '2027-04-01T12:00:00Z');
  let q = db.selectFrom('sessions').select(['id', 'starts_at', 'ends_at']).where('event_id', '=', eventId).where('placed', '=', 1);
  if (options.move) q = q.where('code', 'in', options.move);
  const sessions = await q.orderBy('id').execute();
  const count = options.move ? options.move.length : (options.changes ?? 1);
  if (sessions.length < count) throw new Error(`releaseProgramme: the event has ${sessions.length} placed sessions, ${count} changes asked`);
  const later = (at: string) => new Date(Date.parse(at) + 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const s of sessions.slice(0, count)) {
    await db
      .updateTable('sessions')
      .set({ starts_at: later(s.starts_at), ends_at: later(s.ends_at) })
      .where('id', '=', s.id)
      .execute();
  }
  const r = await withEventWrite({ db, clock }, TEST_OPERATOR, eventId, { may: () => false, what: 'release' }, (w) =>
    releaseDraftIn(w, TEST_OPERATOR, { name: options.name ?? '', comment: options.comment ?? '', mails: 'hold' }),
  );
  return { number: r.release.number, name: r.release.name };
}
