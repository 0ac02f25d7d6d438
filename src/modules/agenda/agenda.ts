import { findOverlaps, SERVICE_KINDS } from '../program/session.js';
import type { Session } from '../schedule/snapshot.js';

/*
 * Pure rules of a personal agenda: starred sessions grouped by programme day (the day change
 * puts an after-midnight session on the previous day, as the printed programme does), overlaps
 * flagged with the same sort-and-sweep the programme rules use, and free slots between starred
 * sessions with what else runs in them. Instants are UTC, so durations and gaps stay right
 * across a daylight-saving change.
 */

export interface AgendaItem {
  readonly session: Session;
  /** Other starred (confirmed) sessions this one overlaps, in start order. */
  readonly overlapsWith: readonly number[];
}

export interface FreeSlot {
  /** UTC instants: the end of one starred block and the start of the next. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly minutes: number;
  /** Confirmed, unstarred content sessions (not breaks or meals) that fit wholly inside the slot. */
  readonly suggestions: readonly Session[];
}

export interface AgendaDay {
  /** Programme day, local date YYYY-MM-DD. */
  readonly day: string;
  /** Starred sessions of the day in start order (cancelled ones included, never overlapping). */
  readonly items: readonly AgendaItem[];
  readonly freeSlots: readonly FreeSlot[];
}

/** Minutes between two stored instants. */
export function minutesBetween(startsAt: string, endsAt: string): number {
  return Math.round((Date.parse(endsAt) - Date.parse(startsAt)) / 60_000);
}

/**
 * The agenda of one person: the programme days that have starred sessions, each with its
 * starred sessions, their overlaps, and the gaps between them with suggestions. `sessions` is the
 * event's whole programme (snapshot order: by start, then room); `starred` the starred ids.
 */
export function buildAgenda(sessions: readonly Session[], starred: ReadonlySet<number>): AgendaDay[] {
  const mine = sessions.filter((s) => starred.has(s.id));
  const overlaps = new Map<number, number[]>();
  for (const [a, b] of findOverlaps(mine.filter((s) => s.status === 'confirmed'))) {
    push(overlaps, a.id, b.id);
    push(overlaps, b.id, a.id);
  }
  const startOf = new Map(mine.map((s) => [s.id, s.startsAt]));
  const byDay = new Map<string, Session[]>();
  for (const s of mine) push(byDay, s.day, s);
  const others = new Map<string, Session[]>();
  const pauses = new Map<string, Session[]>();
  for (const s of sessions) {
    if (starred.has(s.id) || s.status !== 'confirmed') continue;
    push(SERVICE_KINDS.has(s.kind) ? pauses : others, s.day, s);
  }

  return [...byDay.keys()].sort().map((day) => {
    const items = byDay.get(day)!.map((session) => ({
      session,
      overlapsWith: (overlaps.get(session.id) ?? []).sort((x, y) => (startOf.get(x)! < startOf.get(y)! ? -1 : startOf.get(x)! > startOf.get(y)! ? 1 : x - y)),
    }));
    const confirmed = byDay.get(day)!.filter((s) => s.status === 'confirmed');
    // Breaks and meals between the first and last starred session are taken too: lunch is not a
    // free slot to fill with a talk.
    const first = confirmed.reduce((m, s) => (s.startsAt < m ? s.startsAt : m), '\uffff');
    const last = confirmed.reduce((m, s) => (s.endsAt > m ? s.endsAt : m), '');
    const taken = [...confirmed, ...(pauses.get(day) ?? []).filter((p) => p.startsAt >= first && p.endsAt <= last)];
    const freeSlots = freeSlotsBetween(taken).map((gap) => ({
      ...gap,
      minutes: minutesBetween(gap.startsAt, gap.endsAt),
      suggestions: (others.get(day) ?? []).filter((s) => s.startsAt >= gap.startsAt && s.endsAt <= gap.endsAt),
    }));
    return { day, items, freeSlots };
  });
}

/** The gaps between starred blocks (overlapping or touching sessions merged into one block). */
export function freeSlotsBetween(starred: readonly { startsAt: string; endsAt: string }[]): Array<{ startsAt: string; endsAt: string }> {
  const sorted = [...starred].sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0));
  const gaps: Array<{ startsAt: string; endsAt: string }> = [];
  let blockEnd: string | null = null;
  for (const s of sorted) {
    if (blockEnd !== null && s.startsAt > blockEnd) gaps.push({ startsAt: blockEnd, endsAt: s.startsAt });
    if (blockEnd === null || s.endsAt > blockEnd) blockEnd = s.endsAt;
  }
  return gaps;
}

/**
 * Heading anchors as GitHub, GitLab and most static-site generators make them (github-slugger):
 * lower case, punctuation and symbols dropped, spaces to hyphens, a repeated heading gets -1,
 * -2…. One slugger per document, fed every heading in document order.
 */
export function createAnchorSlugger(): (heading: string) => string {
  const seen = new Map<string, number>();
  return (heading) => {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    let slug = base;
    let n = seen.get(base) ?? 0;
    while (seen.has(slug)) slug = `${base}-${++n}`;
    seen.set(base, n);
    seen.set(slug, seen.get(slug) ?? 0);
    return slug;
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A starred session as the person last saw it (see agenda_stars.seen_*). */
export interface SeenSlot {
  readonly startsAt: string | null;
  readonly roomId: number | null;
  readonly status: string | null;
}

/** What changed in a starred session since the person last saw it. */
export interface SlotChange {
  /** The start they saw (UTC instant), when it moved in time. */
  readonly movedFrom: string | null;
  /** The room they saw (null: no room), when it moved to another room. */
  readonly roomFrom: number | null | undefined;
  /** Cancelled since they saw it. */
  readonly cancelled: boolean;
  /** Cancelled when they saw it, back on the programme now. */
  readonly restored: boolean;
}

/**
 * The change worth telling the person about (time, room, cancelled or back on), or null when there is
 * none, or nothing was recorded to compare with. A title or abstract edit is not a change here:
 * they still go to the same room at the same time.
 */
export function changeSinceSeen(seen: SeenSlot, now: Pick<Session, 'startsAt' | 'roomId' | 'status'>): SlotChange | null {
  if (seen.startsAt === null) return null;
  const movedFrom = seen.startsAt !== now.startsAt ? seen.startsAt : null;
  const roomFrom = seen.roomId !== now.roomId ? seen.roomId : undefined;
  const cancelled = now.status === 'cancelled' && seen.status !== 'cancelled';
  const restored = now.status !== 'cancelled' && seen.status === 'cancelled';
  return movedFrom === null && roomFrom === undefined && !cancelled && !restored ? null : { movedFrom, roomFrom, cancelled, restored };
}
