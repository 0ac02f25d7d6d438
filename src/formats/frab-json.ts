import type { ProgramSnapshot, Session } from '../modules/schedule/snapshot.js';
import {
  HALLWAY_GENERATOR,
  HALLWAY_VERSION,
  JSON_LINK_TYPE,
  LINK_TITLES,
  dayFrames,
  dayRooms,
  eventUrl,
  frabAcronym,
  frabEventSlugs,
  frabTrackSlug,
  hhmm,
  personGuid,
  roomGuid,
  scheduleVersion,
  sessionUrl,
  speakerUrl,
  strictUrl,
  startMs,
  timeslotMinutes,
  ZoneClock,
} from './frab-common.js';

/** The schema's own (buggy, unanchored) zone pattern; a zone it rejects is left out, as the times carry offsets. */
const ZONE_PATTERN = /^([A-Z][a-z]+\/[A-Z][a-z]+)|UTC$/;

/**
 * The published programme as C3VOC schedule.json ("version 1"), valid against its draft-06
 * schema.json: the same content as the XML export, with the JSON schema's extra constraints met
 * (a declared room list with GUIDs, link types from its enum, persons in the pretalx shape
 * {guid, name, public_name} so they match exactly one of its two person shapes, no `code`,
 * whose pattern is upper case only).
 */
export function renderFrabJson(snap: ProgramSnapshot, baseUrl: string): string {
  const e = snap.event;
  const zone = e.timeZone;
  const clock = new ZoneClock(zone);
  const frames = dayFrames(snap);
  const slugs = frabEventSlugs(
    snap,
    frames.flatMap((d) => d.sessions),
  );
  const personGuids = new Map(snap.speakers.map((sp) => [sp.id, personGuid(e.slug, sp.code)]));

  const event = (s: Session, room: string) => {
    const start = startMs(s);
    return {
      guid: s.guid,
      id: s.id,
      date: clock.iso(start),
      start: clock.hhmm(start),
      end: clock.iso(Date.parse(s.endsAt)),
      duration: hhmm(s.durationMinutes),
      room,
      slug: slugs.get(s.id)!,
      url: sessionUrl(baseUrl, e.slug, s.code),
      title: s.title,
      subtitle: s.subtitle,
      track: s.trackId === null ? null : snap.trackById.get(s.trackId)!.name,
      type: s.kind,
      language: s.language,
      abstract: s.abstract,
      persons: s.speakerIds.map((id) => {
        const sp = snap.speakerById.get(id)!;
        return {
          guid: personGuids.get(sp.id)!,
          name: sp.name,
          public_name: sp.name,
          biography: sp.bio,
          url: speakerUrl(baseUrl, e.slug, sp.code),
          ...(sp.avatarUrl ? { avatar: strictUrl(sp.avatarUrl) } : {}),
        };
      }),
      links: s.links.map((l) => ({ type: JSON_LINK_TYPE[l.kind], url: strictUrl(l.url), title: l.title || LINK_TITLES[l.kind] })),
      attachments: [],
    };
  };

  const doc = {
    generator: { name: HALLWAY_GENERATOR, version: HALLWAY_VERSION, url: baseUrl },
    schedule: {
      version: scheduleVersion(e),
      base_url: `${baseUrl}/`,
      conference: {
        acronym: frabAcronym(e),
        title: e.title,
        start: e.startDate,
        end: e.endDate,
        daysCount: frames.length,
        timeslot_duration: hhmm(timeslotMinutes(snap, clock)),
        ...(ZONE_PATTERN.test(zone) ? { time_zone_name: zone } : {}),
        url: e.url ? strictUrl(e.url) : eventUrl(baseUrl, e.slug),
        tracks: snap.tracks.map((t) => ({ name: t.name, slug: frabTrackSlug(t.slug), color: t.color.toLowerCase() })),
        rooms: snap.rooms.map((r) => ({ name: r.name, guid: roomGuid(e.slug, r.name), description: r.description || null, capacity: r.capacity })),
        days: frames.map((d) => ({
          index: d.index,
          date: d.date,
          day_start: clock.iso(d.start.toMillis()),
          day_end: clock.iso(d.end.toMillis()),
          rooms: Object.fromEntries(dayRooms(snap, d.sessions).map((r) => [r.name, r.sessions.map((s) => event(s, r.name))])),
        })),
      },
    },
  };
  // Compact: a machine format, and a fifth smaller than indented for a 1,000-session event.
  return `${JSON.stringify(doc)}\n`;
}
