// Opens the SQLite file named in argv[2], waits for a line on standard input, then migrates it and
// prints the names of the migrations it applied as JSON. Lets a test start several processes and
// release them into the migration at the same instant.
import { createInterface } from 'node:readline';
import { createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const db = createDb({ kind: 'sqlite', filename: process.argv[2]! });
process.stdout.write('ready\n');
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
try {
  const results = await migrateToLatest(db);
  process.stdout.write(`${JSON.stringify(results.filter((r) => r.status === 'Success').map((r) => r.migrationName))}\n`);
} finally {
  await db.destroy();
}
process.exit(0);
