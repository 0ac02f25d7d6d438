import { after, before } from 'node:test';
import { createTransport, type Transporter } from 'nodemailer';
import { loadConfig, type Config } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/database.js';
import { listOutbox } from '../../src/modules/mail/outbox.queries.js';
import type { TestDatabase } from '../support/databases.js';

export const BASE_URL = 'https://hallway.test';

export interface TestEnv {
  readonly db: Db;
  /** SMTP unset: mail is kept in the outbox. */
  readonly config: Config;
  /** The same database with SMTP_URL set to `smtpUrl`. */
  withSmtp(smtpUrl: string): Config;
}

/**
 * Registers before/after hooks that create a fresh, migrated database for the enclosing
 * describe() and drop it afterwards. Read `env.db` / `env.config` inside tests only.
 */
export function useTestDb(database: TestDatabase): TestEnv {
  let db: Db | undefined;
  let config: Config | undefined;
  let drop: () => Promise<void> = async () => {};
  before(async () => {
    const created = await database.create({ migrated: true });
    drop = created.drop;
    db = createDb(created.config);
    config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL }, { database: created.config });
  });
  after(async () => {
    await db?.destroy();
    await drop();
  });
  return {
    get db() {
      return db!;
    },
    get config() {
      return config!;
    },
    withSmtp: (smtpUrl) => Object.freeze({ ...config!, smtpUrl }),
  };
}

/** The token of the newest mail to `to` whose text links to `path` (read from the outbox). */
export async function tokenFromOutbox(db: Db, to: string, path: string): Promise<string> {
  const mail = (await listOutbox(db, { limit: 1000 })).find((m) => m.to === to && m.text.includes(`${BASE_URL}${path}?token=`));
  if (!mail) throw new Error(`no mail to ${to} with a ${path} link`);
  return tokenFromText(mail.text, path);
}

export function tokenFromText(text: string, path: string): string {
  const m = new RegExp(`${BASE_URL.replace(/\./g, '\\.')}${path}\\?token=([A-Za-z0-9_%-]+)`).exec(text);
  if (!m) throw new Error(`no ${path} link in:\n${text}`);
  return decodeURIComponent(m[1]!);
}

/** A nodemailer transport to a test SMTP server. */
export function smtpTransport(url: string): Transporter {
  return createTransport(url);
}

/** Runs fn and returns the DomainError code (and message) it throws; fails when it does not throw. */
export async function errorOf(fn: () => Promise<unknown>): Promise<{ code: string; message: string; problems: readonly { path: string; message: string }[] }> {
  try {
    await fn();
  } catch (err) {
    const e = err as { code?: string; message: string; problems?: { path: string; message: string }[] };
    if (typeof e.code !== 'string') throw err;
    return { code: e.code, message: e.message, problems: e.problems ?? [] };
  }
  throw new Error('expected an error');
}
