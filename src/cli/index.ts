import { parseArgs } from 'node:util';
import { readFile, writeFile } from 'node:fs/promises';
import { loadConfig, ConfigError, type Config } from '../config.js';
import { createDb, type Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { DomainError } from '../lib/domain-error.js';
import { loadDemo, isEmpty, type DemoSize } from '../modules/demo/demo.actions.js';
import { loadDemoCall } from '../modules/demo/cfp-demo.actions.js';
import { loadDemoInterest } from '../modules/demo/interest-demo.actions.js';
import { importEventDocument, type ImportSummary } from '../modules/schedule/import.actions.js';
import { ScheduleErrors } from '../modules/schedule/schedule.errors.js';
import { findEventHead, loadProgramSnapshot } from '../modules/schedule/snapshot.queries.js';
import { toEventDocument } from '../modules/schedule/event-document.js';
import { createAdmin } from '../modules/accounts/admin.actions.js';
import { setCommunityCreator } from '../modules/accounts/community-creators.actions.js';
import { progressReporter } from './progress.js';
import { importSchedule } from '../modules/schedule/schedule-import.actions.js';
import { readScheduleSource } from '../modules/schedule/schedule-source.js';
import { systemClock } from '../lib/clock.js';
import { operator } from '../modules/events/event-write.js';
import { releaseSchedule } from '../modules/schedule/release.actions.js';
import { describeChange } from '../modules/schedule/release-mail.js';
import { changeWording } from '../modules/schedule/release.queries.js';
import { backupDatabase, restoreDatabase } from '../modules/backup/backup.actions.js';

/** Who the audit log names for the demo data (the command line acts with the operator's authority). */
const DEMO_OPERATOR = operator('hallway demo (command line)');

const USAGE = `Usage: hallway <command> [options]

Commands:
  serve [--demo-if-empty]        Start the web server (PORT, DATABASE_URL, ... from the environment)
  migrate                        Bring the database schema up to date
  demo [--size small|large]      Load the demo community; "large" adds a FOSDEM-scale generated event
  event export <slug> [-o FILE]  Write an event as one JSON document (stdout by default)
  event import <FILE|->          Create or update an event from a JSON document
  import <FILE|URL|-> [--event SLUG] [--time-zone ZONE]
                                 Create or update an event from a frab schedule (XML or
                                 C3VOC JSON; at most MAX_IMPORT_BYTES); prints what changed
  schedule release <slug> [--name NAME] [--comment TEXT] [--hold-mails]
                                 Release the event's draft programme as its next public version
                                 (the first release publishes the event); lists the changes and
                                 mails the speakers concerned unless --hold-mails
  admin create <email>           Make <email> a site administrator (creating the account) and
                                 print a one-time sign-in link (valid 24 hours)
  admin allow-communities <email>
                                 Let the account <email> start communities (COMMUNITY_CREATORS=allowed)
  admin disallow-communities <email>
                                 Stop letting it start new ones (those it runs stay its own)
  backup <FILE>                  Write a consistent backup of the database to FILE while the
                                 server runs (SQLite: online backup; PostgreSQL: pg_dump archive)
  restore <FILE> [--force]       Restore a backup into an empty database (stop the servers
                                 first); --force replaces a database that holds data
  help                           Show this help

Exit codes: 0 success, 1 failure, 2 bad usage or invalid input.`;

/** Exit code for invalid input (a document with problems, a bad option). */
const EXIT_INVALID = 2;

/** Opens the database (migrated to latest unless `migrate` is false), runs fn, closes it. */
async function withDb<T>(config: Config, fn: (db: Db) => Promise<T>, migrate = true): Promise<T> {
  const db = createDb(config.database);
  try {
    if (migrate) await migrateToLatest(db);
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

function printSummary(s: ImportSummary): void {
  const c = (x: { added: number; changed: number; removed: number }) => `+${x.added} ~${x.changed} -${x.removed}`;
  const what = s.created ? 'created' : s.changed ? 'updated' : 'unchanged';
  process.stdout.write(
    `${s.eventSlug}: ${what} (version ${s.version}); sessions ${c(s.sessions)}, speakers ${c(s.speakers)}, rooms ${c(s.rooms)}, tracks ${c(s.tracks)}, sponsors ${c(s.sponsors)}\n`,
  );
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : EXIT_INVALID;
  }
  const config = loadConfig();

  switch (command) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { 'demo-if-empty': { type: 'boolean', default: false } } });
      const { startServer } = await import('../server.js');
      await startServer(config, async ({ ctx, app }) => {
        if (values['demo-if-empty'] && (await isEmpty(ctx.db))) {
          app.log.info('empty database: loading the demo community');
          await loadDemo(ctx, DEMO_OPERATOR, 'small');
          await loadDemoCall(ctx, DEMO_OPERATOR);
          await loadDemoInterest(ctx, DEMO_OPERATOR);
        }
        app.log.info({ url: config.baseUrl }, 'Hallway is listening');
      });
      return -1; // keep running
    }
    case 'migrate': {
      const results = await withDb(config, (db) => migrateToLatest(db), false);
      process.stdout.write(results.length ? results.map((r) => `${r.status}: ${r.migrationName}\n`).join('') : 'Schema is up to date.\n');
      return 0;
    }
    case 'demo': {
      const { values } = parseArgs({ args: rest, options: { size: { type: 'string', default: 'small' } } });
      if (values.size !== 'small' && values.size !== 'large') throw new UsageError(`--size must be small or large, not "${values.size}"`);
      const summaries = await withDb(config, async (db) => {
        const loaded = await loadDemo({ db, clock: systemClock }, DEMO_OPERATOR, values.size as DemoSize, progressReporter());
        // The demo conference's call for proposals opens with it (not when it was there already).
        await loadDemoCall({ db, clock: systemClock }, DEMO_OPERATOR);
        // And its interest poll, with seeded picks for the organizer's view and the optimizer.
        await loadDemoInterest({ db, clock: systemClock }, DEMO_OPERATOR);
        return loaded;
      });
      summaries.forEach(printSummary);
      return 0;
    }
    case 'event': {
      const [sub, ...args] = rest;
      if (sub === 'export') {
        const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { output: { type: 'string', short: 'o' } } });
        const slug = positionals[0];
        if (!slug) throw new UsageError('event export needs an event slug');
        const doc = await withDb(config, async (db) => {
          const head = await findEventHead(db, slug);
          const snap = head && (await loadProgramSnapshot(db, head.id));
          if (!snap) throw ScheduleErrors.eventNotFound(slug);
          return toEventDocument(snap);
        });
        const json = `${JSON.stringify(doc, null, 2)}\n`;
        if (values.output) {
          await writeFile(values.output, json);
          process.stderr.write(`Wrote ${slug} (${doc.sessions.length} sessions) to ${values.output}\n`);
        } else process.stdout.write(json);
        return 0;
      }
      if (sub === 'import') {
        const file = args[0];
        if (!file) throw new UsageError('event import needs a file (or - for standard input)');
        const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (err) {
          throw ScheduleErrors.documentNotJson(err instanceof Error ? err.message : String(err));
        }
        const summary = await withDb(config, (db) =>
          importEventDocument({ db, clock: systemClock }, operator('hallway import (command line)'), parsed, progressReporter()),
        );
        printSummary(summary);
        return 0;
      }
      throw new UsageError(`unknown event command "${sub ?? ''}" (export or import)`);
    }
    case 'schedule': {
      const [sub, ...args] = rest;
      if (sub !== 'release') throw new UsageError(`unknown schedule command "${sub ?? ''}" (release)`);
      const { values, positionals } = parseOrUsage(() =>
        parseArgs({
          args,
          allowPositionals: true,
          options: { name: { type: 'string' }, comment: { type: 'string' }, 'hold-mails': { type: 'boolean', default: false } },
        }),
      );
      const slug = positionals[0];
      if (!slug || positionals.length > 1) throw new UsageError('schedule release needs exactly one event slug');
      const { release, lines, notices, mailsQueued } = await withDb(config, async (db) => {
        const head = await findEventHead(db, slug);
        if (!head) throw new DomainError('NOT_FOUND', `No event "${slug}" (drafts included).`, 404);
        const r = await releaseSchedule({ db, clock: systemClock, config }, operator('hallway schedule release (command line)'), head.id, {
          name: values.name,
          comment: values.comment,
          holdSpeakerMails: values['hold-mails'],
        });
        const wording = await changeWording(db, head.id);
        return { ...r, lines: r.changes.map((c) => (wording ? describeChange(c, wording.timeZone, wording.speakerName) : c.title)) };
      });
      const n = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;
      const byHand = notices.filter((x) => !x.to).map((x) => x.name);
      const mails = {
        sent: `${n(mailsQueued, 'speaker mail')} queued`,
        held: 'speaker mails held (send them from the Releases page of the back office, or the API)',
        none: byHand.length ? 'no speaker mail (no speaker concerned has an address)' : 'no speaker mail needed',
      }[release.notifications];
      process.stdout.write(
        `${slug}: released version "${release.name}" (number ${release.number}): ${n(lines.length, 'change')}; ${mails}\n` +
          lines.map((l) => `  ${l}\n`).join('') +
          (byHand.length ? `Speakers without an e-mail address (tell them yourself): ${byHand.join(', ')}\n` : ''),
      );
      return 0;
    }
    case 'admin': {
      const [sub, email, ...extra] = rest;
      if (sub !== 'create' && sub !== 'allow-communities' && sub !== 'disallow-communities') {
        throw new UsageError(`unknown admin command "${sub ?? ''}" (create, allow-communities or disallow-communities)`);
      }
      if (!email || extra.length > 0) throw new UsageError(`admin ${sub} needs exactly one e-mail address`);
      if (sub !== 'create') {
        const allow = sub === 'allow-communities';
        const who = await withDb(config, (db) => setCommunityCreator(db, null, email, allow));
        const now = allow ? 'may start communities' : 'may no longer start communities';
        process.stdout.write(who.changed ? `${who.email} now ${now}.\n` : `${who.email}: no change, it ${now}.\n`);
        return 0;
      }
      const admin = await withDb(config, (db) => createAdmin(db, config, email));
      process.stdout.write(
        `${admin.created ? 'Created administrator' : 'Administrator'} ${admin.email}. Sign in once with this link (valid 24 hours):\n${admin.link}\n`,
      );
      return 0;
    }
    case 'import': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { event: { type: 'string' }, 'time-zone': { type: 'string' } },
      });
      const source = positionals[0];
      if (!source || positionals.length > 1) throw new UsageError('import needs exactly one file, http(s) URL or - (standard input)');
      const progress = progressReporter();
      progress('reading', 0, 1);
      const input = await readScheduleSource(source, { maxBytes: config.maxImportBytes });
      const summary = await withDb(config, (db) =>
        importSchedule(db, input.bytes, {
          writer: operator('hallway import (command line)'),
          limits: config.importLimits,
          eventSlug: values.event,
          timeZone: values['time-zone'],
          sourceUrl: input.url,
          onProgress: progress,
        }),
      );
      printSummary(summary);
      if (summary.warnings.length) {
        process.stdout.write(
          `${summary.warnings.length} warning${summary.warnings.length === 1 ? '' : 's'}:\n${summary.warnings.map((w) => `  ${w.path}: ${w.message}\n`).join('')}`,
        );
      }
      return 0;
    }
    case 'backup': {
      const { positionals } = parseOrUsage(() => parseArgs({ args: rest, allowPositionals: true, options: {} }));
      if (positionals.length !== 1) throw new UsageError('backup needs exactly one file to write');
      const b = await backupDatabase(config.database, positionals[0]!);
      process.stdout.write(
        `Backup written to ${b.file} (${b.kind === 'sqlite' ? 'SQLite database' : 'pg_dump archive'}, ${formatBytes(b.bytes)}, ${b.seconds.toFixed(2)} s).\n`,
      );
      return 0;
    }
    case 'restore': {
      const { values, positionals } = parseOrUsage(() =>
        parseArgs({ args: rest, allowPositionals: true, options: { force: { type: 'boolean', default: false } } }),
      );
      if (positionals.length !== 1) throw new UsageError('restore needs exactly one backup file');
      const r = await restoreDatabase(config.database, positionals[0]!, { force: values.force });
      const total = Object.values(r.rows).reduce((a, n) => a + n, 0);
      const n = (table: string) => r.rows[table] ?? 0;
      process.stdout.write(
        `Restored ${positionals[0]} (${total} rows: ${n('events')} events, ${n('users')} accounts, ${n('sessions')} sessions, ${n('rsvps')} RSVPs)` +
          `${r.replaced ? ', replacing what the database held' : ''}${r.migrated.length ? `; then applied ${r.migrated.length} newer migration(s)` : ''}.\n`,
      );
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

function formatBytes(n: number): string {
  return n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MiB` : `${Math.max(1, Math.round(n / 1024))} KiB`;
}

/** node:util parseArgs, its refusals (unknown option, missing value) as usage errors. */
function parseOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof TypeError && String((err as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS')) throw new UsageError(err.message);
    throw err;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = EXIT_INVALID;
  } else if (err instanceof UsageError) {
    process.stderr.write(`hallway: ${err.message}\n\n${USAGE}\n`);
    process.exitCode = EXIT_INVALID;
  } else if (err instanceof DomainError) {
    process.stderr.write(`hallway: ${err.message}\n${err.problems.map((p) => `  ${p.path}: ${p.message}\n`).join('')}`);
    process.exitCode = err.status < 500 ? EXIT_INVALID : 1;
  } else {
    process.stderr.write(`hallway: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
