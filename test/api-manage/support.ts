import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Db } from '../../src/db/database.js';
import type { RoleGrant } from '../../src/modules/accounts/actor.js';
import { createApiToken } from '../../src/modules/accounts/api-token.actions.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { createTestUser } from '../factories/users.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import type { TestDatabase } from '../support/databases.js';
import { addFormats, strictSchema, type OpenApiDocument } from '../api/support/api-client.js';

/** A running app for the enclosing describe(); `env.app` and `env.api` are set in before(). */
export function useManageApp(
  database: TestDatabase,
  env: Record<string, string> = {},
  options: Pick<Parameters<typeof startTestApp>[0] & object, 'webhookDispatcher' | 'clock' | 'optimizer'> = {},
): { app: RunningApp; api: ManageClient; db: Db } {
  const ctx = {} as { app: RunningApp; api: ManageClient; db: Db };
  before(async () => {
    ctx.app = await startTestApp({ database, env, ...options });
    ctx.api = new ManageClient(ctx.app);
    ctx.db = ctx.app.db;
  });
  after(async () => {
    await ctx.app.close();
  });
  return ctx;
}

let seq = 0;

export interface TokenHolder {
  readonly userId: number;
  readonly email: string;
  readonly token: string;
  readonly sessionCookie: string;
}

/** A verified user with these grants and a personal access token. */
export async function tokenFor(
  db: Db,
  name: string,
  options: { grants?: RoleGrant[]; isAdmin?: boolean; mayCreateCommunities?: boolean } = {},
): Promise<TokenHolder> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${++seq}@example.org`;
  const user = await createTestUser(db, {
    email,
    displayName: name,
    grants: options.grants ?? [],
    isAdmin: options.isAdmin ?? false,
    mayCreateCommunities: options.mayCreateCommunities ?? false,
  });
  const row = await db.selectFrom('users').select(['id', 'display_name', 'is_admin', 'email_verified_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
  const { token } = await createApiToken(db, await actorFor(db, row), `${name} token`);
  return { userId: user.id, email, token, sessionCookie: user.sessionCookie };
}

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

export interface CallOptions {
  readonly token?: string | undefined;
  /** A JSON body (serialized), or raw text/bytes with `type`. */
  readonly json?: unknown;
  readonly raw?: string | Uint8Array;
  readonly type?: string;
  readonly headers?: Record<string, string>;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
/** Compiled response schemas by their JSON, shared by every client of the process (compiling is the costly part). */
const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = ajv.compile(strictSchema(schema) as object)));
  return validate;
}

/**
 * Calls the organizer API and checks every answer against the OpenAPI document the server
 * publishes: the status must be declared for the route and method, and a JSON body must match
 * its schema with undeclared keys refused.
 */
export class ManageClient {
  private doc: OpenApiDocument | undefined;
  /** Each path template of the document with the pattern of the paths it matches. */
  private templates: (readonly [template: string, pattern: RegExp])[] | undefined;
  checked = 0;

  constructor(private readonly app: RunningApp) {}

  async openApi(): Promise<OpenApiDocument> {
    this.doc ??= (await (await this.app.get('/api/openapi.json')).json()) as OpenApiDocument;
    return this.doc;
  }

  async call(method: string, path: string, o: CallOptions = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
    let body: string | Uint8Array | undefined;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['content-type'] ??= 'application/json';
    } else if (o.raw !== undefined) {
      body = o.raw;
      if (o.type) headers['content-type'] = o.type;
    }
    const r = await this.app.get(path, { method, headers, ...(body === undefined ? {} : { body: body as BodyInit }) });
    const text = await r.text();
    const json = (r.headers.get('content-type') ?? '').startsWith('application/json') && text !== '' ? JSON.parse(text) : undefined;
    const res = { status: r.status, headers: r.headers, text, body: json };
    await this.check(method, path.split('?')[0]!, res);
    return res;
  }

  get = (path: string, o?: CallOptions) => this.call('GET', path, o);
  post = (path: string, o?: CallOptions) => this.call('POST', path, o);
  patch = (path: string, o?: CallOptions) => this.call('PATCH', path, o);
  put = (path: string, o?: CallOptions) => this.call('PUT', path, o);
  delete = (path: string, o?: CallOptions) => this.call('DELETE', path, o);

  private async check(method: string, pathname: string, res: ApiAnswer): Promise<void> {
    const doc = await this.openApi();
    const m = method.toLowerCase();
    this.templates ??= Object.keys(doc.paths).map((t) => [t, new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`)] as const);
    const template = this.templates
      .filter(([t, pattern]) => pattern.test(pathname) && doc.paths[t]![m])
      .map(([t]) => t)
      .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0];
    if (!template) {
      assert.ok([404, 405].includes(res.status), `${method} ${pathname} is not documented but answered ${res.status}`);
      return;
    }
    const declared = doc.paths[template]![m]!.responses[String(res.status)];
    assert.ok(declared, `${method} ${template} answered ${res.status} (${res.text.slice(0, 300)}), which its OpenAPI entry does not declare`);
    const media = declared.content?.['application/json'];
    if (!media) assert.equal(res.text, '', `${method} ${template} ${res.status} declares no body but sent one`);
    else {
      const validate = validatorFor(media.schema);
      assert.ok(
        validate(res.body),
        `${method} ${pathname} ${res.status} does not match its schema: ${ajv.errorsText(validate.errors)}\n${res.text.slice(0, 500)}`,
      );
    }
    this.checked++;
  }
}

/** Row counts of everything a write could touch, plus event versions: equal before/after = nothing written. */
export async function writeFingerprint(db: Db): Promise<string> {
  const tables = [
    'communities',
    'events',
    'event_hosts',
    'rooms',
    'tracks',
    'sponsors',
    'speakers',
    'sessions',
    'session_speakers',
    'session_links',
    'audit_log',
  ] as const;
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const r = await db
      .selectFrom(t as 'events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts[t] = Number(r.n);
  }
  const versions = await db.selectFrom('events').select(['id', 'version']).orderBy('id').execute();
  return JSON.stringify({ counts, versions });
}

/** Asserts an error answer: status, code, and the one JSON error shape. */
export function assertError(res: ApiAnswer, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body?.error?.code, code, res.text);
  assert.equal(res.body.error.status, status);
  assert.ok(Array.isArray(res.body.error.problems));
}

/** A frab schedule without GUIDs (derived per event), so it can be imported into several events. */
export function miniSchedule(title = 'Mini Conf'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<schedule><version>1</version>
  <conference><title>${title}</title><acronym>mini</acronym><time_zone_name>Europe/Amsterdam</time_zone_name></conference>
  <day index="1" date="2027-05-01"><room name="Hall"><event id="1"><date>2027-05-01T10:00:00+02:00</date><start>10:00</start><duration>00:30</duration><room>Hall</room><slug>intro</slug>
    <title>Intro</title><type>lecture</type><persons><person id="1">Zoë Example</person></persons></event></room></day>
</schedule>`;
}
