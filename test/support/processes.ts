import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { compiledCli } from './compiled-cli.js';

/** A TCP port on loopback that nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Runs `hallway <args>` (compiled: see compiled-cli.ts) as its own process with extra environment variables. */
export function runHallway(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [compiledCli(), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Waits until the server at `base` answers /readyz. A cold start (every module loaded on a
 * busy two-core CI machine while other test files run) can take well over ten seconds, so the wait
 * is generous; when `child` is given and exits first, the wait fails at once with what it printed.
 */
export async function waitReady(base: string, child?: ChildProcess, timeoutMs = 90_000): Promise<void> {
  let output = '';
  let exitCode: number | null | undefined;
  const collect = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child?.stdout?.on('data', collect);
  child?.stderr?.on('data', collect);
  const onExit = (code: number | null) => (exitCode = code);
  child?.once('exit', onExit);
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`server for ${base} exited (code ${exitCode}) before it was ready:\n${output}`);
      try {
        if ((await fetch(`${base}/readyz`)).ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server at ${base} did not become ready in ${timeoutMs / 1000} s:\n${output}`);
  } finally {
    child?.stdout?.off('data', collect);
    child?.stderr?.off('data', collect);
    child?.off('exit', onExit);
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `hallway <args>` to the end as a user would, with `stdin` as its input; warnings only. */
export function hallwayCli(args: string[], env: Record<string, string>, stdin = ''): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [compiledCli(), ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Server processes started by startServers: their base URLs, and a stop that waits for them to exit. */
export interface RunningServers {
  readonly bases: readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts `count` `hallway serve` processes on the database at `databaseUrl` (loopback, a free
 * port each, `env` added) and waits until every one is ready.
 */
export async function startServers(databaseUrl: string, count: number, env: Record<string, string> = {}): Promise<RunningServers> {
  const servers: ChildProcess[] = [];
  const bases: string[] = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    servers.push(runHallway(['serve'], { DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env }));
    bases.push(`http://127.0.0.1:${port}`);
  }
  const stop = () =>
    Promise.all(servers.map((s) => new Promise((r) => (s.exitCode !== null ? r(null) : (s.once('exit', r), s.kill('SIGTERM')))))).then(() => undefined);
  try {
    await Promise.all(bases.map((base, i) => waitReady(base, servers[i])));
  } catch (err) {
    await stop();
    throw err;
  }
  return { bases, stop };
}
