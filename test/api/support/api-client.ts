import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import type { RunningApp } from '../../support/app.js';

/** ajv-formats' plugin: CommonJS, so under `module: nodenext` the function is the default's `.default`. */
export const addFormats = ajvFormats.default;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: unknown };

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<
    string,
    Record<
      string,
      {
        operationId?: string;
        tags?: string[];
        parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
        responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body (undefined when there is none, as for 304). */
  readonly body: any;
}

/**
 * Copies a JSON Schema with `additionalProperties: false` on every object that lists properties,
 * so a response key the OpenAPI document does not declare fails validation even where a schema
 * forgot to say so.
 */
export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' && v && typeof v === 'object') out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strictSchema(s)]));
    else if (k === 'enum' || k === 'const' || k === 'default' || k === 'required' || k === 'examples') out[k] = v;
    else out[k] = strictSchema(v);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** The path template of the OpenAPI document that a concrete path (no query) matches. */
export function templateFor(doc: OpenApiDocument, path: string): string | undefined {
  return Object.keys(doc.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
}

/**
 * A client for the API of a running test server that checks every answer against the OpenAPI
 * document the server publishes: the status must be declared for the route, and a JSON body must
 * validate against its declared schema with undeclared keys refused (see strictSchema).
 */
export class ApiClient {
  private docPromise: Promise<OpenApiDocument> | undefined;
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  /** How many responses were checked against the document. */
  checked = 0;

  constructor(private readonly app: RunningApp) {
    addFormats(this.ajv);
  }

  openApi(): Promise<OpenApiDocument> {
    this.docPromise ??= this.app.get('/api/openapi.json').then(async (r) => {
      assert.equal(r.status, 200);
      return (await r.json()) as OpenApiDocument;
    });
    return this.docPromise;
  }

  /** GETs `path` and checks the answer against the document (only /api/v1 paths are documented). */
  async get(path: string, init?: RequestInit): Promise<ApiResponse> {
    const r = await this.app.get(path, init);
    const text = await r.text();
    const isJson = (r.headers.get('content-type') ?? '').startsWith('application/json');
    const body = text !== '' && isJson ? (JSON.parse(text) as Json) : undefined;
    const res: ApiResponse = { status: r.status, headers: r.headers, text, body };
    const pathname = path.split('?')[0]!;
    if (pathname.startsWith('/api/v1/')) await this.check(pathname, res);
    return res;
  }

  private async check(pathname: string, res: ApiResponse): Promise<void> {
    const doc = await this.openApi();
    let template = templateFor(doc, pathname);
    const status = String(res.status);
    if (!template) {
      // Not a documented route: the only permitted answer is the catch-all 404, in the error
      // shape every route declares for its own 404s.
      assert.equal(res.status, 404, `${pathname} is not in the OpenAPI document but answered ${res.status}`);
      assert.equal(res.body?.error?.code, 'NOT_FOUND');
      template = '/api/v1/events/{slug}';
    }
    const declared = doc.paths[template]!.get!.responses[status];
    assert.ok(declared, `GET ${template} answered ${status}, which its OpenAPI entry does not declare`);
    const media = declared.content?.['application/json'];
    if (!media) {
      assert.equal(res.text, '', `GET ${template} ${res.status} declares no body but sent one`);
    } else {
      const key = `${template} ${status}`;
      let validate = this.validators.get(key);
      if (!validate) {
        validate = this.ajv.compile(strictSchema(media.schema) as Schema);
        this.validators.set(key, validate);
      }
      const ok = validate(res.body);
      assert.ok(ok, `GET ${pathname} ${status} does not match its schema: ${this.ajv.errorsText(validate.errors, { separator: '\n' })}`);
    }
    this.checked++;
  }
}
