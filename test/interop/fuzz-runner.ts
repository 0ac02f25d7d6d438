/**
 * The importers' fuzzer (run by import-fuzz.test.ts in a child process with a watchdog, so a hang
 * fails the test instead of stalling it): frab XML, frab JSON and the whole-event JSON document,
 * as arbitrary input and as mutated real documents, each imported into a real SQLite file. Every
 * case must end as a successful import or a DomainError with a documented code, with the database
 * unchanged after a refusal. FUZZ_RUNS cases per property (default 50), FUZZ_SEED (default fixed).
 * Prints `case <property> <n>` before each case (the watchdog's heartbeat) and the seed and
 * counterexample on failure.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { importSchedule } from '../../src/modules/schedule/schedule-import.actions.js';
import { DomainError } from '../../src/lib/domain-error.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { writeFingerprint } from '../api-manage/support.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { sample } from './support.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const CODES = new Set([...readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8').matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!));

const dir = mkdtempSync(join(tmpdir(), 'hallway-fuzz-'));
const db = createDb({ kind: 'sqlite', filename: join(dir, 'fuzz.sqlite') });
await migrateToLatest(db);
// A stored event for updates to land on (the samples' own slugs are imported as they come).
await importSchedule(db, sample('romhack-camp-2026-pretalx.schedule.xml'), { inline: true });

let n = 0;
/** One case: success, or a documented DomainError with nothing written. */
async function outcome(name: string, run: () => Promise<unknown>): Promise<void> {
  process.stdout.write(`case ${name} ${++n}\n`);
  const before = await writeFingerprint(db);
  try {
    await run();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    assert.ok(CODES.has(err.code), `${err.code} is not in docs/errors.md`);
    assert.notEqual(err.code, 'SCHEDULE_TOO_COMPLEX');
    assert.equal(await writeFingerprint(db), before, `${err.code} was refused, but the database changed`);
  }
}

/** Byte-level mutations of a text: cut, repeat or insert a troublesome token at arbitrary places. */
const TOKENS = [
  '<',
  '>',
  '&',
  '&#0;',
  '&#x110000;',
  '&amp',
  ']]>',
  '<![CDATA[',
  '<?',
  '<!--',
  '<!DOCTYPE x>',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\\',
  '\u0000',
  '\uFFFE',
  '\uD800',
  '\u202E',
  '</event>',
  '<event>',
  '</room>',
  '<day>',
  'null',
  '-1',
  '1e999',
  '99:99',
  '00:00',
  '24:00',
  '2027-02-30',
  'T25:00:00+02:00',
  ' ',
];
const mutation = fc.oneof(
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), len: fc.nat({ max: 400 }) }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), len: fc.nat({ max: 400 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: 'binary', maxLength: 8 })) }),
);
function mutate(text: string, ops: readonly { op: string; at: number; len?: number; text?: string }[]): string {
  let s = text;
  for (const m of ops) {
    const at = m.at % (s.length + 1);
    if (m.op === 'cut') s = s.slice(0, at) + s.slice(at + m.len!);
    else if (m.op === 'repeat') s = s.slice(0, at + m.len!) + s.slice(at, at + m.len!) + s.slice(at + m.len!);
    else s = s.slice(0, at) + m.text! + s.slice(at);
  }
  return s;
}

/** Replaces values at random places in a JSON tree with arbitrary JSON (types, sizes, nulls). */
const jsonEdits = fc.array(fc.record({ pick: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), value: fc.jsonValue({ maxDepth: 3 }) }), {
  minLength: 1,
  maxLength: 6,
});
function editJson(tree: unknown, edits: readonly { pick: number[]; value: unknown }[]): unknown {
  const root = structuredClone(tree) as Record<string, unknown>;
  for (const e of edits) {
    let node: unknown = root;
    for (let depth = 0; depth < e.pick.length; depth++) {
      if (typeof node !== 'object' || node === null) break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = keys[e.pick[depth]! % keys.length]!;
      const child = (node as Record<string, unknown>)[key];
      if (depth === e.pick.length - 1 || typeof child !== 'object' || child === null) {
        (node as Record<string, unknown>)[key] = e.value;
        break;
      }
      node = child;
    }
  }
  return root;
}

const xmlSample = sample('romhack-camp-2026-pretalx.schedule.xml').toString('utf8');
const jsonSample = JSON.parse(sample('democon-pretalx.schedule.json').toString('utf8')) as unknown;
const eventDoc = buildEventDoc();
const options = { seed: SEED, numRuns: RUNS, endOnFailure: true };
const zone = fc.constantFrom(undefined, 'Europe/Rome', 'UTC');

const properties: [string, fc.IAsyncProperty<never>][] = [
  [
    'frab XML, mutated',
    fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 5 }), zone, (ops, timeZone) =>
      outcome('xml', () => importSchedule(db, Buffer.from(mutate(xmlSample, ops)), { inline: true, timeZone })),
    ) as never,
  ],
  [
    'frab JSON, edited and mutated',
    fc.asyncProperty(jsonEdits, fc.array(mutation, { maxLength: 2 }), zone, (edits, ops, timeZone) =>
      outcome('json', () => importSchedule(db, Buffer.from(mutate(JSON.stringify(editJson(jsonSample, edits)), ops)), { inline: true, timeZone })),
    ) as never,
  ],
  [
    'arbitrary bytes and JSON',
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }),
        fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify({ schedule: { conference: { days: v } } }))),
      ),
      (bytes) => outcome('bytes', () => importSchedule(db, bytes, { inline: true, timeZone: 'UTC' })),
    ) as never,
  ],
  [
    'event document, edited',
    fc.asyncProperty(jsonEdits, (edits) =>
      outcome('document', () => importEventDocument(moduleContext(db), TEST_OPERATOR, editJson(eventDoc, edits))),
    ) as never,
  ],
];

let failed = false;
for (const [name, property] of properties) {
  const report = await fc.check(property, options);
  if (report.failed) {
    failed = true;
    process.stdout.write(
      `FAILED ${name}: seed ${SEED}, path ${report.counterexamplePath}\ncounterexample: ${fc.stringify(report.counterexample).slice(0, 4000)}\n${report.errorInstance instanceof Error ? report.errorInstance.stack : String(report.errorInstance)}\n`,
    );
  }
}
await db.destroy();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`fuzz: ${n} cases, seed ${SEED}${failed ? ', FAILED' : ', all ended well'}\n`);
process.exit(failed ? 1 : 0);
