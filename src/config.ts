import { z } from 'zod';
import { resolve } from 'node:path';

/**
 * Every setting Hallway reads, parsed once from the environment, validated and frozen.
 * Nothing else in the code base reads process.env: tests and the CLI build a Config explicitly.
 * Keep this list and the README's configuration table the same.
 */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/hallway.sqlite')
    .refine((v) => /^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(v), {
      message: 'must start with sqlite: (a file path, or sqlite::memory:) or postgres://',
    }),
  BASE_URL: z.string().url({ message: 'must be an absolute URL such as https://hallway.example.org' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  RENDER_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(500),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  SECRET_KEY: z.string().min(32, { message: 'must be at least 32 characters (e.g. openssl rand -hex 32)' }).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { message: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587' })
    .optional(),
  MAIL_FROM: z.string().min(3).default('Hallway <hallway@localhost>'),
  MAX_IMPORT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  IMPORT_TIME_LIMIT_SECONDS: z.coerce.number().min(0.001).max(3600).default(120),
  IMPORT_MEMORY_LIMIT_MB: z.coerce.number().int().min(64).max(16_384).default(1024),
  IMPORT_ALLOW_PRIVATE_URLS: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  COMMUNITY_CREATORS: z.enum(['allowed', 'confirmed'], { message: 'must be allowed or confirmed' }).default('allowed'),
  WEBHOOK_ALLOW_PRIVATE_URLS: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  MARKDOWN_IMAGE_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((hosts) => hosts.every((h) => /^[a-z0-9.-]+(:\d{1,5})?$/.test(h)), {
      message: 'must be host names separated by commas, e.g. images.example.org,cdn.example.org',
    }),
  METRICS_TOKEN: z
    .string()
    .regex(/^[\x21-\x7e]{16,200}$/, { message: 'must be 16 to 200 printable characters without spaces (e.g. openssl rand -hex 32)' })
    .optional(),
  METRICS_ADDRESS: z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { message: 'must be host:port, e.g. 127.0.0.1:9464 or [::1]:9464' })
    .refine((v) => Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, { message: 'port must be at most 65535' })
    .optional(),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_INTERVAL_HOURS: z.coerce
    .number({ message: 'must be a number of hours, e.g. 24' })
    .min(0.25, { message: 'must be at least 0.25 (15 minutes)' })
    .max(24 * 366)
    .default(24),
  BACKUP_KEEP: z.coerce.number({ message: 'must be a whole number' }).int({ message: 'must be a whole number' }).min(1).max(10_000).default(7),
});

export type DatabaseConfig = { readonly kind: 'sqlite'; readonly filename: string } | { readonly kind: 'postgres'; readonly url: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  /** Public origin used in links that leave the page (feeds, exports, calendar files). */
  readonly baseUrl: string;
  readonly logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  readonly trustProxy: boolean;
  /** How many rendered responses the in-process cache keeps; 0 turns the cache off. */
  readonly renderCacheEntries: number;
  readonly shutdownTimeoutMs: number;
  /** Signs cookies; when unset a random one is generated once and kept in the database. */
  readonly secretKey: string | undefined;
  /** Outgoing mail server; when unset mail is kept in the outbox for administrators to read. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Largest schedule file or download `hallway import` reads; bigger input is refused unread. */
  readonly maxImportBytes: number;
  /** Budget of the worker thread that parses and converts an import: wall-clock time and heap. */
  readonly importLimits: { readonly timeMs: number; readonly memoryMb: number };
  /**
   * Let the import API (`{"url": …}`) download from loopback, private, link-local and other
   * non-public addresses. Off by default (SSRF); the CLI, run by the operator, always may.
   */
  readonly importAllowPrivateUrls: boolean;
  /**
   * Let organizers register webhooks to loopback, private, link-local and other non-public
   * addresses (checked when registered and again at every delivery). Off by default (SSRF).
   */
  readonly webhookAllowPrivateUrls: boolean;
  /** Hosts (besides BASE_URL's) that Markdown images may load from over https; others become links. */
  readonly markdownImageHosts: readonly string[];
  /**
   * Who may start a community: `allowed` (default) site administrators and the people they allow
   * (on /admin or with `hallway admin allow-communities`); `confirmed` anyone with a confirmed
   * e-mail address.
   */
  readonly communityCreators: CommunityCreators;
  /**
   * GET /metrics (Prometheus): off unless METRICS_TOKEN or METRICS_ADDRESS is set. `token`: the
   * bearer token a scrape must send; `address`: served only there (its own listener, not PORT).
   */
  readonly metrics: { readonly token: string | undefined; readonly address: { readonly host: string; readonly port: number } | undefined };
  /** Scheduled backups (BACKUP_DIR set): every `intervalHours`, the newest `keep` kept. */
  readonly backups: { readonly dir: string; readonly intervalHours: number; readonly keep: number } | undefined;
}

/** The COMMUNITY_CREATORS setting (see Config.communityCreators). */
export type CommunityCreators = 'allowed' | 'confirmed';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseDatabaseUrl(url: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new ConfigError(['DATABASE_URL: sqlite: needs a file path, e.g. sqlite:./data/hallway.sqlite']);
    return Object.freeze({ kind: 'sqlite', filename: path === ':memory:' ? ':memory:' : resolve(path) });
  }
  return Object.freeze({ kind: 'postgres', url });
}

/** `host:port` or `[v6]:port` → its parts (the host without brackets). */
function parseAddress(value: string): { host: string; port: number } {
  const i = value.lastIndexOf(':');
  return Object.freeze({ host: value.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(i + 1)) });
}

/** Reads the configuration from an environment object; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const port = overrides.port ?? e.PORT;
  const config: Config = {
    port,
    host: e.HOST,
    database: parseDatabaseUrl(e.DATABASE_URL),
    baseUrl: (e.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    renderCacheEntries: e.RENDER_CACHE_ENTRIES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    secretKey: e.SECRET_KEY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    maxImportBytes: e.MAX_IMPORT_BYTES,
    importLimits: { timeMs: Math.round(e.IMPORT_TIME_LIMIT_SECONDS * 1000), memoryMb: e.IMPORT_MEMORY_LIMIT_MB },
    importAllowPrivateUrls: e.IMPORT_ALLOW_PRIVATE_URLS,
    webhookAllowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS,
    markdownImageHosts: e.MARKDOWN_IMAGE_HOSTS,
    communityCreators: e.COMMUNITY_CREATORS,
    metrics: Object.freeze({ token: e.METRICS_TOKEN, address: e.METRICS_ADDRESS ? parseAddress(e.METRICS_ADDRESS) : undefined }),
    backups: e.BACKUP_DIR ? Object.freeze({ dir: resolve(e.BACKUP_DIR), intervalHours: e.BACKUP_INTERVAL_HOURS, keep: e.BACKUP_KEEP }) : undefined,
    ...overrides,
  };
  return Object.freeze(config);
}
