import type { z } from 'zod';
import { fromStoredInstant } from '../../lib/time.js';
import type { EventKind } from '../../modules/events/event.js';
import type { EventListItem } from '../../modules/schedule/snapshot.queries.js';
import type { ProgramSnapshot, Room, Session, Speaker, Sponsor, Track } from '../../modules/schedule/snapshot.js';
import { HANDLE_KINDS, type SpeakerHandles } from '../../modules/speakers/speaker.js';
import type {
  DaySchema,
  EventDetailSchema,
  EventLinksSchema,
  EventSummarySchema,
  RoomSchema,
  SessionSchema,
  SpeakerSchema,
  SponsorSchema,
  TrackSchema,
} from './schemas.js';

/**
 * Snapshot → API objects, typed by the zod schemas of schemas.ts. Every function copies the
 * fields it names and nothing else, so a field added to the model later stays private until it is
 * added here and there (the response schemas then drop anything not listed, a second line of
 * defence). Field names of sessions and speakers are those of the event document; extras (`end`,
 * `day`, `url`, `speakerDetails`, `sessions`) are read-only conveniences.
 */

export type EventLinksJson = z.infer<typeof EventLinksSchema>;
export type SessionJson = z.infer<typeof SessionSchema>;

const seg = encodeURIComponent;

/** ISO 8601 with the event's offset, seconds shown, as the event document writes times. */
export function localIso(stored: string, timeZone: string): string {
  return fromStoredInstant(stored, timeZone).toISO({ suppressMilliseconds: true })!;
}

export function eventLinks(baseUrl: string, slug: string): EventLinksJson {
  const api = `${baseUrl}/api/v1/events/${seg(slug)}`;
  return {
    self: api,
    html: `${baseUrl}/events/${seg(slug)}`,
    days: `${api}/days`,
    rooms: `${api}/rooms`,
    tracks: `${api}/tracks`,
    sessions: `${api}/sessions`,
    speakers: `${api}/speakers`,
    sponsors: `${api}/sponsors`,
    export: `${api}/export`,
  };
}

export function toEventSummaryJson(e: EventListItem, baseUrl: string): z.infer<typeof EventSummarySchema> {
  return {
    slug: e.slug,
    kind: e.kind as EventKind,
    title: e.title,
    acronym: e.acronym,
    timeZone: e.timeZone,
    startDate: e.startDate,
    endDate: e.endDate,
    venue: { name: e.venueName },
    cancelled: e.cancelled,
    community: { slug: e.communitySlug, name: e.communityName },
    links: eventLinks(baseUrl, e.slug),
  };
}

export function toEventDetailJson(s: ProgramSnapshot, baseUrl: string): z.infer<typeof EventDetailSchema> {
  const e = s.event;
  const c = s.community;
  return {
    slug: e.slug,
    kind: e.kind,
    title: e.title,
    acronym: e.acronym,
    timeZone: e.timeZone,
    startDate: e.startDate,
    endDate: e.endDate,
    dayChange: e.dayChange,
    venue: { name: e.venue.name, address: e.venue.address, url: e.venue.url },
    description: e.description,
    codeOfConductUrl: e.codeOfConductUrl,
    url: e.url,
    capacity: e.capacity,
    published: e.published,
    cancelledAt: e.cancelledAt,
    cancellationReason: e.cancellationReason,
    hosts: e.hosts.map((h) => ({ name: h.name, role: h.role, url: h.url })),
    community: { slug: c.slug, name: c.name, description: c.description, url: c.url },
    counts: {
      days: s.days.length,
      rooms: s.rooms.length,
      tracks: s.tracks.length,
      sessions: s.sessions.length,
      speakers: s.speakers.length,
      sponsors: s.sponsors.length,
    },
    links: eventLinks(baseUrl, e.slug),
  };
}

/** Every day from the event's start to end date, with the span of its sessions. */
export function toDaysJson(s: ProgramSnapshot): z.infer<typeof DaySchema>[] {
  const zone = s.event.timeZone;
  return s.days.map((date) => {
    const sessions = s.sessionsByDay.get(date) ?? [];
    let start: string | null = null;
    let end: string | null = null;
    for (const x of sessions) {
      if (start === null || x.startsAt < start) start = x.startsAt;
      if (end === null || x.endsAt > end) end = x.endsAt;
    }
    return {
      date,
      start: start === null ? null : localIso(start, zone),
      end: end === null ? null : localIso(end, zone),
      sessionCount: sessions.length,
    };
  });
}

export function toRoomJson(r: Room): z.infer<typeof RoomSchema> {
  return { name: r.name, description: r.description, capacity: r.capacity };
}

export function toTrackJson(t: Track): z.infer<typeof TrackSchema> {
  return { name: t.name, slug: t.slug, color: t.color, description: t.description };
}

export function toSponsorJson(p: Sponsor): z.infer<typeof SponsorSchema> {
  return { name: p.name, level: p.level, url: p.url, logoUrl: p.logoUrl, contribution: p.contribution };
}

export function toSpeakerJson(s: ProgramSnapshot, p: Speaker, baseUrl: string): z.infer<typeof SpeakerSchema> {
  const handles: SpeakerHandles = {};
  for (const k of HANDLE_KINDS) {
    const h = p.handles[k];
    if (typeof h === 'string') handles[k] = h;
  }
  return {
    code: p.code,
    name: p.name,
    jobTitle: p.jobTitle,
    company: p.company,
    bio: p.bio,
    avatarUrl: p.avatarUrl,
    handles,
    sessions: (s.sessionsBySpeaker.get(p.id) ?? []).map((x) => x.code),
    url: `${baseUrl}/events/${seg(s.event.slug)}/speakers/${seg(p.code)}`,
  };
}

export function toSessionJson(s: ProgramSnapshot, x: Session, baseUrl: string): SessionJson {
  const zone = s.event.timeZone;
  const speakers = x.speakerIds.map((id) => s.speakerById.get(id)!);
  return {
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
    start: localIso(x.startsAt, zone),
    durationMinutes: x.durationMinutes,
    speakers: speakers.map((p) => p.code),
    links: x.links.map((l) => ({ kind: l.kind, title: l.title, url: l.url })),
    end: localIso(x.endsAt, zone),
    day: x.day,
    url: `${baseUrl}/events/${seg(s.event.slug)}/sessions/${seg(x.code)}`,
    speakerDetails: speakers.map((p) => ({ code: p.code, name: p.name })),
  };
}

const sessionsMemo = new WeakMap<ProgramSnapshot, { baseUrl: string; list: readonly SessionJson[] }>();

/**
 * All sessions of a snapshot as API objects, made once per snapshot (snapshots are immutable
 * and replaced on every change, so the memo can never be stale).
 */
export function sessionsJson(s: ProgramSnapshot, baseUrl: string): readonly SessionJson[] {
  const hit = sessionsMemo.get(s);
  if (hit && hit.baseUrl === baseUrl) return hit.list;
  const list = s.sessions.map((x) => toSessionJson(s, x, baseUrl));
  sessionsMemo.set(s, { baseUrl, list });
  return list;
}
