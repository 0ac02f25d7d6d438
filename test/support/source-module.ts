import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Imports the module of a source file of the checkout (`src/…/x.ts`, absolute or relative to the
 * checkout) the way a test's own `import … from '../../src/…/x.js'` loads it: the same module,
 * whether the tests run through tsx or compiled by test/run.mjs (which runs src/ as JavaScript
 * from a temp folder, where a .ts file cannot be imported). For tests that find modules by
 * scanning the source tree.
 */
export function importSource(file: string): Promise<Record<string, unknown>> {
  const path = relative(root, isAbsolute(file) ? file : join(root, file));
  // Relative to this module's real location (the compiled copy in a test run), as static imports are.
  return import(
    `../../${path
      .split(sep)
      .join('/')
      .replace(/\.tsx?$/, '.js')}`
  );
}
