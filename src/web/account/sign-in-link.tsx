import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { redeemSignInLink } from '../../modules/accounts/sign-in-link.actions.js';
import { DomainError } from '../../lib/domain-error.js';
import { redirectWithNotice, safeNext } from '../private.js';
import { ConfirmLinkBody, LinkProblemBody } from './parts.js';
import { field, queryParam, sendAccountPage, setSessionCookie, userAgent } from './page.js';

/**
 *   GET  /sign-in/link?token=   a "Sign in" button (mail scanners open links; GET uses nothing up)
 *   POST /sign-in/link          redeemSignInLink; session cookie; 303 to /manage
 * The link comes from "e-mail me a sign-in link" or from `hallway admin create`.
 */
export async function signInLinkRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/sign-in/link', async (request, reply) =>
    sendAccountPage(request, reply, {
      title: 'Sign in',
      body: ({ csrf }) => (
        <ConfirmLinkBody
          heading="Sign in"
          text="This one-time link signs you in to Hallway. It works once."
          action="/sign-in/link"
          token={queryParam(request, 'token')}
          button="Sign in"
          csrf={csrf}
        />
      ),
    }),
  );

  app.post('/sign-in/link', async (request, reply) => {
    try {
      const cookieSecret = await redeemSignInLink(ctx.db, field(request.body, 'token'), userAgent(request));
      setSessionCookie(ctx, reply, cookieSecret);
      return redirectWithNotice(reply, safeNext(undefined), 'You are signed in.');
    } catch (err) {
      if (!(err instanceof DomainError) || err.status >= 500) throw err;
      return sendAccountPage(request, reply, {
        title: 'Sign-in link not valid',
        status: err.status,
        body: () => <LinkProblemBody heading="This sign-in link does not work" message={err.message} again={{ href: '/sign-in', label: 'Sign in, or ask for a new link' }} />,
      });
    }
  });
}
