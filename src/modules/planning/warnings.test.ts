import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WarningIndex, windowsCover, type PlanningWorld, type PlanSession } from './warnings.js';

const at = (hhmm: string, day = '2027-04-15') => `${day}T${hhmm}:00Z`;

function world(overrides: Partial<PlanningWorld> = {}): PlanningWorld {
  return {
    timeZone: 'UTC',
    rooms: new Map([
      [1, { name: 'Hall', capacity: 100 }],
      [2, { name: 'Side', capacity: 20 }],
    ]),
    speakers: new Map([
      [10, { name: 'Ada', windows: [] }],
      [11, { name: 'Grace', windows: [{ startsAt: at('09:00'), endsAt: at('12:00') }] }],
    ]),
    eventHours: [],
    roomHours: new Map(),
    blockers: [],
    audience: new Map(),
    coStars: new Map(),
    ...overrides,
  };
}

const session = (id: number, roomId: number | null, from: string, to: string, speakerIds: number[] = [], extra: Partial<PlanSession> = {}): PlanSession => ({
  id,
  title: `S${id}`,
  kind: 'talk',
  status: 'confirmed',
  placed: true,
  roomId,
  startsAt: at(from),
  endsAt: at(to),
  speakerIds,
  ...extra,
});

const kinds = (ix: WarningIndex) => ix.all().map((w) => `${w.kind} ${[...w.sessionIds].sort((a, b) => a - b).join('+')}`);

test('windows cover an interval only together and without gaps', () => {
  const w = [
    { startsAt: at('09:00'), endsAt: at('10:00') },
    { startsAt: at('10:00'), endsAt: at('11:00') },
  ];
  const ms = (h: string) => Date.parse(at(h));
  assert.equal(windowsCover(w, ms('09:30'), ms('10:30')), true);
  assert.equal(windowsCover(w, ms('10:30'), ms('11:30')), false);
  assert.equal(windowsCover([w[0]!], ms('09:30'), ms('10:30')), false);
});

test('each kind of warning is found, and back-to-back sessions do not overlap', () => {
  const ix = new WarningIndex(
    world({
      eventHours: [{ startsAt: at('08:00'), endsAt: at('18:00') }],
      roomHours: new Map([[2, [{ startsAt: at('09:00'), endsAt: at('12:00') }]]]),
      blockers: [{ id: 5, roomId: 1, title: 'Set-up', startsAt: at('16:00'), endsAt: at('17:00') }],
      audience: new Map([[4, { stars: 30, signups: 5 }]]),
      coStars: new Map([
        [1, new Map([[4, 142]])],
        [4, new Map([[1, 142]])],
      ]),
    }),
    [
      session(1, 1, '10:00', '10:30', [10]),
      session(2, 1, '10:30', '11:00'),
      session(3, 1, '10:15', '10:45', [11]),
      session(4, 2, '10:00', '12:30', [10]),
      session(6, 1, '16:30', '19:00'),
      session(7, 2, '13:00', '14:00', [11]),
      session(8, 2, '10:00', '10:30', [11], { placed: false }),
      session(9, null, '12:30', '13:30', [], { kind: 'meal', title: 'Lunch' }),
      session(11, 1, '12:00', '12:30'),
      session(12, 1, '13:30', '14:00'),
      session(13, 1, '12:45', '13:15', [], { kind: 'social' }),
    ],
  );
  assert.deepEqual(kinds(ix).sort(), [
    'audience_conflict 1+4',
    'during_break 7+9',
    'outside_event_hours 6',
    'outside_room_hours 4',
    'outside_room_hours 7',
    'room_blocked 6',
    'room_double_booked 1+3',
    'room_double_booked 2+3',
    'room_too_small 4',
    'speaker_double_booked 1+4',
    'speaker_unavailable 7',
  ]);
  const audience = ix.all().find((w) => w.kind === 'audience_conflict')!;
  assert.match(audience.message, /^142 people starred both "S1" \(10:00–10:30\) and "S4"/);
  assert.equal(
    ix.involving([7]).find((x) => x.kind === 'during_break')!.message,
    '"S7" (13:00–14:00) runs during "Lunch" (12:30–13:30), a break for every room.',
    'content touching the break only at its edges (S11, S12) and service sessions in a room (S13) are fine',
  );
});

test('after any sequence of moves the incremental warnings equal a full recomputation', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const w = () =>
    world({
      blockers: [{ id: 1, roomId: null, title: 'Lunch', startsAt: at('12:00'), endsAt: at('13:00') }],
      audience: new Map([[3, { stars: 50, signups: 0 }]]),
      coStars: new Map([
        [1, new Map([[2, 12]])],
        [2, new Map([[1, 12]])],
      ]),
    });
  const sessions = new Map<number, PlanSession>();
  for (let id = 1; id <= 12; id++) sessions.set(id, session(id, 1 + (id % 2), '09:00', '09:30', [10 + (id % 3)]));
  // Session 12 is a coffee break for every room: it moves too, and warns from its side.
  sessions.set(12, session(12, null, '10:00', '10:30', [], { kind: 'break' }));
  const ix = new WarningIndex(w(), sessions.values());
  let seenBreakWarning = false;
  for (let step = 0; step < 300; step++) {
    const id = 1 + Math.floor(rand() * 12);
    const start = 9 * 60 + Math.floor(rand() * 16) * 30;
    const hh = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const room = id === 12 ? null : 1 + Math.floor(rand() * 2);
    const next = session(id, room, hh(start), hh(start + 15 + Math.floor(rand() * 4) * 15), [...sessions.get(id)!.speakerIds], {
      placed: rand() > 0.1,
      kind: sessions.get(id)!.kind,
    });
    sessions.set(id, next);
    ix.upsert(next);
    assert.deepEqual(kinds(ix), kinds(new WarningIndex(w(), sessions.values())), `after step ${step}`);
    seenBreakWarning ||= kinds(ix).some((k) => k.startsWith('during_break'));
  }
  assert.ok(seenBreakWarning, 'the moves put content during the break at least once');
});
