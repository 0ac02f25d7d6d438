import ical, { ICalCalendarMethod, ICalEventStatus, type ICalEventData } from 'ical-generator';
import { SESSION_KIND_LABELS } from '../modules/program/session.js';
import type { ProgramSnapshot, Session } from '../modules/schedule/snapshot.js';
import { eventUrl, sessionUrl } from './frab-common.js';
import { icalText } from '../lib/ical-text.js';
import { markdownToPlainText } from './plain-text.js';

/**
 * iCalendar (RFC 5545) for a whole event or one session, made with ical-generator.
 *
 * - Times are UTC instants (DTSTART:20270415T071500Z): correct in every client across daylight
 *   saving without shipping VTIMEZONE definitions.
 * - UID is the session GUID @ the site's host, stable across edits; SEQUENCE is the session's
 *   sequence, which every change increases, so subscribed calendars update the entry in place.
 * - Cancelled sessions stay in, with STATUS:CANCELLED, so calendars that had them drop them; so
 *   does every session of a cancelled event (cancelling raised their SEQUENCE, so clients update).
 * - No ORGANIZER or ATTENDEE: both must be e-mail (mailto:) addresses, which Hallway never
 *   publishes, and clients treat attendees as an invitation; speakers are named in DESCRIPTION.
 * - DTSTAMP and LAST-MODIFIED are the session's last change, so the output is the same for the
 *   same programme version (cacheable, ETag-stable).
 */
export function renderEventCalendar(snap: ProgramSnapshot, baseUrl: string): string {
  return render(snap, snap.sessions, baseUrl);
}

export function renderSessionCalendar(snap: ProgramSnapshot, session: Session, baseUrl: string): string {
  return render(snap, [session], baseUrl);
}

/** Some sessions of the event under their own calendar name: a personal agenda feed (agenda/calendar-feed.actions.ts). */
export function renderSessionsCalendar(snap: ProgramSnapshot, sessions: readonly Session[], baseUrl: string, name: string): string {
  return render(snap, sessions, baseUrl, name);
}

/**
 * ical-generator writes each VEVENT; the calendar's own toString() would then fold lines with a
 * TextEncoder per character (about 1 s for 1,000 sessions), so the events are folded here with
 * the same rule (75 octets, continuation lines start with a space, code points never split) and
 * put into the otherwise empty calendar ical-generator wrote.
 */
function render(snap: ProgramSnapshot, sessions: readonly Session[], baseUrl: string, name = snap.event.title): string {
  const holder = calendar(snap, baseUrl, name);
  const events = sessions.map((s) => holder.createEvent(vevent(snap, s, baseUrl)).toString()).join('');
  const shell = calendar(snap, baseUrl, name).toString();
  const end = shell.lastIndexOf('END:VCALENDAR');
  return `${shell.slice(0, end)}${foldLines(events)}${shell.slice(end)}`;
}

/**
 * RFC 5545 §3.1 folding into lines of at most 75 octets (CRLF excluded), exactly as ical-generator
 * folds (74 octets of content per line, plus the leading space on continuation lines), so the
 * result is the same as its own toString() would give.
 */
export function foldLines(text: string): string {
  const lines = text.split('\r\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Most lines are short ASCII: 75 characters are then 75 octets, nothing to do.
    if (line.length <= 74 && !/[^\x00-\x7f]/.test(line)) continue;
    const parts: string[] = [];
    let start = 0;
    let octets = 0;
    for (let j = 0; j < line.length; j++) {
      const cp = line.codePointAt(j)!;
      const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (octets + size > 74) {
        parts.push(line.slice(start, j));
        start = j;
        octets = 0;
      }
      octets += size;
      if (cp > 0xffff) j++; // the second half of a surrogate pair
    }
    parts.push(line.slice(start));
    lines[i] = parts.join('\r\n ');
  }
  return lines.join('\r\n');
}

function calendar(snap: ProgramSnapshot, baseUrl: string, name: string) {
  return ical({
    prodId: { company: 'Hallway', product: 'Hallway', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    name: icalText(name),
    url: eventUrl(baseUrl, snap.event.slug),
    ttl: 60 * 60,
  });
}

function vevent(snap: ProgramSnapshot, s: Session, baseUrl: string): ICalEventData {
  const e = snap.event;
  const room = s.roomId === null ? '' : snap.roomById.get(s.roomId)!.name;
  const track = s.trackId === null ? undefined : snap.trackById.get(s.trackId)!.name;
  const speakers = s.speakerIds.map((id) => snap.speakerById.get(id)!.name);
  const url = sessionUrl(baseUrl, e.slug, s.code);
  const cancelled = s.status === 'cancelled' || e.cancelledAt !== null;
  const description = [
    cancelled ? 'CANCELLED' : '',
    s.subtitle,
    speakers.length ? `${speakers.length === 1 ? 'Speaker' : 'Speakers'}: ${speakers.join(', ')}` : '',
    markdownToPlainText(s.abstract),
    url,
  ]
    .filter(Boolean)
    .join('\n\n');
  return {
    id: `${s.guid}@${new URL(baseUrl).hostname}`,
    start: new Date(s.startsAt),
    end: new Date(s.endsAt),
    stamp: new Date(s.updatedAt),
    lastModified: new Date(s.updatedAt),
    sequence: s.sequence,
    summary: s.title,
    description,
    location: [room, e.venue.name, e.venue.address].filter(Boolean).join(', ') || null,
    url,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    categories: [{ name: SESSION_KIND_LABELS[s.kind] }, ...(track ? [{ name: track }] : [])],
  };
}
