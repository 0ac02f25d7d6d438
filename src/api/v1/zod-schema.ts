import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { formatPath } from '../../lib/domain-error.js';
import { ApiErrors } from './api.errors.js';

/*
 * The API's shapes are zod schemas, the one source of their TypeScript types (z.infer), of the
 * JSON Schemas Fastify serialises responses with (fast-json-stringify writes only the properties
 * listed: every response object is `additionalProperties: false`) and of /api/openapi.json.
 * Nullable values become `type: [T, 'null']` (JSON Schema 2020-12, as OpenAPI 3.1 wants).
 */

export type JsonSchema = Record<string, unknown>;

/** `schema` with a description and further JSON Schema keywords (format, pattern) for the document. */
const meta = <T extends z.ZodType>(schema: T, description?: string, extra: JsonSchema = {}): T =>
  description || Object.keys(extra).length ? schema.meta({ ...extra, ...(description ? { description } : {}) }) : schema;

export const str = (description?: string, extra: JsonSchema = {}) => meta(z.string(), description, extra);
export const int = (description?: string) => meta(z.number().int(), description);
export const num = (description?: string) => meta(z.number(), description);
export const bool = (description?: string) => meta(z.boolean(), description);
export const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
export const enumOf = <const T extends readonly [string, ...string[]]>(values: T, description?: string) => meta(z.enum(values), description);
export const arrayOf = <T extends z.ZodType>(items: T, description?: string) => meta(z.array(items), description);
export const instant = (description: string) => str(description, { format: 'date-time' });
export const date = (description: string) => str(description, { format: 'date' });
export const url = (description?: string) => str(description, { format: 'uri' });
/** A map from keys to text (e.g. answers by question id). */
export const textMap = (description: string) => meta(z.record(z.string(), z.string()), description);

/** An object whose listed properties are all present (null when empty), but `optional`, and nothing else is. */
export function object<S extends z.ZodRawShape, const O extends keyof S = never>(shape: S, description?: string, optional: readonly O[] = []) {
  const properties = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, optional.includes(k as O) ? (v as z.ZodType).optional() : v]));
  return meta(z.object(properties as { [K in keyof S]: K extends O ? z.ZodOptional<S[K]> : S[K] }), description);
}

/** `{ "data": {...} }` */
export const one = <T extends z.ZodType>(item: T, description: string) => object({ data: item }, description);
/** `{ "data": [...] }` */
export const listOf = <T extends z.ZodType>(item: T, description: string) => object({ data: z.array(item) }, description);

const SAFE = Number.MAX_SAFE_INTEGER;
const converted = { input: new WeakMap<z.ZodType, JsonSchema>(), output: new WeakMap<z.ZodType, JsonSchema>() };

/**
 * The JSON Schema of a zod schema, made once: `output` for what the API sends, `input` for what
 * it reads (through any preprocessing: the accepted type; a field is required when absence
 * fails), with `anyOf [T, null]` written as `type: [T, 'null']`, which fast-json-stringify
 * serialises without trying each branch.
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  let out = converted[io].get(schema);
  if (!out) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      override: io === 'input' ? requiredInput : undefined,
    }) as JsonSchema;
    out = tidy(rest) as JsonSchema;
    converted[io].set(schema, out);
  }
  return out;
}

/** An input object requires the fields that do not accept absence (a preprocessing step may fill one in). */
function requiredInput({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodTypes; jsonSchema: JsonSchema }): void {
  if (zodSchema._zod.def.type !== 'object' || !jsonSchema.properties) return;
  const required = Object.entries((zodSchema as z.ZodObject).shape)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([k]) => k);
  if (required.length) jsonSchema.required = required;
  else delete jsonSchema.required;
}

function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const o = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, tidy(v)])) as JsonSchema;
  if (o.minimum === -SAFE) delete o.minimum;
  if (o.maximum === SAFE) delete o.maximum;
  const any = o.anyOf as JsonSchema[] | undefined;
  if (any?.length === 2 && (any[1] as JsonSchema).type === 'null' && typeof any[0]!.type === 'string') {
    const { anyOf: _anyOf, ...own } = o;
    const inner = any[0]!;
    return { ...inner, ...own, type: [inner.type, 'null'], ...(inner.enum ? { enum: [...(inner.enum as unknown[]), null] } : {}) };
  }
  return o;
}

const passThrough = (data: unknown) => ({ value: data });

/**
 * Lets the routes of `scope` declare zod schemas: a zod `params` or `querystring` is what parses
 * that part (an invalid one is VALIDATION_FAILED, 422, naming each field as `params.eventId`,
 * `querystring.day`); a body is parsed by the action it goes to (with that action's own schema,
 * the one the route documents), never here. Every part is published in /api/openapi.json as
 * JSON Schema, and zod response schemas are serialised through theirs.
 */
export function zodRouteSchemas(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!schema) return;
    const parsers: Record<string, z.ZodType> = {};
    for (const part of ['params', 'querystring', 'body']) {
      const s = schema[part];
      if (!(s instanceof z.ZodType)) continue;
      if (part !== 'body') parsers[part] = s;
      schema[part] = jsonSchema(s, 'input');
    }
    const response = schema.response as Record<string, unknown> | undefined;
    if (response) for (const [status, s] of Object.entries(response)) if (s instanceof z.ZodType) response[status] = jsonSchema(s);
    const compile: FastifySchemaCompiler<unknown> = ({ httpPart }) => {
      const parser = httpPart ? parsers[httpPart] : undefined;
      if (!parser) return passThrough;
      return (data) => {
        try {
          return { value: parsePart(parser, data, httpPart!) };
        } catch (error) {
          return { error: error as Error };
        }
      };
    };
    route.validatorCompiler = compile;
  });
}

/** `data` parsed by `schema`, or VALIDATION_FAILED naming each field under `part` (`querystring.day`). */
export function parsePart<S extends z.ZodType>(schema: S, data: unknown, part: string): z.output<S> {
  const parsed = schema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  throw ApiErrors.invalid(
    parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: `${part}.${k}`, message: i.message }))
        : [{ path: `${part}.${formatPath(i.path)}`, message: i.message }],
    ),
  );
}
