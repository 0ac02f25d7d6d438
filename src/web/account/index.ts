import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { privatePages } from '../private.js';
import { accountDataRoutes } from './account-data.js';
import { adminRoutes } from './admin.js';
import { apiTokenRoutes } from './api-tokens.js';
import { invitationRoutes } from './invitation.js';
import { passwordResetRoutes } from './password-reset.js';
import { registerAuthRateLimits } from './rate-limits.js';
import { settingsRoutes } from './settings.js';
import { setupRoutes } from './setup.js';
import { signInLinkRoutes } from './sign-in-link.js';
import { signInRoutes } from './sign-in.js';
import { signOutRoutes } from './sign-out.js';
import { signUpRoutes } from './sign-up.js';
import { verifyEmailRoutes } from './verify-email.js';

/**
 * The account pages: signing up, in and out, mailed one-time links, the person's own settings,
 * tokens and data, and the site administrators' page. All are private pages (session read,
 * no-store, CSRF checked on every POST); the forms anyone can post are rate-limited per IP.
 * One-time links (sign in, confirm, reset, setup, invitation) show a button on GET and are
 * only used by its POST.
 *
 *   /sign-up, /sign-in, /sign-in/link, /sign-in/link/request, /verify-email, /forgot-password,
 *   /reset-password, /setup, /invitations/accept, /sign-out,
 *   /account, /account/{profile,password,verification,sign-out-everywhere},
 *   /account/tokens, /account/data, /account/delete, /admin
 */
export async function accountPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await privatePages(app, ctx, async (scope) => {
    await registerAuthRateLimits(scope, ctx);
    await signUpRoutes(scope, ctx);
    await signInRoutes(scope, ctx);
    await signInLinkRoutes(scope, ctx);
    await verifyEmailRoutes(scope, ctx);
    await passwordResetRoutes(scope, ctx);
    await setupRoutes(scope, ctx);
    await invitationRoutes(scope, ctx);
    await signOutRoutes(scope, ctx);
    await settingsRoutes(scope, ctx);
    await apiTokenRoutes(scope, ctx);
    await accountDataRoutes(scope, ctx);
    await adminRoutes(scope, ctx);
  });
}
