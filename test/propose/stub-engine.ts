import type { Db } from '../../src/db/database.js';
import { currentPlacements, type OptimizerEngine } from '../../src/modules/planning/proposal.js';
import type { Explanation, Score } from '../../src/modules/optimizer/optimizer.js';

/*
 * A stand-in for the optimizer where a test is about permissions and the run's life, not about the
 * solver: every instance is accepted, and a run proposes the current draft unchanged, ending only
 * when it is stopped (so a test controls when it is running). Never used outside tests.
 */

const ZERO: Score = { hard: 0, missed: 0, overflow: 0, emptySeats: 0, trackSpread: 0, changes: 0 };
const EMPTY: Explanation = {
  preferences: 0,
  attendable: 0,
  attendableShare: 1,
  voters: 0,
  votersWithMiss: 0,
  p95Misses: 0,
  maxMisses: 0,
  worstConflicts: [],
  fill: [],
  moved: [],
};

export const STUB_ENGINE: OptimizerEngine = {
  loadVotes: async () => ({ voters: [] }),
  prepare: async () => ({ problems: [], baseline: { score: ZERO, explanation: EMPTY } }),
  start: (instance, opts) => {
    let stop = () => {};
    const result = new Promise<never>((resolve) => {
      stop = () =>
        (resolve as (p: unknown) => void)({
          placements: currentPlacements(instance),
          score: ZERO,
          explanation: EMPTY,
          seed: opts.seed,
          iterations: 0,
          elapsedMs: 0,
          stopped: true,
        });
    });
    return { result, onProgress: () => {}, stop: () => stop() };
  },
};

/** A run row as the start action writes it, in `status` (for pages that only show a run). */
export async function insertRun(db: Db, eventId: number, userId: number, status: 'failed' | 'running' = 'failed'): Promise<number> {
  const at = '2027-03-01T12:00:00Z';
  const last = await db
    .selectFrom('optimizer_runs')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  const row = await db
    .insertInto('optimizer_runs')
    .values({
      event_id: eventId,
      number: Number(last?.n ?? 0) + 1,
      created_by: userId,
      created_by_label: 'Test',
      status,
      owner: status === 'running' ? 'elsewhere:1:x' : '',
      base_version: 1,
      fingerprint: 'none',
      options: JSON.stringify({
        days: [],
        roomIds: [],
        grainMinutes: 15,
        timeLimitSeconds: 10,
        attendeesPerVoter: null,
        seed: 1,
        trackRooms: [],
        kindRooms: [],
      }),
      summary: JSON.stringify({
        origin: at,
        timeZone: 'UTC',
        grainMinutes: 15,
        attendeesPerVoter: 1,
        attendeesPerVoterReason: '',
        voters: 0,
        preferences: 0,
        rooms: [],
        talks: [],
      }),
      baseline: JSON.stringify({ score: ZERO, explanation: EMPTY }),
      message: status === 'failed' ? 'The optimizer failed: test' : '',
      created_at: at,
      // A running row silent for an hour: its process is gone.
      heartbeat_at: status === 'running' ? '2027-03-01T11:00:00Z' : at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
