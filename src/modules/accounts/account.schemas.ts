import { z } from 'zod';
import { text } from '../../lib/text.js';
import { formatPath } from '../../lib/domain-error.js';
import { ROLES } from './actor.js';
import { AccountErrors } from './account.errors.js';

/*
 * Input schemas shared by the web forms, the API and the CLI. Actions parse their input with
 * these themselves (parseInput), so every adapter gets the same rules and the same
 * ACCOUNT_INPUT_INVALID problems, named by field.
 */

/** Trimmed and lower-cased before it is checked, so "Ada@Example.org " is ada@example.org. */
export const EmailSchema = text({ message: 'is required' })
  .trim()
  .toLowerCase()
  .max(254, { message: 'must be at most 254 characters' })
  .pipe(z.email({ message: 'must be an e-mail address' }));

export const PasswordSchema = z
  .string({ message: 'is required' })
  .min(12, { message: 'must be at least 12 characters' })
  .max(200, { message: 'must be at most 200 characters' });

export const DisplayNameSchema = text({ message: 'is required' })
  .trim()
  .min(1, { message: 'is required' })
  .max(100, { message: 'must be at most 100 characters' });

export const SignUpSchema = z.object({ email: EmailSchema, password: PasswordSchema, displayName: DisplayNameSchema });
export type SignUpInput = z.input<typeof SignUpSchema>;

/** The first administrator, chosen on the /setup page. */
export const SetupSchema = SignUpSchema;
export type SetupInput = SignUpInput;

export const ChangePasswordSchema = z.object({ currentPassword: z.string({ message: 'is required' }).max(1000), newPassword: PasswordSchema });
export type ChangePasswordInput = z.input<typeof ChangePasswordSchema>;

export const ProfileSchema = z.object({ displayName: DisplayNameSchema });
export type ProfileInput = z.input<typeof ProfileSchema>;

export const ApiTokenNameSchema = z.object({ name: DisplayNameSchema });

const scopeFields = {
  scope: z.enum(['event', 'community'], { message: 'must be event or community' }),
  scopeId: z.number({ message: 'must be a number' }).int().positive(),
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
};
const trackIds = z.array(z.number().int().positive()).max(200).default([]);

export const GrantRoleSchema = z.object({ userId: z.number({ message: 'must be a number' }).int().positive(), ...scopeFields, trackIds });
export type GrantRoleInput = z.input<typeof GrantRoleSchema>;

export const RevokeRoleSchema = z.object({ userId: z.number({ message: 'must be a number' }).int().positive(), ...scopeFields });
export type RevokeRoleInput = z.input<typeof RevokeRoleSchema>;

export const InviteSchema = z.object({ email: EmailSchema, ...scopeFields, trackIds });
export type InviteInput = z.input<typeof InviteSchema>;

/** Parses input or throws ACCOUNT_INPUT_INVALID listing every problem by field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw AccountErrors.inputInvalid(r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
}

/** Lower-cased, trimmed e-mail for look-ups that must not reveal anything by failing (sign in). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Validates one e-mail address (problem path `email`). */
export function parseEmail(email: unknown): string {
  return parseInput(z.object({ email: EmailSchema }), { email }).email;
}
