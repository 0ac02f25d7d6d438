/*
 * The live channel's domain: what subscribers are told about an event, and how an event's live
 * state (draft version, latest release) moves on. Pure: live-hub.ts reads and listens,
 * live.queries.ts signals.
 */

/** The latest release of an event as the live channel announces it. */
export interface ReleaseHead {
  /** 1, 2, … per event (schedule_releases.number). */
  readonly number: number;
  readonly name: string;
  /** How many changes the release's changelog lists (schedule_releases.change_count). */
  readonly changes: number;
}

/** Where an event stands: its draft version (events.version) and latest release (null: none yet). */
export interface LiveState {
  readonly version: number;
  readonly release: ReleaseHead | null;
}

/** What a subscriber hears about one event. */
export type LiveNotice =
  | { readonly kind: 'draft'; readonly eventId: number; readonly version: number }
  | ({ readonly kind: 'release'; readonly eventId: number } & ReleaseHead);

/** The PostgreSQL channel every Hallway process LISTENs on (one per database). */
export const LIVE_CHANNEL = 'hallway_live';

/** NOTIFY payloads must stay below 8,000 bytes; a release name is cut to keep them far below. */
const MAX_NAME_CHARS = 200;

export function releaseNumberOf(state: LiveState | undefined): number {
  return state?.release?.number ?? 0;
}

/** The notices that lead from `before` to `after` (nothing when `after` is not newer). */
export function noticesBetween(eventId: number, before: LiveState, after: LiveState): LiveNotice[] {
  const out: LiveNotice[] = [];
  if (after.version > before.version) out.push({ kind: 'draft', eventId, version: after.version });
  if (after.release && after.release.number > releaseNumberOf(before)) out.push({ kind: 'release', eventId, ...after.release });
  return out;
}

/** The newer of two states, part by part (states only move forward). */
export function newerState(a: LiveState | undefined, b: LiveState): LiveState {
  if (!a) return b;
  return {
    version: Math.max(a.version, b.version),
    release: releaseNumberOf(b) > releaseNumberOf(a) ? b.release : a.release,
  };
}

/** `state` after `notice` (unchanged when the notice is not newer). */
export function applyNotice(state: LiveState | undefined, notice: LiveNotice): LiveState {
  const fromNotice: LiveState =
    notice.kind === 'draft'
      ? { version: notice.version, release: null }
      : { version: 0, release: { number: notice.number, name: notice.name, changes: notice.changes } };
  return newerState(state, fromNotice);
}

/** Whether `notice` tells something `state` does not know yet. */
export function isNews(state: LiveState | undefined, notice: LiveNotice): boolean {
  if (!state) return true;
  return notice.kind === 'draft' ? notice.version > state.version : notice.number > releaseNumberOf(state);
}

/** The NOTIFY payload of a notice (compact JSON). */
export function encodeNotice(notice: LiveNotice): string {
  return notice.kind === 'draft'
    ? JSON.stringify({ e: notice.eventId, k: 'd', v: notice.version })
    : JSON.stringify({ e: notice.eventId, k: 'r', n: notice.number, m: notice.name.slice(0, MAX_NAME_CHARS), c: notice.changes });
}

/** A notice from a NOTIFY payload, or null when it is not one (another program on the channel). */
export function decodeNotice(payload: string): LiveNotice | null {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object') return null;
  const p = raw as Record<string, unknown>;
  const int = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!int(p.e)) return null;
  if (p.k === 'd' && int(p.v)) return { kind: 'draft', eventId: p.e, version: p.v };
  if (p.k === 'r' && int(p.n) && int(p.c) && typeof p.m === 'string') return { kind: 'release', eventId: p.e, number: p.n, name: p.m, changes: p.c };
  return null;
}
