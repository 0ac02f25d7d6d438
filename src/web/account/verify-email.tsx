import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { verifyEmail } from '../../modules/accounts/account.actions.js';
import { redirectWithNotice } from '../private.js';
import { sendConfirmLinkPage, sendLinkProblem } from './parts.js';
import { field } from './page.js';

/**
 *   GET  /verify-email?token=   a "Confirm my address" button (GET uses nothing up)
 *   POST /verify-email          verifyEmail; 303 to /account (signed in) or /sign-in, with a notice
 */
export async function verifyEmailRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/verify-email', async (request, reply) =>
    sendConfirmLinkPage(request, reply, {
      title: 'Confirm your e-mail address',
      text: 'Confirm that this address is yours to finish setting up your Hallway account.',
      action: '/verify-email',
      button: 'Confirm my address',
    }),
  );

  app.post('/verify-email', async (request, reply) => {
    try {
      const { email } = await verifyEmail(ctx.db, field(request.body, 'token'), ctx.clock);
      return redirectWithNotice(reply, request.actor ? '/account' : '/sign-in', `Thank you: ${email} is confirmed.`);
    } catch (err) {
      return sendLinkProblem(request, reply, err, {
        title: 'Confirmation link not valid',
        heading: 'This confirmation link does not work',
        again: request.actor
          ? { href: '/account', label: 'Ask for a new link on your account page' }
          : { href: '/sign-in', label: 'Sign in to ask for a new link' },
      });
    }
  });
}
