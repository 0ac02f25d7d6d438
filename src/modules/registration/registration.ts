import type { Problem } from '../../lib/domain-error.js';

/*
 * Registration: domain types and pure rules. The RSVP state machine, the seat arithmetic, the
 * registration window, answers to organizer questions and the first-fit waitlist order live
 * here; the actions apply them inside the locked transaction.
 */

/**
 * RSVP states. `going` holds seats (1 + guests); `waitlisted` waits in arrival order;
 * `not_going` answered no without having held a place; `cancelled` held or waited for a place
 * and gave it up (or an organizer cancelled it).
 */
export const RSVP_STATUSES = ['going', 'waitlisted', 'not_going', 'cancelled'] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];

/** States that hold or claim a place: counted as "registered". */
export const ACTIVE_STATUSES: readonly RsvpStatus[] = ['going', 'waitlisted'];

/**
 * The transitions, each allowed from the listed states (`none` = no RSVP yet). `answer_yes`
 * lands in going or waitlisted, decided by the seats (see `admit`).
 */
export const RSVP_TRANSITIONS = {
  answer_yes: { from: ['none', 'not_going', 'cancelled'], to: ['going', 'waitlisted'] },
  /** Same answer again: changes guests/answers only (idempotent). */
  update: { from: ['going', 'waitlisted'], to: ['going', 'waitlisted'] },
  answer_no: { from: ['none', 'not_going'], to: ['not_going'] },
  cancel: { from: ['going', 'waitlisted'], to: ['cancelled'] },
  promote: { from: ['waitlisted'], to: ['going'] },
  demote: { from: ['going'], to: ['waitlisted'] },
} as const satisfies Record<string, { from: readonly (RsvpStatus | 'none')[]; to: readonly RsvpStatus[] }>;
export type RsvpTransition = keyof typeof RSVP_TRANSITIONS;

export function canTransition(from: RsvpStatus | 'none', transition: RsvpTransition): boolean {
  return (RSVP_TRANSITIONS[transition].from as readonly string[]).includes(from);
}

/** What an attendee's yes/no means from their current state. */
export function transitionFor(from: RsvpStatus | 'none', attending: boolean): RsvpTransition | 'noop' {
  if (attending) return from === 'going' || from === 'waitlisted' ? 'update' : 'answer_yes';
  if (from === 'going' || from === 'waitlisted') return 'cancel';
  return from === 'cancelled' || from === 'not_going' ? 'noop' : 'answer_no';
}

/** Seats one RSVP takes: the attendee plus guests. */
export function seatsOf(r: { guests: number }): number {
  return 1 + r.guests;
}

/** Free seats; Infinity when capacity is unlimited (null). Never negative. */
export function freeSeats(capacity: number | null, taken: number): number {
  return capacity === null ? Number.POSITIVE_INFINITY : Math.max(0, capacity - taken);
}

export interface WaitingParty {
  readonly id: number;
  readonly seats: number;
  readonly ticketTypeId: number | null;
}

/**
 * First-fit promotion in arrival order: walks the waitlist (already in arrival order) and admits
 * every party that fits the free seats and its ticket type's remaining quota. A party too big
 * for the seats left keeps its place (and is first in line when enough seats free up); nobody
 * behind it waits for a seat that a smaller party could use. Pure.
 */
export function admit(waitlist: readonly WaitingParty[], free: number, quotaLeft: ReadonlyMap<number, number> = new Map()): number[] {
  const out: number[] = [];
  const left = new Map(quotaLeft);
  let seats = free;
  for (const p of waitlist) {
    if (seats <= 0) break;
    if (p.seats > seats) continue;
    const q = p.ticketTypeId === null ? undefined : left.get(p.ticketTypeId);
    if (q !== undefined && p.seats > q) continue;
    out.push(p.id);
    seats -= p.seats;
    if (q !== undefined) left.set(p.ticketTypeId!, q - p.seats);
  }
  return out;
}

/**
 * Lowering capacity below the confirmed seats: the latest confirmations (in the order given,
 * newest last) that must move to the waitlist so the rest fit. Pure.
 */
export function excessOnLowering<T extends { seats: number }>(goingOldestFirst: readonly T[], capacity: number): T[] {
  let taken = goingOldestFirst.reduce((n, r) => n + r.seats, 0);
  const out: T[] = [];
  for (let i = goingOldestFirst.length - 1; i >= 0 && taken > capacity; i--) {
    out.unshift(goingOldestFirst[i]!);
    taken -= goingOldestFirst[i]!.seats;
  }
  return out;
}

export type WindowState = 'not_yet_open' | 'open' | 'closed_early' | 'closed';

/** Whether RSVPs are taken at `now` (all instants in stored form, compared as text). */
export function windowState(s: { opensAt: string | null; closesAt: string | null; closedAt: string | null }, eventStartsAt: string, now: string): WindowState {
  if (s.closedAt !== null) return 'closed_early';
  if (s.opensAt !== null && now < s.opensAt) return 'not_yet_open';
  if (now >= (s.closesAt ?? eventStartsAt)) return 'closed';
  return 'open';
}

/** Whether an event takes RSVPs now, cancellation and the end of the event first. */
export type RegistrationStatus = WindowState | 'cancelled' | 'past';

/** The registration status shown to everyone (instants in stored form, compared as text). Pure. */
export function registrationStatus(cancelledAt: string | null, eventEndsAt: string, window: WindowState, now: string): RegistrationStatus {
  if (cancelledAt) return 'cancelled';
  if (now >= eventEndsAt) return 'past';
  return window;
}

/** An organizer question asked with the RSVP. */
export interface Question {
  /** Stable key in answers: lower-case letters, digits, hyphens. */
  readonly id: string;
  readonly label: string;
  readonly kind: 'text' | 'choice' | 'yes_no';
  readonly required: boolean;
  /** For `choice`. */
  readonly options: readonly string[];
}

export type Answers = Readonly<Record<string, string>>;

/** Problems with answers to the questions (paths `answers.<id>`); unknown keys are refused. Pure. */
export function answerProblems(questions: readonly Question[], answers: Answers): Problem[] {
  const problems: Problem[] = [];
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(answers)) if (!known.has(key)) problems.push({ path: `answers.${key}`, message: 'is not a question of this event' });
  for (const q of questions) {
    const a = (answers[q.id] ?? '').trim();
    if (a === '') {
      if (q.required) problems.push({ path: `answers.${q.id}`, message: 'is required' });
      continue;
    }
    if (q.kind === 'choice' && !q.options.includes(a)) problems.push({ path: `answers.${q.id}`, message: `must be one of ${q.options.join(', ')}` });
    if (q.kind === 'yes_no' && a !== 'yes' && a !== 'no') problems.push({ path: `answers.${q.id}`, message: 'must be yes or no' });
    if (a.length > 500) problems.push({ path: `answers.${q.id}`, message: 'must be at most 500 characters' });
  }
  return problems;
}

/** Answers trimmed, blanks dropped. */
export function normaliseAnswers(answers: Answers): Record<string, string> {
  return Object.fromEntries(
    Object.entries(answers)
      .map(([k, v]) => [k, v.trim()] as const)
      .filter(([, v]) => v !== ''),
  );
}

/** Two [start, end) spans overlap (stored instants compare as text). */
export function overlaps(a: { startsAt: string; endsAt: string }, b: { startsAt: string; endsAt: string }): boolean {
  return a.startsAt < b.endsAt && b.startsAt < a.endsAt;
}

/** Waitlist positions 1..n from rows already ordered by arrival. */
export function positions<T>(rowsInArrivalOrder: readonly T[]): Array<T & { position: number }> {
  return rowsInArrivalOrder.map((r, i) => ({ ...r, position: i + 1 }));
}

/** The mail each outcome sends. */
export type RsvpMailKind = 'confirmed' | 'waitlisted' | 'promoted' | 'moved_to_waitlist' | 'reminder';

/** Where the "update my RSVP" link points (the web layer serves it). */
export const MANAGE_RSVP_PATH = '/rsvp/manage';

/** The seat figures anyone may see, read in O(1) from the counters (see getSeatCounts). */
export type SeatCounts = Pick<RegistrationCounts, 'capacity' | 'seatsTaken' | 'seatsFree' | 'waitlisted'>;

/** Registration counts an organizer sees. */
export interface RegistrationCounts {
  readonly capacity: number | null;
  /** People with status going (without their guests). */
  readonly going: number;
  /** Seats taken by going people and their guests. */
  readonly seatsTaken: number;
  readonly seatsFree: number | null;
  readonly waitlisted: number;
  readonly waitlistedSeats: number;
  readonly notGoing: number;
  readonly cancelled: number;
  readonly checkedIn: number;
}
