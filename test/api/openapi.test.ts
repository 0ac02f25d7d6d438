import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { checkEventDocument } from '../../src/modules/schedule/event-document.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { addFormats, ApiClient, strictSchema, type OpenApiDocument } from './support/api-client.js';
import { allDocs } from './support/docs.js';

/** The routes of API v1 as the OpenAPI document must list them (GET each). */
const ROUTES = [
  '/api/v1/events',
  '/api/v1/events/{slug}',
  '/api/v1/events/{slug}/days',
  '/api/v1/events/{slug}/rooms',
  '/api/v1/events/{slug}/tracks',
  '/api/v1/events/{slug}/sponsors',
  '/api/v1/events/{slug}/speakers',
  '/api/v1/events/{slug}/speakers/{code}',
  '/api/v1/events/{slug}/sessions',
  '/api/v1/events/{slug}/sessions/{code}',
  '/api/v1/events/{slug}/export',
  '/api/v1/events/{slug}/registration',
  '/api/v1/events/{slug}/cfp',
  '/api/v1/events/{slug}/releases',
];

/**
 * The parts of the OpenAPI 3.1 schema this document uses (openapi, info, servers, paths with
 * operations, parameters and responses, components), closed where the specification is, so a
 * misplaced or misspelt field fails.
 */
const schemaRef = { type: 'object' };
const OPENAPI_31_SUBSET = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  additionalProperties: false,
  patternProperties: { '^x-': {} },
  properties: {
    openapi: { type: 'string', pattern: '^3\\.1\\.\\d+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      additionalProperties: false,
      properties: {
        title: { type: 'string', minLength: 1 },
        version: { type: 'string', minLength: 1 },
        description: { type: 'string' },
        summary: { type: 'string' },
      },
    },
    servers: { type: 'array', items: { type: 'object', required: ['url'], properties: { url: { type: 'string' }, description: { type: 'string' } } } },
    components: {
      type: 'object',
      additionalProperties: false,
      properties: { schemas: { type: 'object', additionalProperties: schemaRef }, securitySchemes: { type: 'object' } },
    },
    tags: { type: 'array' },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        // GET for the public API; POST, PUT, PATCH and DELETE too for the organizer API.
        patternProperties: {
          '^(get|post|put|patch|delete)$': {
            type: 'object',
            required: ['responses', 'operationId', 'tags'],
            additionalProperties: false,
            properties: {
              operationId: { type: 'string' },
              summary: { type: 'string' },
              description: { type: 'string' },
              tags: { type: 'array', minItems: 1, items: { type: 'string' } },
              security: { type: 'array', items: { type: 'object', additionalProperties: { type: 'array' } } },
              requestBody: {
                type: 'object',
                required: ['content'],
                additionalProperties: false,
                properties: {
                  description: { type: 'string' },
                  required: { type: 'boolean' },
                  content: { type: 'object', additionalProperties: { type: 'object', required: ['schema'] } },
                },
              },
              parameters: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['name', 'in', 'schema'],
                  additionalProperties: false,
                  properties: {
                    name: { type: 'string' },
                    in: { enum: ['query', 'header', 'path', 'cookie'] },
                    required: { type: 'boolean' },
                    description: { type: 'string' },
                    schema: schemaRef,
                  },
                  if: { properties: { in: { const: 'path' } } },
                  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
                  then: { required: ['required'], properties: { required: { const: true } } },
                },
              },
              responses: {
                type: 'object',
                minProperties: 1,
                propertyNames: { pattern: '^([1-5]\\d\\d|[1-5]XX|default)$' },
                additionalProperties: {
                  type: 'object',
                  required: ['description'],
                  additionalProperties: false,
                  properties: {
                    description: { type: 'string' },
                    headers: { type: 'object' },
                    content: {
                      type: 'object',
                      additionalProperties: {
                        type: 'object',
                        required: ['schema'],
                        additionalProperties: false,
                        properties: { schema: schemaRef, example: {}, examples: { type: 'object' } },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

describe('OpenAPI document', () => {
  let app: RunningApp;
  let api: ApiClient;
  let doc: OpenApiDocument;
  before(async () => {
    app = await startTestApp({ docs: allDocs() });
    api = new ApiClient(app);
    const r = await app.get('/api/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^application\/json/);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    doc = (await r.json()) as OpenApiDocument;
  });
  // The token APIs (/api/v1/manage, /api/v1/me) are checked in test/api-manage and test/api-me.
  const publicPaths = () => Object.fromEntries(Object.entries(doc.paths).filter(([p]) => !p.startsWith('/api/v1/manage/') && !p.startsWith('/api/v1/me/')));
  after(async () => {
    await app.close();
  });

  test('is OpenAPI 3.1 with info and exactly the API routes, each a tagged GET', () => {
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.equal(doc.info.title, 'Hallway API');
    assert.deepEqual(Object.keys(publicPaths()).sort(), [...ROUTES].sort());
    for (const [path, item] of Object.entries(publicPaths())) {
      assert.deepEqual(Object.keys(item), ['get'], `${path}: only GET (no HEAD/OPTIONS) is documented`);
    }
    const ids = Object.values(doc.paths).flatMap((i) => Object.values(i).map((op) => op.operationId));
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  });

  test('matches the OpenAPI 3.1 structure, and every schema in it is valid JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(OPENAPI_31_SUBSET);
    assert.ok(validate(doc), ajv.errorsText(validate.errors, { separator: '\n' }));

    const strict = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
    addFormats(strict);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const op of Object.values(item)) {
        for (const p of op.parameters ?? []) strict.compile(p.schema!);
        for (const [status, r] of Object.entries(op.responses)) {
          const schema = r.content?.['application/json']?.schema;
          assert.ok(schema || status === '304' || status === '204', `${path} ${status} has a JSON schema`);
          if (schema) assert.doesNotThrow(() => strict.compile(schema), `${path} ${status}`);
        }
      }
    }
    // Any $ref must resolve inside the document.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const target = JSON.parse(`{${ref}}`).$ref as string;
      assert.match(target, /^#\/components\/schemas\//);
      assert.ok(doc.components?.schemas?.[target.split('/').pop()!], target);
    }
  });

  test('path parameters are declared for every template variable; sessions document their filters', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const vars = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(item)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        assert.deepEqual(declared.sort(), vars.sort(), path);
      }
    }
    const query = doc.paths['/api/v1/events/{slug}/sessions']!.get!.parameters!.filter((p) => p.in === 'query');
    assert.deepEqual(
      query.map((p) => [p.name, p.required]),
      [
        ['day', false],
        ['room', false],
        ['track', false],
        ['kind', false],
      ],
    );
  });

  test('event-scoped routes declare 200, 304 (cached ones), 404 and 422; errors share one schema', () => {
    const shape = (r: { content?: Record<string, { schema: object }> }) => {
      const { description: _description, ...schema } = r.content!['application/json']!.schema as { description?: string };
      return JSON.stringify(schema);
    };
    const errorSchema = shape(doc.paths['/api/v1/events/{slug}']!.get!.responses['404']!);
    for (const path of ROUTES.filter((r) => r.includes('{slug}'))) {
      const responses = doc.paths[path]!.get!.responses;
      // The registration state (seats left) and the call's state change with the clock, never cached, so they have no 304.
      const live = path.endsWith('/registration') || path.endsWith('/cfp');
      assert.deepEqual(Object.keys(responses).sort(), live ? ['200', '404', '422'] : ['200', '304', '404', '422'], path);
      assert.equal(shape(responses['404']!), errorSchema, path);
      assert.equal(shape(responses['422']!), errorSchema, path);
      if (!live) assert.equal(responses['304']!.content, undefined, `${path}: a 304 has no body`);
    }
  });

  test('sessions and speakers use the document’s field names; the export is described by the import schema', () => {
    const exportSchema = doc.paths['/api/v1/events/{slug}/export']!.get!.responses['200']!.content!['application/json']!.schema as any;
    const props = (s: any) => Object.keys(s.properties);
    const item = (path: string) => (doc.paths[path]!.get!.responses['200']!.content!['application/json']!.schema as any).properties.data.items;
    const session = item('/api/v1/events/{slug}/sessions');
    const speaker = item('/api/v1/events/{slug}/speakers');
    assert.deepEqual(props(session).slice(0, props(exportSchema.properties.sessions.items).length), props(exportSchema.properties.sessions.items));
    assert.deepEqual(props(session).slice(props(exportSchema.properties.sessions.items).length), ['end', 'day', 'url', 'speakerDetails']);
    assert.deepEqual(props(speaker).slice(0, props(exportSchema.properties.speakers.items).length), props(exportSchema.properties.speakers.items));
    assert.deepEqual(props(speaker.properties.handles), props(exportSchema.properties.speakers.items.properties.handles));

    // A document the import accepts (defaults filled in) is valid against the export's schema.
    const checked = checkEventDocument(buildEventDoc());
    assert.ok(checked.ok);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(strictSchema(exportSchema) as object);
    assert.ok(validate(JSON.parse(JSON.stringify(checked.value.doc))), ajv.errorsText(validate.errors));
  });

  test('the checker used by the API tests refuses an undeclared key and an undeclared status', async () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const rooms = doc.paths['/api/v1/events/{slug}/rooms']!.get!.responses['200']!.content!['application/json']!.schema;
    const validate = ajv.compile(strictSchema(rooms) as object);
    assert.equal(validate({ data: [{ name: 'A', description: '', capacity: null }] }), true);
    assert.equal(validate({ data: [{ name: 'A', description: '', capacity: null, id: 3 }] }), false);
    assert.equal(validate({ data: [{ name: 'A', description: '' }] }), false);
    assert.equal(doc.paths['/api/v1/events']!.get!.responses['404'], undefined);
  });

  test('a tour of every route, success and error, matches the declared schemas', async () => {
    const e = '/api/v1/events/testconf-2027';
    const tour: [string, number][] = [
      ['/api/v1/events', 200],
      [e, 200],
      [`${e}/days`, 200],
      [`${e}/rooms`, 200],
      [`${e}/tracks`, 200],
      [`${e}/sponsors`, 200],
      [`${e}/speakers`, 200],
      [`${e}/speakers/ada`, 200],
      [`${e}/speakers/nobody`, 404],
      [`${e}/sessions`, 200],
      [`${e}/sessions?day=2027-04-15&room=Main%20Hall`, 200],
      [`${e}/sessions?day=someday`, 422],
      [`${e}/sessions?kind=nap`, 422],
      [`${e}/sessions/day2`, 200],
      [`${e}/sessions/nothing`, 404],
      [`${e}/export`, 200],
      [`${e}/releases`, 200],
      ['/api/v1/events/unpublished-2027/releases', 404],
      ['/api/v1/events/meetup-2027-03/export', 200],
      ['/api/v1/events/unpublished-2027', 404],
      ['/api/v1/events/unknown/days', 404],
      ['/api/v1/unknown', 404],
    ];
    const before = api.checked;
    for (const [path, status] of tour) assert.equal((await api.get(path)).status, status, path);
    const tag = (await api.get(`${e}/days`)).headers.get('etag')!;
    assert.equal((await api.get(`${e}/days`, { headers: { 'If-None-Match': tag } })).status, 304);
    assert.equal(api.checked - before, tour.length + 2);
  });
});
