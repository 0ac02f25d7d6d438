import { DAY_MS, storedInstant } from '../../lib/clock.js';
import type { ModuleContext } from '../context.js';
import { withEventWrite, type Writer } from '../events/event-write.js';
import { canManageCfp } from '../cfp/cfp.policy.js';
import type { CfpFormat } from '../cfp/cfp.js';

/** The demo conference (demo-conference.ts) whose call the demo opens. */
export const DEMO_CALL_EVENT = 'riverconf-2027';

const CALL_TEXT = `RiverConf is a community conference about running cloud native systems in production: platform engineering, observability, security and the supply chain, and the people side of operations.

We want to hear what worked for you and what did not. War stories, migrations that went sideways, tools you built because nothing else fit. First-time speakers are very welcome: tick the box in your notes and we pair you with a mentor for a rehearsal.

Talks are 30 minutes including questions; lightning talks 5 minutes; workshops 90 minutes with a room of 30 laptops.`;

const FORMATS: readonly CfpFormat[] = [
  { kind: 'talk', durationMinutes: 30 },
  { kind: 'lightning', durationMinutes: 5 },
  { kind: 'workshop', durationMinutes: 90 },
];

/**
 * Opens a call for proposals on the demo conference, from yesterday to eight weeks ahead of `now`,
 * so a fresh `npm start` shows the whole path (call page, submitting, reviewing). Does nothing
 * when the event is missing or already has a call. Written directly like the rest of the demo
 * (no organizer account exists yet: `writer` is the operator loading the demo), through the
 * event's write path, so its cached page links the call and the audit log names the operator.
 */
export async function loadDemoCall(ctx: ModuleContext, writer: Writer): Promise<boolean> {
  const event = await ctx.db.selectFrom('events').select('id').where('slug', '=', DEMO_CALL_EVENT).executeTakeFirst();
  if (!event) return false;
  return withEventWrite(ctx, writer, event.id, { may: canManageCfp, what: 'open a call for proposals on this event' }, async ({ trx, audit }) => {
    if (await trx.selectFrom('cfp_settings').select('event_id').where('event_id', '=', event.id).executeTakeFirst()) return false;
    const now = ctx.clock.now();
    const instant = (ms: number) => storedInstant(new Date(ms));
    // Whole hours, so the call's dates read cleanly on its page.
    const hour = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
    await trx
      .insertInto('cfp_settings')
      .values({
        event_id: event.id,
        opens_at: instant(hour - DAY_MS),
        closes_at: instant(hour + 56 * DAY_MS),
        closed_at: null,
        call_text: CALL_TEXT,
        formats: JSON.stringify(FORMATS),
        created_at: instant(now.getTime()),
        updated_at: instant(now.getTime()),
      })
      .execute();
    audit({ action: 'cfp.created', entityType: 'event', entityId: event.id, summary: 'Demo call for proposals opened' });
    return true;
  });
}
