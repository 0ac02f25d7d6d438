import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock, storedInstant, systemClock } from './clock.js';

test('storedInstant drops the milliseconds and keeps UTC', () => {
  assert.equal(storedInstant(new Date('2027-03-10T08:09:10.123Z')), '2027-03-10T08:09:10Z');
});

test('a fixed clock stays where it is set and moves only when told', () => {
  const clock = fixedClock('2027-03-10T08:00:00Z');
  assert.equal(clock.instant(), '2027-03-10T08:00:00Z');
  assert.equal(clock.now().toISOString(), '2027-03-10T08:00:00.000Z');
  clock.advance(90_000);
  assert.equal(clock.instant(), '2027-03-10T08:01:30Z');
  clock.set(new Date('2026-01-01T00:00:00Z'));
  assert.equal(clock.instant(), '2026-01-01T00:00:00Z');
  assert.throws(() => fixedClock('not a date'));
});

test('the system clock answers in storage form', () => {
  assert.match(systemClock.instant(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
});
