import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findOverlaps, overlaps } from './session.js';

const at = (startsAt: string, endsAt: string, id = startsAt) => ({ startsAt: `2027-01-01T${startsAt}:00Z`, endsAt: `2027-01-01T${endsAt}:00Z`, id });

test('back-to-back sessions do not overlap; any shared minute does', () => {
  assert.equal(overlaps(at('09:00', '10:00'), at('10:00', '11:00')), false);
  assert.equal(overlaps(at('09:00', '10:00'), at('09:59', '10:30')), true);
  assert.equal(overlaps(at('09:00', '12:00'), at('10:00', '10:30')), true);
});

test('findOverlaps reports each overlapping pair once, in start order', () => {
  const items = [at('11:00', '12:00', 'c'), at('09:00', '10:30', 'a'), at('10:00', '11:00', 'b'), at('12:00', '13:00', 'd')];
  assert.deepEqual(
    findOverlaps(items).map(([x, y]) => `${x.id}-${y.id}`),
    ['a-b'],
  );
  const nested = [at('09:00', '17:00', 'all-day'), at('10:00', '11:00', 'x'), at('13:00', '14:00', 'y')];
  assert.deepEqual(
    findOverlaps(nested).map(([x, y]) => `${x.id}-${y.id}`),
    ['all-day-x', 'all-day-y'],
  );
});
