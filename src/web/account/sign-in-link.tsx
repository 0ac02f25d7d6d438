import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { redeemSignInLink } from '../../modules/accounts/sign-in-link.actions.js';
import { redirectWithNotice, safeNext } from '../private.js';
import { sendConfirmLinkPage, sendLinkProblem } from './parts.js';
import { field, setSessionCookie, userAgent } from './page.js';

/**
 *   GET  /sign-in/link?token=   a "Sign in" button (mail scanners open links; GET uses nothing up)
 *   POST /sign-in/link          redeemSignInLink; session cookie; 303 to /manage
 * The link comes from "e-mail me a sign-in link" or from `hallway admin create`.
 */
export async function signInLinkRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/sign-in/link', async (request, reply) =>
    sendConfirmLinkPage(request, reply, {
      title: 'Sign in',
      text: 'This one-time link signs you in to Hallway. It works once.',
      action: '/sign-in/link',
      button: 'Sign in',
    }),
  );

  app.post('/sign-in/link', async (request, reply) => {
    try {
      const cookieSecret = await redeemSignInLink(ctx.db, field(request.body, 'token'), userAgent(request), ctx.clock);
      setSessionCookie(ctx, reply, cookieSecret);
      return redirectWithNotice(reply, safeNext(undefined), 'You are signed in.');
    } catch (err) {
      return sendLinkProblem(request, reply, err, {
        title: 'Sign-in link not valid',
        heading: 'This sign-in link does not work',
        again: { href: '/sign-in', label: 'Sign in, or ask for a new link' },
      });
    }
  });
}
