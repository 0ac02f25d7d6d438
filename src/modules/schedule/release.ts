/**
 * Released versions of a programme. The draft is what organizers edit (the sessions table); a
 * release freezes where every placed session is, who speaks and whether it is cancelled, under a
 * name, with a public comment. The changelog of a release is its difference from the release
 * before, computed once when it is made and kept with it.
 */

/** A session as a release sees it: the part of a session that is versioned. */
export interface ReleasedSlot {
  readonly sessionId: number;
  readonly code: string;
  readonly title: string;
  readonly status: string;
  readonly roomId: number | null;
  readonly roomName: string;
  /** UTC instants in stored form. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly speakerIds: readonly number[];
}

export const CHANGE_KINDS = ['new', 'moved', 'room', 'cancelled', 'restored', 'removed', 'speakers'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_LABELS: Record<ChangeKind, string> = {
  new: 'New',
  moved: 'Moved',
  room: 'Room changed',
  cancelled: 'Cancelled',
  restored: 'Back on the programme',
  removed: 'Removed',
  speakers: 'Speakers changed',
};

export interface Placement {
  readonly roomName: string;
  readonly startsAt: string;
  readonly endsAt: string;
}

/** One line of a changelog. */
export interface ReleaseChange {
  readonly sessionId: number;
  readonly code: string;
  readonly title: string;
  readonly kind: ChangeKind;
  /** Where it was (moved, room, removed) and where it is (new, moved, room, restored). */
  readonly from?: Placement;
  readonly to?: Placement;
  /** Who spoke before (removed, speakers) and who speaks now (every other kind): whom to tell. */
  readonly speakersBefore?: readonly number[];
  readonly speakersAfter?: readonly number[];
}

/** Kinds that change when or whether a speaker speaks: their speakers hear about them. */
export const NOTIFIED_KINDS: ReadonlySet<ChangeKind> = new Set(['new', 'moved', 'room', 'cancelled', 'restored', 'removed']);

const placement = (s: ReleasedSlot): Placement => ({ roomName: s.roomName, startsAt: s.startsAt, endsAt: s.endsAt });

/**
 * What changed from `before` (the previous release; empty for the first) to `after` (the draft
 * being released), one entry per session and kind, in `after`'s order then removals. A session
 * that moved and changed room is one "moved" (from → to names both); a cancelled session's move
 * is not reported separately.
 */
export function diffReleases(before: readonly ReleasedSlot[], after: readonly ReleasedSlot[]): ReleaseChange[] {
  const previous = new Map(before.map((s) => [s.sessionId, s]));
  const out: ReleaseChange[] = [];
  const base = (s: ReleasedSlot) => ({ sessionId: s.sessionId, code: s.code, title: s.title });
  for (const s of after) {
    const p = previous.get(s.sessionId);
    previous.delete(s.sessionId);
    if (!p) {
      out.push({ ...base(s), kind: s.status === 'cancelled' ? 'cancelled' : 'new', to: placement(s), speakersAfter: s.speakerIds });
      continue;
    }
    const moved = { from: placement(p), to: placement(s), speakersAfter: s.speakerIds };
    if (p.status !== s.status) {
      out.push({ ...base(s), kind: s.status === 'cancelled' ? 'cancelled' : 'restored', ...moved });
    } else if (p.startsAt !== s.startsAt || p.endsAt !== s.endsAt) {
      out.push({ ...base(s), kind: 'moved', ...moved });
    } else if (p.roomId !== s.roomId) {
      out.push({ ...base(s), kind: 'room', ...moved });
    }
    if (!sameList(p.speakerIds, s.speakerIds)) out.push({ ...base(s), kind: 'speakers', speakersBefore: p.speakerIds, speakersAfter: s.speakerIds });
  }
  for (const p of previous.values()) out.push({ ...base(p), kind: 'removed', from: placement(p), speakersBefore: p.speakerIds });
  return out;
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The name a release gets when the organizer gives none: the next number not taken. */
export function defaultReleaseName(nextNumber: number, taken: ReadonlySet<string>): string {
  let n = nextNumber;
  while (taken.has(String(n))) n++;
  return String(n);
}

export const RELEASE_NOTIFICATIONS = ['sent', 'held', 'none'] as const;
export type ReleaseNotifications = (typeof RELEASE_NOTIFICATIONS)[number];
