/*
 * The interest poll's domain types and pure rules (issue 14): talk keys, the per-visitor order,
 * the co-interest pairs (halfnarp/fullnarp) and whether a poll takes picks.
 */

export const POLL_STATUSES = ['open', 'closed'] as const;
export type PollStatus = (typeof POLL_STATUSES)[number];

/** accepted: accepted proposals and sessions; review: also proposals still in review (submitted). */
export const POLL_SCOPES = ['accepted', 'review'] as const;
export type PollScope = (typeof POLL_SCOPES)[number];

/** Most talks one voter may pick (more is refused, nothing saved). */
export const MAX_PICKS = 500;
/** Most characters of the intro text. */
export const MAX_INTRO = 4000;

export interface InterestPoll {
  readonly eventId: number;
  readonly status: PollStatus;
  readonly scope: PollScope;
  readonly intro: string;
  /** UTC instant; null: open until closed by hand. */
  readonly closesAt: string | null;
  readonly updatedAt: string;
}

/** Whether the poll takes picks at `now` (stored UTC instant form). */
export function pollIsOpen(poll: Pick<InterestPoll, 'status' | 'closesAt'> | null | undefined, now: string): boolean {
  if (poll?.status !== 'open') return false;
  return poll.closesAt === null || now < poll.closesAt;
}

/** A talk key: `s<sessionId>` or `p<proposalId>` (the optimizer contract's OptimizerTalk.key). */
export type TalkKey = string;

export function sessionKey(sessionId: number): TalkKey {
  return `s${sessionId}`;
}

export function proposalKey(proposalId: number): TalkKey {
  return `p${proposalId}`;
}

/** Parses a talk key; undefined when it is not one. */
export function parseTalkKey(key: string): { kind: 'session' | 'proposal'; id: number } | undefined {
  const m = /^([sp])([1-9][0-9]{0,9})$/.exec(key);
  if (!m) return undefined;
  const id = Number(m[2]);
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) return undefined;
  return { kind: m[1] === 's' ? 'session' : 'proposal', id };
}

/** A talk as the poll lists it. */
export interface PollTalk {
  readonly key: TalkKey;
  readonly title: string;
  readonly abstract: string;
  readonly speakers: readonly string[];
  readonly track: string | null;
  readonly kind: string;
  /** The proposal still awaits its decision (scope review). */
  readonly inReview: boolean;
}

/** The voter's key of the per-visitor order. */
function hash32(text: string): number {
  // FNV-1a, then a final avalanche (murmur3 fmix32): cheap, stable across processes.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The talks in a random order that is stable for one voter (`seed`: their identity) and differs
 * between voters, so no talk profits from its place in the list (no position bias): each talk is
 * ranked by a hash of seed and key, which keeps one person's order when talks are added.
 */
export function orderForVoter<T extends { readonly key: string }>(talks: readonly T[], seed: string): T[] {
  const ranked = talks.map((t) => ({ t, r: hash32(`${seed}\u0000${t.key}`) }));
  ranked.sort((a, b) => a.r - b.r || (a.t.key < b.t.key ? -1 : a.t.key > b.t.key ? 1 : 0));
  return ranked.map((x) => x.t);
}

/** How many voters want a talk. */
export interface TalkCount {
  readonly key: TalkKey;
  readonly count: number;
}

/** A pair of talks many of the same people want (they should not run at the same time). */
export interface CoInterestPair {
  readonly a: TalkKey;
  readonly b: TalkKey;
  /** People who want both. */
  readonly both: number;
  /** both·L / (c_a·c_b): above 1, more than chance. */
  readonly lift: number;
  /**
   * fullnarp's pair score round(4·L·c_ab²·(c_a + c_b) / (c_a²·c_b²)), capped at 9:
   * 4 × lift × (P(a|b) + P(b|a)) (scheduling.md §1).
   */
  readonly score: number;
}

export interface InterestSummary {
  readonly voters: number;
  readonly picks: number;
  /** Most wanted first (ties by key). */
  readonly counts: readonly TalkCount[];
  /** Strongest pairs first (most people wanting both, then score). */
  readonly pairs: readonly CoInterestPair[];
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Counts per talk and the strongest co-interest pairs of a set of voters (each a list of keys).
 * `pairLimit` pairs at most; pairs with fewer than `minBoth` people wanting both are left out.
 * Aggregates only: nothing names a voter.
 */
export function summarizeInterest(voters: readonly (readonly string[])[], opts: { pairLimit?: number; minBoth?: number } = {}): InterestSummary {
  const pairLimit = opts.pairLimit ?? 20;
  const minBoth = opts.minBoth ?? 2;
  const count = new Map<string, number>();
  const index = new Map<string, number>();
  const keysOf: string[] = [];
  const both = new Map<number, number>();
  const lists: number[][] = [];
  let picks = 0;
  let L = 0;
  for (const v of voters) {
    const keys = [...new Set(v)];
    if (!keys.length) continue;
    L++;
    picks += keys.length;
    const ids: number[] = [];
    for (const k of keys) {
      count.set(k, (count.get(k) ?? 0) + 1);
      let i = index.get(k);
      if (i === undefined) {
        i = keysOf.length;
        index.set(k, i);
        keysOf.push(k);
      }
      ids.push(i);
    }
    lists.push(ids.sort((x, y) => x - y));
  }
  const n = keysOf.length;
  for (const ids of lists)
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const id = (ids[i] as number) * n + (ids[j] as number);
        both.set(id, (both.get(id) ?? 0) + 1);
      }
  const counts = [...count].map(([key, n]) => ({ key, count: n })).sort((x, y) => y.count - x.count || compareKeys(x.key, y.key));
  const pairs: CoInterestPair[] = [];
  for (const [id, nBoth] of both) {
    if (nBoth < minBoth) continue;
    const a = keysOf[Math.floor(id / n)] as string;
    const b = keysOf[id % n] as string;
    const ca = count.get(a) ?? 0;
    const cb = count.get(b) ?? 0;
    const lift = (nBoth * L) / (ca * cb);
    const score = Math.min(9, Math.round((4 * L * nBoth * nBoth * (ca + cb)) / (ca * ca * cb * cb)));
    const [x, y] = compareKeys(a, b) <= 0 ? [a, b] : [b, a];
    pairs.push({ a: x, b: y, both: nBoth, lift: Math.round(lift * 100) / 100, score });
  }
  pairs.sort((x, y) => y.both - x.both || y.score - x.score || compareKeys(x.a, y.a) || compareKeys(x.b, y.b));
  return { voters: L, picks, counts, pairs: pairs.slice(0, pairLimit) };
}
