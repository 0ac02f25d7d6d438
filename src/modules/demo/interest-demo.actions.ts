import { hashSecret, newSecret } from '../../lib/secrets.js';
import { canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { withEventWrite, type Writer } from '../events/event-write.js';
import { parseTalkKey } from '../interest/interest.js';
import { loadPollTalks } from '../interest/interest.queries.js';
import { DEMO_CALL_EVENT } from './cfp-demo.actions.js';

/** How many anonymous voters the demo poll starts with. */
export const DEMO_VOTERS = 160;

const INTRO = `Which talks do you want to see at RiverConf? Tick as many as you like. We use the answers to keep talks that the same people want apart and to put popular talks in big rooms. Nobody sees who picked what.`;

/** A small seeded generator (mulberry32): the same picks on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The demo voters' picks, deterministic: popularity falls off like Zipf's law (rank^-0.8) and each
 * voter leans to one track (two picks in three from it), 2–9 talks each. Pure: `keys` with tracks.
 */
export function demoPicks(talks: readonly { key: string; track: string | null }[], voters: number, seed = 14): string[][] {
  const rand = random(seed);
  const sorted = [...talks].sort((a, b) => (a.key < b.key ? -1 : 1));
  const weight = new Map(sorted.map((t, i) => [t.key, 1 / (1 + ((i * 7) % sorted.length)) ** 0.8]));
  const tracks = [...new Set(sorted.map((t) => t.track ?? ''))].sort();
  const pick = (pool: readonly { key: string }[], taken: Set<string>): string | undefined => {
    const free = pool.filter((t) => !taken.has(t.key));
    const total = free.reduce((n, t) => n + weight.get(t.key)!, 0);
    let r = rand() * total;
    for (const t of free) {
      r -= weight.get(t.key)!;
      if (r <= 0) return t.key;
    }
    return free.at(-1)?.key;
  };
  const out: string[][] = [];
  for (let v = 0; v < voters; v++) {
    const favourite = tracks[Math.floor(rand() * tracks.length)];
    const own = sorted.filter((t) => (t.track ?? '') === favourite);
    const n = Math.min(sorted.length, 2 + Math.floor(rand() * 8));
    const taken = new Set<string>();
    while (taken.size < n) {
      const key = pick(rand() < 2 / 3 && own.some((t) => !taken.has(t.key)) ? own : sorted, taken);
      if (key === undefined) break;
      taken.add(key);
    }
    out.push([...taken].sort());
  }
  return out;
}

/**
 * Opens an interest poll on the demo conference with DEMO_VOTERS anonymous voters' picks
 * (deterministic; their private links are random and never shown), so the organizer's Interest
 * tab and the schedule optimizer have data from the start. Does nothing when the event is
 * missing or already has a poll. Through the event's write path as the operator (audit row).
 */
export async function loadDemoInterest(ctx: ModuleContext, writer: Writer): Promise<boolean> {
  const event = await ctx.db.selectFrom('events').select('id').where('slug', '=', DEMO_CALL_EVENT).executeTakeFirst();
  if (!event) return false;
  return withEventWrite(ctx, writer, event.id, { may: canManageEvent, what: 'open an interest poll on this event' }, async ({ trx, now, audit }) => {
    if (await trx.selectFrom('interest_polls').select('event_id').where('event_id', '=', event.id).executeTakeFirst()) return false;
    await trx
      .insertInto('interest_polls')
      .values({ event_id: event.id, status: 'open', scope: 'accepted', intro: INTRO, closes_at: null, created_at: now, updated_at: now })
      .execute();
    const talks = await loadPollTalks(trx, event.id, 'accepted');
    for (const keys of demoPicks(talks, DEMO_VOTERS)) {
      const voter = await trx
        .insertInto('interest_voters')
        .values({ event_id: event.id, user_id: null, token_hash: hashSecret(newSecret()), created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('interest_picks')
        .values(
          keys.map((k) => {
            const t = parseTalkKey(k)!;
            return { voter_id: voter.id, session_id: t.kind === 'session' ? t.id : null, proposal_id: t.kind === 'proposal' ? t.id : null, created_at: now };
          }),
        )
        .execute();
    }
    audit({ action: 'interest.poll_created', entityType: 'event', entityId: event.id, summary: `Demo interest poll opened with ${DEMO_VOTERS} voters' picks` });
    return true;
  });
}
