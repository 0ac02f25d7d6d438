import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

// "Now" has one source: the Clock buildApp is given (src/lib/clock.ts, AppContext.clock), so a test
// can set the date and nothing depends on today's. This scan fails when server code reads the
// machine's time another way. Browser scripts (src/web/assets) run on the visitor's clock and are
// not scanned.

const root = new URL('../../', import.meta.url).pathname;

/** Files allowed to read the machine's time, and why. */
const ALLOWED: Record<string, string> = {
  'src/lib/clock.ts': 'the system clock itself',
  'src/db/sqlite-driver.ts': 'how long to wait for another process’s lock: a duration on the real clock, whatever date the app is set to',
  'src/http/response-cache.ts': 'a per-process epoch that only makes ETags unique, never a date anyone sees',
};

const READS_TIME = [/\bnew Date\(\s*\)/, /\bDate\.now\(\s*\)/, /\bDateTime\.(now|local|utc)\(\s*\)/];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (p !== join(root, 'src/web/assets')) sources(p, out);
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Every line of `files` that reads the machine's time, as `path:line: text`. */
function clockReads(files: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const path = relative(root, file);
    if (path in ALLOWED) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (READS_TIME.some((re) => re.test(line))) found.push(`${path}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

test('server code takes "now" from the app clock, never from the machine', () => {
  const files = sources(join(root, 'src'));
  assert.ok(files.length > 100, 'the scan sees the source tree');
  assert.deepEqual(clockReads(files), [], 'use ctx.clock (or a Clock parameter) instead');
});

test('the scan recognises each way of reading the machine time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hallway-clock-scan-'));
  try {
    const probe = join(dir, 'probe.ts');
    const lines = ['const a = new Date();', 'const b = Date.now();', 'const c = DateTime.now();', 'const d = DateTime.utc();', 'const e = new Date(at);'];
    writeFileSync(probe, lines.join('\n'));
    assert.deepEqual(
      clockReads([probe]).map((l) => l.replace(/^.*probe\.ts:/, '')),
      ['1: const a = new Date();', '2: const b = Date.now();', '3: const c = DateTime.now();', '4: const d = DateTime.utc();'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every allowed file still exists', () => {
  for (const path of Object.keys(ALLOWED)) assert.ok(statSync(join(root, path)).isFile(), path);
});
