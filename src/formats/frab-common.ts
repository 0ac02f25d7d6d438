import { readFileSync } from 'node:fs';
import { DateTime, IANAZone } from 'luxon';
import { nameBasedUuid } from '../lib/guid.js';
import { slugify } from '../lib/slug.js';
import type { LinkKind } from '../modules/program/session.js';
import type { EventInfo, ProgramSnapshot, Session } from '../modules/schedule/snapshot.js';

/**
 * What the frab XML and JSON exporters share: the rules that make Hallway's output pass the
 * C3VOC schemas (README §5 "Exporter (strict)") whatever the event holds: acronyms and slugs in
 * the schemas' narrow patterns, HH:MM durations, offset-qualified times, absolute URLs.
 */

/** `<generator name>`; the importer recognises its own files by it. */
export const HALLWAY_GENERATOR = 'hallway';
export const HALLWAY_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * frab has no room-less events, but Hallway's breaks and socials may have no room ("across the
 * venue"); they are exported in this pseudo-room, which the importer maps back to no room when
 * the file is Hallway's own.
 */
export const UNROOMED = 'All rooms';

/** Cancelled sessions are left out of frab exports: frab has no status, and apps show what is listed. */
export function exportedSessions(list: readonly Session[]): Session[] {
  return list.filter((s) => s.status !== 'cancelled');
}

/**
 * The name of the released version the export shows ("1", "2", or what the organizers called
 * it), as pretalx does. Before the first release (a back-office preview) the event version and
 * update time stand in: they change with every edit, so an app never keeps an old copy.
 */
export function scheduleVersion(e: EventInfo): string {
  return e.release ?? `${e.version}.${e.updatedAt.replace(/[-:]/g, '')}`;
}

/** The acronym in both schemas' patterns: lower case, `[a-z0-9_]`, at least four characters. */
export function frabAcronym(e: EventInfo): string {
  const a = (e.acronym || e.slug)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return a.length >= 4 ? a : `${a}____`.slice(0, 4);
}

/** Track slug for the XSD pattern `[a-z][a-z0-9-]+` (and the JSON one, which ends alphanumeric). */
export function frabTrackSlug(slug: string): string {
  let s = cleanSlug(slug);
  if (!/^[a-z]/.test(s)) s = `t-${s}`;
  return s.length >= 2 ? s : `${s}-track`;
}

/**
 * Event slugs `<acronym>-<tail>`, unique and in the pattern `[a-z0-9_]{4,}-[a-z0-9_-]{4,}` ending
 * alphanumeric. The tail is the session code when it already fits (so importing Hallway's own
 * export gives back the same codes), else `<id>-<title slug>`.
 */
export function frabEventSlugs(snap: ProgramSnapshot, sessions: readonly Session[]): Map<number, string> {
  const acronym = frabAcronym(snap.event);
  const used = new Set<string>();
  const out = new Map<number, string>();
  for (const s of sessions) {
    let tail = /^[a-z0-9][a-z0-9_-]{2,}[a-z0-9]$/.test(s.code) && s.code.length <= 80 ? s.code : `${s.id}-${cleanSlug(s.title)}`;
    if (tail.length < 4) tail = `${tail}-session`;
    if (used.has(tail)) tail = `${tail}-${s.id}`;
    used.add(tail);
    out.set(s.id, `${acronym}-${tail}`);
  }
  return out;
}

/** slugify, without the trailing hyphen its 60-character cut can leave (the JSON patterns end alphanumeric). */
export function cleanSlug(text: string): string {
  return slugify(text).replace(/-+$/, '') || 'x';
}

/**
 * An http(s) URL in strict RFC 3986 form, as the JSON schema's "uri" format checks it: the
 * WHATWG form Hallway stores may keep [ ] | ^ and stray % in paths, which are percent-encoded here.
 */
export function strictUrl(href: string): string {
  const m = /^(https?:\/\/[^/?#]*)(.*)$/is.exec(href);
  if (!m) return href;
  const rest = m[2]!.replace(/%(?![0-9A-Fa-f]{2})/g, '%25').replace(/[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '';
    }
  });
  return m[1] + rest;
}

export function eventUrl(baseUrl: string, slug: string): string {
  return `${baseUrl}/events/${encodeURIComponent(slug)}`;
}

export function sessionUrl(baseUrl: string, slug: string, code: string): string {
  return `${eventUrl(baseUrl, slug)}/sessions/${encodeURIComponent(code)}`;
}

export function speakerUrl(baseUrl: string, slug: string, code: string): string {
  return `${eventUrl(baseUrl, slug)}/speakers/${encodeURIComponent(code)}`;
}

export function roomGuid(eventSlug: string, room: string): string {
  return nameBasedUuid(`${eventSlug}/room/${room}`);
}

export function personGuid(eventSlug: string, speakerCode: string): string {
  return nameBasedUuid(`${eventSlug}/speaker/${speakerCode}`);
}

/** Minutes as HH:MM (the only duration form both schemas accept). */
export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Local wall-clock text of instants in one zone. luxon asks Intl for the zone's offset on every
 * DateTime, which was most of an export's time for 1,000 sessions; sessions share a few hundred
 * start instants, so each instant's offset is looked up once and the text is built directly.
 */
export class ZoneClock {
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number>();

  constructor(zone: string) {
    this.zone = IANAZone.create(zone);
  }

  /** The zone's UTC offset in minutes at `ms` (epoch milliseconds). */
  offset(ms: number): number {
    let o = this.offsets.get(ms);
    if (o === undefined) {
      o = this.zone.offset(ms);
      this.offsets.set(ms, o);
    }
    return o;
  }

  /** ISO 8601 with the offset the zone has at that instant: 2027-04-15T09:15:00+02:00 (never floating). */
  iso(ms: number): string {
    const off = this.offset(ms);
    const d = new Date(ms + off * 60_000);
    const abs = Math.abs(off);
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${off < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  }

  /** Local HH:MM. */
  hhmm(ms: number): string {
    return this.iso(ms).slice(11, 16);
  }
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A session's start as epoch milliseconds (its stored UTC instant). */
export function startMs(s: Session): number {
  return Date.parse(s.startsAt);
}

export interface FrabDayFrame {
  readonly index: number;
  readonly date: string;
  readonly start: DateTime;
  /** The next day's start: days are half-open [start, end). */
  readonly end: DateTime;
  readonly sessions: readonly Session[];
}

/** Every programme day from the event's start to end date, with its exported sessions. */
export function dayFrames(snap: ProgramSnapshot): FrabDayFrame[] {
  const { timeZone, dayChange } = snap.event;
  const at = (date: string) => DateTime.fromISO(`${date}T${dayChange}`, { zone: timeZone });
  return snap.days.map((date, i) => ({
    index: i + 1,
    date,
    start: at(date),
    end: at(DateTime.fromISO(date).plus({ days: 1 }).toISODate()!),
    sessions: exportedSessions(snap.sessionsByDay.get(date) ?? []),
  }));
}

/**
 * The rooms a day lists: every room of the event in display order (so an importer keeps the order
 * and the empty rooms), plus the pseudo-room first when the day has room-less sessions.
 */
export function dayRooms(snap: ProgramSnapshot, sessions: readonly Session[]): Array<{ name: string; sessions: Session[] }> {
  const byRoom = new Map<number | null, Session[]>();
  for (const s of sessions) byRoom.set(s.roomId, [...(byRoom.get(s.roomId) ?? []), s]);
  const out = snap.rooms.map((r) => ({ name: r.name, sessions: byRoom.get(r.id) ?? [] }));
  const unroomed = byRoom.get(null);
  return unroomed ? [{ name: UNROOMED, sessions: unroomed }, ...out] : out;
}

/**
 * The timeslot: the largest step (5 to 60 minutes) that all starts and durations are multiples
 * of, which is what frab clients use to draw their grid.
 */
export function timeslotMinutes(snap: ProgramSnapshot, clock: ZoneClock): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let g = 60;
  for (const s of snap.sessions) {
    const minute = Number(clock.hhmm(startMs(s)).slice(3));
    g = gcd(gcd(g, minute), s.durationMinutes % 60);
    if (g <= 5) return 5;
  }
  return g;
}

/** A link's text when it has no title of its own (frab clients show the text, not the URL). */
export const LINK_TITLES: Record<LinkKind, string> = {
  slides: 'Slides',
  video: 'Video',
  recording: 'Recording',
  code: 'Code',
  website: 'Website',
  other: 'Link',
};

/** JSON `Reference.type` (the schema's enum) for a Hallway link kind. */
export const JSON_LINK_TYPE: Record<LinkKind, string> = {
  slides: 'slides',
  video: 'media',
  recording: 'media',
  code: 'related',
  website: 'web',
  other: 'related',
};

/** Strips characters XML 1.0 cannot carry (C0 controls other than tab/LF/CR, U+FFFE/FFFF, lone surrogates). */
export function xmlSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}
