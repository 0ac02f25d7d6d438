import type { Db } from '../../db/database.js';
import { hashSecret } from '../../lib/secrets.js';
import type { Actor } from '../accounts/actor.js';
import { canViewBackOffice } from '../accounts/account.policy.js';
import { PROPOSABLE_KINDS } from '../cfp/cfp.js';
import { toProposalRecords } from '../cfp/proposal.queries.js';
import { EventErrors } from '../events/event.errors.js';
import { InterestErrors } from './interest.errors.js';
import { ensureAllowed, scopeOf, type Trx } from '../events/event-write.queries.js';
import {
  orderForVoter,
  parseTalkKey,
  pollIsOpen,
  proposalKey,
  sessionKey,
  summarizeInterest,
  type CoInterestPair,
  type InterestPoll,
  type PollScope,
  type PollStatus,
  type PollTalk,
  type TalkKey,
} from './interest.js';
import type { InterestPollRow } from './interest.table.js';

/*
 * Reads of the interest poll, and the building-block writes its actions compose. Nothing here
 * returns who picked what to anyone but the voter: organizers get aggregates (interest.ts
 * summarizeInterest over loadInterestVotes, whose voters carry no identity).
 */

type Reader = Db | Trx;

export function toInterestPoll(r: InterestPollRow): InterestPoll {
  return {
    eventId: r.event_id,
    status: r.status as PollStatus,
    scope: r.scope as PollScope,
    intro: r.intro,
    closesAt: r.closes_at,
    updatedAt: r.updated_at,
  };
}

/** The event's poll, or undefined when none was set up. */
export async function findInterestPoll(db: Reader, eventId: number): Promise<InterestPoll | undefined> {
  const r = await db.selectFrom('interest_polls').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  return r && toInterestPoll(r);
}

/** The published event's poll, or INTEREST_POLL_NOT_FOUND (unpublished events have none to the public). */
export async function publicPoll(db: Reader, eventId: number): Promise<InterestPoll> {
  const e = await db.selectFrom('events').select('published').where('id', '=', eventId).executeTakeFirst();
  const poll = e?.published === 1 ? await findInterestPoll(db, eventId) : undefined;
  if (!poll) throw InterestErrors.pollNotFound();
  return poll;
}

/** Proposal states that stay talks of the poll, by scope. */
export function proposalStatesOf(scope: PollScope): string[] {
  return scope === 'review' ? ['accepted', 'submitted'] : ['accepted'];
}

/**
 * The key a stored pick stands for: a proposal's session once it has one (`s<id>`), else the
 * proposal (`p<id>`); a pick stored by session only is that session. Undefined: nothing left.
 */
export function resolvePickKey(p: { sessionId: number | null; proposalId: number | null; proposalSessionId: number | null }): TalkKey | undefined {
  if (p.proposalId !== null) return p.proposalSessionId !== null ? sessionKey(p.proposalSessionId) : proposalKey(p.proposalId);
  if (p.sessionId !== null) return sessionKey(p.sessionId);
  return undefined;
}

/**
 * Every voter's wanted talks as keys `s<sessionId>` / `p<proposalId>`: poll picks, plus stars on
 * the published programme; one voter per signed-in person merging both; anonymous poll voters
 * separate. Talks no longer on offer are left out (cancelled sessions; proposals rejected or
 * withdrawn, or still in review once the poll is limited to accepted ones); voters left with
 * nothing are dropped. Deterministic: signed-in voters by user id, then anonymous ones by voter
 * id, keys sorted. No identity leaves this function.
 */
export async function loadInterestVotes(db: Reader, eventId: number): Promise<{ voters: string[][] }> {
  const poll = await findInterestPoll(db, eventId);
  const states = new Set(proposalStatesOf(poll?.scope ?? 'accepted'));
  const picks = await db
    .selectFrom('interest_picks as k')
    .innerJoin('interest_voters as v', 'v.id', 'k.voter_id')
    .leftJoin('proposals as p', 'p.id', 'k.proposal_id')
    .leftJoin('sessions as s', (j) => j.on((eb) => eb('s.id', '=', eb.fn.coalesce('p.session_id', 'k.session_id'))))
    .select([
      'v.id as voterId',
      'v.user_id as userId',
      'k.session_id as sessionId',
      'k.proposal_id as proposalId',
      'p.session_id as proposalSessionId',
      'p.state as proposalState',
      's.status as sessionStatus',
    ])
    .where('v.event_id', '=', eventId)
    .execute();
  const stars = await db
    .selectFrom('agenda_stars as a')
    .innerJoin('sessions as s', 's.id', 'a.session_id')
    .select(['a.user_id as userId', 'a.session_id as sessionId'])
    .where('a.event_id', '=', eventId)
    .where('s.status', '!=', 'cancelled')
    .execute();

  const byUser = new Map<number, Set<string>>();
  const byAnon = new Map<number, Set<string>>();
  const add = (map: Map<number, Set<string>>, id: number, key: string) => {
    let set = map.get(id);
    if (!set) map.set(id, (set = new Set()));
    set.add(key);
  };
  for (const p of picks) {
    const key = resolvePickKey(p);
    if (!key) continue;
    if (key.startsWith('s')) {
      if (p.sessionStatus === null || p.sessionStatus === 'cancelled') continue;
    } else if (!states.has(p.proposalState ?? '')) continue;
    if (p.userId !== null) add(byUser, p.userId, key);
    else add(byAnon, p.voterId, key);
  }
  for (const s of stars) add(byUser, s.userId, sessionKey(s.sessionId));

  const sorted = (m: Map<number, Set<string>>) =>
    [...m.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, keys]) => [...keys].sort())
      .filter((keys) => keys.length > 0);
  return { voters: [...sorted(byUser), ...sorted(byAnon)] };
}

/**
 * The talks the poll offers now: the event's sessions of talk kinds that are not cancelled
 * (placed or not: the draft programme), then the proposals of the poll's scope that have no
 * session yet. Sorted by key; pages order them per voter (orderForVoter).
 */
export async function loadPollTalks(db: Reader, eventId: number, scope: PollScope): Promise<PollTalk[]> {
  const sessions = await db
    .selectFrom('sessions as s')
    .leftJoin('tracks as t', 't.id', 's.track_id')
    .select(['s.id', 's.title', 's.abstract', 's.kind', 't.name as track'])
    .where('s.event_id', '=', eventId)
    .where('s.status', '!=', 'cancelled')
    .where('s.kind', 'in', [...PROPOSABLE_KINDS])
    .orderBy('s.id')
    .execute();
  const speakerRows = sessions.length
    ? await db
        .selectFrom('session_speakers as ss')
        .innerJoin('speakers as sp', 'sp.id', 'ss.speaker_id')
        .innerJoin('sessions as s', 's.id', 'ss.session_id')
        .select(['ss.session_id', 'sp.name'])
        .where('s.event_id', '=', eventId)
        .orderBy('ss.session_id')
        .orderBy('ss.position')
        .execute()
    : [];
  const speakersOf = new Map<number, string[]>();
  for (const r of speakerRows) {
    const list = speakersOf.get(r.session_id) ?? [];
    list.push(r.name);
    speakersOf.set(r.session_id, list);
  }
  const proposalRows = await db
    .selectFrom('proposals')
    .selectAll()
    .where('event_id', '=', eventId)
    .where('state', 'in', proposalStatesOf(scope))
    .where('session_id', 'is', null)
    .orderBy('id')
    .execute();
  const proposals = await toProposalRecords(db, proposalRows);
  return [
    ...sessions.map((s) => ({
      key: sessionKey(s.id),
      title: s.title,
      abstract: s.abstract,
      speakers: speakersOf.get(s.id) ?? [],
      track: s.track,
      kind: s.kind,
      inReview: false,
    })),
    ...proposals.map((p) => ({
      key: proposalKey(p.id),
      title: p.title,
      abstract: p.abstract,
      speakers: p.speakers.filter((s) => s.status === 'accepted' && s.name).map((s) => s.name as string),
      track: p.trackName,
      kind: p.kind as string,
      inReview: p.state !== 'accepted',
    })),
  ];
}

/** The voter row of a signed-in person in the event, if they saved picks. */
export async function findUserVoter(db: Reader, eventId: number, userId: number): Promise<{ id: number } | undefined> {
  return db.selectFrom('interest_voters').select('id').where('event_id', '=', eventId).where('user_id', '=', userId).executeTakeFirst();
}

/** The anonymous voter behind a private link's secret (by its hash), in this event only. */
export async function findLinkVoter(db: Reader, eventId: number, token: string): Promise<{ id: number } | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  return db
    .selectFrom('interest_voters')
    .select('id')
    .where('event_id', '=', eventId)
    .where('token_hash', '=', hashSecret(token))
    .where('user_id', 'is', null)
    .executeTakeFirst();
}

/** One voter's picks as keys (resolved as loadInterestVotes does, but keeping every stored pick). */
export async function voterPickKeys(db: Reader, voterId: number): Promise<Set<TalkKey>> {
  const rows = await db
    .selectFrom('interest_picks as k')
    .leftJoin('proposals as p', 'p.id', 'k.proposal_id')
    .select(['k.session_id as sessionId', 'k.proposal_id as proposalId', 'p.session_id as proposalSessionId'])
    .where('k.voter_id', '=', voterId)
    .execute();
  const keys = new Set<TalkKey>();
  for (const r of rows) {
    const key = resolvePickKey(r);
    if (key) keys.add(key);
  }
  return keys;
}

/** The signed-in person's starred sessions of the event, as keys (they count as interest too). */
export async function starKeys(db: Reader, eventId: number, userId: number): Promise<Set<TalkKey>> {
  const rows = await db.selectFrom('agenda_stars').select('session_id').where('event_id', '=', eventId).where('user_id', '=', userId).execute();
  return new Set(rows.map((r) => sessionKey(r.session_id)));
}

/** A talk of the results: its key, title and how many want it. */
export interface InterestResultTalk {
  readonly key: TalkKey;
  readonly title: string;
  readonly track: string | null;
  readonly count: number;
}

export interface InterestResults {
  readonly poll: InterestPoll | null;
  /** People with at least one pick or star (signed-in people count once). */
  readonly voters: number;
  readonly picks: number;
  /** Most wanted first. */
  readonly talks: readonly InterestResultTalk[];
  /** The strongest co-interest pairs: most people wanting both first. */
  readonly pairs: readonly (CoInterestPair & { readonly aTitle: string; readonly bTitle: string })[];
}

/**
 * What organizers see of the poll: counts per talk and the strongest co-interest pairs, from
 * poll picks and stars (loadInterestVotes). Aggregates only: no voter is named or identifiable.
 * The back-office team (organizers and track managers: they schedule against other tracks'
 * talks too) may read it.
 * @throws FORBIDDEN (403), NOT_FOUND (404: event).
 */
export async function getInterestResults(db: Reader, actor: Actor | null, eventId: number, opts: { pairLimit?: number } = {}): Promise<InterestResults> {
  const event = await db.selectFrom('events').select(['id', 'community_id']).where('id', '=', eventId).executeTakeFirst();
  if (!event) throw EventErrors.notFound('event', eventId);
  ensureAllowed(canViewBackOffice(actor, scopeOf(event)), 'see the interest in this event');
  const poll = (await findInterestPoll(db, eventId)) ?? null;
  const { voters } = await loadInterestVotes(db, eventId);
  const summary = summarizeInterest(voters, { pairLimit: opts.pairLimit ?? 20 });
  const titles = await talkTitles(
    db,
    eventId,
    summary.counts.map((c) => c.key),
  );
  const title = (key: string) => titles.get(key)?.title ?? key;
  return {
    poll,
    voters: summary.voters,
    picks: summary.picks,
    talks: summary.counts.map((c) => ({ key: c.key, title: title(c.key), track: titles.get(c.key)?.track ?? null, count: c.count })),
    pairs: summary.pairs.map((p) => ({ ...p, aTitle: title(p.a), bTitle: title(p.b) })),
  };
}

/** Titles and tracks of talks by key (sessions and proposals of the event). */
async function talkTitles(db: Reader, eventId: number, keys: readonly string[]): Promise<Map<string, { title: string; track: string | null }>> {
  const sessionIds: number[] = [];
  const proposalIds: number[] = [];
  for (const k of keys) {
    const t = parseTalkKey(k);
    if (t?.kind === 'session') sessionIds.push(t.id);
    else if (t) proposalIds.push(t.id);
  }
  const out = new Map<string, { title: string; track: string | null }>();
  for (let i = 0; i < sessionIds.length; i += 500) {
    const rows = await db
      .selectFrom('sessions as s')
      .leftJoin('tracks as t', 't.id', 's.track_id')
      .select(['s.id', 's.title', 't.name as track'])
      .where('s.event_id', '=', eventId)
      .where('s.id', 'in', sessionIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(sessionKey(r.id), { title: r.title, track: r.track });
  }
  for (let i = 0; i < proposalIds.length; i += 500) {
    const rows = await db
      .selectFrom('proposals as p')
      .leftJoin('tracks as t', 't.id', 'p.track_id')
      .select(['p.id', 'p.title', 't.name as track'])
      .where('p.event_id', '=', eventId)
      .where('p.id', 'in', proposalIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(proposalKey(r.id), { title: r.title, track: r.track });
  }
  return out;
}

/** What the poll page shows one voter: the poll, its talks in their order, and their picks. */
export interface MyInterest {
  readonly poll: InterestPoll;
  /** Takes picks now (open and before its closing time). */
  readonly open: boolean;
  /** In this voter's order (orderForVoter with `seed`). */
  readonly talks: readonly PollTalk[];
  readonly picked: ReadonlySet<TalkKey>;
  /** Sessions the signed-in person starred (they count as interest already). */
  readonly starred: ReadonlySet<TalkKey>;
}

/**
 * The poll page of one voter: a signed-in person (userId), an anonymous visitor's saved picks
 * (voterId from their private link) or a new visitor (neither). `seed` orders the talks.
 */
export async function loadMyInterest(
  db: Reader,
  poll: InterestPoll,
  who: { userId: number | null; voterId: number | null },
  seed: string,
  now: string,
): Promise<MyInterest> {
  const talks = orderForVoter(await loadPollTalks(db, poll.eventId, poll.scope), seed);
  const voterId = who.voterId ?? (who.userId !== null ? ((await findUserVoter(db, poll.eventId, who.userId))?.id ?? null) : null);
  const picked = voterId !== null ? await voterPickKeys(db, voterId) : new Set<TalkKey>();
  const starred = who.userId !== null ? await starKeys(db, poll.eventId, who.userId) : new Set<TalkKey>();
  return { poll, open: pollIsOpen(poll, now), talks, picked, starred };
}

/** A person's own poll picks across events, for their personal data download (titles, not ids). */
export async function personalInterestPicks(db: Reader, userId: number): Promise<{ event: string; talk: string; pickedAt: string }[]> {
  const rows = await db
    .selectFrom('interest_picks as k')
    .innerJoin('interest_voters as v', 'v.id', 'k.voter_id')
    .innerJoin('events as e', 'e.id', 'v.event_id')
    .leftJoin('proposals as p', 'p.id', 'k.proposal_id')
    .leftJoin('sessions as s', (j) => j.on((eb) => eb('s.id', '=', eb.fn.coalesce('p.session_id', 'k.session_id'))))
    .select(['e.slug', 's.title as sessionTitle', 'p.title as proposalTitle', 'k.created_at'])
    .where('v.user_id', '=', userId)
    .orderBy('e.slug')
    .orderBy('k.created_at')
    .execute();
  return rows.flatMap((r) => {
    const talk = r.sessionTitle ?? r.proposalTitle;
    return talk === null ? [] : [{ event: r.slug, talk, pickedAt: r.created_at }];
  });
}
