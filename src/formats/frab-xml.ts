import { XMLBuilder } from 'fast-xml-parser';
import type { ProgramSnapshot, Session } from '../modules/schedule/snapshot.js';
import {
  HALLWAY_GENERATOR,
  HALLWAY_VERSION,
  LINK_TITLES,
  UNROOMED,
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
  startMs,
  strictUrl,
  timeslotMinutes,
  xmlSafe,
  ZoneClock,
} from './frab-common.js';

// processEntities: true makes the builder escape & < > " ' in every text and attribute value,
// so no programme text can close an element or inject markup; nothing is ever expanded.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

/**
 * The published programme as frab schedule XML, valid against C3VOC's schedule.xml.xsd:
 * `<version>` first, every day with start/end/index, every event with a UUID guid, a positive id,
 * an offset-qualified date, HH:MM start and duration, absolute URLs, and links that always carry
 * href. Cancelled sessions are left out (see exportedSessions); breaks and other service items are
 * included with their kind as `<type>` (break, meal, doors, social).
 */
export function renderFrabXml(snap: ProgramSnapshot, baseUrl: string): string {
  const e = snap.event;
  const zone = e.timeZone;
  const clock = new ZoneClock(zone);
  const frames = dayFrames(snap);
  const slugs = frabEventSlugs(
    snap,
    frames.flatMap((d) => d.sessions),
  );
  const t = (s: string) => xmlSafe(s);
  const personGuids = new Map(snap.speakers.map((sp) => [sp.id, personGuid(e.slug, sp.code)]));

  const event = (s: Session) => {
    const start = startMs(s);
    const track = s.trackId === null ? '' : snap.trackById.get(s.trackId)!.name;
    return {
      '@_guid': s.guid,
      '@_id': String(s.id),
      date: clock.iso(start),
      start: clock.hhmm(start),
      duration: hhmm(s.durationMinutes),
      room: t(s.roomId === null ? UNROOMED : snap.roomById.get(s.roomId)!.name),
      slug: slugs.get(s.id)!,
      url: sessionUrl(baseUrl, e.slug, s.code),
      title: t(s.title),
      subtitle: t(s.subtitle),
      track: t(track),
      type: s.kind,
      language: s.language,
      abstract: t(s.abstract),
      persons: {
        person: s.speakerIds.map((id) => {
          const sp = snap.speakerById.get(id)!;
          return { '@_id': String(sp.id), '@_guid': personGuids.get(sp.id)!, '#text': t(sp.name) };
        }),
      },
      links: { link: s.links.map((l) => ({ '@_href': strictUrl(l.url), '@_type': l.kind, '#text': t(l.title || LINK_TITLES[l.kind]) })) },
    };
  };

  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    schedule: {
      generator: { '@_name': HALLWAY_GENERATOR, '@_version': HALLWAY_VERSION, '@_system': new URL(baseUrl).host },
      url: `${eventUrl(baseUrl, e.slug)}/schedule.xml`,
      version: scheduleVersion(e),
      conference: {
        acronym: frabAcronym(e),
        title: t(e.title),
        start: e.startDate,
        end: e.endDate,
        days: frames.length,
        timeslot_duration: hhmm(timeslotMinutes(snap, clock)),
        base_url: `${baseUrl}/`,
        url: e.url ? strictUrl(e.url) : eventUrl(baseUrl, e.slug),
        time_zone_name: zone,
        track: snap.tracks.map((tr) => ({ '@_name': t(tr.name), '@_slug': frabTrackSlug(tr.slug), '@_color': tr.color.toLowerCase(), '#text': '' })),
      },
      day: frames.map((d) => ({
        '@_index': String(d.index),
        '@_date': d.date,
        '@_start': clock.iso(d.start.toMillis()),
        '@_end': clock.iso(d.end.toMillis()),
        room: dayRooms(snap, d.sessions).map((r) => ({
          '@_name': t(r.name),
          ...(r.name === UNROOMED ? {} : { '@_guid': roomGuid(e.slug, r.name) }),
          event: r.sessions.map(event),
        })),
      })),
    },
  };
  return builder.build(doc) as string;
}
