/**
 * Building blocks of the API's JSON Schemas (responses are whitelisted by them: every object is
 * `additionalProperties: false`, and fast-json-stringify writes only listed properties).
 * Nullable values use `type: [T, 'null']` (JSON Schema 2020-12, as OpenAPI 3.1 wants).
 */

export type JsonSchema = Record<string, unknown>;

export const str = (description?: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', ...extra, ...(description ? { description } : {}) });
export const int = (description?: string): JsonSchema => ({ type: 'integer', ...(description ? { description } : {}) });
export const bool = (description?: string): JsonSchema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const nullable = (s: JsonSchema): JsonSchema => ({ ...s, type: [s.type as string, 'null'], ...(s.enum ? { enum: [...(s.enum as unknown[]), null] } : {}) });
export const enumOf = (values: readonly string[], description?: string): JsonSchema => str(description, { enum: [...values] });
export const arrayOf = (items: JsonSchema, description?: string): JsonSchema => ({ type: 'array', items, ...(description ? { description } : {}) });
export const instant = (description: string): JsonSchema => str(description, { format: 'date-time' });
export const date = (description: string): JsonSchema => str(description, { format: 'date' });
/** A map from keys to text (e.g. answers by question id). */
export const textMap = (description: string): JsonSchema => ({ type: 'object', additionalProperties: { type: 'string' }, description });

/** An object whose listed properties are all present (null when empty) and nothing else is. */
export function object(properties: Record<string, JsonSchema>, description?: string, optional: readonly string[] = []): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
    ...(description ? { description } : {}),
  };
}

/** A request body: documented properties, none required by the schema (the action says what is missing). */
export function input(properties: Record<string, JsonSchema>, description: string, required: readonly string[] = []): JsonSchema {
  return { type: 'object', properties, ...(required.length ? { required: [...required] } : {}), description };
}

/** `{ "data": {...} }` */
export const one = (item: JsonSchema, description: string): JsonSchema => ({ ...object({ data: item }), description });
/** `{ "data": [...] }` */
export const listOf = (item: JsonSchema, description: string): JsonSchema => ({ ...object({ data: arrayOf(item) }), description });
