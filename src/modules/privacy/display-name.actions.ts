import { updateProfile } from '../accounts/account.actions.js';
import type { ProfileInput } from '../accounts/account.schemas.js';
import type { Actor } from '../accounts/actor.js';
import { eventIdsWithPublishedRecapsBy } from '../agenda/recap.queries.js';
import type { ModuleContext } from '../context.js';
import { touchEventsIn } from '../events/event-write.js';

/*
 * A person's display name is public wherever they are credited: as the author of a published
 * recap (the event's recaps list, the recap page, the Atom feed, the session pages listing
 * recaps). Those pages are cached per event version, and accounts knows nothing of recaps, so the
 * rename lives here, above the modules, like the other whole-person use cases. Other public names
 * need nothing: community pages read their organizers' names on every request (the cached body is
 * keyed by a digest of them) and speakers are separate records with their own names.
 */

/**
 * Changes the signed-in person's display name and, in the same transaction, bumps the version of
 * exactly the events where they have a published recap, so those pages and ETags refresh at once
 * (nothing is bumped when the name is unchanged), with an audit row on each. Returns the events bumped.
 * Errors: ACCOUNT_INPUT_INVALID (422).
 */
export async function changeDisplayName(ctx: ModuleContext, actor: Actor, input: ProfileInput): Promise<{ eventIds: number[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await updateProfile(trx, actor, input))) return { eventIds: [] };
    const eventIds = await eventIdsWithPublishedRecapsBy(trx, actor.userId);
    const summary = `${actor.displayName} renamed themselves; their published recaps name them anew`;
    await touchEventsIn({ trx, clock: ctx.clock }, actor, eventIds, { action: 'recap.author_renamed', entityType: 'user', entityId: actor.userId, summary });
    return { eventIds };
  });
}
