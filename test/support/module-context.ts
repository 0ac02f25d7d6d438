import type { Db } from '../../src/db/database.js';
import { systemClock, type Clock } from '../../src/lib/clock.js';
import type { ModuleContext } from '../../src/modules/context.js';
import { operator } from '../../src/modules/events/event-write.js';

/** The module context for actions a test calls directly: its database and a clock (tests that depend on the date pass fixedClock). */
export function moduleContext(db: Db, clock: Clock = systemClock): ModuleContext {
  return { db, clock };
}

/** The writer of test fixtures imported directly (the audit log names it, as it names the CLI). */
export const TEST_OPERATOR = operator('test fixtures');
