import type { Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { operator, type Writer } from '../events/event-write.js';
import { toEventDocument } from './event-document.js';
import { importCheckedDocument, type ImportProgress, type ImportSummary } from './import.actions.js';
import { ScheduleErrors } from './schedule.errors.js';
import { findEventHead, listCommunities, loadProgramSnapshot } from './snapshot.queries.js';
import { DomainError } from '../../lib/domain-error.js';
import { startImportWorker, startInline, type ImportLimits } from './import-thread.js';
import { inFile } from '../../formats/schedule-convert.js';

export interface ScheduleImportOptions {
  /** The Hallway event to create or update; default: a slug from the file's acronym or title. */
  readonly eventSlug?: string;
  /** IANA zone; required when the file names none (FOSDEM), and overrides the file's otherwise. */
  readonly timeZone?: string;
  /** Where the bytes were downloaded from, for relative URLs when the file has no base_url. */
  readonly sourceUrl?: string;
  readonly onProgress?: ImportProgress;
  /** For a new event: the community to file it under (default: the one whose slug is the event's, else a new one). */
  readonly community?: { readonly slug: string; readonly name: string; readonly description: string; readonly url: string | null };
  /** `'new'`: refuse an existing event (SLUG_TAKEN); an id: update only that event (see ImportOptions). */
  readonly expectEvent?: 'new' | number;
  /** Whether a newly created event is published at once (default true, as the CLI does); false makes a draft. */
  readonly publishNew?: boolean;
  /** Time and memory the parsing worker may use (default DEFAULT_IMPORT_LIMITS); over either, SCHEDULE_TOO_COMPLEX. */
  readonly limits?: ImportLimits;
  /** Who imports: the API's token user, or the operator (default: an operator named "hallway import"); the audit row names them. */
  readonly writer?: Writer;
  /** The app's clock (default the system clock): updated_at and the audit row's time. */
  readonly clock?: Clock;
  /** Parse on the calling thread instead (startInline: fuzz tests, which guard hangs themselves). */
  readonly inline?: boolean;
}

export interface ScheduleImportSummary extends ImportSummary {
  readonly format: 'xml' | 'json';
  /** Events listed in the file (before cancelled/duplicate handling). */
  readonly eventsInFile: number;
}

/**
 * Imports a frab schedule (XML or C3VOC JSON) into a Hallway event: creates it, or updates it in
 * place so that importing the same file twice changes nothing and a newer version of the file
 * changes, adds and removes exactly the sessions that differ (matched by GUID, else code).
 * Lenient where real files are messy (every repair is a warning in the summary), including
 * overlapping sessions and double-booked speakers, which real schedules contain. The file is
 * parsed, converted and checked in a worker thread (import-thread.ts), so a server keeps
 * answering; the database is read and written here, in one transaction, or nothing is.
 *
 * @throws the SCHEDULE_* errors of import.errors.ts (SCHEDULE_TOO_COMPLEX over `limits`), and EVENT_DOCUMENT_INVALID when the
 *   result still breaks Hallway's rules (e.g. a session GUID that belongs to another event).
 */
export async function importSchedule(db: Db, bytes: Uint8Array, options: ScheduleImportOptions = {}): Promise<ScheduleImportSummary> {
  const progress = options.onProgress ?? (() => {});
  progress('parsing', 0, 1);
  const worker = options.inline ? startInline({ kind: 'schedule', bytes }) : startImportWorker({ kind: 'schedule', bytes }, options.limits);
  try {
    const { parsed } = await worker.next('parsed');
    progress('parsing', 1, 1);
    const eventSlug = options.eventSlug ?? parsed.slug;
    const head = await findEventHead(db, eventSlug);
    const snap = head && (await loadProgramSnapshot(db, head.id));
    const existing = snap ? toEventDocument(snap) : undefined;
    const community = existing ? undefined : (options.community ?? (await listCommunities(db)).find((c) => c.slug === eventSlug));
    worker.send({
      eventSlug,
      timeZone: options.timeZone,
      sourceUrl: options.sourceUrl,
      existing,
      community: community && { slug: community.slug, name: community.name, description: community.description, url: community.url },
      publishNew: options.publishNew ?? true,
    });
    const { result } = await worker.next('done');
    worker.close();
    if (!result.ok) throw ScheduleErrors.documentInvalid([...result.problems]);
    const summary = await importCheckedDocument(
      { db, clock: options.clock ?? systemClock },
      options.writer ?? operator('hallway import'),
      result.checked,
      progress,
      options.expectEvent,
    ).catch((err: unknown) => {
      // A session GUID that belongs to another event is found only in the transaction.
      if (err instanceof DomainError && err.problems.length)
        throw new DomainError(
          err.code,
          err.message,
          err.status,
          err.problems.map((p) => inFile(p, result.origins)),
        );
      throw err;
    });
    return { ...summary, format: parsed.format, eventsInFile: parsed.eventsInFile, warnings: result.warnings };
  } finally {
    worker.close();
  }
}

export { parseSchedule } from '../../formats/schedule-convert.js';
