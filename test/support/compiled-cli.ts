import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * The `hallway` command the process tests spawn: src/ compiled to JavaScript by `npm run build`'s
 * scripts/build.mjs (esbuild, as tsx uses), so a spawned CLI or server starts without tsx's
 * loader: ~0.3 s of CPU instead of ~2.5 s per process. The build sits in the temp folder under
 * a hash of the checkout's path and every file of src/, package.json and the build script, so an
 * edit makes a new one and a stale build is never run; test processes that need it at once
 * build it side by side and the first rename wins. bin/hallway.js itself (tsx) is still spawned
 * by the first-start test.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));

function files(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, found);
    else found.push(p);
  }
  return found;
}

let entry: string | undefined;

/** The compiled src/cli/index.ts, built on first use. */
export function compiledCli(): string {
  if (entry) return entry;
  // The checkout's path too: the build links to its node_modules.
  const hash = createHash('sha256').update(root).update('\0');
  for (const f of [...files(join(root, 'src')), join(root, 'package.json'), join(root, 'scripts', 'build.mjs')])
    hash.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  const out = join(tmpdir(), `hallway-build-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(out)) {
    const building = `${out}.${randomBytes(4).toString('hex')}`;
    try {
      const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), join(building, 'dist')], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`scripts/build.mjs failed:\n${r.stdout}${r.stderr}`);
      // The repository's layout around dist/: ../../package.json where src/ finds it, packages through a link.
      writeFileSync(join(building, 'package.json'), readFileSync(join(root, 'package.json')));
      symlinkSync(join(root, 'node_modules'), join(building, 'node_modules'), 'dir');
      renameSync(building, out);
    } catch (err) {
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(out)) throw err;
    }
  }
  return (entry = join(out, 'dist', 'cli', 'index.js'));
}
