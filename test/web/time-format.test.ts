import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateRange, formatSessionWhen, LocalClock, zoneAbbreviation, zoneCaption } from '../../src/web/components/time-format.js';

describe('date and time wording', () => {
  test('date ranges name each day once and the month and year as rarely as possible', () => {
    assert.equal(formatDateRange('2027-04-15', '2027-04-16'), 'Thu 15 – Fri 16 April 2027');
    assert.equal(formatDateRange('2027-04-30', '2027-05-01'), 'Fri 30 April – Sat 1 May 2027');
    assert.equal(formatDateRange('2027-12-31', '2028-01-01'), 'Fri 31 December 2027 – Sat 1 January 2028');
    assert.equal(formatDateRange('2027-02-16', '2027-02-16'), 'Tue 16 February 2027');
  });

  test('zones are named by their usual abbreviation where there is one', () => {
    const summer = Date.UTC(2027, 6, 1, 12);
    const winter = Date.UTC(2027, 0, 15, 12);
    assert.equal(zoneAbbreviation('Europe/Amsterdam', summer), 'CEST');
    assert.equal(zoneAbbreviation('Europe/Amsterdam', winter), 'CET');
    assert.equal(zoneAbbreviation('America/New_York', summer), 'EDT');
    assert.equal(zoneAbbreviation('Europe/London', summer), 'BST');
    assert.equal(zoneAbbreviation('Asia/Tokyo', summer), 'GMT+9');
    assert.equal(zoneCaption('Europe/Amsterdam', '2027-03-09'), 'Europe/Amsterdam (CET)');
  });

  test('stored UTC instants become wall-clock time in the event zone, across a daylight-saving change', () => {
    const clock = new LocalClock('Europe/Amsterdam');
    // 2027-03-28: clocks go from 02:00 CET to 03:00 CEST.
    const before = clock.at('2027-03-28T00:30:00Z');
    const after = clock.at('2027-03-28T01:30:00Z');
    assert.deepEqual([before.date, before.hhmm, before.datetime], ['2027-03-28', '01:30', '2027-03-28T01:30+01:00']);
    assert.deepEqual([after.date, after.hhmm, after.datetime], ['2027-03-28', '03:30', '2027-03-28T03:30+02:00']);
    assert.equal(clock.minutesFrom('2027-03-27', clock.at('2027-03-27T23:30:00Z')), 24 * 60 + 30, 'after midnight counts on from the programme day');
  });

  test('a session time names the day, the local times and the zone both ways', () => {
    const clock = new LocalClock('Europe/Amsterdam');
    assert.equal(formatSessionWhen(clock, '2027-04-15T07:15:00Z', '2027-04-15T08:00:00Z'), 'Thu 15 April 2027, 09:15–10:00 CEST (Europe/Amsterdam)');
    assert.equal(
      formatSessionWhen(clock, '2027-04-15T21:00:00Z', '2027-04-15T23:30:00Z'),
      'Thu 15 April 2027, 23:00 – Fri 16 April 2027, 01:30 CEST (Europe/Amsterdam)',
    );
  });
});
