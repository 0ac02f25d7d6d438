import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/*
 * The offline half of the dependency policy (docs/security.md): what `npm ci` installs is pinned
 * by hash, comes from the registry, runs no install script we did not allow, and supports the
 * Node we run on. Reads only package.json and package-lock.json, so it runs anywhere.
 */

interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly hasInstallScript?: boolean;
  readonly engines?: { readonly node?: string } | readonly string[];
  readonly dependencies?: Record<string, string>;
}

const root = new URL('../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const installed = Object.entries(lock.packages).filter(([path]) => path !== '');
/** `node_modules/a/node_modules/@b/c` → `@b/c`. */
const nameOf = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

test('the lockfile pins every installed package by a sha512 hash', () => {
  assert.equal(lock.lockfileVersion, 3);
  assert.ok(installed.length > 100, 'the lockfile lists the whole tree');
  const unpinned = installed.filter(([, p]) => !/^sha512-[A-Za-z0-9+/]+=*$/.test(p.integrity ?? '')).map(([path]) => path);
  assert.deepEqual(unpinned, [], 'packages without a sha512 integrity hash');
});

test('every dependency is a registry release: no git, URL, file or linked packages', () => {
  const notSemver = (spec: string) => /^(git\+|git:|github:|https?:|file:|link:|[\w-]+\/[\w.-]+(#.*)?$)/.test(spec);
  const declared = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.overrides };
  assert.deepEqual(
    Object.entries(declared).filter(([, spec]) => notSemver(spec)),
    [],
    'package.json specs that are not version ranges',
  );
  const odd = installed
    .filter(
      ([, p]) => p.link || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(p.version ?? '') || (p.resolved !== undefined && !/^https:\/\/[^/]+\/.+\.tgz$/.test(p.resolved)),
    )
    .map(([path, p]) => `${path} ${p.version ?? ''} ${p.resolved ?? (p.link ? 'link' : '')}`);
  assert.deepEqual(odd, []);
});

test('only the allow-listed packages (package.json allowScripts) run install scripts', () => {
  const allowed = Object.entries(manifest.allowScripts ?? {})
    .filter(([, yes]) => yes)
    .map(([name]) => name);
  assert.ok(allowed.length > 0, 'package.json has an allowScripts list');
  const scripted = installed.filter(([, p]) => p.hasInstallScript).map(([path]) => nameOf(path));
  assert.deepEqual(
    scripted.filter((name) => !allowed.includes(name)),
    [],
    'install scripts not in allowScripts: review them, then add them there',
  );
  assert.deepEqual(
    allowed.filter((name) => !scripted.includes(name)),
    [],
    'allowScripts names a package that no longer runs a script: remove it',
  );
});

test('every installed package supports the Node running this (npm ci shows no EBADENGINE)', () => {
  const node = process.versions.node;
  assert.ok(satisfies(node, manifest.engines.node), `package.json engines ${manifest.engines.node} excludes Node ${node}`);
  const refused = installed
    .map(([path, p]) => [nameOf(path), Array.isArray(p.engines) ? undefined : (p.engines as { node?: string } | undefined)?.node] as const)
    .filter((e): e is readonly [string, string] => e[1] !== undefined && !satisfies(node, e[1]))
    .map(([name, range]) => `${name} wants node ${range}`);
  assert.deepEqual(refused, [], `packages whose engines exclude Node ${node}`);
});

test('the engine range reader understands the forms found in lockfiles', () => {
  assert.ok(satisfies('20.20.2', '>=20') && satisfies('20.20.2', '^20.19.0 || ^22.12.0 || >=23') && satisfies('20.20.2', '20 || >=22'));
  assert.ok(satisfies('20.20.2', '10.* || >= 12.*') && satisfies('20.20.2', '>=16 || 14 >=14.17') && satisfies('20.20.2', '*') && satisfies('20.20.2', '20.x'));
  assert.ok(
    !satisfies('20.18.0', '>=20.19.0') &&
      !satisfies('20.20.2', '^16 || ^18 || >=22') &&
      !satisfies('20.20.2', '18 || >=22') &&
      !satisfies('21.0.0', '20.x || 22.x'),
  );
  assert.ok(!satisfies('20.20.2', '~20.19.0') && satisfies('20.19.5', '~20.19.0') && !satisfies('20.20.2', '<20'));
  assert.throws(() => satisfies('20.0.0', '>=20 <=> 21'), /cannot read/);
});

/** node-semver's `satisfies` for release versions and the range forms engines use (throws on others). */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alternative) => {
    const parts = alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    return parts.length === 0 || parts.every((part) => comparator(v, part, range));
  });
}

type Triple = [number, number, number];
function parse(version: string): Triple {
  const [a = 0, b = 0, c = 0] = version.split('.').map(Number);
  return [a, b, c];
}
function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}
function comparator(v: Triple, part: string, range: string): boolean {
  const m = /^(>=|<=|>|<|=|\^|~)?v?(\d+|\*|x)(?:\.(\d+|\*|x))?(?:\.(\d+|\*|x))?$/.exec(part);
  if (!m) throw new Error(`cannot read the engines range "${range}"`);
  const op = m[1] ?? '';
  if (m[2] === '*' || m[2] === 'x') return true;
  const nums = [m[2], m[3], m[4]].map((n) => (n === undefined || n === '*' || n === 'x' ? undefined : Number(n)));
  const given = nums.filter((n) => n !== undefined).length;
  const low: Triple = [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0];
  const c = compare(v, low);
  const below = (limit: Triple) => compare(v, limit) < 0;
  if (op === '>=') return c >= 0;
  if (op === '>') return given === 3 ? c > 0 : !below(given === 1 ? [low[0] + 1, 0, 0] : [low[0], low[1] + 1, 0]);
  if (op === '<') return c < 0;
  if (op === '<=') return given === 3 ? c <= 0 : below(given === 1 ? [low[0] + 1, 0, 0] : [low[0], low[1] + 1, 0]);
  if (op === '^') return c >= 0 && below(low[0] > 0 ? [low[0] + 1, 0, 0] : low[1] > 0 ? [0, low[1] + 1, 0] : [0, 0, low[2] + 1]);
  if (op === '~') return c >= 0 && below(given === 1 ? [low[0] + 1, 0, 0] : [low[0], low[1] + 1, 0]);
  // A bare or `=` version: a partial one is a range (20 = 20.x, 20.19 = 20.19.x).
  return c >= 0 && (given === 3 ? c === 0 : below(given === 1 ? [low[0] + 1, 0, 0] : [low[0], low[1] + 1, 0]));
}

test('the online audit (scripts/audit.mjs) fails on a high advisory, not on an unreachable service', async () => {
  const audit: { readAuditReport: (out: string, exceptions?: object[], today?: string) => { state: string; findings: { package: string }[] } } = await import(
    '../../scripts/audit.mjs' as string
  );
  const advisory = { source: 1, name: 'fastify', title: 'Bad thing', url: 'https://github.com/advisories/GHSA-xxxx', severity: 'high', range: '<5.9' };
  const report = (severity: string) =>
    JSON.stringify({
      auditReportVersion: 2,
      vulnerabilities: { fastify: { name: 'fastify', severity, via: [{ ...advisory, severity }], fixAvailable: true } },
      metadata: {},
    });
  assert.equal(audit.readAuditReport(JSON.stringify({ auditReportVersion: 2, vulnerabilities: {}, metadata: {} })).state, 'clean');
  assert.deepEqual(
    audit.readAuditReport(report('high')).findings.map((f) => f.package),
    ['fastify'],
  );
  assert.equal(audit.readAuditReport(report('moderate')).state, 'clean', 'moderate advisories are reported by npm, not failed on');
  const exception = { advisory: advisory.url, reason: 'not reachable from our code', reviewBy: '2027-01-31' };
  assert.equal(audit.readAuditReport(report('critical'), [exception], '2027-01-30').state, 'clean', 'an accepted advisory passes until its review date');
  assert.equal(audit.readAuditReport(report('critical'), [exception], '2027-02-01').state, 'findings', 'and fails again after it');
  const refused = { message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk', statusCode: 405 };
  assert.equal(audit.readAuditReport(JSON.stringify(refused)).state, 'unreachable');
  assert.equal(audit.readAuditReport('').state, 'unreachable');
});
