/**
 * `node --import tsx bench/optimizer.ts`: the schedule optimizer's figures (issue 14), written to
 * docs/benchmarks.md.
 *
 * 1. FOSDEM scale (generator preset `fosdem`: 900 talks, 60 rooms, 2 days, ~6,000 voters, ~60,000
 *    preferences, mixed 5/25/50-minute talks, devroom tracks): a full proposal through
 *    startOptimizer (worker thread, as the server runs it) with an 8 s budget, in a fresh process:
 *    wall time to the proposal, extra memory (peak RSS of the process during the run minus RSS
 *    before: the worker's heap is in the same process), missed preferences against the greedy
 *    start and a random valid programme.
 * 2. Seeded 200-talk unit-slot instances (200 talks × 20 slots × 12 rooms, 1,500 voters): ours
 *    (10 s) against greedy, random and, with BENCH_HIGHS=1, the exact MIP in HiGHS with a 120 s
 *    limit (its best incumbent; two minutes per seed, so it is optional).
 * The machine's ceiling: a fixed plain-JavaScript loop timed in the same process, so figures taken
 * on a loaded machine can be scaled. BENCH_NO_WRITE=1 skips the file.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { evaluate } from '../src/modules/optimizer/evaluate.js';
import { generateInstance, type GeneratorSpec } from '../src/modules/optimizer/generator.js';
import type { OptimizerInstance } from '../src/modules/optimizer/optimizer.js';
import { startOptimizer } from '../src/modules/optimizer/optimizer-thread.js';
import { optimize, randomPlacement } from '../src/modules/optimizer/solver.js';
import { writeSection } from './report.js';

const GRID200: GeneratorSpec = {
  talks: 200,
  rooms: 12,
  days: 1,
  dayStart: 8 * 60,
  dayEnd: 18 * 60,
  lunch: null,
  grainMinutes: 30,
  durations: [{ minutes: 30, weight: 1 }],
  tracks: 12,
  roomsPerTrack: 0,
  voters: 1500,
  meanPicks: 8,
  attendeesPerVoter: 4,
  zipf: 1,
  trackAffinity: 0.7,
  partialAvailability: 0.1,
  multiTalkSpeakers: 0.07,
  keynotesPerDay: 0,
  bigRoom: 800,
  smallRoom: 60,
};

const FOSDEM_BUDGET_MS = 8_000;
const GRID_BUDGET_MS = 10_000;
const HIGHS_LIMIT_S = 120;

const rssMb = (field: 'VmHWM' | 'VmRSS') =>
  Number(
    /(\d+) kB/.exec(
      readFileSync('/proc/self/status', 'utf8')
        .split('\n')
        .find((l) => l.startsWith(field))!,
    )![1],
  ) / 1024;

/** ms for 100M indirect typed-array loads: this machine's speed at the moment of the run. */
function ceilingMs(): number {
  const a = new Int32Array(1000);
  for (let i = 0; i < 1000; i++) a[i] = (i * 7919) % 1000;
  const b = new Int32Array(1000).fill(3);
  const t = performance.now();
  let x = 0;
  for (let r = 0; r < 100_000; r++) for (let i = 0; i < 1000; i++) x += b[a[i]!]!;
  if (x !== 300_000_000) throw new Error('calibration');
  return performance.now() - t;
}

const prefs = (i: OptimizerInstance) => i.voters.reduce((a, v) => a + v.length, 0);

interface FosdemRun {
  seed: number;
  talks: number;
  rooms: number;
  voters: number;
  preferences: number;
  seconds: number;
  iterations: number;
  missed: number;
  greedyMissed: number;
  greedySeconds: number;
  randomMissed: number;
  overflow: number;
  greedyOverflow: number;
  rssBeforeMb: number;
  peakRssMb: number;
  ceilingMs: number;
}

async function fosdem(seed: number): Promise<FosdemRun> {
  const instance = generateInstance('fosdem', seed);
  const randomMissed = evaluate(instance, randomPlacement(instance, seed)).score.missed;
  const g0 = performance.now();
  const greedy = optimize(instance, { seed, timeLimitMs: 0 });
  const greedySeconds = (performance.now() - g0) / 1000;
  globalThis.gc?.();
  const rssBeforeMb = rssMb('VmRSS');
  let peak = rssBeforeMb;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb('VmRSS'))), 20);
  const t = performance.now();
  const run = startOptimizer(instance, { seed, timeLimitMs: FOSDEM_BUDGET_MS });
  const p = await run.result;
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb('VmRSS'));
  return {
    seed,
    talks: instance.talks.length,
    rooms: instance.rooms.length,
    voters: instance.voters.length,
    preferences: prefs(instance),
    seconds,
    iterations: p.iterations,
    missed: p.score.missed,
    greedyMissed: greedy.score.missed,
    greedySeconds,
    randomMissed,
    overflow: p.score.overflow,
    greedyOverflow: greedy.score.overflow,
    rssBeforeMb,
    peakRssMb: peak,
    ceilingMs: ceilingMs(),
  };
}

interface GridRun {
  seed: number;
  preferences: number;
  ours: number;
  oursSeconds: number;
  greedy: number;
  random: number;
  highs: { status: string; missed: number | null; seconds: number } | null;
}

async function grid(seed: number, withHighs: boolean): Promise<GridRun> {
  const instance = generateInstance(GRID200, seed);
  const t = performance.now();
  const p = optimize(instance, { seed, timeLimitMs: GRID_BUDGET_MS });
  const oursSeconds = (performance.now() - t) / 1000;
  let highs: GridRun['highs'] = null;
  if (withHighs) {
    // scripts/ is dev tooling; the exact solver never reaches src/
    const { solveAttendance } = await import('../scripts/optimizer-mip.js');
    highs = await solveAttendance(instance, HIGHS_LIMIT_S);
  }
  return {
    seed,
    preferences: prefs(instance),
    ours: p.score.missed,
    oursSeconds,
    greedy: optimize(instance, { seed, timeLimitMs: 0 }).score.missed,
    random: evaluate(instance, randomPlacement(instance, seed)).score.missed,
    highs,
  };
}

function child<T>(args: string[]): T {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/optimizer.ts', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: process.env,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

const pct = (missed: number, preferences: number) => `${((100 * missed) / preferences).toFixed(2)} %`;

if (process.argv[2] === 'fosdem') {
  console.log(JSON.stringify(await fosdem(Number(process.argv[3]))));
} else if (process.argv[2] === 'grid') {
  console.log(JSON.stringify(await grid(Number(process.argv[3]), process.env.BENCH_HIGHS === '1')));
} else {
  const withHighs = process.env.BENCH_HIGHS === '1';
  const fos = [1, 2, 3].map((seed) => child<FosdemRun>(['fosdem', String(seed)]));
  const grids = [1, 2, 3].map((seed) => child<GridRun>(['grid', String(seed)]));
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const machine = `${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, Node ${process.version}; load average at the end ${loadavg()[0]!.toFixed(1)} (the cores are shared with other work)`;
  const ceiling = fos.map((r) => r.ceilingMs.toFixed(0)).join(' / ');
  const md = [
    '## Schedule optimizer (issue 14)',
    '',
    `Produced by \`npm run bench\` (\`node --import tsx bench/optimizer.ts\`${withHighs ? ', with `BENCH_HIGHS=1`' : ''}) on ${when} UTC; machine: ${machine}. Each FOSDEM run in a fresh process.`,
    `Ceiling (this machine's speed during the runs): 100M indirect typed-array loads in plain JavaScript took ${ceiling} ms (about 170 ms on an idle core), so CPU-bound figures below are inflated by that ratio when the machine is shared.`,
    '',
    '### FOSDEM scale (generator preset `fosdem`)',
    '',
    `Generated instances: 900 talks (5/25/50 minutes, 60 devroom tracks each limited to 3 rooms), 60 rooms (capacities 50–1,400), 2 days, ~6,000 voters. A full proposal through \`startOptimizer\` (worker thread, as the server runs it) with a ${FOSDEM_BUDGET_MS / 1000} s budget: the time includes the checks, the greedy construction and the search. Extra memory: peak RSS of the process during the run minus RSS before it (the worker's heap lives in the same process). Random: each talk at a random free allowed place.`,
    '',
    '| seed | preferences | proposal in | moves | missed (share) | greedy alone | random | overflow vs greedy | RSS before → peak (extra) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...fos.map(
      (r) =>
        `| ${r.seed} | ${r.preferences.toLocaleString('en')} | ${r.seconds.toFixed(1)} s | ${r.iterations.toLocaleString('en')} | ${r.missed} (${pct(r.missed, r.preferences)}) | ${r.greedyMissed} (${pct(r.greedyMissed, r.preferences)}) in ${r.greedySeconds.toFixed(1)} s | ${r.randomMissed} (${pct(r.randomMissed, r.preferences)}) | ${r.overflow} vs ${r.greedyOverflow} | ${r.rssBeforeMb.toFixed(0)} → ${r.peakRssMb.toFixed(0)} MB (+${(r.peakRssMb - r.rssBeforeMb).toFixed(0)} MB) |`,
    ),
    '',
    'Targets: a full proposal in < 10 s, < 100 MB extra memory. (The server staying responsive during a run, p99 of public pages, is measured by the planning integration.)',
    '',
    '### 200-talk instances against the exact MIP',
    '',
    `Seeded unit-slot instances (200 talks × 20 half-hour slots × 12 rooms, 1,500 voters, ~10 % partial availability, multi-talk speakers): ours with a ${GRID_BUDGET_MS / 1000} s budget on the calling thread; HiGHS (npm \`highs\` ${'1.15.3'}, WebAssembly, one thread) on the attendance MIP of scripts/optimizer-mip.ts with a ${HIGHS_LIMIT_S} s limit, its best incumbent${withHighs ? '' : ' (not run this time: set BENCH_HIGHS=1)'}.`,
    '',
    '| seed | preferences | ours (s) | greedy | random | HiGHS 120 s | HiGHS ÷ ours |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...grids.map((r) => {
      const h = r.highs;
      const hs = !h
        ? 'not run'
        : h.missed === null
          ? `no incumbent (${h.status}, ${h.seconds.toFixed(0)} s)`
          : `${h.missed} (${h.status}, ${h.seconds.toFixed(0)} s)`;
      const ratio = h?.missed != null ? `${(h.missed / Math.max(1, r.ours)).toFixed(1)}×` : h ? '∞ (no solution)' : '–';
      return `| ${r.seed} | ${r.preferences.toLocaleString('en')} | ${r.ours} (${r.oursSeconds.toFixed(1)} s) | ${r.greedy} | ${r.random} | ${hs} | ${ratio} |`;
    }),
    '',
    'Target: at least 3× fewer missed preferences than HiGHS reaches in 120 s.',
  ].join('\n');
  console.log(md);
  writeSection('optimizer', md);
}
