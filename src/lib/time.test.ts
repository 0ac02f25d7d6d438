import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datesBetween, parseInstant, programmeDay, toStoredInstant, fromStoredInstant, isValidTimeZone } from './time.js';

test('a local wall time is read in the event zone, an offset time as that instant', () => {
  assert.equal(toStoredInstant(parseInstant('2027-07-01T09:00', 'America/New_York')!), '2027-07-01T13:00:00Z');
  assert.equal(toStoredInstant(parseInstant('2027-01-15T09:00', 'America/New_York')!), '2027-01-15T14:00:00Z');
  assert.equal(toStoredInstant(parseInstant('2027-07-01T09:00:00+02:00', 'America/New_York')!), '2027-07-01T07:00:00Z');
  assert.equal(toStoredInstant(parseInstant('2027-07-01T09:00:00Z', 'Europe/Brussels')!), '2027-07-01T09:00:00Z');
});

test('a wall time skipped by the spring-forward change is refused, not moved', () => {
  assert.equal(parseInstant('2027-03-28T02:30', 'Europe/Brussels'), null);
  assert.notEqual(parseInstant('2027-03-28T03:30', 'Europe/Brussels'), null);
  assert.equal(parseInstant('half past nine', 'Europe/Brussels'), null);
});

test('stored instants show the right local time on both sides of a DST change', () => {
  assert.equal(fromStoredInstant('2027-10-30T08:00:00Z', 'Europe/Brussels').toFormat('HH:mm ZZZZ'), '10:00 GMT+2');
  assert.equal(fromStoredInstant('2027-10-31T09:00:00Z', 'Europe/Brussels').toFormat('HH:mm ZZZZ'), '10:00 GMT+1');
});

test('sessions after midnight but before the day change belong to the previous programme day', () => {
  const zone = 'Europe/Berlin';
  assert.equal(programmeDay(parseInstant('2027-12-28T01:30', zone)!, zone, '04:00'), '2027-12-27');
  assert.equal(programmeDay(parseInstant('2027-12-28T04:00', zone)!, zone, '04:00'), '2027-12-28');
  assert.equal(programmeDay(parseInstant('2027-12-28T01:30', zone)!, zone, '00:00'), '2027-12-28');
});

test('date ranges and zone names', () => {
  assert.deepEqual(datesBetween('2027-02-27', '2027-03-02'), ['2027-02-27', '2027-02-28', '2027-03-01', '2027-03-02']);
  assert.equal(isValidTimeZone('Europe/Brussels'), true);
  assert.equal(isValidTimeZone('Europe/Atlantis'), false);
});
