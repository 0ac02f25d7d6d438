import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { assertError, tokenFor, useManageApp, type TokenHolder } from '../api-manage/support.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { sqliteDatabase } from '../support/databases.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

/**
 * Issue 11 item 10c: dates and instants people or files enter lie in the years 1970 to 2100, and
 * a series cannot end before it starts; each refusal names the field and writes nothing.
 */

const M = '/api/v1/manage';
const OUT_OF_RANGE = 'must be in the years 1970 to 2100';

describe('date bounds', () => {
  const env = useManageApp(sqliteDatabase);
  let owner: TokenHolder;
  let communityId: number;
  before(async () => {
    owner = await tokenFor(env.db, 'Owner', { mayCreateCommunities: true });
    communityId = (await env.api.post(`${M}/communities`, { token: owner.token, json: { slug: 'dates', name: 'Dates' } })).body.data.id;
  });
  const count = async (table: 'events' | 'event_series') => (await env.db.selectFrom(table).select('id').execute()).length;
  const problems = (res: { body: any }) => res.body.error.problems as Array<{ path: string; message: string }>;

  test('an event in year 0000 or 9999 is refused naming the date; 1970 and 2100 are fine', async () => {
    const before = await count('events');
    const event = (startDate: string, endDate: string, slug = 'far') => ({
      communityId,
      slug,
      kind: 'meetup',
      title: 'Far',
      timeZone: 'UTC',
      startDate,
      endDate,
    });
    for (const [start, end, path] of [
      ['0000-01-01', '2027-01-01', 'startDate'],
      ['2027-01-01', '9999-12-31', 'endDate'],
      ['1969-12-31', '1969-12-31', 'startDate'],
    ] as const) {
      const res = await env.api.post(`${M}/events`, { token: owner.token, json: event(start, end) });
      assertError(res, 422, 'VALIDATION_FAILED');
      assert.ok(
        problems(res).some((p) => p.path === path && p.message === OUT_OF_RANGE),
        res.text,
      );
    }
    assert.equal(await count('events'), before);
    for (const [d, slug] of [
      ['1970-01-01', 'first'],
      ['2100-12-31', 'last'],
    ]) {
      assert.equal((await env.api.post(`${M}/events`, { token: owner.token, json: event(d!, d!, slug) })).status, 201);
    }
  });

  test('registration opening in year 9999 is refused naming opensAt', async () => {
    const id = (
      await env.api.post(`${M}/events`, {
        token: owner.token,
        json: { communityId, slug: 'reg', kind: 'meetup', title: 'Reg', timeZone: 'UTC', startDate: '2027-01-01', endDate: '2027-01-01' },
      })
    ).body.data.id;
    const res = await env.api.patch(`${M}/events/${id}/registration`, { token: owner.token, json: { opensAt: '9999-01-01T00:00:00Z' } });
    assertError(res, 422, 'VALIDATION_FAILED');
    assert.deepEqual(problems(res), [{ path: 'opensAt', message: OUT_OF_RANGE }]);
  });

  test('a series ending before it starts, or starting in 0000, is refused naming the field', async () => {
    const before = await count('event_series');
    const series = { name: 'S', slug: 'weekly', titlePattern: 'S #{n}', timeZone: 'UTC', frequency: 'weekly', weekday: 'monday' };
    const backwards = await env.api.post(`${M}/communities/${communityId}/series`, {
      token: owner.token,
      json: { ...series, startsOn: '2027-03-01', endsOn: '2027-02-01' },
    });
    assertError(backwards, 422, 'VALIDATION_FAILED');
    assert.deepEqual(problems(backwards), [{ path: 'endsOn', message: 'must be on or after the start date 2027-03-01' }]);
    const ancient = await env.api.post(`${M}/communities/${communityId}/series`, { token: owner.token, json: { ...series, startsOn: '0000-01-03', count: 2 } });
    assertError(ancient, 422, 'VALIDATION_FAILED');
    assert.deepEqual(problems(ancient), [{ path: 'startsOn', message: OUT_OF_RANGE }]);
    assert.equal(await count('event_series'), before);
  });

  test('an event document dated 9999 is refused naming event.endDate', async () => {
    const doc = buildEventDoc();
    doc.event.endDate = '9999-04-16';
    await assert.rejects(importEventDocument(moduleContext(env.db), TEST_OPERATOR, doc), (err: { problems: Array<{ path: string; message: string }> }) =>
      err.problems.some((p) => p.path === 'event.endDate' && p.message === OUT_OF_RANGE),
    );
  });
});
