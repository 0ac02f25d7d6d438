import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyNotice, decodeNotice, encodeNotice, isNews, newerState, noticesBetween, type LiveNotice, type LiveState } from './live.js';

const state = (version: number, release = 0, changes = 0): LiveState => ({
  version,
  release: release ? { number: release, name: String(release), changes } : null,
});

test('notices survive the NOTIFY payload both ways; anything else on the channel is ignored', () => {
  const notices: LiveNotice[] = [
    { kind: 'draft', eventId: 7, version: 42 },
    { kind: 'release', eventId: 7, number: 3, name: 'Friday "fix" ✓', changes: 12 },
  ];
  for (const n of notices) assert.deepEqual(decodeNotice(encodeNotice(n)), n);
  for (const junk of ['', 'hello', '{}', '[1]', '{"e":-1,"k":"d","v":1}', '{"e":1,"k":"d"}', '{"e":1,"k":"r","n":1,"c":0}', '{"e":1.5,"k":"d","v":1}'])
    assert.equal(decodeNotice(junk), null, junk);
  const long = encodeNotice({ kind: 'release', eventId: 1, number: 1, name: 'x'.repeat(10_000), changes: 0 });
  assert.ok(Buffer.byteLength(long) < 1000, 'a long name is cut, so the payload stays far below 8,000 bytes');
});

test('states only move forward, and only news is announced', () => {
  assert.deepEqual(noticesBetween(1, state(5, 1), state(7, 2, 4)), [
    { kind: 'draft', eventId: 1, version: 7 },
    { kind: 'release', eventId: 1, number: 2, name: '2', changes: 4 },
  ]);
  assert.deepEqual(noticesBetween(1, state(7, 2), state(5, 1)), [], 'an older read announces nothing');
  assert.deepEqual(newerState(state(7, 1), state(5, 2, 3)), state(7, 2, 3), 'part by part');
  const draft: LiveNotice = { kind: 'draft', eventId: 1, version: 6 };
  assert.equal(isNews(state(5), draft), true);
  assert.equal(isNews(state(6), draft), false);
  assert.equal(isNews(undefined, draft), true);
  assert.deepEqual(applyNotice(state(5, 2), draft), state(6, 2));
  assert.deepEqual(applyNotice(state(9, 2), draft), state(9, 2));
});
