import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeNext } from './private.js';

// Known open-redirect payloads: each is somewhere else (or nowhere) once a browser reads it, so
// each must fall back. Browsers strip tab/newline/CR anywhere in a URL and read `\` as `/`.
const OFFSITE = [
  '//evil.example',
  '//evil.example/x',
  '///evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\t/evil.example/x',
  '/\n/evil.example/x',
  '/\r/evil.example',
  '/\\\t\\evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/.//evil.example',
  '/./\\evil.example',
  'https:evil.example',
  'https://evil.example/',
  'http:/\\evil.example',
  'HTTPS://evil.example',
  'java\tscript:alert(1)',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.example',
  '',
  '\u0000/x',
];

test('safeNext: every known open-redirect payload falls back', () => {
  for (const next of OFFSITE) assert.equal(safeNext(next, '/fallback'), '/fallback', JSON.stringify(next));
  for (const next of [undefined, null, 42, ['/ok'], { toString: () => '/ok' }]) assert.equal(safeNext(next, '/fallback'), '/fallback');
});

test('safeNext: a path on this site is kept, as the browser would read it, never the raw text', () => {
  const table: Array<[string, string]> = [
    ['/events/x/sessions/keynote', '/events/x/sessions/keynote'],
    ['/events/x/schedule?day=2027-04-15&view=list', '/events/x/schedule?day=2027-04-15&view=list'],
    ['/account#tokens', '/account#tokens'],
    ['/%5Cevil.example', '/%5Cevil.example'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/%09/evil.example/x', '/%09/evil.example/x'],
    ['/a/../b', '/b'],
    ['/x\ny', '/xy'],
    ['/x y"<>', '/x%20y%22%3C%3E'],
    ['//evil.example@hallway.invalid/x', '/x'], // names the placeholder origin: still only its path
  ];
  for (const [next, expected] of table) assert.equal(safeNext(next, '/fallback'), expected, JSON.stringify(next));
  // No control character ever reaches a Location header (it would be a 500 there).
  for (let c = 0; c < 0x20; c++)
    assert.doesNotMatch(safeNext(`/x${String.fromCharCode(c)}/y?${String.fromCharCode(c)}#${String.fromCharCode(c)}`, '/f'), /[\u0000-\u001f]/);
});
