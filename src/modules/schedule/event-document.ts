import type { DateTime } from 'luxon';
import type { Problem } from '../../lib/domain-error.js';
import { formatPath } from '../../lib/domain-error.js';
import { nameBasedUuid } from '../../lib/guid.js';
import { slugify } from '../../lib/slug.js';
import { fromStoredInstant, isValidTimeZone, parseInstant, programmeDay, toStoredInstant } from '../../lib/time.js';
import { findOverlaps } from '../program/session.js';
import { DOCUMENT_FORMAT, EventDocumentSchema, type EventDocument, type SessionDoc } from './event-document.schemas.js';
import type { ProgramSnapshot } from './snapshot.js';

/** A session of a checked document with its identity settled and its interval in stored UTC form. */
export interface PlannedSession extends SessionDoc {
  readonly code: string;
  readonly guid: string;
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface CheckedDocument {
  readonly doc: EventDocument;
  readonly sessions: readonly PlannedSession[];
  /** Conflicts accepted because the caller asked for `conflicts: 'warn'`; empty otherwise. */
  readonly warnings: readonly Problem[];
}

export interface CheckOptions {
  /**
   * What to do with two sessions in one room at once, or a speaker in two places at once.
   * 'error' (the default) refuses the document; 'warn' accepts it and lists them as warnings,
   * because schedules imported from other systems (frab, pentabarf) really do contain them and
   * refusing would make those files impossible to import.
   */
  readonly conflicts?: 'error' | 'warn';
}

const MAX_EVENT_DAYS = 60;

/**
 * Checks a parsed JSON value against the document schema and the programme's rules, and lists
 * every problem with its path. Pure: the database is not consulted, so an import can refuse a
 * document before opening a transaction.
 */
export function checkEventDocument(input: unknown, options: CheckOptions = {}): { ok: true; value: CheckedDocument } | { ok: false; problems: Problem[] } {
  const parsed = EventDocumentSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: zodMessage(i) })) };
  }
  const doc = parsed.data;
  const problems: Problem[] = [];
  const ev = doc.event;
  const zoneOk = isValidTimeZone(ev.timeZone);
  if (!zoneOk) problems.push({ path: 'event.timeZone', message: `unknown time zone "${ev.timeZone}" (use an IANA name such as Europe/Brussels)` });
  if (ev.endDate < ev.startDate) problems.push({ path: 'event.endDate', message: `is before startDate ${ev.startDate}` });
  else if (daysSpan(ev.startDate, ev.endDate) > MAX_EVENT_DAYS)
    problems.push({ path: 'event.endDate', message: `an event can last at most ${MAX_EVENT_DAYS} days` });

  const duplicates = (items: readonly { [k: string]: unknown }[], key: string, what: string, base: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const v = item[key];
      if (typeof v !== 'string') return;
      const k = v.toLowerCase();
      const first = seen.get(k);
      if (first !== undefined) problems.push({ path: `${base}[${i}].${key}`, message: `duplicate ${what} "${v}" (also ${base}[${first}])` });
      else seen.set(k, i);
    });
  };
  duplicates(doc.rooms, 'name', 'room', 'rooms');
  duplicates(doc.tracks, 'name', 'track', 'tracks');
  duplicates(doc.speakers, 'code', 'speaker code', 'speakers');
  duplicates(doc.sponsors, 'name', 'sponsor', 'sponsors');
  duplicates(doc.sessions, 'code', 'session code', 'sessions');
  duplicates(doc.sessions, 'guid', 'session guid', 'sessions');

  const roomNames = new Set(doc.rooms.map((r) => r.name));
  const trackNames = new Set(doc.tracks.map((t) => t.name));
  const sponsorNames = new Set(doc.sponsors.map((s) => s.name));
  const speakerCodes = new Set(doc.speakers.map((s) => s.code));
  const usedCodes = new Set(doc.sessions.flatMap((s) => (s.code ? [s.code] : [])));

  const planned: PlannedSession[] = [];
  doc.sessions.forEach((s, i) => {
    const at = `sessions[${i}]`;
    if (s.room !== null && !roomNames.has(s.room)) problems.push({ path: `${at}.room`, message: `unknown room "${s.room}"` });
    if (s.track !== null && !trackNames.has(s.track)) problems.push({ path: `${at}.track`, message: `unknown track "${s.track}"` });
    if (s.sponsoredBy !== null && !sponsorNames.has(s.sponsoredBy)) problems.push({ path: `${at}.sponsoredBy`, message: `unknown sponsor "${s.sponsoredBy}"` });
    const seenSpeakers = new Set<string>();
    s.speakers.forEach((code, j) => {
      if (!speakerCodes.has(code)) problems.push({ path: `${at}.speakers[${j}]`, message: `unknown speaker "${code}"` });
      else if (seenSpeakers.has(code)) problems.push({ path: `${at}.speakers[${j}]`, message: `speaker "${code}" is listed twice` });
      seenSpeakers.add(code);
    });
    const code = s.code ?? uniqueCode(slugify(s.title), usedCodes);
    const guid = s.guid ?? nameBasedUuid(`${ev.slug}/${code}`);
    if (!zoneOk) return;
    const start = parseInstant(s.start, ev.timeZone);
    if (!start) {
      problems.push({ path: `${at}.start`, message: `"${s.start}" is not a date-time like 2026-05-12T09:30 (or one that a daylight-saving change skips)` });
      return;
    }
    const day = programmeDay(start, ev.timeZone, ev.dayChange);
    if (day < ev.startDate || day > ev.endDate) {
      problems.push({ path: `${at}.start`, message: `${localLabel(start)} is outside the event's dates ${ev.startDate} to ${ev.endDate}` });
    }
    planned.push({ ...s, code, guid, startsAt: toStoredInstant(start), endsAt: toStoredInstant(start.plus({ minutes: s.durationMinutes })) });
  });

  const conflicts = problems.length === 0 ? conflictProblems(planned, doc.sessions, ev.timeZone) : [];
  if (options.conflicts !== 'warn') problems.push(...conflicts);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { doc, sessions: planned, warnings: options.conflicts === 'warn' ? conflicts : [] } };
}

/** Two confirmed sessions in one room at once, or one speaker in two places at once. */
function conflictProblems(planned: readonly PlannedSession[], raw: readonly SessionDoc[], zone: string): Problem[] {
  const problems: Problem[] = [];
  const index = new Map(planned.map((p, i) => [p, i]));
  const live = planned.filter((p) => p.status === 'confirmed');
  const byRoom = new Map<string, PlannedSession[]>();
  const bySpeaker = new Map<string, PlannedSession[]>();
  for (const p of live) {
    if (p.room !== null) byRoom.set(p.room, [...(byRoom.get(p.room) ?? []), p]);
    for (const sp of p.speakers) bySpeaker.set(sp, [...(bySpeaker.get(sp) ?? []), p]);
  }
  for (const [room, list] of byRoom) {
    for (const [a, b] of findOverlaps(list)) {
      problems.push({
        path: `sessions[${index.get(b)}].start`,
        message: `overlaps "${a.title}" (sessions[${index.get(a)}]) in room "${room}" at ${localLabel(fromStoredInstant(b.startsAt, zone))}`,
      });
    }
  }
  for (const [speaker, list] of bySpeaker) {
    for (const [a, b] of findOverlaps(list)) {
      const j = raw[index.get(b)!]!.speakers.indexOf(speaker);
      problems.push({
        path: `sessions[${index.get(b)}].speakers[${j}]`,
        message: `speaker "${speaker}" is also in "${a.title}" (sessions[${index.get(a)}]) at the same time`,
      });
    }
  }
  return problems;
}

function uniqueCode(base: string, used: Set<string>): string {
  let code = base;
  for (let n = 2; used.has(code); n++) code = `${base}-${n}`;
  used.add(code);
  return code;
}

function localLabel(dt: DateTime): string {
  return dt.toFormat('yyyy-MM-dd HH:mm ZZZZ');
}

function daysSpan(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000) + 1;
}

function zodMessage(issue: { code: string; message: string; keys?: readonly string[] }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys) return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (/received undefined/.test(issue.message)) return 'is required';
  return issue.message;
}

/**
 * The document form of a snapshot: what export writes. Times are written in the event's own
 * offset so a person can read them; importing this document gives back the same programme.
 */
export function toEventDocument(s: ProgramSnapshot): EventDocument {
  const e = s.event;
  return {
    format: DOCUMENT_FORMAT,
    community: { slug: s.community.slug, name: s.community.name, description: s.community.description, url: s.community.url },
    event: {
      slug: e.slug,
      kind: e.kind,
      title: e.title,
      acronym: e.acronym,
      timeZone: e.timeZone,
      startDate: e.startDate,
      endDate: e.endDate,
      dayChange: e.dayChange,
      venue: { ...e.venue },
      description: e.description,
      codeOfConductUrl: e.codeOfConductUrl,
      url: e.url,
      capacity: e.capacity,
      published: e.published,
      hosts: e.hosts.map((h) => ({ ...h })),
    },
    rooms: s.rooms.map((r) => ({ name: r.name, description: r.description, capacity: r.capacity })),
    tracks: s.tracks.map((t) => ({ name: t.name, color: t.color, description: t.description })),
    speakers: s.speakers.map((p) => ({
      code: p.code,
      name: p.name,
      jobTitle: p.jobTitle,
      company: p.company,
      bio: p.bio,
      avatarUrl: p.avatarUrl,
      handles: { ...p.handles },
    })),
    sessions: s.sessions.map((x) => ({
      code: x.code,
      guid: x.guid,
      kind: x.kind,
      status: x.status,
      title: x.title,
      subtitle: x.subtitle,
      abstract: x.abstract,
      language: x.language,
      level: x.level,
      track: x.trackId === null ? null : s.trackById.get(x.trackId)!.name,
      room: x.roomId === null ? null : s.roomById.get(x.roomId)!.name,
      sponsoredBy: x.sponsorId === null ? null : s.sponsorById.get(x.sponsorId)!.name,
      start: fromStoredInstant(x.startsAt, e.timeZone).toISO({ suppressMilliseconds: true })!,
      durationMinutes: x.durationMinutes,
      speakers: x.speakerIds.map((id) => s.speakerById.get(id)!.code),
      links: x.links.map((l) => ({ ...l })),
    })),
    sponsors: s.sponsors.map((p) => ({ name: p.name, level: p.level, url: p.url, logoUrl: p.logoUrl, contribution: p.contribution })),
  };
}
