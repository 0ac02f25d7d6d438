// A second process on one SQLite file, for tests of what happens between processes. Opens the file
// named in argv[3], prints "ready", waits for a line on standard input, then does argv[2]:
//   migrate        migrates, and prints the names of the migrations it applied as JSON
//   write <key>    prints "writing", inserts the settings row <key>, and prints "written"
import { createInterface } from 'node:readline';
import { createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const [task, file, key] = process.argv.slice(2);
const db = createDb({ kind: 'sqlite', filename: file! });
process.stdout.write('ready\n');
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
try {
  if (task === 'migrate') {
    const results = await migrateToLatest(db);
    process.stdout.write(`${JSON.stringify(results.filter((r) => r.status === 'Success').map((r) => r.migrationName))}\n`);
  } else if (task === 'write') {
    // Printed just before the insert, so the other side knows this process is at (or in) its write.
    process.stdout.write('writing\n');
    await db.insertInto('settings').values({ key: key!, value: 'x' }).execute();
    process.stdout.write('written\n');
  } else throw new Error(`unknown task ${task}`);
} finally {
  await db.destroy();
}
process.exit(0);
