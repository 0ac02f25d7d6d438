#!/usr/bin/env node
// `npm run build` (and the first half of `npm start`): compiles src/ to plain JavaScript in dist/
// with esbuild, file by file (no bundling: same layout, so relative paths such as the assets
// folder, the migrations folder and ../../package.json resolve as they do from src/), and copies
// the browser assets. The server then starts without a TypeScript loader: in a measurement on the
// large demo event it started faster and its resident memory was ~70 MB smaller than under tsx.
// `npx hallway` (bin/hallway.js) still runs src/ through tsx, so the CLI never runs a stale build.
// `node scripts/build.mjs DIR` builds into DIR instead of dist/ (the process tests: test/support/compiled-cli.ts).
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const out = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist');

function sources(dir, found = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, found);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) found.push(p);
  }
  return found;
}

const started = performance.now();
rmSync(out, { recursive: true, force: true });
const entryPoints = sources(src);
await build({
  entryPoints,
  outdir: out,
  outbase: src,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  jsxImportSource: '@kitajs/html',
  logLevel: 'warning',
});
cpSync(join(src, 'web', 'assets'), join(out, 'web', 'assets'), { recursive: true });
console.log(`hallway: built ${entryPoints.length} files into ${relative(root, out) || out}/ in ${Math.round(performance.now() - started)} ms`);
