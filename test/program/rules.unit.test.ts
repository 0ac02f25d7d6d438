import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextEventState } from '../../src/modules/events/event.js';
import { eventDateProblems, programmeDayRange, reanchorInstant } from '../../src/modules/events/event-dates.js';
import { parseInput } from '../../src/lib/form-fields.js';
import { UpdateEventSchema } from '../../src/modules/events/event.schemas.js';
import { nextSessionStatus } from '../../src/modules/program/session.js';
import { CreateSessionSchema, UpdateSessionSchema } from '../../src/modules/program/session.schemas.js';
import { planTiming } from '../../src/modules/program/session-timing.js';
import { SpeakerSchema } from '../../src/modules/speakers/speaker.schemas.js';
import { rejectsWith } from './support.js';

test('event and session state machines allow only their listed transitions', () => {
  assert.equal(nextEventState('draft', 'publish'), 'published');
  assert.equal(nextEventState('published', 'publish'), null);
  assert.equal(nextEventState('published', 'unpublish'), 'draft');
  assert.equal(nextEventState('draft', 'unpublish'), null);
  assert.equal(nextSessionStatus('confirmed', 'cancel'), 'cancelled');
  assert.equal(nextSessionStatus('cancelled', 'cancel'), null);
  assert.equal(nextSessionStatus('cancelled', 'restore'), 'confirmed');
  assert.equal(nextSessionStatus('confirmed', 'restore'), null);
});

test('a form post and a JSON body parse to the same session input', () => {
  const form = parseInput(CreateSessionSchema, {
    kind: 'talk',
    title: ' Hello ',
    subtitle: '',
    language: '',
    level: '',
    trackId: '',
    roomId: '3',
    sponsorId: '',
    start: '2027-04-15T10:30',
    durationMinutes: '45',
    speakerIds: ['7', '2'],
    links: [
      { kind: 'slides', title: '', url: 'https://x.example.org' },
      { kind: 'other', title: '', url: '' },
    ],
    _csrf: 'x',
  });
  const json = parseInput(CreateSessionSchema, {
    kind: 'talk',
    title: 'Hello',
    roomId: 3,
    start: '2027-04-15T10:30',
    durationMinutes: 45,
    speakerIds: [7, 2],
    links: [{ kind: 'slides', url: 'https://x.example.org' }],
  });
  assert.deepEqual(form, json);
  assert.deepEqual(json, {
    kind: 'talk',
    title: 'Hello',
    subtitle: '',
    abstract: '',
    language: 'en',
    level: null,
    trackId: null,
    roomId: 3,
    sponsorId: null,
    start: '2027-04-15T10:30',
    durationMinutes: 45,
    speakerIds: [7, 2],
    links: [{ kind: 'slides', title: '', url: 'https://x.example.org' }],
  });
  assert.deepEqual(parseInput(CreateSessionSchema, { kind: 'talk', title: 'T', start: 's', durationMinutes: 5, speakerIds: '4,5' }).speakerIds, [4, 5]);
});

test('update schemas keep absent fields absent, and blank means none', () => {
  assert.deepEqual(parseInput(UpdateSessionSchema, { title: 'New' }), { title: 'New' });
  assert.deepEqual(parseInput(UpdateSessionSchema, { roomId: '' }), { roomId: null });
  assert.deepEqual(parseInput(UpdateEventSchema, { capacity: '', venueUrl: '' }), { capacity: null, venueUrl: null });
});

test('speaker handles come as an object or as flat form fields', async () => {
  assert.deepEqual(parseInput(SpeakerSchema, { name: 'A', github: '@ada', x: '' }).handles, { github: '@ada' });
  assert.deepEqual(parseInput(SpeakerSchema, { name: 'A', handles: { bluesky: 'ada.example.org' } }).handles, { bluesky: 'ada.example.org' });
  const err = await rejectsWith(
    Promise.resolve().then(() => parseInput(SpeakerSchema, { name: 'A', handles: { mastodon: 'not a handle' } })),
    'VALIDATION_FAILED',
  );
  assert.deepEqual(err.problems, [{ path: 'handles.mastodon', message: 'is not a valid mastodon handle' }]);
});

test('session timing: local wall time in the event zone, programme days, DST gaps', () => {
  const ev = { time_zone: 'Europe/Brussels', day_change: '04:00', start_date: '2027-03-27', end_date: '2027-03-28' };
  assert.deepEqual(planTiming(ev, '2027-03-28T10:00', 90), { ok: true, startsAt: '2027-03-28T08:00:00Z', endsAt: '2027-03-28T09:30:00Z' });
  assert.equal(planTiming(ev, '2027-03-29T01:00', 30).ok, true, '01:00 belongs to the day before');
  const gap = planTiming(ev, '2027-03-28T02:15', 30);
  assert.equal(gap.ok === false && gap.outsideDates, false);
  const late = planTiming(ev, '2027-03-29T09:00', 30);
  assert.equal(late.ok === false && late.outsideDates, true);
  assert.equal(planTiming(ev, 'noon', 30).ok, false);
});

test('re-anchoring keeps the wall time; date rules', () => {
  assert.equal(reanchorInstant('2027-04-15T09:00:00Z', 'UTC', 'Europe/Amsterdam'), '2027-04-15T07:00:00Z');
  assert.equal(reanchorInstant('2027-03-28T02:30:00Z', 'UTC', 'Europe/Amsterdam'), null);
  assert.deepEqual(eventDateProblems('2027-01-02', '2027-01-01'), [{ path: 'endDate', message: 'is before the start date 2027-01-02' }]);
  assert.equal(eventDateProblems('2027-01-01', '2027-03-05').length, 1);
  assert.deepEqual(programmeDayRange('2027-04-15', 'Europe/Amsterdam', '04:00'), { from: '2027-04-15T02:00:00Z', to: '2027-04-16T02:00:00Z' });
});
