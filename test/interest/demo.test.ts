import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadDemo } from '../../src/modules/demo/demo.actions.js';
import { DEMO_VOTERS, demoPicks, loadDemoInterest } from '../../src/modules/demo/interest-demo.actions.js';
import { findInterestPoll, getInterestResults, loadInterestVotes } from '../../src/modules/interest/interest.queries.js';
import { testDatabases } from '../support/databases.js';
import { useModuleDb } from '../support/module-db.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';
import { newActor } from '../program/support.js';

test('the demo picks are deterministic, lean to tracks and follow popularity', () => {
  const talks = Array.from({ length: 30 }, (_, i) => ({ key: `s${i + 1}`, track: ['Ops', 'Sec', 'Data'][i % 3]! }));
  const a = demoPicks(talks, 200);
  assert.deepEqual(demoPicks(talks, 200), a);
  assert.notDeepEqual(demoPicks(talks, 200, 15), a);
  assert.ok(a.every((keys) => keys.length >= 2 && keys.length <= 9 && new Set(keys).size === keys.length));
  const counts = new Map<string, number>();
  for (const keys of a) for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const sorted = [...counts.values()].sort((x, y) => y - x);
  assert.ok(sorted[0]! > 2 * sorted.at(-1)!, `popular talks stand out: ${sorted[0]} vs ${sorted.at(-1)}`);
});

describe('the demo conference opens an interest poll with picks', () => {
  const env = useModuleDb(testDatabases[0]!, () => null);

  test('nothing without the demo conference; then a poll with its voters, once; organizers see counts and pairs', async () => {
    assert.equal(await loadDemoInterest(moduleContext(env.db), TEST_OPERATOR), false, 'no demo conference yet');
    await loadDemo(moduleContext(env.db), TEST_OPERATOR, 'small');
    assert.equal(await loadDemoInterest(moduleContext(env.db), TEST_OPERATOR), true);
    const event = await env.db.selectFrom('events').select(['id', 'community_id']).where('slug', '=', 'riverconf-2027').executeTakeFirstOrThrow();
    assert.equal((await findInterestPoll(env.db, event.id))?.status, 'open');
    const votes = await loadInterestVotes(env.db, event.id);
    assert.equal(votes.voters.length, DEMO_VOTERS);
    assert.equal(await loadDemoInterest(moduleContext(env.db), TEST_OPERATOR), false, 'an existing poll is left as it is');
    assert.deepEqual(await loadInterestVotes(env.db, event.id), votes);
    const organizer = await newActor(env.db, 'Demo Organizer', [{ scope: 'event', scopeId: event.id, role: 'organizer', trackIds: [] }]);
    const results = await getInterestResults(env.db, organizer, event.id);
    assert.equal(results.voters, DEMO_VOTERS);
    assert.ok(results.pairs.length >= 10 && results.pairs[0]!.both >= 5, `strong pairs: ${results.pairs[0]?.both}`);
  });
});
