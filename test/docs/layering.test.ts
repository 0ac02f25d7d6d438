import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The import rules of docs/architecture.md are checked by dependency-cruiser (.dependency-cruiser.cjs)
// over src/ in `npm test`'s static checks. Here the same configuration runs over a small tree of
// files that break each rule once, so a rule that stopped matching (a renamed folder, a typo in a
// pattern) fails this test instead of passing silently.

const root = new URL('../../', import.meta.url).pathname;

const FIXTURE: Record<string, string> = {
  'src/lib/helper.ts': `import { e } from '../modules/events/e.js';\nexport const h = e;\n`,
  'src/modules/mail/a.ts': `import { b } from './b.js';\nexport const a = () => b;\n`,
  'src/modules/mail/b.ts': `import { a } from './a.js';\nexport const b = () => a;\n`,
  'src/modules/events/e.ts': [
    `import { page } from '../../web/page.js';`,
    `import { p } from '../program/p.js';`,
    `import { KINDS } from '../program/session.js';`,
    `export const e = [page, p, KINDS];`,
  ].join('\n'),
  'src/modules/program/p.ts': `export const p = 1;\n`,
  'src/modules/program/session.ts': `export const KINDS = ['talk'];\n`,
  'src/modules/program/p.queries.ts': `export const q = 1;\n`,
  'src/modules/accounts/x.ts': `import { t } from '../../../test/support/t.js';\nexport const x = t;\n`,
  'src/web/page.ts': `import { sql } from 'kysely';\nimport { route } from '../api/route.js';\nexport const page = [sql, route];\n`,
  'src/api/route.ts': `export const route = 1;\n`,
  'src/http/h.ts': `import { page } from '../web/page.js';\nexport const h = page;\n`,
  'src/formats/f.ts': `import { q } from '../modules/program/p.queries.js';\nimport { d } from '../db/d.js';\nexport const f = [q, d];\n`,
  'src/db/d.ts': `import { p } from '../modules/program/p.js';\nexport const d = p;\n`,
  'test/support/t.ts': `export const t = 1;\n`,
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true }, include: ['src', 'test'] }),
};

/** [rule, from, to] of every violation the fixture must produce, and nothing else (a cycle is reported once). */
const EXPECTED = [
  ['lib-imports-only-lib', 'src/lib/helper.ts', 'src/modules/events/e.ts'],
  ['no-circular', 'src/modules/mail/a.ts', 'src/modules/mail/b.ts'],
  ['modules-not-adapters', 'src/modules/events/e.ts', 'src/web/page.ts'],
  ['module-order-events', 'src/modules/events/e.ts', 'src/modules/program/p.ts'],
  ['src-not-test', 'src/modules/accounts/x.ts', 'test/support/t.ts'],
  ['adapters-not-each-other', 'src/web/page.ts', 'src/api/route.ts'],
  ['adapters-no-sql', 'src/web/page.ts', 'kysely'],
  ['http-not-adapters', 'src/http/h.ts', 'src/web/page.ts'],
  ['formats-pure', 'src/formats/f.ts', 'src/db/d.ts'],
  ['formats-pure', 'src/formats/f.ts', 'src/modules/program/p.queries.ts'],
  ['formats-reach-no-database', 'src/formats/f.ts', 'src/db/d.ts'],
  ['db-imports-lib-and-tables', 'src/db/d.ts', 'src/modules/program/p.ts'],
];

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

test('every import rule of .dependency-cruiser.cjs reports a file that breaks it, and only those', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hallway-layering-'));
  try {
    for (const [path, text] of Object.entries(FIXTURE)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'src',
        '--config',
        join(root, '.dependency-cruiser.cjs'),
        '--output-type',
        'json',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    const violations = (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations;
    const found = violations
      .map((v) => [v.rule.name, v.from, v.to.replace(/^.*node_modules\/(kysely)\/.*$/, '$1')])
      .map((v) => v.join(' '))
      .sort();
    assert.deepEqual(found, EXPECTED.map((v) => v.join(' ')).sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A rule on imports cannot see a query built on `ctx.db`: pages, routes and the CLI call the
// modules' queries and actions, never the query builder or SQL themselves.
test('pages, routes and the CLI hold no SQL and build no queries', () => {
  const offenders: string[] = [];
  const scan = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) scan(p);
      else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) {
        readFileSync(p, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/\.(selectFrom|selectNoFrom|updateTable|insertInto|replaceInto|deleteFrom|mergeInto)\(|\bsql`/.test(line))
              offenders.push(`${p.slice(root.length)}:${i + 1}`);
          });
      }
    }
  };
  for (const adapter of ['src/web', 'src/api', 'src/http', 'src/cli']) scan(join(root, adapter));
  assert.deepEqual(offenders, []);
});
