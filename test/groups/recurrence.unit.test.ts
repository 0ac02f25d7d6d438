import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  nthWeekdayOfMonth,
  occurrenceDates,
  occurrenceTitle,
  planOccurrence,
  planSeries,
  recurrenceProblems,
  type Recurrence,
  type SeriesClock,
} from '../../src/modules/events/series.js';

const TUE = 2;
const WED = 3;
const THU = 4;
const monthly = (ordinal: number, weekday: number, startsOn: string, endsOn: string | null, count: number | null = null): Recurrence => ({
  frequency: 'monthly',
  ordinal,
  weekday,
  startsOn,
  endsOn,
  count,
});
const weekly = (intervalWeeks: number, weekday: number, startsOn: string, endsOn: string | null, count: number | null = null): Recurrence => ({
  frequency: 'weekly',
  intervalWeeks,
  weekday,
  startsOn,
  endsOn,
  count,
});

describe('recurrence rules', () => {
  test('the second Tuesday of each month', () => {
    assert.deepEqual(occurrenceDates(monthly(2, TUE, '2027-01-01', '2027-06-30')), [
      '2027-01-12',
      '2027-02-09',
      '2027-03-09',
      '2027-04-13',
      '2027-05-11',
      '2027-06-08',
    ]);
  });

  test('the last Thursday of each month, including months with five Thursdays', () => {
    assert.deepEqual(occurrenceDates(monthly(-1, THU, '2027-01-01', '2027-05-31')), ['2027-01-28', '2027-02-25', '2027-03-25', '2027-04-29', '2027-05-27']);
    assert.equal(nthWeekdayOfMonth(2024, 2, THU, -1), '2024-02-29');
  });

  test('a fifth weekday is skipped in months that have none', () => {
    // Fifth Tuesdays of 2027: March 30, June 29, August 31, November 30.
    assert.deepEqual(occurrenceDates(monthly(5, TUE, '2027-01-01', '2027-12-31')), ['2027-03-30', '2027-06-29', '2027-08-31', '2027-11-30']);
    assert.equal(nthWeekdayOfMonth(2027, 2, TUE, 5), null);
    // With a count, the rule keeps going past the empty months.
    assert.deepEqual(occurrenceDates(monthly(5, TUE, '2027-01-01', null, 3)), ['2027-03-30', '2027-06-29', '2027-08-31']);
  });

  test("a start date after the month's occurrence starts with the next month", () => {
    assert.deepEqual(occurrenceDates(monthly(2, TUE, '2027-01-13', null, 2)), ['2027-02-09', '2027-03-09']);
  });

  test('every 4 weeks on Wednesday from the first Wednesday on or after the start', () => {
    assert.deepEqual(occurrenceDates(weekly(4, WED, '2027-01-04', null, 5)), ['2027-01-06', '2027-02-03', '2027-03-03', '2027-03-31', '2027-04-28']);
    assert.deepEqual(occurrenceDates(weekly(4, WED, '2027-01-06', '2027-03-03')), ['2027-01-06', '2027-02-03', '2027-03-03']);
  });

  test('bad rules: end before start, no end, more than 60 occurrences, no matching date', () => {
    assert.deepEqual(
      recurrenceProblems(monthly(2, TUE, '2027-05-01', '2027-01-01')).map((p) => p.path),
      ['endsOn'],
    );
    assert.deepEqual(
      recurrenceProblems(monthly(2, TUE, '2027-05-01', null, null)).map((p) => p.path),
      ['endsOn'],
    );
    assert.match(recurrenceProblems(weekly(1, TUE, '2027-01-01', '2029-01-01'))[0]!.message, /more than 60/);
    assert.deepEqual(recurrenceProblems(weekly(1, TUE, '2027-01-01', '2028-02-22')), []);
    assert.equal(occurrenceDates(weekly(1, TUE, '2027-01-01', '2028-02-22')).length, 60);
    assert.deepEqual(
      recurrenceProblems(monthly(5, TUE, '2027-02-01', '2027-02-28')).map((p) => p.path),
      ['startsOn'],
    );
  });

  test('titles: {n}, {date} and {month}', () => {
    assert.equal(occurrenceTitle('Cloud Native Lisbon #{n}', 7, '2027-03-09'), 'Cloud Native Lisbon #7');
    assert.equal(occurrenceTitle('Rust Night – {month} ({date})', 1, '2027-03-09'), 'Rust Night – March 2027 (2027-03-09)');
  });
});

const clock = (timeZone: string, startTime = '18:00', endTime = '21:00'): SeriesClock => ({
  timeZone,
  startTime,
  endTime,
  titlePattern: 'Meetup #{n}',
  agenda: [
    { kind: 'doors', title: 'Doors open', offsetMinutes: 0, durationMinutes: 30 },
    { kind: 'talk', title: 'Talk', offsetMinutes: 30, durationMinutes: 45 },
  ],
});

describe('occurrences keep their local wall-clock time across daylight saving', () => {
  test('Europe/Lisbon: 18:00 is 18:00Z in winter and 17:00Z in summer (change on 2027-03-28 and 2027-10-31)', () => {
    const plan = planSeries(clock('Europe/Lisbon'), weekly(1, 6, '2027-03-20', '2027-04-03'));
    assert.ok(plan.ok);
    assert.deepEqual(
      plan.occurrences.map((o) => [o.date, o.startsAt, o.endsAt]),
      [
        ['2027-03-20', '2027-03-20T18:00:00Z', '2027-03-20T21:00:00Z'],
        ['2027-03-27', '2027-03-27T18:00:00Z', '2027-03-27T21:00:00Z'],
        ['2027-04-03', '2027-04-03T17:00:00Z', '2027-04-03T20:00:00Z'],
      ],
    );
    const autumn = planSeries(clock('Europe/Lisbon'), weekly(1, 6, '2027-10-30', '2027-11-06'));
    assert.ok(autumn.ok);
    assert.deepEqual(
      autumn.occurrences.map((o) => o.startsAt),
      ['2027-10-30T17:00:00Z', '2027-11-06T18:00:00Z'],
    );
  });

  test('America/New_York: the second Tuesday at 18:30 moves from 23:30Z to 22:30Z after 2027-03-14', () => {
    const plan = planSeries(
      { ...clock('America/New_York', '18:30', '21:00'), agenda: [{ kind: 'talk', title: 'Talk', offsetMinutes: 30, durationMinutes: 60 }] },
      monthly(2, TUE, '2027-02-01', '2027-11-30'),
    );
    assert.ok(plan.ok);
    const byDate = new Map(plan.occurrences.map((o) => [o.date, o]));
    assert.equal(byDate.get('2027-02-09')!.startsAt, '2027-02-09T23:30:00Z');
    assert.equal(byDate.get('2027-03-09')!.startsAt, '2027-03-09T23:30:00Z');
    assert.equal(byDate.get('2027-04-13')!.startsAt, '2027-04-13T22:30:00Z');
    // DST ends on 2027-11-07: November's second Tuesday (the 9th) is back on EST.
    assert.equal(byDate.get('2027-11-09')!.startsAt, '2027-11-09T23:30:00Z');
    assert.deepEqual(
      byDate.get('2027-04-13')!.sessions.map((s) => [s.startsAt, s.endsAt]),
      [['2027-04-13T23:00:00Z', '2027-04-14T00:00:00Z']],
    );
  });

  test('an evening across the night of the change keeps its wall-clock times; a skipped wall time is refused', () => {
    // Saturday 2027-03-13 22:00 EST to Sunday 03:30 EDT: 4.5 hours on the wall clock, 3.5 real hours.
    const over = planOccurrence({ ...clock('America/New_York', '22:00', '03:30'), agenda: [] }, '2027-03-13', 1);
    assert.ok(over.ok);
    assert.equal(over.occurrence.startsAt, '2027-03-14T03:00:00Z');
    assert.equal(over.occurrence.endsAt, '2027-03-14T07:30:00Z');
    assert.equal(over.occurrence.endDate, '2027-03-14');
    // 02:30 on 2027-03-14 does not exist in New York.
    const skipped = planOccurrence({ ...clock('America/New_York', '02:30', '04:00'), agenda: [] }, '2027-03-14', 1);
    assert.equal(skipped.ok, false);
    assert.deepEqual(!skipped.ok && skipped.problems.map((p) => p.path), ['startTime']);
  });

  test('an agenda item past the end time is a problem at its duration', () => {
    const plan = planSeries({ ...clock('Europe/Lisbon', '18:00', '19:00') }, weekly(1, 6, '2027-03-20', '2027-04-03'));
    assert.equal(plan.ok, false);
    assert.deepEqual(!plan.ok && plan.problems.map((p) => p.path), ['agenda[1].durationMinutes']);
  });
});
