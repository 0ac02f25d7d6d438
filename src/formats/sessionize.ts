import { SERVICE_KINDS, SESSION_KIND_LABELS, SESSION_KINDS, SESSION_LEVELS } from '../modules/program/session.js';
import type { ProgramSnapshot, Session, Speaker } from '../modules/schedule/snapshot.js';
import { HANDLE_KINDS, HANDLE_LABELS, handleUrl, type HandleKind } from '../modules/speakers/speaker.js';
import { personGuid, ZoneClock } from './frab-common.js';

/*
 * The published programme in the shape of Sessionize's "All" JSON view (sessions, speakers,
 * categories, rooms), which many community sites, conference apps and feedback tools read. A
 * site built on Sessionize can point at Hallway instead. Its conventions, kept here:
 * - times are the event's local wall-clock time without an offset ("2027-04-15T09:15:00");
 * - session ids are strings, and a speaker's `sessions` lists the same ids as numbers;
 * - speaker ids are GUIDs (the same name-based ones the frab exports use);
 * - tracks, formats, levels and languages are "categories" whose items have ids unique across
 *   all categories, referenced from each session's `categoryItems`;
 * - only what is on the programme: cancelled sessions are left out (Sessionize has no such state).
 */

/** Item ids per category, in ranges that never meet. Track items keep the track's own id. */
const RANGE = { track: 1_000_000, format: 2_000_000, level: 3_000_000, language: 4_000_000 } as const;

const LINK_TYPES: Record<HandleKind, string> = {
  website: 'Blog',
  mastodon: 'Other',
  bluesky: 'Other',
  github: 'Other',
  gitlab: 'Other',
  linkedin: 'LinkedIn',
  x: 'Twitter',
};

export function renderSessionizeAll(snap: ProgramSnapshot, _baseUrl: string): string {
  const e = snap.event;
  const clock = new ZoneClock(e.timeZone);
  // The ISO form with offset, cut before the offset: Sessionize's local wall-clock time.
  const local = (instant: string) => clock.iso(Date.parse(instant)).slice(0, 19);
  const sessions = snap.sessions.filter((s) => s.status !== 'cancelled');
  const languages = [...new Set(sessions.map((s) => s.language))].sort();
  const kinds = SESSION_KINDS.filter((k) => sessions.some((s) => s.kind === k && !SERVICE_KINDS.has(k)));
  const levels = SESSION_LEVELS.filter((l) => sessions.some((s) => s.level === l));
  const sessionsOf = new Map<number, number[]>();
  for (const s of sessions) for (const id of s.speakerIds) (sessionsOf.get(id) ?? sessionsOf.set(id, []).get(id)!).push(s.id);

  const categoryItems = (s: Session): number[] => {
    if (SERVICE_KINDS.has(s.kind)) return [];
    const items = [RANGE.format + SESSION_KINDS.indexOf(s.kind)];
    if (s.trackId !== null) items.unshift(RANGE.track + s.trackId);
    if (s.level !== null) items.push(RANGE.level + SESSION_LEVELS.indexOf(s.level));
    items.push(RANGE.language + languages.indexOf(s.language));
    return items;
  };
  const recording = (s: Session) => s.links.find((l) => l.kind === 'recording' || l.kind === 'video')?.url ?? null;

  const doc = {
    sessions: sessions.map((s) => ({
      id: String(s.id),
      title: s.title,
      description: s.abstract || null,
      startsAt: local(s.startsAt),
      endsAt: local(s.endsAt),
      isServiceSession: SERVICE_KINDS.has(s.kind),
      // Everyone attends it: a keynote, or an item that takes no single room (a break, lunch).
      isPlenumSession: s.kind === 'keynote' || s.roomId === null,
      speakers: s.speakerIds.map((id) => personGuid(e.slug, snap.speakerById.get(id)!.code)),
      categoryItems: categoryItems(s),
      questionAnswers: [],
      roomId: s.roomId,
      liveUrl: null,
      recordingUrl: recording(s),
      status: 'Accepted',
      isInformed: true,
      isConfirmed: true,
    })),
    speakers: snap.speakers
      .filter((sp) => sessionsOf.has(sp.id))
      .map((sp) => ({
        id: personGuid(e.slug, sp.code),
        ...splitName(sp.name),
        bio: sp.bio || null,
        tagLine: tagLine(sp),
        profilePicture: sp.avatarUrl,
        isTopSpeaker: false,
        links: HANDLE_KINDS.filter((k) => sp.handles[k]).map((k) => ({ title: HANDLE_LABELS[k], url: handleUrl(k, sp.handles[k]!), linkType: LINK_TYPES[k] })),
        sessions: sessionsOf.get(sp.id)!,
        fullName: sp.name,
        categoryItems: [],
        questionAnswers: [],
      })),
    questions: [],
    categories: [
      { id: 1, title: 'Track', items: snap.tracks.map((t, i) => ({ id: RANGE.track + t.id, name: t.name, sort: i })), sort: 1, type: 'session' },
      {
        id: 2,
        title: 'Session format',
        items: kinds.map((k, i) => ({ id: RANGE.format + SESSION_KINDS.indexOf(k), name: SESSION_KIND_LABELS[k], sort: i })),
        sort: 2,
        type: 'session',
      },
      {
        id: 3,
        title: 'Level',
        items: levels.map((l, i) => ({ id: RANGE.level + SESSION_LEVELS.indexOf(l), name: l[0]!.toUpperCase() + l.slice(1), sort: i })),
        sort: 3,
        type: 'session',
      },
      { id: 4, title: 'Language', items: languages.map((code, i) => ({ id: RANGE.language + i, name: code, sort: i })), sort: 4, type: 'session' },
    ].filter((c) => c.items.length > 0),
    rooms: snap.rooms.map((r, i) => ({ id: r.id, name: r.name, sort: i })),
  };
  return JSON.stringify(doc);
}

/** "Ada Lovelace King" → first "Ada", last "Lovelace King"; a single name is the first name. */
function splitName(name: string): { firstName: string; lastName: string } {
  const i = name.trim().indexOf(' ');
  return i < 0
    ? { firstName: name.trim(), lastName: '' }
    : {
        firstName: name.trim().slice(0, i),
        lastName: name
          .trim()
          .slice(i + 1)
          .trim(),
      };
}

/** "Staff Engineer at Acme", or whichever of the two is known. */
function tagLine(sp: Speaker): string {
  return [sp.jobTitle, sp.company].filter(Boolean).join(' at ');
}
