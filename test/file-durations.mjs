// A node:test reporter for test/run.mjs: one line per test file, "<milliseconds> <file>", from the
// moment the runner starts the file's process to the moment it is done (what the scheduler in
// run.mjs needs; the spec reporter prints the tests themselves).
// Also one line per skipped test, "SKIP <file> <name>": with CI=true run.mjs fails the run on any,
// since in CI browser and PostgreSQL tests must run (a skip there would hide that they did not).
export default async function* fileDurations(source) {
  const started = new Map();
  for await (const event of source) {
    const data = event.data;
    if (event.type === 'test:pass' && data?.skip !== undefined) yield `SKIP ${data.file ?? '?'} ${String(data.name).replace(/\s+/g, ' ')}\n`;
    // The file itself is the top-level "test" whose name is its path.
    if (!data?.file || data.name !== data.file || data.nesting !== 0) continue;
    if (event.type === 'test:dequeue') started.set(data.file, performance.now());
    else if (event.type === 'test:complete' && started.has(data.file)) yield `${Math.round(performance.now() - started.get(data.file))} ${data.file}\n`;
  }
}
