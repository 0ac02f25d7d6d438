#!/usr/bin/env node
// `npm test`: runs every *.test.ts / *.test.tsx under src/ and test/ with node's own test runner.
// node --test on Node 20 does not expand globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) find(p, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(p);
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

const filter = process.argv.slice(2);
const files = [...find('src'), ...find('test')].sort().filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Static checks (only for the full run): strict type-check, the @kitajs XSS scan, which fails on
// any JSX child that would put unescaped text into HTML, formatting and lint (biome.json; `npm run
// format` fixes what it can), and the import rules of
// docs/architecture.md (.dependency-cruiser.cjs; test/docs/layering.test.ts proves each rule fires). They run one after the other while
// the test files run (the test files wait on databases and processes often enough to leave a
// core to spare); their output is printed after the tests.
const statics =
  filter.length === 0
    ? (async () => {
        for (const [name, args] of [
          ['type-check (tsc --noEmit)', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']],
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
const reporter = 'spec';
const tests = await run(['--import', 'tsx', '--test', `--test-reporter=${reporter}`, `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files], {
  env: { ...process.env, NODE_ENV: 'test' },
});
const checked = await statics;
if (!checked.ok) console.error(checked.report);
process.exit(tests.status !== 0 ? tests.status : checked.ok ? 0 : 1);
