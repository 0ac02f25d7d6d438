import type { Db } from '../../db/database.js';
import { demoConference } from './demo/demo-conference.js';
import { demoMeetup, pastDemoMeetup } from './demo/demo-meetup.js';
import { largeEvent } from './demo/large-event.js';
import { importEventDocument, type ImportProgress, type ImportSummary } from './import.actions.js';

export type DemoSize = 'small' | 'large';

/**
 * Loads the demo community (a two-day conference and two meetups); with size "large" also a
 * generated FOSDEM-scale event. Idempotent: loading twice changes nothing.
 */
export async function loadDemo(db: Db, size: DemoSize = 'small', onProgress?: ImportProgress): Promise<ImportSummary[]> {
  const docs = [demoConference(), demoMeetup(), pastDemoMeetup()];
  if (size === 'large') docs.push(largeEvent());
  const out: ImportSummary[] = [];
  for (const doc of docs) out.push(await importEventDocument(db, doc, onProgress));
  return out;
}

/** True when the database holds no event at all (a fresh install). */
export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom('events').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}
