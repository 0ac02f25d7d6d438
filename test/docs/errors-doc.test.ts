import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../../src/lib/domain-error.js';
import { importSource } from '../support/source-module.js';

// docs/errors.md is the error catalogue clients program against: every code Hallway can answer
// with has a row, with the HTTP status it really has, and no row names a code that no longer exists.

const root = new URL('../../', import.meta.url).pathname;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

/** Documented rows: code → HTTP status. */
function documented(): Map<string, number> {
  const rows = new Map<string, number>();
  for (const m of readFileSync(join(root, 'docs/errors.md'), 'utf8').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d{3}) \|/gm)) {
    assert.ok(!rows.has(m[1]!), `docs/errors.md lists ${m[1]} twice`);
    rows.set(m[1]!, Number(m[2]));
  }
  return rows;
}

/** Codes the source can answer with: `new DomainError('CODE', …)`, `errorBody(status, 'CODE', …)` and error literals `code: 'CODE'`. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = [/new DomainError\(\s*'([A-Z][A-Z0-9_]+)'/g, /errorBody\(\s*\d{3},\s*'([A-Z][A-Z0-9_]+)'/g, /\berror: \{ code: '([A-Z][A-Z0-9_]+)'/g];
  for (const file of sources(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) for (const m of text.matchAll(pattern)) if (!found.has(m[1]!)) found.set(m[1]!, file.slice(root.length));
  }
  return found;
}

test('every error code the source answers with is in docs/errors.md, and every documented code still exists', () => {
  const docs = documented();
  const source = codesInSource();
  const undocumented = [...source].filter(([code]) => !docs.has(code)).map(([code, file]) => `${code} (${file})`);
  assert.deepEqual(undocumented, [], 'add a row to docs/errors.md for each');
  const sourceText = sources(join(root, 'src'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const stale = [...docs.keys()].filter((code) => !sourceText.includes(`'${code}'`));
  assert.deepEqual(stale, [], 'docs/errors.md names codes no source file uses');
});

test('the catalogues build errors with the HTTP status docs/errors.md gives', async () => {
  const docs = documented();
  const catalogues = sources(join(root, 'src')).filter((f) => f.endsWith('.errors.ts'));
  assert.ok(catalogues.length >= 10, 'the *.errors.ts catalogues were found');
  let checked = 0;
  for (const file of catalogues) {
    const mod = await importSource(file);
    for (const catalogue of Object.values(mod)) {
      if (!catalogue || typeof catalogue !== 'object') continue;
      for (const [name, make] of Object.entries(catalogue)) {
        if (typeof make !== 'function') continue;
        let err: unknown;
        try {
          // Placeholder arguments: what matters here is the code and status, not the message.
          err = (make as (...a: unknown[]) => unknown)('x', 'x', 'x', 'x');
        } catch {
          continue; // a factory that needs structured arguments; its code is still checked above
        }
        if (!(err instanceof DomainError)) continue;
        assert.equal(
          err.status,
          docs.get(err.code),
          `${file.slice(root.length)} ${name}() answers ${err.code} with ${err.status}; docs/errors.md says ${docs.get(err.code)}`,
        );
        checked++;
      }
    }
  }
  assert.ok(checked >= 60, `only ${checked} factories could be checked`);
});
