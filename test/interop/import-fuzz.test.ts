import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { interopSkipReason } from './support.js';

/*
 * Runs the importers' fuzzer (fuzz-runner.ts) in a child process: every case prints a heartbeat,
 * and a case that is silent for longer than CASE_LIMIT_MS (a hang, or a blow-up) kills the child
 * and fails here naming it, rather than stalling the test runner. `npm test` runs a short fixed
 * seed; `npm run fuzz` a long one (FUZZ_RUNS, FUZZ_SEED).
 */
const CASE_LIMIT_MS = Number(process.env.FUZZ_CASE_LIMIT_MS ?? 60_000);

test('the importers end every fuzzed input as an import or a documented error, never a hang, crash or half write', { skip: interopSkipReason }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/interop/fuzz-runner.ts'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let lastCase = '(start-up)';
  let hung = false;
  let watchdog = setTimeout(() => {}, 0);
  const arm = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, CASE_LIMIT_MS);
  };
  arm();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    for (const line of d.split('\n')) {
      if (line.startsWith('case ')) lastCase = line;
      else if (line) output += `${line}\n`;
    }
    arm();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(watchdog);
  assert.ok(!hung, `the fuzzer's ${lastCase} ran longer than ${CASE_LIMIT_MS / 1000} s (a hang):\n${output}`);
  assert.equal(code, 0, output);
  assert.match(output, /all ended well/);
});
