import type { DateTime } from 'luxon';
import type { Problem } from '../lib/domain-error.js';
import { programmeDay } from '../lib/time.js';
import type { EventDocument, EventDocumentInput } from '../modules/schedule/event-document.schemas.js';
import { HALLWAY_GENERATOR, UNROOMED, cleanSlug, personGuid } from './frab-common.js';
import { codeFrom, sessionGuid, uniqueCode } from './frab-identity.js';
import { kindOfType, languageOf } from './frab-kinds.js';
import { httpBase, resolveUrl, sessionLinks } from './frab-links.js';
import type { FrabEvent, FrabPerson, FrabSchedule } from './frab-model.js';
import { chooseDayChange, clockMinutes, dayLocalDate, dayStartClock, eventMinutes, eventStart, formatClock, label, resolveZone } from './frab-times.js';
import { importText } from './html-text.js';
import { ImportNotes } from './import-notes.js';
import { ImportErrors } from '../modules/schedule/import.errors.js';

type SessionInput = NonNullable<EventDocumentInput['sessions']>[number];
type SpeakerInput = NonNullable<EventDocumentInput['speakers']>[number];

export interface ConvertOptions {
  /** The Hallway event to create or update. */
  readonly eventSlug: string;
  /** IANA zone; overrides the file's time_zone_name and is required when it has none. */
  readonly timeZone?: string;
  /** Where the file was downloaded from: the base for relative URLs when it has no base_url. */
  readonly sourceUrl?: string;
  /**
   * The event's current document when it exists. frab carries only the programme, so what it
   * cannot express is kept from here: community, kind, description, hosts, sponsors, venue,
   * capacity, speakers' job titles and handles, rooms' capacities, sessions' level and sponsor.
   */
  readonly existing?: EventDocument;
  /** The community to file a new event under when it already exists (reused unchanged). */
  readonly community?: EventDocument['community'];
}

export interface Conversion {
  readonly doc: EventDocumentInput;
  /** What was accepted or repaired, one line per kind; see ImportNotes. */
  readonly warnings: Problem[];
  /** Where in the file each of doc.sessions came from, to report problems in the file's terms. */
  readonly origins: readonly string[];
}

/** Track colours for files that declare none, in first-use order (Tableau 10, readable on white). */
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** The slug an imported schedule gets unless --event names one: from its acronym, else its title. */
export function frabEventSlug(s: FrabSchedule): string {
  return cleanSlug(s.conference.acronym ?? s.conference.title ?? 'imported-schedule');
}

/**
 * Turns a frab schedule into a Hallway event document, leniently (README §5 of the interop
 * notes): every repair is listed in `warnings`. Refuses, with the exact place of each, only what
 * would make the programme wrong: an event without a start or room, an unreadable time or
 * duration, a room the file does not declare.
 *
 * @throws SCHEDULE_INVALID, SCHEDULE_TIME_ZONE_MISSING, SCHEDULE_TIME_ZONE_UNKNOWN, SCHEDULE_NOT_FRAB
 */
export function frabToDocument(s: FrabSchedule, o: ConvertOptions): Conversion {
  const notes = new ImportNotes();
  const problems: Problem[] = [];
  const zone = resolveZone(s, o.timeZone);
  const ownExport = s.generator?.startsWith(HALLWAY_GENERATOR) === true;
  const base = httpBase(s.conference.baseUrl) ?? httpBase(o.sourceUrl);
  const preferredChange = clockMinutes(s.conference.dayChange) ?? dayStartClock(s.days, zone) ?? 4 * 60;
  const declared = s.conference.rooms && new Set(s.conference.rooms.map((r) => nameKey(r.name)));

  // 1. Place and time every event; collect every problem before giving up.
  const placed: Array<{ e: FrabEvent; room: string | null; dayDate: string | undefined; start: DateTime; minutes: number }> = [];
  const dayDates: string[] = [];
  for (const day of s.days) {
    const dayDate = dayLocalDate(day, zone);
    if (dayDate) dayDates.push(dayDate);
    for (const room of day.rooms) {
      for (const e of room.events) {
        const roomName = room.name ?? e.room;
        if (!roomName) {
          problems.push({ path: e.path, message: `${label(e)} has no room` });
          continue;
        }
        const unroomed = ownExport && roomName === UNROOMED;
        if (declared && !unroomed && !declared.has(nameKey(roomName))) {
          problems.push({ path: room.path, message: `room "${roomName}" is not among the rooms the schedule declares (conference.rooms)` });
          continue;
        }
        if (e.room && room.name && e.room !== room.name) {
          notes.note(
            'room-differs',
            e.path,
            (n) => `events whose <room> differs from the room they are listed in: ${n} (e.g. "${e.room}" in "${room.name}"); the enclosing room was used`,
          );
        }
        const at = eventStart(e, dayDate, zone, preferredChange);
        if ('path' in at) {
          problems.push(at);
          continue;
        }
        if (at.offsetMismatch) {
          notes.note(
            'offset',
            e.path,
            (n) =>
              `events whose <date> offset is not ${zone}'s offset at that time: ${n} (e.g. ${e.date}); the instants were kept as written and are shown in ${zone}${o.timeZone ? '' : ' (pass --time-zone to choose another zone)'}`,
          );
        }
        const minutes = eventMinutes(e, at.start, problems, notes);
        if (minutes === undefined) continue;
        placed.push({ e, room: unroomed ? null : roomName, dayDate, start: at.start, minutes });
      }
    }
  }
  if (problems.length > 0) throw ImportErrors.invalid(problems.slice(0, 200));
  if (dayDates.length === 0 && placed.length === 0) throw ImportErrors.notASchedule('it has no days with a date');

  // 2. The day change that keeps sessions on the days the file shows them, and the event's dates.
  const change = chooseDayChange(placed, preferredChange);
  const dayChange = formatClock(change.minutes);
  if (change.misplaced > 0) {
    notes.note(
      'misplaced',
      '(schedule)',
      () => `events that start outside their day's window: ${change.misplaced}; with the day change at ${dayChange} they are shown on the neighbouring day`,
    );
  }
  const allDays = [...dayDates, ...placed.map((p) => programmeDay(p.start, zone, dayChange))].sort();
  const startDate = allDays[0] ?? s.conference.start!.slice(0, 10);
  const endDate = allDays[allDays.length - 1] ?? s.conference.end!.slice(0, 10);

  // 3. Rooms and tracks, case-insensitively unique, in order of first appearance.
  const ex = o.existing;
  const rooms = new Map<string, string>();
  for (const r of s.conference.rooms ?? []) rooms.set(nameKey(r.name), cap(oneLine(r.name), 100, notes, 'room', '(conference)'));
  for (const p of placed) {
    if (p.room === null) continue;
    const known = rooms.get(nameKey(p.room));
    if (known === undefined) rooms.set(nameKey(p.room), cap(oneLine(p.room), 100, notes, 'room', p.e.path));
    else if (known !== oneLine(p.room))
      notes.note(`room-case:${p.room}`, p.e.path, () => `rooms "${known}" and "${p.room}" differ only in case or spacing; merged as "${known}"`);
  }
  const roomInfo = new Map((s.conference.rooms ?? []).map((r) => [nameKey(r.name), r]));
  const oldRooms = new Map((ex?.rooms ?? []).map((r) => [nameKey(r.name), r]));
  const tracks = new Map<string, { name: string; color?: string }>();
  for (const t of s.conference.tracks)
    if (!tracks.has(nameKey(t.name))) tracks.set(nameKey(t.name), { name: cap(oneLine(t.name), 100, notes, 'track', '(conference)'), color: t.color });
  for (const p of placed) {
    const t = p.e.track;
    if (t && !tracks.has(nameKey(t))) tracks.set(nameKey(t), { name: cap(oneLine(t), 100, notes, 'track', p.e.path) });
  }
  const oldTracks = new Map((ex?.tracks ?? []).map((t) => [nameKey(t.name), t]));

  // 4. Speakers, keyed by person id + name (ids are not unique across merged schedules).
  const speakers = new Map<string, SpeakerInput>();
  const speakerCodes = new Set<string>();
  const oldSpeakers = new Map((ex?.speakers ?? []).map((sp) => [sp.code.toLowerCase(), sp]));
  // Hallway's exports give each person a GUID made from event slug and speaker code: a file
  // exported from this event finds its speakers again by it, whatever their codes are.
  const codeByGuid = new Map((ex?.speakers ?? []).map((sp) => [personGuid(o.eventSlug, sp.code), sp.code]));
  const speakerFor = (p: FrabPerson, path: string): string | undefined => {
    if (!p.name) {
      notes.note('person-name', path, (n) => `persons without a name: ${n}; left out`);
      return undefined;
    }
    const key = `${p.id ?? ''}|${p.name}`;
    const known = speakers.get(key);
    if (known) return known.code;
    const own = p.guid ? codeByGuid.get(p.guid.toLowerCase()) : undefined;
    const ownFree = own !== undefined && own !== '' && !speakerCodes.has(own.toLowerCase());
    if (ownFree) speakerCodes.add(own.toLowerCase());
    const code = ownFree ? own : uniqueCode(cleanSlug(p.name), speakerCodes, p.id);
    const old = oldSpeakers.get(code.toLowerCase());
    const bio = importText(p.biography, ownExport);
    speakers.set(key, {
      code,
      name: cap(oneLine(p.name), 200, notes, 'person name', path),
      jobTitle: old?.jobTitle ?? '',
      company: old?.company ?? '',
      bio: bio ? cap(bio, 20_000, notes, 'biography', path) : (old?.bio ?? ''),
      avatarUrl: resolveUrl(p.avatar, base) ?? old?.avatarUrl ?? null,
      handles: old?.handles ?? {},
    });
    return code;
  };

  // 5. Sessions: identity first (GUID, code), then content.
  const guidsSeen = new Map<string, number>();
  const codes = new Set<string>();
  const oldSessions = new Map((ex?.sessions ?? []).flatMap((x) => [...(x.guid ? [[x.guid, x] as const] : []), [`code:${x.code?.toLowerCase()}`, x] as const]));
  const acronymPrefix = s.conference.acronym ? `${s.conference.acronym.toLowerCase()}-` : undefined;
  const sessions: SessionInput[] = placed.map(({ e, room, start, minutes }) => {
    const guid = sessionGuid(e, o.eventSlug, guidsSeen, notes);
    const code = uniqueCode(codeFrom(e, acronymPrefix), codes);
    const old = oldSessions.get(guid) ?? oldSessions.get(`code:${code.toLowerCase()}`);
    const kind = kindOfType(e.type);
    if (!kind.known)
      notes.note(`type:${e.type!.toLowerCase()}`, e.path, (n) => `events of type "${e.type}", which Hallway does not know: ${n}; imported as talk`);
    const language = languageOf(e.language);
    if (e.language && !language) notes.note('language', e.path, (n) => `events whose language is not a language code: ${n} (e.g. "${e.language}"); set to en`);
    const persons = new Set<string>();
    for (const p of e.persons) {
      const c = speakerFor(p, e.path);
      if (c) persons.add(c);
    }
    const abstract = joinText(importText(e.abstract, ownExport), importText(e.description, ownExport));
    return {
      code,
      guid,
      kind: kind.kind,
      status: 'confirmed',
      title: cap(oneLine(e.title ?? e.slug ?? code), 300, notes, 'title', e.path),
      subtitle: cap(oneLine(importText(e.subtitle, ownExport)), 300, notes, 'subtitle', e.path),
      abstract: cap(abstract, 50_000, notes, 'abstract', e.path),
      language: language ?? 'en',
      level: old?.level ?? null,
      track: e.track ? tracks.get(nameKey(e.track))!.name : null,
      room: room === null ? null : rooms.get(nameKey(room))!,
      sponsoredBy: old?.sponsoredBy ?? null,
      start: start.toISO({ suppressMilliseconds: true })!,
      durationMinutes: minutes,
      speakers: [...persons].slice(0, 50),
      links: sessionLinks(e, base, notes, old?.links ?? []),
    };
  });
  for (const x of placed) if (!x.e.title) notes.note('title', x.e.path, (n) => `events without a title: ${n}; the slug or code was used`);

  const c = s.conference;
  const title = cap(oneLine(c.title ?? c.acronym ?? o.eventSlug), 200, notes, 'conference title', '(conference)');
  const doc: EventDocumentInput = {
    format: 'hallway-event/1',
    community: o.community ?? ex?.community ?? { slug: o.eventSlug, name: title },
    event: {
      ...(ex
        ? ex.event
        : {
            kind: 'conference' as const,
            venue: { name: c.venue?.slice(0, 200) ?? '', address: c.city?.slice(0, 500) ?? '', url: null },
            url: httpBase(c.url) ?? base ?? null,
          }),
      slug: o.eventSlug,
      title,
      // The exporter lower-cases the acronym for the schemas; re-importing must not change it.
      acronym: (ownExport && ex ? ex.event.acronym : (c.acronym ?? ex?.event.acronym ?? '')).slice(0, 40),
      timeZone: zone,
      startDate,
      endDate,
      dayChange,
    },
    rooms: [...rooms].map(([key, name]) => {
      const old = oldRooms.get(key);
      const info = roomInfo.get(key);
      return { name, description: info?.description?.slice(0, 2000) ?? old?.description ?? '', capacity: info?.capacity ?? old?.capacity ?? null };
    }),
    tracks: [...tracks].map(([key, t], i) => {
      const old = oldTracks.get(key);
      const color = t.color && /^#[0-9a-fA-F]{6}$/.test(t.color) ? t.color.toLowerCase() : (old?.color ?? PALETTE[i % PALETTE.length]!);
      return { name: t.name, color, description: old?.description ?? '' };
    }),
    speakers: inExistingOrder([...speakers.values(), ...speakersWithoutSessions(ex, speakerCodes)], ex?.speakers ?? []),
    sessions,
    sponsors: ex?.sponsors ?? [],
  };
  return { doc, warnings: notes.list(), origins: placed.map((p) => p.e.path) };
}

/**
 * The event's speakers that had no session before this import are not the programme's to
 * remove (e.g. organisers listed for later); those whose sessions disappeared go with them.
 */
function speakersWithoutSessions(ex: EventDocument | undefined, taken: ReadonlySet<string>): SpeakerInput[] {
  if (!ex) return [];
  const speaking = new Set(ex.sessions.flatMap((x) => x.speakers.map((c) => c.toLowerCase())));
  return ex.speakers.filter((sp) => !speaking.has(sp.code.toLowerCase()) && !taken.has(sp.code.toLowerCase()));
}

/** Speakers the event already has keep their place (display order); new ones follow in file order. */
function inExistingOrder(list: SpeakerInput[], existing: readonly { code: string }[]): SpeakerInput[] {
  const rank = new Map(existing.map((sp, i) => [sp.code, i]));
  return list
    .map((sp, i) => ({ sp, key: rank.get(sp.code) ?? existing.length + i }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.sp);
}

/** Abstract and description as one text; a description that repeats the abstract is not doubled. */
function joinText(abstract: string, description: string): string {
  if (!description || description === abstract || abstract.includes(description)) return abstract;
  if (!abstract || description.startsWith(abstract)) return description;
  return `${abstract}\n\n${description}`;
}

/** Names and titles are one line: CRs (36c3's &#13;), tabs and runs of spaces become one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Rooms and tracks are the same when their names differ only in case or spacing. */
function nameKey(name: string): string {
  return oneLine(name).toLowerCase();
}

function cap(text: string, max: number, notes: ImportNotes, what: string, path: string): string {
  if (text.length <= max) return text;
  notes.note(`cap:${what}`, path, (n) => `${what}s longer than ${max} characters: ${n}; shortened`);
  return `${text.slice(0, max - 1)}…`;
}
