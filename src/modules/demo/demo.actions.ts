import type { Db } from '../../db/database.js';
import type { ModuleContext } from '../context.js';
import type { Writer } from '../events/event-write.js';
import { importEventDocument, type ImportProgress, type ImportSummary } from '../schedule/import.actions.js';

export type DemoSize = 'small' | 'large';

/**
 * Loads the demo community (a two-day conference and two meetups); with size "large" also a
 * generated FOSDEM-scale event, written as `writer` (the operator). Idempotent: loading twice changes nothing.
 */
export async function loadDemo(ctx: ModuleContext, writer: Writer, size: DemoSize = 'small', onProgress?: ImportProgress): Promise<ImportSummary[]> {
  // Loaded on demand: the demo data is large and most commands never need it.
  const { demoConference } = await import('./demo-conference.js');
  const { demoMeetup, pastDemoMeetup } = await import('./demo-meetup.js');
  const docs = [demoConference(), demoMeetup(), pastDemoMeetup()];
  if (size === 'large') docs.push((await import('./large-event.js')).largeEvent());
  const out: ImportSummary[] = [];
  for (const doc of docs) out.push(await importEventDocument(ctx, writer, doc, onProgress));
  return out;
}

/** True when the database holds no event at all (a fresh install). */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('events').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}
