import { DomainError, type Problem } from '../lib/domain-error.js';
import { checkEventDocument, type CheckedDocument } from '../modules/schedule/event-document.js';
import type { EventDocument } from '../modules/schedule/event-document.schemas.js';
import { readFrabJson } from './frab-json-read.js';
import type { FrabSchedule } from './frab-model.js';
import { frabEventSlug, frabToDocument } from './frab-to-document.js';
import { plural } from './import-notes.js';
import { readFrabXml } from './frab-xml-read.js';
import { decodeSchedule } from './schedule-text.js';

/*
 * The pure, CPU-heavy half of a schedule import: bytes → frab model → Hallway event document →
 * checked document. No database and no HTTP, so it runs in a worker thread (import-worker.ts)
 * while the server keeps answering; schedule-import.ts reads and writes the database around it.
 */

/** What the file says before anything is looked up: enough to find the event it updates. */
export interface ParsedSchedule {
  readonly format: 'xml' | 'json';
  /** Events listed in the file (before cancelled/duplicate handling). */
  readonly eventsInFile: number;
  /** The slug from the file's acronym or title (used unless the caller names the event). */
  readonly slug: string;
}

export interface ConvertRequest {
  readonly eventSlug: string;
  readonly timeZone?: string;
  readonly sourceUrl?: string;
  readonly existing?: EventDocument;
  readonly community?: EventDocument['community'];
  /** False: a newly created event is a draft. */
  readonly publishNew: boolean;
}

/** The checked document, or the problems with it in the file's terms (never thrown: a worker posts it). */
export type ConvertResult =
  | {
      readonly ok: true;
      readonly checked: CheckedDocument;
      readonly warnings: readonly Problem[];
      /** Where in the file each session came from (see inFile). */
      readonly origins: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Bytes to the neutral schedule model, whichever of the two formats they are. */
export function parseSchedule(bytes: Uint8Array): FrabSchedule {
  const { format, text } = decodeSchedule(bytes);
  return format === 'xml' ? readFrabXml(text) : readFrabJson(text);
}

export function describeSchedule(schedule: FrabSchedule): ParsedSchedule {
  const eventsInFile = schedule.days.reduce((n, d) => n + d.rooms.reduce((m, r) => m + r.events.length, 0), 0);
  return { format: schedule.format, eventsInFile, slug: frabEventSlug(schedule) };
}

/**
 * Converts and checks (room overlaps and double-booked speakers become warnings, as real files
 * have them); problems name the place in the file they came from.
 *
 * @throws the SCHEDULE_* errors of frabToDocument
 */
export function convertSchedule(schedule: FrabSchedule, r: ConvertRequest): ConvertResult {
  const { doc, warnings, origins } = frabToDocument(schedule, r);
  if (!r.existing && !r.publishNew) doc.event.published = false;
  const checked = checkEventDocument(doc, { conflicts: 'warn' });
  if (!checked.ok) return { ok: false, problems: checked.problems.map((p) => inFile(p, origins)) };
  return { ok: true, checked: checked.value, warnings: [...warnings, ...summarizeConflicts(checked.value.warnings.map((p) => inFile(p, origins)))], origins };
}

/** A problem at `sessions[12].start` (a path into the generated document) at the place in the file it came from. */
export function inFile(p: Problem, origins: readonly string[]): Problem {
  const at = (text: string) => text.replace(/sessions\[(\d+)\](\.[a-z]+(\[\d+\])?)?/g, (whole, i: string) => origins[Number(i)] ?? whole);
  return { path: at(p.path), message: at(p.message) };
}

/** Conflicts as counts with the first few, since a merged congress schedule has hundreds. */
function summarizeConflicts(conflicts: readonly Problem[]): Problem[] {
  const rooms = conflicts.filter((c) => c.message.startsWith('overlaps'));
  const people = conflicts.filter((c) => !c.message.startsWith('overlaps'));
  const out: Problem[] = [];
  if (rooms.length) out.push({ path: rooms[0]!.path, message: `${plural(rooms.length, 'room overlap')} kept as in the file (first: ${rooms[0]!.message})` });
  if (people.length)
    out.push({ path: people[0]!.path, message: `${plural(people.length, 'double-booked speaker')} kept as in the file (first: ${people[0]!.message})` });
  return out;
}

/** A DomainError as plain data, to cross a thread boundary (and back with fromWire). */
export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly status: number;
  readonly problems: readonly Problem[];
}

export function toWire(err: DomainError): WireError {
  return { code: err.code, message: err.message, status: err.status, problems: err.problems };
}

export function fromWire(e: WireError): DomainError {
  return new DomainError(e.code, e.message, e.status, e.problems);
}
