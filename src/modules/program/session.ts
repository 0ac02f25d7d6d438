/**
 * What a programme item is. Talks and their relatives have speakers and a session page; the
 * "service" kinds (breaks, meals, doors, remarks, social) are shown as such on the schedule.
 */
export const SESSION_KINDS = ['keynote', 'talk', 'lightning', 'panel', 'workshop', 'remarks', 'break', 'meal', 'doors', 'social'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** Kinds that are not content: no speakers required, drawn across rooms when they have none. */
export const SERVICE_KINDS: ReadonlySet<SessionKind> = new Set(['break', 'meal', 'doors', 'social']);

export const SESSION_KIND_LABELS: Record<SessionKind, string> = {
  keynote: 'Keynote',
  talk: 'Talk',
  lightning: 'Lightning talk',
  panel: 'Panel',
  workshop: 'Workshop',
  remarks: 'Remarks',
  break: 'Break',
  meal: 'Meal',
  doors: 'Doors open',
  social: 'Social',
};

export const SESSION_STATUSES = ['confirmed', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const SESSION_LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export type SessionLevel = (typeof SESSION_LEVELS)[number];

export const LINK_KINDS = ['slides', 'video', 'recording', 'code', 'website', 'other'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** A scheduled interval, as the overlap rules see it. Instants are stored-form UTC strings. */
export interface Interval {
  readonly startsAt: string;
  readonly endsAt: string;
}

/** Two half-open intervals [start, end) overlap; back-to-back sessions do not. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt;
}

/**
 * Pairs of overlapping items among `items`, found by sorting once and sweeping, so a
 * 900-session event is checked in O(n log n + conflicts) rather than O(n²).
 */
export function findOverlaps<T extends Interval>(items: readonly T[]): Array<[T, T]> {
  const sorted = [...items].sort((x, y) => (x.startsAt < y.startsAt ? -1 : x.startsAt > y.startsAt ? 1 : 0));
  const out: Array<[T, T]> = [];
  const active: T[] = [];
  for (const item of sorted) {
    for (let i = active.length - 1; i >= 0; i--) {
      if (active[i]!.endsAt <= item.startsAt) active.splice(i, 1);
    }
    for (const other of active) out.push([other, item]);
    active.push(item);
  }
  return out;
}

/**
 * Session state transitions. Cancelling keeps the session (and its room and time) on the
 * programme, marked cancelled, but it no longer occupies its room or its speakers; restoring
 * re-checks both.
 */
export const SESSION_TRANSITIONS = {
  cancel: { from: ['confirmed'], to: 'cancelled' },
  restore: { from: ['cancelled'], to: 'confirmed' },
} as const satisfies Record<string, { from: readonly SessionStatus[]; to: SessionStatus }>;
export type SessionTransition = keyof typeof SESSION_TRANSITIONS;

/** The status after `transition`, or null when the transition is not allowed from `status`. */
export function nextSessionStatus(status: SessionStatus, transition: SessionTransition): SessionStatus | null {
  const t = SESSION_TRANSITIONS[transition];
  return (t.from as readonly SessionStatus[]).includes(status) ? t.to : null;
}
