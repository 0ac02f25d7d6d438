// A node:test reporter for test/run.mjs: one line per test file, "<milliseconds> <file>", from the
// moment the runner starts the file's process to the moment it is done (what the scheduler in
// run.mjs needs; the spec reporter prints the tests themselves).
export default async function* fileDurations(source) {
  const started = new Map();
  for await (const event of source) {
    const data = event.data;
    // The file itself is the top-level "test" whose name is its path.
    if (!data?.file || data.name !== data.file || data.nesting !== 0) continue;
    if (event.type === 'test:dequeue') started.set(data.file, performance.now());
    else if (event.type === 'test:complete' && started.has(data.file)) yield `${Math.round(performance.now() - started.get(data.file))} ${data.file}\n`;
  }
}
