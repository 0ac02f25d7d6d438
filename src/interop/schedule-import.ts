import type { Db } from '../db/database.js';
import { DomainError, type Problem } from '../lib/domain-error.js';
import { toEventDocument } from '../modules/schedule/event-document.js';
import { importEventDocument, type ImportProgress, type ImportSummary } from '../modules/schedule/import.actions.js';
import { findEventHead, listCommunities, loadProgramSnapshot } from '../modules/schedule/snapshot.queries.js';
import { readFrabJson } from './frab-json-read.js';
import type { FrabSchedule } from './frab-model.js';
import { frabEventSlug, frabToDocument } from './frab-to-document.js';
import { plural } from './import-notes.js';
import { readFrabXml } from './frab-xml-read.js';
import { decodeSchedule } from './schedule-text.js';

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
 * overlapping sessions and double-booked speakers, which real schedules contain. Everything is
 * written in one transaction, or nothing is.
 *
 * @throws the SCHEDULE_* errors of interop.errors.ts, and EVENT_DOCUMENT_INVALID when the
 *   result still breaks Hallway's rules (e.g. a session GUID that belongs to another event).
 */
export async function importSchedule(db: Db, bytes: Uint8Array, options: ScheduleImportOptions = {}): Promise<ScheduleImportSummary> {
  const progress = options.onProgress ?? (() => {});
  progress('parsing', 0, 1);
  const schedule = parseSchedule(bytes);
  const eventsInFile = schedule.days.reduce((n, d) => n + d.rooms.reduce((m, r) => m + r.events.length, 0), 0);
  progress('parsing', 1, 1);

  const eventSlug = options.eventSlug ?? frabEventSlug(schedule);
  const head = await findEventHead(db, eventSlug);
  const snap = head && (await loadProgramSnapshot(db, head.id));
  const existing = snap ? toEventDocument(snap) : undefined;
  const community = existing ? undefined : (options.community ?? (await listCommunities(db)).find((c) => c.slug === eventSlug));
  const { doc, warnings, origins } = frabToDocument(schedule, {
    eventSlug,
    timeZone: options.timeZone,
    sourceUrl: options.sourceUrl,
    existing,
    community: community && { slug: community.slug, name: community.name, description: community.description, url: community.url },
  });
  const inFile = (p: Problem): Problem => ({ path: toFilePath(p.path, origins), message: toFilePath(p.message, origins) });
  if (!existing && options.publishNew === false) doc.event.published = false;
  let summary: ImportSummary;
  try {
    summary = await importEventDocument(db, doc, progress, { conflicts: 'warn', ...(options.expectEvent === undefined ? {} : { expectEvent: options.expectEvent }) });
  } catch (err) {
    if (err instanceof DomainError && err.problems.length) throw new DomainError(err.code, err.message, err.status, err.problems.map(inFile));
    throw err;
  }
  return { ...summary, format: schedule.format, eventsInFile, warnings: [...warnings, ...summarizeConflicts(summary.warnings.map(inFile))] };
}

/** `sessions[12].start` (a path into the generated document) as the place in the file it came from. */
function toFilePath(text: string, origins: readonly string[]): string {
  return text.replace(/sessions\[(\d+)\](\.[a-z]+(\[\d+\])?)?/g, (whole, i: string) => origins[Number(i)] ?? whole);
}

/** Bytes to the neutral schedule model, whichever of the two formats they are. */
export function parseSchedule(bytes: Uint8Array): FrabSchedule {
  const { format, text } = decodeSchedule(bytes);
  return format === 'xml' ? readFrabXml(text) : readFrabJson(text);
}

/** Conflicts as counts with the first few, since a merged congress schedule has hundreds. */
function summarizeConflicts(conflicts: readonly Problem[]): Problem[] {
  const rooms = conflicts.filter((c) => c.message.startsWith('overlaps'));
  const people = conflicts.filter((c) => !c.message.startsWith('overlaps'));
  const out: Problem[] = [];
  if (rooms.length) out.push({ path: rooms[0]!.path, message: `${plural(rooms.length, 'room overlap')} kept as in the file (first: ${rooms[0]!.message})` });
  if (people.length) out.push({ path: people[0]!.path, message: `${plural(people.length, 'double-booked speaker')} kept as in the file (first: ${people[0]!.message})` });
  return out;
}
