import type { Db } from '../../src/db/database.js';
import { systemClock, type Clock } from '../../src/lib/clock.js';
import type { ModuleContext } from '../../src/modules/context.js';
import { operator, withEventWrite } from '../../src/modules/events/event-write.js';
import { releaseDraftIn, type ReleaseResult } from '../../src/modules/schedule/release.actions.js';

/** The module context for actions a test calls directly: its database and a clock (tests that depend on the date pass fixedClock). */
export function moduleContext(db: Db, clock: Clock = systemClock): ModuleContext {
  return { db, clock };
}

/** The writer of test fixtures imported directly (the audit log names it, as it names the CLI). */
export const TEST_OPERATOR = operator('test fixtures');

/**
 * Releases the event's draft programme (speaker mails held), as an organizer's "Release" does:
 * for tests that change sessions and then read what the public sees.
 */
export async function releaseDraft(db: Db, eventId: number, clock: Clock = systemClock): Promise<ReleaseResult> {
  return withEventWrite({ db, clock }, TEST_OPERATOR, eventId, { may: () => false, what: 'release' }, (w) =>
    releaseDraftIn(w, TEST_OPERATOR, { name: '', comment: '', mails: 'hold' }),
  );
}
