/**
 * `node --import tsx bench/import.ts`: what a large schedule import costs the server's event loop
 * and memory (issue 11, item 9), written to docs/benchmarks.md. The generated frab file (19 MB,
 * 12,000 sessions: test/factories/frab-large.ts) is imported into a fresh SQLite file in a fresh
 * process, once parsed on the event loop (`inline`, as before the worker) and once in the worker
 * thread (as the server and CLI do now). The event loop's longest stall is the longest gap
 * between 10 ms timer ticks during the import; peak RSS is the process's VmHWM (the worker's heap
 * is in the same process, so it counts). BENCH_NO_WRITE=1 skips the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importSchedule } from '../src/modules/schedule/schedule-import.actions.js';
import { largeFrabXml } from '../test/factories/frab-large.js';
import { writeSection } from './report.js';

interface Run {
  mode: string;
  seconds: number;
  longestStallMs: number;
  stalledOver100Ms: number;
  peakRssMb: number;
  startRssMb: number;
}

const rssMb = (field: 'VmHWM' | 'VmRSS') =>
  Number(
    /(\d+) kB/.exec(
      readFileSync('/proc/self/status', 'utf8')
        .split('\n')
        .find((l) => l.startsWith(field))!,
    )![1],
  ) / 1024;

async function measure(mode: 'inline' | 'worker'): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-import-'));
  try {
    const db = createDb({ kind: 'sqlite', filename: join(dir, 'b.sqlite') });
    await migrateToLatest(db);
    const bytes = Buffer.from(largeFrabXml());
    const startRssMb = rssMb('VmRSS');
    let last = performance.now();
    let longest = 0;
    let over = 0;
    const gap = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      if (now - last > 100) over += now - last;
      last = now;
    };
    const tick = setInterval(gap, 10);
    const t = performance.now();
    const s = await importSchedule(db, bytes, { inline: mode === 'inline', limits: { timeMs: 600_000, memoryMb: 2048 } });
    const seconds = (performance.now() - t) / 1000;
    gap(); // a stall that lasted to the end never reached a tick
    clearInterval(tick);
    if (s.sessions.added !== 12_000) throw new Error(`imported ${s.sessions.added} sessions`);
    await db.destroy();
    return { mode, seconds, longestStallMs: longest, stalledOver100Ms: over, peakRssMb: rssMb('VmHWM'), startRssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'inline' || process.argv[2] === 'worker') {
  process.stdout.write(JSON.stringify(await measure(process.argv[2])));
} else {
  const runs: Run[] = (['inline', 'worker'] as const).map((mode) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/import.ts', mode], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as Run;
  });
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const label = (m: string) => (m === 'inline' ? 'before: parsed on the event loop' : 'now: parsed in the worker thread');
  const md = [
    '## A large schedule import and the event loop (issue 11)',
    '',
    `Produced by \`npm run bench\` (\`node --import tsx bench/import.ts\`) on ${when} UTC; machine: ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, Node ${process.version}, SQLite (WAL) in a temp file; each run in a fresh process.`,
    'The generated frab XML of test/factories/frab-large.ts: 19 MB, 12,000 sessions, 50 rooms, 3,000 speakers, imported into an empty database. Longest stall: the longest gap between 10 ms timer ticks during the import (what every other request waits at worst); blocked: the sum of the gaps over 100 ms.',
    '',
    '| import | whole import | longest stall | blocked (gaps > 100 ms) | RSS before | peak RSS |',
    '| --- | --- | --- | --- | --- | --- |',
    ...runs.map(
      (r) =>
        `| ${label(r.mode)} | ${r.seconds.toFixed(1)} s | ${r.longestStallMs.toFixed(0)} ms | ${(r.stalledOver100Ms / 1000).toFixed(1)} s | ${r.startRssMb.toFixed(0)} MB | ${r.peakRssMb.toFixed(0)} MB |`,
    ),
    '',
    "What still runs on the event loop: reading the event's current programme (for an update), and the one write transaction (better-sqlite3 is synchronous and Kysely's transaction never yields to timers, so the write of 12,000 sessions is the longest stall that remains); parsing, converting and checking no longer do. Peak RSS is higher with the worker: its own heap (capped by IMPORT_MEMORY_LIMIT_MB) plus the checked document copied back. Figures taken with the machine shared (load average ~15 on 2 cores), so absolute times are inflated; the ratio of stall to whole import is the point.",
  ].join('\n');
  console.log(md);
  if (!process.env.BENCH_NO_WRITE) writeSection('import', md);
}
