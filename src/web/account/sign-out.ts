import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { signOut, signOutEverywhere } from '../../modules/accounts/account.actions.js';
import { redirectWithNotice, signedInActor } from '../private.js';
import { clearSessionCookie, field, sessionSecret } from './page.js';

/**
 *   POST /sign-out                     ends this session on the server and clears the cookie; 303 to /sign-in
 *   POST /account/sign-out-everywhere  ends every session of the account (all devices), and with
 *                                      revokeApiTokens=on every API token too; 303 to /sign-in
 */
export async function signOutRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post('/sign-out', async (request, reply) => {
    const secret = sessionSecret(request);
    if (secret) await signOut(ctx.db, secret);
    clearSessionCookie(ctx, reply);
    return redirectWithNotice(reply, '/sign-in', 'You are signed out.');
  });

  app.post('/account/sign-out-everywhere', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const { apiTokensRevoked } = await signOutEverywhere(ctx.db, actor.userId, { revokeApiTokens: field(request.body, 'revokeApiTokens') === 'on' }, ctx.clock);
    clearSessionCookie(ctx, reply);
    const tokens = apiTokensRevoked === 0 ? '' : ` Your ${apiTokensRevoked === 1 ? 'API token is' : `${apiTokensRevoked} API tokens are`} revoked.`;
    return redirectWithNotice(reply, '/sign-in', `You are signed out on every device.${tokens}`);
  });
}
