import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/modules/optimizer/evaluate.js';
import { checkInstance } from '../../src/modules/optimizer/feasibility.js';
import { generateInstance, type GeneratorSpec } from '../../src/modules/optimizer/generator.js';
import { OptimizerError } from '../../src/modules/optimizer/optimizer.errors.js';
import type { OptimizerInstance, OptimizerTalk, Progress } from '../../src/modules/optimizer/optimizer.js';
import { startOptimizer } from '../../src/modules/optimizer/optimizer-thread.js';
import { optimize } from '../../src/modules/optimizer/solver.js';
import { hardViolations } from './checker.js';

/**
 * The optimizer on random generated instances (several presets and seeds, mixed durations,
 * partial availability, devroom tracks, multi-talk speakers, pins): every hard constraint holds
 * (an independent checker), the same seed gives the same programme, evaluate() gives the score the
 * solver reports (its incremental bookkeeping); impossible instances give the right codes and
 * optimize() throws; the worker thread reports progress and stops with its best so far. Budgets
 * are iteration counts, so results do not depend on the machine's speed.
 */

const MIXED: GeneratorSpec = {
  talks: 40,
  rooms: 4,
  days: 2,
  dayStart: 9 * 60,
  dayEnd: 14 * 60,
  lunch: { start: 12 * 60, end: 12 * 60 + 30 },
  grainMinutes: 5,
  durations: [
    { minutes: 10, weight: 1 },
    { minutes: 25, weight: 3 },
    { minutes: 50, weight: 2 },
  ],
  tracks: 5,
  roomsPerTrack: 2,
  voters: 300,
  meanPicks: 6,
  attendeesPerVoter: 3,
  zipf: 1,
  trackAffinity: 0.7,
  partialAvailability: 0.3,
  multiTalkSpeakers: 0.2,
  keynotesPerDay: 1,
  bigRoom: 400,
  smallRoom: 40,
};

const cases: { name: string; instance: () => OptimizerInstance; iterations: number }[] = [
  ...[1, 2, 3].map((seed) => ({ name: `tiny seed ${seed}`, instance: () => generateInstance('tiny', seed), iterations: 20_000 })),
  { name: 'meetup', instance: () => generateInstance('meetup', 4), iterations: 5_000 },
  ...[1, 2, 3].map((seed) => ({ name: `mixed durations seed ${seed}`, instance: () => generateInstance(MIXED, seed), iterations: 20_000 })),
  { name: 'pycon seed 5', instance: () => generateInstance('pycon', 5), iterations: 4_000 },
];

describe('optimizer properties on generated instances', () => {
  for (const c of cases) {
    test(`${c.name}: hard constraints hold, the score is evaluate()'s, the same seed gives the same programme`, () => {
      const instance = c.instance();
      assert.deepEqual(checkInstance(instance), []);
      const a = optimize(instance, { seed: 7, timeLimitMs: 600_000, maxIterations: c.iterations });
      assert.deepEqual(hardViolations(instance, a.placements), []);
      assert.equal(a.placements.length, instance.talks.length);
      const e = evaluate(instance, a.placements);
      assert.deepEqual(a.score, e.score);
      assert.deepEqual(a.explanation, e.explanation);
      assert.equal(a.score.hard, 0);
      const b = optimize(instance, { seed: 7, timeLimitMs: 600_000, maxIterations: c.iterations });
      assert.deepEqual(b.placements, a.placements);
      assert.deepEqual(b.score, a.score);
      // the search never ends worse than its greedy start
      const greedy = optimize(instance, { seed: 7, timeLimitMs: 600_000, maxIterations: 0 });
      assert.deepEqual(hardViolations(instance, greedy.placements), []);
      assert.ok(a.score.missed <= greedy.score.missed, `${a.score.missed} ≤ ${greedy.score.missed}`);
    });
  }

  test('a small event whose lower bound cannot be met still ends long before its budget (converged)', () => {
    const instance = generateInstance('tiny', 7); // people want talks that must run at once: missed > 0
    const p = optimize(instance, { seed: 1, timeLimitMs: 600_000 });
    assert.equal(p.stopped, false);
    assert.ok(p.score.missed > 0);
    assert.ok(p.iterations >= 200_000 && p.iterations < 2_000_000, `${p.iterations} iterations`);
    assert.deepEqual(hardViolations(instance, p.placements), []);
  });

  test('a meetup (one room, no track) finishes at once at its lower bound', () => {
    const instance = generateInstance('meetup', 1);
    const p = optimize(instance, { seed: 1, timeLimitMs: 600_000 });
    assert.equal(p.score.missed, 0);
    assert.equal(p.stopped, false);
    assert.ok(p.iterations < 1_000, `${p.iterations} iterations`);
  });
});

describe('evaluate()', () => {
  const room = (id: number, capacity: number | null) => ({ id, name: `R${id}`, capacity, open: [{ start: 0, end: 600 }] });
  const talk = (i: number, durationMinutes = 30, extra: Partial<OptimizerTalk> = {}): OptimizerTalk => ({
    key: `s${i}`,
    title: `Talk ${i}`,
    durationMinutes,
    speakerIds: [i],
    trackId: null,
    allowedRoomIds: null,
    minCapacity: 0,
    windows: null,
    pinned: null,
    released: null,
    current: null,
    ...extra,
  });
  const base = (talks: OptimizerTalk[], voters: number[][], minOverlapMinutes?: number): OptimizerInstance => ({
    origin: '2027-02-01T00:00:00Z',
    grainMinutes: 5,
    rooms: [room(1, 100), room(2, 50), room(3, null), room(4, 10)],
    talks,
    voters,
    attendeesPerVoter: 2,
    ...(minOverlapMinutes ? { minOverlapMinutes } : {}),
  });

  test('a person wanting k talks at once misses k − 1; mixed durations count the fewest talks to drop', () => {
    const inst = base([talk(0), talk(1), talk(2), talk(3, 60), talk(4, 30)], [[0, 1, 2], [3, 0, 4], [0]]);
    const placements = [
      { key: 's0', roomId: 1, start: 0 },
      { key: 's1', roomId: 2, start: 0 },
      { key: 's2', roomId: 3, start: 0 },
      // s3 (60 min) overlaps s0 (0–30) and s4 (30–60), which do not overlap each other: drop s3 only
      { key: 's3', roomId: 4, start: 0 },
      { key: 's4', roomId: 1, start: 30 },
    ];
    const { score, explanation } = evaluate(inst, placements);
    assert.equal(score.hard, 0);
    assert.equal(score.missed, 2 + 1);
    assert.equal(explanation.preferences, 7);
    assert.equal(explanation.attendable, 4);
    assert.equal(explanation.votersWithMiss, 2);
    assert.equal(explanation.maxMisses, 2);
    assert.deepEqual(explanation.worstConflicts[0], { a: 's0', b: 's1', both: 1, at: 0 });
    // demand = votes × 2: s0 has 3 votes → 6 in a 100-seat room: 94 empty; s3 1 vote → 2 in 10 seats: 8 empty
    assert.equal(score.overflow, 0);
    assert.equal(score.emptySeats, 94 + 48 + 8 + 98);
  });

  test('minOverlapMinutes: a short overlap is no miss', () => {
    const inst = base([talk(0), talk(1)], [[0, 1]], 10);
    assert.equal(
      evaluate(inst, [
        { key: 's0', roomId: 1, start: 0 },
        { key: 's1', roomId: 2, start: 25 },
      ]).score.missed,
      0,
    );
    assert.equal(
      evaluate(inst, [
        { key: 's0', roomId: 1, start: 0 },
        { key: 's1', roomId: 2, start: 20 },
      ]).score.missed,
      1,
    );
  });

  test('overflow, hard violations, changes and moves', () => {
    const inst = base(
      [
        talk(0, 30, { released: { roomId: 1, start: 0 }, current: { roomId: 1, start: 0 } }),
        talk(1, 30, { speakerIds: [0], current: { roomId: 2, start: 60 } }),
        talk(2),
      ],
      [[0], [0], [0], [0], [0], [0], [1]],
    );
    const r = evaluate(inst, [
      { key: 's0', roomId: 4, start: 0 }, // 6 votes × 2 = 12 in 10 seats: overflow 2; moved; changed
      { key: 's1', roomId: 1, start: 15 }, // same speaker as s0 at once: 1 hard
    ]);
    assert.equal(r.score.overflow, 12 - 10);
    assert.equal(r.score.hard, 2); // the speaker clash and s2 not placed
    assert.equal(r.score.changes, 1);
    assert.deepEqual(
      r.explanation.moved.map((m) => m.key),
      ['s0', 's1'],
    );
  });
});

describe('checkInstance() and impossible instances', () => {
  const ok = (): OptimizerInstance => generateInstance(MIXED, 1);
  const edit = (f: (talks: OptimizerTalk[], inst: OptimizerInstance) => Partial<OptimizerInstance> | undefined): OptimizerInstance => {
    const inst = ok();
    const talks = inst.talks.map((t) => ({ ...t }));
    return { ...inst, talks, ...(f(talks, inst) ?? {}) };
  };
  const firstFree = (inst: OptimizerInstance) => inst.talks.findIndex((t) => !t.pinned);
  const cases: { name: string; code: string; instance: () => OptimizerInstance; keys?: (inst: OptimizerInstance) => string[] }[] = [
    { name: 'no interest data', code: 'NO_INTEREST', instance: () => ({ ...ok(), voters: [] }) },
    {
      name: 'a speaker available nowhere',
      code: 'SPEAKER_UNAVAILABLE',
      instance: () => edit((talks, inst) => void (talks[firstFree(inst)] = { ...talks[firstFree(inst)]!, windows: [] })),
      keys: (inst) => [inst.talks[firstFree(inst)]!.key],
    },
    {
      name: 'speakers available only when the rooms are closed',
      code: 'SPEAKER_UNAVAILABLE',
      instance: () => edit((talks, inst) => void (talks[firstFree(inst)] = { ...talks[firstFree(inst)]!, windows: [{ start: 0, end: 300 }] })),
    },
    {
      name: 'a talk longer than any opening',
      code: 'TOO_LONG',
      instance: () => edit((talks, inst) => void (talks[firstFree(inst)] = { ...talks[firstFree(inst)]!, durationMinutes: 240 })),
    },
    {
      name: 'no allowed room',
      code: 'NO_ALLOWED_ROOM',
      instance: () => edit((talks, inst) => void (talks[firstFree(inst)] = { ...talks[firstFree(inst)]!, allowedRoomIds: [] })),
    },
    {
      name: 'more sign-ups than any room has seats',
      code: 'NO_ALLOWED_ROOM',
      instance: () => edit((talks, inst) => void (talks[firstFree(inst)] = { ...talks[firstFree(inst)]!, minCapacity: 100_000 })),
    },
    {
      name: 'allowed rooms that are never open',
      code: 'NO_ALLOWED_ROOM',
      instance: () => edit((_, inst) => ({ rooms: inst.rooms.map((r) => ({ ...r, open: [] })) })),
    },
    {
      name: 'two pins in one room at once',
      code: 'PIN_CONFLICT',
      instance: () =>
        edit((talks) => {
          const pinned = talks.find((t) => t.pinned)!;
          const i = talks.findIndex((t) => !t.pinned && t.windows === null);
          talks[i] = { ...talks[i]!, pinned: { roomId: pinned.pinned!.roomId, start: pinned.pinned!.start + 10 } };
          return undefined;
        }),
    },
    {
      name: 'pinned talks of one speaker at once',
      code: 'PIN_CONFLICT',
      instance: () =>
        edit((talks, inst) => {
          const pinned = talks.find((t) => t.pinned)!;
          const i = talks.findIndex((t) => !t.pinned && t.windows === null);
          talks[i] = { ...talks[i]!, speakerIds: pinned.speakerIds, pinned: { roomId: inst.rooms[1]!.id, start: pinned.pinned!.start } };
          return undefined;
        }),
    },
    {
      name: 'a pin outside opening hours',
      code: 'PIN_OUTSIDE_HOURS',
      instance: () =>
        edit((talks) => {
          const i = talks.findIndex((t) => t.pinned);
          talks[i] = { ...talks[i]!, pinned: { ...talks[i]!.pinned!, start: 60 } };
          return undefined;
        }),
    },
    {
      name: 'more talk-minutes than open room-minutes',
      code: 'NOT_ENOUGH_ROOM',
      instance: () => edit((_, inst) => ({ rooms: inst.rooms.map((r) => ({ ...r, open: r.open.slice(0, 1) })) })),
    },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.code}, and optimize() throws it`, () => {
      const inst = c.instance();
      const problems = checkInstance(inst);
      assert.ok(
        problems.some((p) => p.code === c.code),
        JSON.stringify(problems),
      );
      for (const p of problems) assert.ok(p.message.length > 10);
      if (c.keys) assert.deepEqual(problems.find((p) => p.code === c.code)!.keys, c.keys(inst));
      if (c.code !== 'NO_INTEREST') {
        const named = problems.find((p) => p.code === c.code)!;
        for (const key of named.keys) assert.ok(named.message.includes(inst.talks.find((t) => t.key === key)!.title) || named.keys.length > 5, named.message);
      }
      assert.throws(
        () => optimize(inst, { seed: 1, timeLimitMs: 1_000 }),
        (err: unknown) => err instanceof OptimizerError && err.code === 'OPTIMIZER_UNSATISFIABLE' && err.unsatisfiable.some((u) => u.code === c.code),
      );
    });
  }

  test('the generated presets are all satisfiable', () => {
    for (const preset of ['tiny', 'meetup', 'pycon', 'ccc'] as const) assert.deepEqual(checkInstance(generateInstance(preset, 3)), [], preset);
  });
});

describe('startOptimizer() in a worker thread', () => {
  test('progress arrives; stop() answers with a valid best-so-far marked stopped', async () => {
    const instance = generateInstance('pycon', 2);
    const run = startOptimizer(instance, { seed: 3, timeLimitMs: 600_000 });
    const seen: Progress[] = [];
    await new Promise<void>((resolve) =>
      run.onProgress((p) => {
        seen.push(p);
        if (seen.length === 2) resolve();
      }),
    );
    run.stop();
    const proposal = await run.result;
    assert.equal(proposal.stopped, true);
    assert.ok(seen[1]!.elapsedMs >= seen[0]!.elapsedMs);
    assert.ok(seen[0]!.iterations >= 0);
    assert.deepEqual(hardViolations(instance, proposal.placements), []);
    assert.deepEqual(evaluate(instance, proposal.placements).score, proposal.score);
    assert.ok(proposal.score.missed <= seen[0]!.best.missed);
  });

  test('an impossible instance rejects with OPTIMIZER_UNSATISFIABLE naming the problem', async () => {
    const run = startOptimizer({ ...generateInstance('tiny', 1), voters: [] }, { seed: 1, timeLimitMs: 10_000 });
    await assert.rejects(run.result, (err: unknown) => err instanceof OptimizerError && err.unsatisfiable[0]!.code === 'NO_INTEREST');
  });

  test('a worker out of memory rejects with OPTIMIZER_FAILED', async () => {
    const instance = generateInstance('ccc', 1);
    const run = startOptimizer(instance, { seed: 1, timeLimitMs: 600_000, memoryMb: 2 });
    await assert.rejects(run.result, (err: unknown) => err instanceof Error && (err as { code?: string }).code === 'OPTIMIZER_FAILED');
  });
});
