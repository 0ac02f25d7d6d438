import { z } from 'zod';

/**
 * Control characters no person types: C0 except tab, newline and carriage return. A NUL truncates
 * text in C tools and PostgreSQL refuses it outright; the others render as nothing or garbage.
 * (DEL is let through: real schedules carry stray ones, 36C3's among them, and it renders as nothing.)
 */
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/**
 * The one text building block of every input schema (forms, API, CLI, imported documents): a
 * string without control characters, refused naming the field. Chain `.trim()`, `.min()`,
 * `.max()`, `.regex()` on it as on `z.string()`.
 */
export const text = (params?: Parameters<typeof z.string>[0]) =>
  z.string(params).refine((s) => !CONTROL_CHARACTER.test(s), { message: 'must not contain control characters (such as NUL)', abort: true });
