import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadDemoCall } from '../../src/modules/demo/cfp-demo.actions.js';
import { cfpWindow } from '../../src/modules/cfp/cfp.js';
import { getCfpSettings } from '../../src/modules/cfp/cfp.queries.js';
import { loadDemo } from '../../src/modules/demo/demo.actions.js';
import { testDatabases } from '../support/databases.js';
import { useModuleDb } from '../support/module-db.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';
import { fixedClock } from '../../src/lib/clock.js';

describe('the demo opens a call for proposals on its conference', () => {
  const env = useModuleDb(testDatabases[0]!, () => null);

  test('nothing without the demo conference; then one open call, once, and the event page is refreshed', async () => {
    const now = new Date('2027-01-10T10:30:00Z');
    assert.equal(await loadDemoCall(moduleContext(env.db, fixedClock(now)), TEST_OPERATOR), false, 'no demo conference yet');
    await loadDemo(moduleContext(env.db), TEST_OPERATOR, 'small');
    const event = await env.db.selectFrom('events').select(['id', 'version']).where('slug', '=', 'riverconf-2027').executeTakeFirstOrThrow();
    assert.equal(await loadDemoCall(moduleContext(env.db, fixedClock(now)), TEST_OPERATOR), true);
    const call = (await getCfpSettings(env.db, event.id))!;
    assert.equal(cfpWindow(call, '2027-01-10T10:30:00Z'), 'open');
    assert.deepEqual([call.opensAt, call.closesAt], ['2027-01-09T10:00:00Z', '2027-03-07T10:00:00Z']);
    assert.deepEqual(
      call.formats.map((f) => f.kind),
      ['talk', 'lightning', 'workshop'],
    );
    const after = await env.db.selectFrom('events').select('version').where('id', '=', event.id).executeTakeFirstOrThrow();
    assert.equal(after.version, event.version + 1, 'the cached event page learns of the call');
    assert.equal(await loadDemoCall(moduleContext(env.db, fixedClock('2027-02-01T00:00:00Z')), TEST_OPERATOR), false, 'an existing call is left as it is');
    assert.equal((await getCfpSettings(env.db, event.id))!.opensAt, '2027-01-09T10:00:00Z');
  });
});
