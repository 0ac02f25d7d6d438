#!/usr/bin/env node
// `npm test`: runs every *.test.ts / *.test.tsx under src/ and test/ with node's own test runner.
// node --test on Node 20 does not expand globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) find(p, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = [...find('src'), ...find('test')].sort().filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Static checks first (only for the full run): strict type-check, the @kitajs XSS scan, which
// fails on any JSX child that would put unescaped text into HTML, and the import rules of
// docs/architecture.md (.dependency-cruiser.cjs; test/docs/layering.test.ts proves each rule fires).
if (filter.length === 0) {
  for (const [name, args] of [
    ['type-check (tsc --noEmit)', ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']],
    ['XSS scan (xss-scan)', ['node_modules/@kitajs/ts-html-plugin/dist/cli.js']],
    ['import rules (dependency-cruiser)', ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err']],
  ]) {
    console.log(`# ${name}`);
    const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`# ${name} failed`);
      process.exit(r.status ?? 1);
    }
  }
}
const reporter = 'spec';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, '--test-concurrency=2', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
