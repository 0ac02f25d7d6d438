/**
 * `npx tsx scripts/optimizer-oracles.ts [seeds…]`: proven optima for the optimizer's oracle tests
 * (test/optimizer/oracles.test.ts). For each seed, the generator's `tiny` preset (≤ 16 talks,
 * ≤ 5 unit slots, 3–4 rooms, 60–150 voters) is solved exactly with HiGHS (scripts/optimizer-mip.ts,
 * relative gap 0); instances proven optimal are written to test/fixtures/optimizer/oracle-<seed>.json
 * with the instance itself (so the fixture does not depend on the generator staying the same) and
 * the optimum. ORACLE_TIME_LIMIT (seconds, default 600) bounds each solve; an instance that is not
 * proven in time is skipped and reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateInstance } from '../src/modules/optimizer/generator.js';
import { solveAttendance } from './optimizer-mip.js';

const dir = new URL('../test/fixtures/optimizer/', import.meta.url);
mkdirSync(dir, { recursive: true });
const seeds = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const limit = Number(process.env.ORACLE_TIME_LIMIT ?? 600);

for (const seed of seeds) {
  const instance = generateInstance('tiny', seed);
  const preferences = instance.voters.reduce((a, v) => a + v.length, 0);
  const r = await solveAttendance(instance, limit);
  const size = `${instance.talks.length} talks, ${instance.rooms.length} rooms, ${instance.voters.length} voters, ${preferences} preferences`;
  if (r.status !== 'Optimal' || r.missed === null) {
    console.log(`seed ${seed}: ${size}: ${r.status} after ${r.seconds.toFixed(1)} s (best ${r.missed}); skipped`);
    continue;
  }
  const fixture = {
    about: 'Proven optimum of missed preferences (exact MIP, HiGHS 1.15.3 via npm highs, relative gap 0). Written by scripts/optimizer-oracles.ts.',
    preset: 'tiny',
    seed,
    optimum: { missed: r.missed },
    solveSeconds: Math.round(r.seconds * 10) / 10,
    instance,
  };
  writeFileSync(new URL(`oracle-${seed}.json`, dir), `${JSON.stringify(fixture)}\n`);
  console.log(`seed ${seed}: ${size}: optimum ${r.missed} missed, proven in ${r.seconds.toFixed(1)} s`);
}

// The fixtures are checked by biome like every file under test/: write them in its format.
spawnSync('npx', ['biome', 'format', '--write', fileURLToPath(dir)], { stdio: 'inherit' });
