import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { text } from '../../src/lib/text.js';
import { assertError, miniSchedule, tokenFor, useManageApp, type TokenHolder } from '../api-manage/support.js';
import { sample } from '../interop/support.js';
import { sqliteDatabase } from '../support/databases.js';

/**
 * Issue 11 item 10b: NUL and the other C0 control characters (tab, newline and carriage return
 * aside) are refused in every text a person or a file enters, naming the field, and nothing is
 * written.
 */

const M = '/api/v1/manage';

test('the shared text block refuses every C0 control character but tab, newline and CR', () => {
  const schema = text();
  for (let c = 0; c <= 0x7f; c++) {
    const ch = String.fromCharCode(c);
    const ok = schema.safeParse(`a${ch}b`).success;
    assert.equal(ok, c >= 0x20 || ['\t', '\n', '\r'].includes(ch), `U+${c.toString(16).padStart(4, '0')}`);
  }
  assert.deepEqual(
    schema.safeParse('Ti\u0000tle').error?.issues.map((i) => i.message),
    ['must not contain control characters (such as NUL)'],
  );
});

describe('control characters through the API and the importers', () => {
  const env = useManageApp(sqliteDatabase);
  let owner: TokenHolder;
  let communityId: number;
  before(async () => {
    owner = await tokenFor(env.db, 'Owner', { mayCreateCommunities: true });
    communityId = (await env.api.post(`${M}/communities`, { token: owner.token, json: { slug: 'ctl', name: 'Ctl' } })).body.data.id;
  });
  const events = async () => (await env.db.selectFrom('events').select('id').execute()).length;

  test('an event title or venue with NUL is refused naming the field; nothing is written', async () => {
    const before = await events();
    const base = { communityId, slug: 'nul', kind: 'meetup', title: 'Fine', timeZone: 'UTC', startDate: '2027-01-01', endDate: '2027-01-01' };
    for (const [field, json] of [
      ['title', { ...base, title: 'Meet\u0000up' }],
      ['venueName', { ...base, venueName: 'Hall\u001b[31m' }],
      ['venueUrl', { ...base, venueUrl: 'https://example.org/\u0000' }],
    ] as const) {
      const res = await env.api.post(`${M}/events`, { token: owner.token, json });
      assertError(res, 422, 'VALIDATION_FAILED');
      assert.deepEqual(res.body.error.problems, [{ path: field, message: 'must not contain control characters (such as NUL)' }], res.text);
    }
    assert.equal(await events(), before);
  });

  test('a frab schedule with a control character in a title is refused, saying where; nothing is written', async () => {
    const before = await events();
    const json = sample('democon-pretalx.schedule.json')
      .toString('utf8')
      .replace(/"title": ?"([^"]+)"/, '"title": "$1\\u0007"');
    const res = await env.api.post(`${M}/events/import?communityId=${communityId}`, { token: owner.token, raw: Buffer.from(json), type: 'application/json' });
    assert.ok(res.status >= 400 && res.status < 500, res.text);
    assert.ok(
      res.body.error.problems.some((p: { message: string }) => p.message === 'must not contain control characters (such as NUL)'),
      res.text,
    );
    const xml = await env.api.post(`${M}/events/import?communityId=${communityId}`, {
      token: owner.token,
      raw: Buffer.from(miniSchedule('Mini\u0001Conf')),
      type: 'application/xml',
    });
    assertError(xml, 422, 'EVENT_DOCUMENT_INVALID');
    assert.deepEqual(xml.body.error.problems, [{ path: 'event.title', message: 'must not contain control characters (such as NUL)' }]);
    assert.equal(await events(), before);
  });
});
