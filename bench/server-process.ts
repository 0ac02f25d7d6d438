import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpus } from 'node:os';

/*
 * The server process the benchmarks put under load: the build `npm start` runs (dist/), on core 0
 * when the machine has two cores and taskset, with the benchmark (the load generator) moved to
 * core 1, so neither steals the other's time slices.
 */

export interface BenchServer {
  readonly base: string;
  readonly port: number;
  readonly pinned: boolean;
  readonly process: ChildProcess;
  /** User + system CPU time of the server so far, in ms. */
  cpuMs(): number;
  /** Peak resident memory so far (VmHWM), in MB. */
  peakRssMb(): number;
  stop(): Promise<void>;
}

let built = false;

/**
 * Builds dist/ once per benchmark process, then starts `dist/cli/index.js serve` and waits for
 * /readyz. `nodeArgs` go to node before the script (bench/live.ts: --expose-gc and its memory probe).
 */
export async function startBenchServer(env: Record<string, string>, options: { nodeArgs?: readonly string[] } = {}): Promise<BenchServer> {
  if (!built) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  built = true;
  const pinned = cpus().length >= 2 && process.env.BENCH_PIN !== '0' && hasTaskset();
  if (pinned) execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  const port = 3400 + Math.floor(Math.random() * 1500);
  // BENCH_PROFILE_DIR=<dir> writes the server's CPU profile there (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const serve = [process.execPath, ...profile, ...(options.nodeArgs ?? []), 'dist/cli/index.js', 'serve'];
  const child = spawn(pinned ? 'taskset' : serve[0]!, pinned ? ['-c', '0', ...serve] : serve.slice(1), {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 300) throw new Error('the benchmark server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  return {
    base,
    port,
    pinned,
    process: child,
    cpuMs: () => cpuMsOf(pid),
    peakRssMb: () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** One response as Hallway sent it, for the bare server to repeat. */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface CeilingServer {
  /** http://127.0.0.1:<port>/case/<i> answers recorded response i. */
  readonly base: string;
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * The load generator's ceiling: bench/ceiling-server.mjs, a bare node:http server answering the
 * recorded responses from memory and doing nothing else, pinned like the Hallway server.
 */
export async function startCeilingServer(responses: readonly RecordedResponse[]): Promise<CeilingServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hallway-ceiling-'));
  const manifest = join(dir, 'ceiling.json');
  writeFileSync(
    manifest,
    JSON.stringify(
      responses.map((r, i) => {
        const bodyFile = join(dir, `case-${i}.body`);
        writeFileSync(bodyFile, r.body);
        return { status: r.status, headers: r.headers, bodyFile };
      }),
    ),
  );
  const pinned = cpus().length >= 2 && process.env.BENCH_PIN !== '0' && hasTaskset();
  const port = 3400 + Math.floor(Math.random() * 1500);
  const cmd = [process.execPath, 'bench/ceiling-server.mjs', String(port), manifest];
  const child = spawn(pinned ? 'taskset' : cmd[0]!, pinned ? ['-c', '0', ...cmd] : cmd.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((r) => child.stdout!.once('data', r));
  return {
    base: `http://127.0.0.1:${port}`,
    cpuMs: () => cpuMsOf(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** User + system CPU time of a process so far, in ms (from /proc). */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
