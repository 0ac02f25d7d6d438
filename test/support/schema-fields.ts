import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { importSource } from './source-module.js';

/*
 * Every string field of every input schema of the actions (src/modules/<area>/*.schemas.ts),
 * found by walking the zod schemas, so a field added later is listed without anyone touching
 * the tests that must cover it.
 */

export interface SchemaField {
  /** `ProposalSchema.title`, `EventDocumentSchema.sessions[].links[].url`, `RsvpSchema.answers{}`. */
  readonly key: string;
  /** The string schema itself (after any preprocessing). */
  readonly leaf: z.ZodType;
  /** The whole schema of the field (the object property, array element or record value): what a value must pass. */
  readonly field: z.ZodType;
  /** Its maximum length, when it has one. */
  readonly max: number | undefined;
}

type Def = { type: string; [k: string]: any };
const def = (s: unknown): Def | undefined => (s as { _zod?: { def: Def } } | undefined)?._zod?.def;

/** The object a schema parses into, through preprocessing, transforms and refinements; else undefined. */
function objectOf(s: unknown): z.ZodObject | undefined {
  const d = def(s);
  if (!d) return undefined;
  if (d.type === 'object') return s as z.ZodObject;
  if (d.type === 'pipe') return objectOf(def(d.in)?.type === 'transform' ? d.out : d.in);
  return undefined;
}

function walk(s: unknown, path: string, out: SchemaField[], nested: Set<unknown>, field = s): void {
  const d = def(s);
  if (!d) return;
  switch (d.type) {
    case 'string': {
      const checks = (d.checks ?? []) as Array<{ _zod: { def: { check: string; maximum?: number } } }>;
      const max = checks.find((c) => c._zod.def.check === 'max_length')?._zod.def.maximum;
      out.push({ key: path, leaf: s as z.ZodType, field: field as z.ZodType, max });
      return;
    }
    case 'object':
      nested.add(s);
      for (const [k, v] of Object.entries(d.shape as Record<string, unknown>))
        walk(v, path.endsWith('.') || path === '' ? `${path}${k}` : `${path}.${k}`, out, nested);
      return;
    case 'pipe':
      walk(d.in, path, out, nested, field);
      if (def(d.in)?.type === 'transform') walk(d.out, path, out, nested, field);
      return;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      walk(d.innerType, path, out, nested, field);
      return;
    case 'array':
      walk(d.element, `${path}[]`, out, nested);
      return;
    case 'record':
      walk(d.valueType, `${path}{}`, out, nested);
      return;
    case 'union':
      for (const o of d.options as unknown[]) walk(o, path, out, nested, field);
      return;
    default:
      return;
  }
}

/** `a` is a `.partial()` of (some of) b's fields: each of its fields is one of b's own, wrapped in optional. */
function isPartialOf(a: z.ZodObject, b: z.ZodObject): boolean {
  return Object.keys(a.shape).every((k) => def(a.shape[k])?.type === 'optional' && def(a.shape[k])!.innerType === b.shape[k]);
}

/**
 * The string fields of the action input schemas, each under the name of the top-level schema
 * that holds it. A schema nested in another (HostSchema in SetHostsSchema, the document's parts
 * in EventDocumentSchema), the same schema exported twice (SetupSchema = SignUpSchema) and an
 * update schema that is a create schema's `.partial()` are listed once, under the outer one.
 */
export async function actionSchemaStringFields(): Promise<SchemaField[]> {
  const root = fileURLToPath(new URL('../../src/modules/', import.meta.url));
  const schemas: Array<{ name: string; schema: z.ZodType; object: z.ZodObject }> = [];
  for (const area of readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const file of readdirSync(`${root}${area}`)
      .filter((f) => f.endsWith('.schemas.ts'))
      .sort()) {
      const mod = await importSource(`${root}${area}/${file}`);
      for (const [name, value] of Object.entries(mod)) {
        const object = value instanceof z.ZodType ? objectOf(value) : undefined;
        if (object && !schemas.some((s) => s.schema === value)) schemas.push({ name, schema: value as z.ZodType, object });
      }
    }
  }
  const nestedIn = new Map<string, Set<unknown>>();
  const fieldsOf = new Map<string, SchemaField[]>();
  for (const s of schemas) {
    const out: SchemaField[] = [];
    const nested = new Set<unknown>();
    walk(s.object, '', out, nested);
    nested.delete(s.object);
    nestedIn.set(s.name, nested);
    fieldsOf.set(s.name, out);
  }
  const top = schemas.filter(
    (s) =>
      ![...nestedIn.entries()].some(([other, nested]) => other !== s.name && nested.has(s.object)) &&
      !schemas.some((t) => t !== s && isPartialOf(s.object, t.object)),
  );
  const seen = new Set<string>();
  return top.flatMap((s) =>
    fieldsOf
      .get(s.name)!
      .map((f) => ({ ...f, key: `${s.name}.${f.key}` }))
      .filter((f) => !seen.has(f.key) && seen.add(f.key)),
  );
}
