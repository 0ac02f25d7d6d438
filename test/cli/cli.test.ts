import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEventDoc } from '../factories/event-doc.js';
import { hallwayCli as hallway } from '../support/processes.js';

describe('hallway CLI on SQLite', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hallway-cli-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'h.sqlite')}` };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('migrate creates the schema, and reports it up to date the second time', async () => {
    const first = await hallway(['migrate'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Success: 2026-11-22T0500-create-program/);
    const second = await hallway(['migrate'], env);
    assert.equal(second.stdout.trim(), 'Schema is up to date.');
  });

  test('event import creates the event; re-importing reports it unchanged', async () => {
    const file = join(dir, 'event.json');
    writeFileSync(file, JSON.stringify(buildEventDoc()));
    const r = await hallway(['event', 'import', file], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^testconf-2027: created \(version 1\); sessions \+5 ~0 -0, speakers \+3 ~0 -0, rooms \+2 ~0 -0/);
    const again = await hallway(['event', 'import', file], env);
    assert.match(again.stdout, /^testconf-2027: unchanged \(version 1\); sessions \+0 ~0 -0/);
  });

  test('event export writes the document that import reads back without change', async () => {
    const out = join(dir, 'export.json');
    const r = await hallway(['event', 'export', 'testconf-2027', '-o', out], env);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(doc.format, 'hallway-event/1');
    assert.deepEqual(
      doc.sessions.map((s: { code: string }) => s.code),
      ['welcome', 'keynote', 'coffee', 'ebpf', 'day2'],
    );
    assert.equal(doc.sessions[1].start, '2027-04-15T09:15:00+02:00');
    const viaStdout = await hallway(['event', 'export', 'testconf-2027'], env);
    assert.deepEqual(JSON.parse(viaStdout.stdout), doc);
    doc.sessions[1].title = 'Keynote (updated)';
    const changed = await hallway(['event', 'import', '-'], env, JSON.stringify(doc));
    assert.match(changed.stdout, /testconf-2027: updated \(version 2\); sessions \+0 ~1 -0/);
  });

  test('a bad document exits 2, lists every problem by path, and changes nothing', async () => {
    const bad = buildEventDoc({
      sessions: [
        { code: 'a', title: 'A', room: 'Hall Z', start: '2027-04-15T10:00' },
        { code: 'b', title: 'B', room: 'Main Hall', start: '2031-01-01T10:00' },
      ],
    }) as Record<string, unknown>;
    (bad.event as Record<string, unknown>).venueName = 'typo';
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = await hallway(['event', 'import', file], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /event: unknown field "venueName"/);
    const fixedField = JSON.parse(readFileSync(file, 'utf8'));
    delete fixedField.event.venueName;
    writeFileSync(file, JSON.stringify(fixedField));
    const r2 = await hallway(['event', 'import', file], env);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /sessions\[0\]\.room: unknown room "Hall Z"/);
    assert.match(r2.stderr, /sessions\[1\]\.start: 2031-01-01 10:00 .* is outside the event's dates 2027-04-15 to 2027-04-16/);
    const exported = await hallway(['event', 'export', 'testconf-2027'], env);
    assert.equal(JSON.parse(exported.stdout).sessions.length, 5, 'the stored event is untouched');
  });

  test('malformed JSON, unknown commands and unknown events are clear errors', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"format": "hallway-event/1", ');
    const r = await hallway(['event', 'import', file], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not valid JSON/);
    const u = await hallway(['frobnicate'], env);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /unknown command "frobnicate"/);
    const missing = await hallway(['event', 'export', 'nope'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No published event "nope"/);
  });

  test('an invalid configuration stops with the variable named', async () => {
    const r = await hallway(['migrate'], { DATABASE_URL: 'mysql://localhost/x' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /DATABASE_URL: must start with sqlite:/);
  });
});
