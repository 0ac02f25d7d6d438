import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitReady } from '../support/processes.js';
import { WebClient } from '../support/web-client.js';
import { mainText } from './support.js';

/*
 * The real `hallway serve` process on an empty database: the first start logs a /setup link,
 * which creates the first administrator; without SMTP_URL mail stays in the outbox, where the
 * administrator reads it on /admin. A second start logs no link.
 */

interface Served {
  readonly base: string;
  log(): string;
  stop(): Promise<void>;
}

async function serve(env: Record<string, string>): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, ['bin/hallway.js', 'serve'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((r) => child.on('close', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const base = `http://127.0.0.1:${env.PORT}`;
  try {
    // A cold start on a busy machine can take a while; a server that never gets ready is stopped,
    // never left running (an orphaned child would keep this test file, and so `npm test`, alive).
    await waitReady(base, child);
    // The log arrives through a pipe, not the socket: wait until it has caught up with the listening line.
    for (let i = 0; !log.includes('"Server listening'); i++) {
      if (i > 300) throw new Error(`no "Server listening" line in:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  // The setup link, if any, is logged before "Server listening".
  return { base, log: () => log, stop };
}

const logLines = (log: string) =>
  log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string; setupUrl?: string; level: number });

test('the first start logs a /setup link once; it creates the administrator, who reads kept mail on /admin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hallway-first-start-'));
  try {
    const port = String(await freePort());
    const env = { DATABASE_URL: `sqlite:${join(dir, 'h.sqlite')}`, HOST: '127.0.0.1', PORT: port, BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'info' };
    const first = await serve(env);
    let setupUrl: string;
    try {
      const announced = logLines(first.log()).filter((l) => l.setupUrl);
      assert.equal(announced.length, 1, `one setup link in:\n${first.log()}`);
      assert.equal(announced[0]!.level, 40, 'logged as a warning, so it shows at LOG_LEVEL=warn too');
      setupUrl = announced[0]!.setupUrl!;
      assert.match(setupUrl, new RegExp(`^http://127\\.0\\.0\\.1:${port}/setup\\?token=[A-Za-z0-9_-]+$`));
      assert.ok(announced[0]!.msg.includes(setupUrl), 'the message itself names the link');
      const path = setupUrl.slice(first.base.length);
      const token = decodeURIComponent(path.split('token=')[1]!);

      const c = new WebClient(first.base);
      const form = await (await c.get(path)).text();
      assert.match(form, /<h1>Set up Hallway<\/h1>/);
      const bad = await c.submit(path, '/setup', { token, displayName: 'Root', email: 'root@example.org', password: 'short' });
      assert.equal(bad.status, 422);
      assert.match(await bad.text(), /Password: must be at least 12 characters/);
      const res = await c.submit(path, '/setup', { token, displayName: 'Root Admin', email: 'root@example.org', password: 'the operator passphrase' });
      assert.equal(res.status, 303, 'a failed attempt did not use the link up');
      assert.equal(res.headers.get('location'), '/admin');
      const admin = await (await c.get('/admin')).text();
      assert.match(mainText(admin), /^Welcome! You are the administrator of this Hallway\. Site administration Mail SMTP_URL is not set/);

      const again = await new WebClient(first.base).submit(path, '/setup', {
        token,
        displayName: 'Mallory',
        email: 'mallory@example.org',
        password: 'another passphrase!',
      });
      assert.equal(again.status, 409);
      assert.match(mainText(await again.text()), /This instance already has accounts; sign in instead\./);

      const ask = await new WebClient(first.base).submit('/sign-in', '/sign-in/link/request', { email: 'root@example.org' });
      assert.equal(ask.status, 303);
      const outbox = await (await c.get('/admin')).text();
      assert.match(
        outbox,
        /<td>root@example\.org<\/td><td><details><summary>Your sign-in link<\/summary><pre class="account-mail-text">Hello Root Admin,[\s\S]*\/sign-in\/link\?token=/,
      );
      assert.match(outbox, /kept here \(no SMTP\)/);
      const kept = 'mail kept in outbox: to=root@example.org subject=Your sign-in link';
      for (let i = 0; i < 50 && !logLines(first.log()).some((l) => l.msg === kept); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(
        logLines(first.log()).some((l) => l.msg === kept),
        'the server log names the kept mail',
      );
    } finally {
      await first.stop();
    }

    const second = await serve(env);
    try {
      assert.deepEqual(
        logLines(second.log()).filter((l) => l.setupUrl),
        [],
        'an instance with accounts logs no link',
      );
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
