import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

/**
 * @kitajs/html writes JSX text as it is, and TypeScript turns entities in JSX text into the
 * characters they name: `Bearer &lt;token&gt;` reached the browser as `Bearer <token>`, an
 * unknown tag, and read "Bearer ." on the tokens page. Text with <, > or & goes through a
 * `safe` expression instead ({'…'} in an element marked safe), which escapes it.
 */
const WEB = join(import.meta.dirname, '..', '..', 'src', 'web');

function tsxFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsxFiles(p, out);
    else if (name.endsWith('.tsx')) out.push(p);
  }
  return out;
}

test('no HTML entity is written in JSX text of the pages (it would reach the browser decoded, as markup)', () => {
  const found: string[] = [];
  for (const file of tsxFiles(WEB)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        // JSX text: after a tag's closing > and before the next <, outside strings and comments.
        if (/^\s*(\/\/|\*)/.test(line)) return;
        for (const m of line.matchAll(/>([^<>{}'"`]*&(?:[a-z]+|#\d+);[^<>{}'"`]*)</g)) found.push(`${relative(WEB, file)}:${i + 1}: ${m[1]!.trim()}`);
      });
  }
  assert.deepEqual(found, []);
});

test('the scan finds an entity in JSX text', () => {
  const line = '<p>Send <code>Bearer &lt;token&gt;</code></p>';
  assert.equal([...line.matchAll(/>([^<>{}'"`]*&(?:[a-z]+|#\d+);[^<>{}'"`]*)</g)].length, 1);
});
