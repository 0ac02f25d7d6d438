#!/usr/bin/env node
// `npm test`: runs every *.test.ts / *.test.tsx under src/ and test/ with node's own test runner.
// node --test on Node 20 does not expand globs, so the files are listed here.
//
// The TypeScript is compiled once per run, not once per test process: esbuild turns every file
// of src/ and test/ into JavaScript in a temp folder (hallway-tests-*, ~1 s, removed at the end)
// and the test files run from there on plain node. Under tsx's loader each test process spent
// about a second of CPU more starting up (its hooks see every import), on a hundred-odd files.
// - src/ is compiled as `npm run build` compiles it (the same layout, so the migrations folder,
//   the assets and ../../package.json are found next to the code, as in dist/).
// - In test/ files import.meta.url (and .dirname/.filename) stay the source file's, so a test
//   reads the checkout's docs, sources and samples as before. A .ts file cannot be import()ed by
//   its path: a test that finds modules by scanning src/ imports them with importSource()
//   (test/support/source-module.ts); a process started on a .ts file brings tsx along (`node --import tsx …`).
// - Stack traces point at the .ts sources (inline source maps, --enable-source-maps).
//
// The files start longest first (test/durations.txt; a file not listed there yet is taken as
// long, so new files start first) so the files running side by side (TEST_CONCURRENCY, default 3) finish together rather than one long
// file running alone at the end. `node test/run.mjs --write-durations` rewrites that list from
// the run's own timings (files that did not run keep theirs).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';

function find(dir, out = [], all = false) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) find(p, out, all);
    else if (all || /\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Runs node with `args`; resolves to its exit status and (when `quiet`) what it printed. */
function run(args, { quiet = false, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', env });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.on('close', (code, signal) => resolve({ status: code ?? (signal ? 1 : 0), output }));
  });
}

/** Compiles src/ and test/ into `out` (TypeScript to JavaScript, other files copied) and makes it a package like the checkout. */
async function compile(out) {
  const tsconfigRaw = readFileSync('tsconfig.json', 'utf8');
  const files = [...find('src', [], true), ...find('test', [], true)];
  await Promise.all(
    files.map(async (file) => {
      const target = join(out, file.replace(/\.tsx?$/, '.js'));
      mkdirSync(dirname(target), { recursive: true });
      if (!/\.tsx?$/.test(file) || file.endsWith('.d.ts')) return copyFileSync(file, target);
      const source = resolve(file);
      const define = file.startsWith(`test${sep}`)
        ? {
            'import.meta.url': JSON.stringify(pathToFileURL(source).href),
            'import.meta.dirname': JSON.stringify(dirname(source)),
            'import.meta.filename': JSON.stringify(source),
          }
        : undefined;
      const { code } = await transform(readFileSync(source, 'utf8'), {
        loader: file.endsWith('x') ? 'tsx' : 'ts',
        format: 'esm',
        platform: 'node',
        target: 'node20',
        jsx: 'automatic',
        jsxImportSource: '@kitajs/html',
        tsconfigRaw,
        sourcemap: 'inline',
        sourcefile: source,
        define,
      });
      writeFileSync(target, code);
    }),
  );
  // The rest of the checkout through links: package.json ("type": "module", and src/ reads
  // ../../package.json), node_modules, and whatever a test imports by a relative path (scripts/).
  for (const name of readdirSync('.')) if (name !== 'src' && name !== 'test' && name !== '.git') symlinkSync(resolve(name), join(out, name));
}

const DURATIONS = join('test', 'durations.txt');

/** Seconds per test file from test/durations.txt ("<seconds> <file>" a line). */
function readDurations() {
  const known = new Map();
  try {
    for (const line of readFileSync(DURATIONS, 'utf8').split('\n')) {
      const m = /^\s*(\d+(?:\.\d+)?)\s+(\S+)\s*$/.exec(line);
      if (m) known.set(m[2], Number(m[1]));
    }
  } catch {
    /* no list: every file is new */
  }
  return known;
}

const args = process.argv.slice(2);
const writeDurations = args.includes('--write-durations');
const filter = args.filter((a) => a !== '--write-durations');
const known = readDurations();
const files = [...find('src'), ...find('test')]
  .sort()
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort((a, b) => (known.get(b) ?? Number.POSITIVE_INFINITY) - (known.get(a) ?? Number.POSITIVE_INFINITY) || 0);
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

/**
 * Drops the PostgreSQL databases the run's test files made (test/support/databases.ts names them
 * after HALLWAY_TEST_RUN), a few side by side: each DROP DATABASE waits for a checkpoint, and
 * drops waiting together share one.
 */
async function dropRunDatabases(runId) {
  if (!process.env.TEST_DATABASE_URL) return;
  const { default: pg } = await import('pg');
  const clients = Array.from({ length: 6 }, () => new pg.Client({ connectionString: process.env.TEST_DATABASE_URL }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const { rows } = await clients[0].query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`hallway_t_${runId}_`]);
    const names = rows.map((r) => r.datname);
    const started = Date.now();
    await Promise.all(
      clients.map(async (c) => {
        for (let name = names.pop(); name; name = names.pop()) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
    );
    console.log(`# dropped the run's ${rows.length} PostgreSQL databases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}

const runId = randomBytes(4).toString('hex');
const out = mkdtempSync(join(tmpdir(), 'hallway-tests-'));
process.on('exit', () => rmSync(out, { recursive: true, force: true }));
let dropped;
const dropDatabases = () =>
  (dropped ??= dropRunDatabases(runId).catch((err) => console.error(`# could not drop this run's databases (hallway_t_${runId}_*): ${err.message}`)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dropDatabases().finally(() => process.exit(130)));
const compiledStarted = Date.now();
await compile(out);
const compiled = new Map(files.map((f) => [join(out, f.replace(/\.tsx?$/, '.js')), f]));
console.log(`# compiled src/ and test/ in ${((Date.now() - compiledStarted) / 1000).toFixed(1)} s`);

// Static checks (only for the full run): strict type-check, the @kitajs XSS scan, which fails on
// any JSX child that would put unescaped text into HTML, formatting and lint (biome.json; `npm run
// format` fixes what it can), and the import rules of
// docs/architecture.md (.dependency-cruiser.cjs; test/docs/layering.test.ts proves each rule fires). They run one after the other while
// the test files run (the test files wait on databases and processes often enough to leave a
// core to spare); their output is printed after the tests.
const tscBuildInfo = join(tmpdir(), `hallway-tsc-${createHash('sha256').update(resolve('.')).digest('hex').slice(0, 16)}.tsbuildinfo`);
const statics =
  filter.length === 0
    ? (async () => {
        for (const [name, args] of [
          // Incremental: what tsc learnt of the unchanged files last time is kept in the temp folder.
          ['type-check (tsc --noEmit)', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.', '--incremental', '--tsBuildInfoFile', tscBuildInfo]],
          ['XSS scan (xss-scan)', ['node_modules/@kitajs/ts-html-plugin/dist/cli.js']],
          ['format and lint (biome check)', ['node_modules/@biomejs/biome/bin/biome', 'check', '--error-on-warnings', '.']],
          [
            'import rules (dependency-cruiser)',
            ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
          ],
        ]) {
          const started = Date.now();
          const r = await run(args, { quiet: true });
          const took = `${Math.round((Date.now() - started) / 1000)} s`;
          if (r.status !== 0) return { ok: false, report: `# ${name} failed (${took})\n${r.output}` };
          console.log(`# ${name} passed (${took})`);
        }
        return { ok: true, report: '' };
      })()
    : Promise.resolve({ ok: true, report: '' });
const timings = join(out, 'durations.txt');
const tests = await run(
  [
    '--enable-source-maps',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${pathToFileURL(resolve('test', 'file-durations.mjs')).href}`,
    `--test-reporter-destination=${timings}`,
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 3}`,
    ...compiled.keys(),
  ],
  { env: { ...process.env, NODE_ENV: 'test', HALLWAY_TEST_RUN: runId } },
);
const checked = await statics;
await dropDatabases();
if (!checked.ok) console.error(checked.report);
// In CI nothing may be skipped (browser and PostgreSQL tests must run): each skip fails the run.
const skips = readFileSync(timings, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('SKIP '));
const skipsFail = process.env.CI === 'true' && skips.length > 0;
if (skipsFail) console.error(`# ${skips.length} test(s) skipped, which CI does not allow:\n${skips.map((l) => `#   ${l.slice(5)}`).join('\n')}`);
if (writeDurations) {
  for (const line of readFileSync(timings, 'utf8').split('\n')) {
    const m = /^(\d+) (.+)$/.exec(line);
    if (m && compiled.has(m[2])) known.set(compiled.get(m[2]).split(sep).join('/'), Number(m[1]) / 1000);
  }
  const lines = [...known].filter(([f]) => statSync(f, { throwIfNoEntry: false })).sort(([fa, a], [fb, b]) => b - a || (fa < fb ? -1 : 1));
  writeFileSync(
    DURATIONS,
    `# Seconds each test file took in a full run (test/run.mjs starts the longest first); \`node test/run.mjs --write-durations\` rewrites it.\n${lines.map(([f, s]) => `${s.toFixed(1).padStart(5)} ${f}`).join('\n')}\n`,
  );
  console.log(`# wrote ${relative('.', DURATIONS)}`);
}
process.exit(tests.status !== 0 ? tests.status : checked.ok && !skipsFail ? 0 : 1);
