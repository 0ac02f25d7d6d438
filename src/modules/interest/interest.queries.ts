import type { Db } from '../../db/database.js';
import type { Trx } from '../events/event-write.queries.js';
import { proposalKey, sessionKey, type InterestPoll, type PollScope, type PollStatus, type TalkKey } from './interest.js';
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
