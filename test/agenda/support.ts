import type { Db } from '../../src/db/database.js';
import type { Actor, RoleGrant } from '../../src/modules/accounts/actor.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import type { buildEventDoc } from '../factories/event-doc.js';
import { newActor } from '../program/support.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

export { actorOf, newActor, rejectsWith, useDatabase } from '../program/support.js';

/** Imports a conference document and returns its event id and session ids by code. */
export async function importConference(db: Db, doc: ReturnType<typeof buildEventDoc>): Promise<{ eventId: number; ids: Record<string, number> }> {
  const summary = await importEventDocument(moduleContext(db), TEST_OPERATOR, doc);
  const rows = await db.selectFrom('sessions').select(['id', 'code']).where('event_id', '=', summary.eventId).execute();
  return { eventId: summary.eventId, ids: Object.fromEntries(rows.map((r) => [r.code, r.id])) };
}

/** An organizer of the event (event-scoped grant). */
export function organizerOf(db: Db, eventId: number, name = 'Olga Organizer'): Promise<Actor> {
  const grant: RoleGrant = { scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] };
  return newActor(db, name, [grant]);
}

/** Links a speaker profile (by code) to the actor's account. */
export async function linkSpeaker(db: Db, eventId: number, code: string, actor: Actor): Promise<void> {
  await db.updateTable('speakers').set({ user_id: actor.userId }).where('event_id', '=', eventId).where('code', '=', code).execute();
}
