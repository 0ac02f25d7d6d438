import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { requestPasswordReset, resetPassword } from '../../modules/accounts/sign-in-link.actions.js';
import { CheckboxField, ErrorSummary, PostForm, TextField, formState, type FormState } from '../components/form.js';
import { redirectWithNotice } from '../private.js';
import { HiddenField, sendCheckInbox } from './parts.js';
import { field, formFailure, limitedState, queryParam, sendAccountPage } from './page.js';
import { AUTH_RATE_LIMITS } from './rate-limits.js';

/**
 *   GET  /forgot-password         ask for a reset link (e-mail)
 *   POST /forgot-password         requestPasswordReset; "check your inbox" (same for every address)
 *   GET  /forgot-password/sent    "check your inbox"
 *   GET  /reset-password?token=   choose a new password (GET uses nothing up)
 *   POST /reset-password          resetPassword (someoneElse=on: API tokens revoked too); signed out everywhere; 303 to /sign-in
 */
export async function passwordResetRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/forgot-password', async (request, reply) => forgotView(request, reply, formState()));

  app.post(
    '/forgot-password',
    { config: { attemptLimit: AUTH_RATE_LIMITS.passwordReset, onRateLimited: (req, rep, err) => forgotView(req, rep, limitedState(req, err), 429) } },
    async (request, reply) => {
      const email = field(request.body, 'email');
      try {
        await requestPasswordReset(ctx.db, ctx.config, email, ctx.clock);
        return redirectWithNotice(reply, '/forgot-password/sent', `If ${email.trim()} has an account, a reset link is on its way.`);
      } catch (err) {
        const { state, status } = formFailure(err, { email });
        return forgotView(request, reply, state, status);
      }
    },
  );

  app.get('/forgot-password/sent', async (request, reply) =>
    sendCheckInbox(request, reply, [
      'If the address has an account, we sent it a link to choose a new password. Open it within an hour; it works once.',
      'No mail after a few minutes? Look in your spam folder or check the address.',
    ]),
  );

  app.get('/reset-password', async (request, reply) => resetView(request, reply, queryParam(request, 'token'), formState()));

  app.post('/reset-password', async (request, reply) => {
    const token = field(request.body, 'token');
    try {
      const someoneElse = field(request.body, 'someoneElse') === 'on';
      const { apiTokensRevoked } = await resetPassword(ctx.db, token, field(request.body, 'newPassword'), { someoneElse }, ctx.clock);
      const tokens = someoneElse
        ? ` ${apiTokensRevoked === 0 ? 'You had no API tokens to revoke' : `${apiTokensRevoked === 1 ? 'Your API token was' : `Your ${apiTokensRevoked} API tokens were`} revoked`}.`
        : '';
      return redirectWithNotice(reply, '/sign-in', `Your password was changed and you were signed out everywhere.${tokens} Sign in with the new password.`);
    } catch (err) {
      const { state, status } = formFailure(err, { someoneElse: field(request.body, 'someoneElse') });
      return resetView(request, reply, token, state, status);
    }
  });
}

function forgotView(request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200): FastifyReply {
  return sendAccountPage(request, reply, {
    title: 'Forgot your password?',
    status,
    body: ({ csrf }) => (
      <section class="account-card">
        <h1>Forgot your password?</h1>
        <p>Enter the address of your account and we e-mail you a link to choose a new password.</p>
        <ErrorSummary state={state} labels={{ email: 'E-mail address' }} />
        <PostForm action="/forgot-password" csrf={csrf} label="Ask for a password reset link">
          <TextField name="email" type="email" label="E-mail address" state={state} required autocomplete="email" />
          <button type="submit">E-mail me a reset link</button>
        </PostForm>
        <p>
          <a href="/sign-in">Back to sign in</a>
        </p>
      </section>
    ),
  });
}

function resetView(request: FastifyRequest, reply: FastifyReply, token: string, state: FormState, status = 200): FastifyReply {
  return sendAccountPage(request, reply, {
    title: 'Choose a new password',
    status,
    body: ({ csrf }) => (
      <section class="account-card">
        <h1>Choose a new password</h1>
        <ErrorSummary state={state} labels={{ newPassword: 'New password' }} />
        {state.message && !state.errors.newPassword ? (
          <p>
            <a href="/forgot-password">Ask for a new reset link</a>
          </p>
        ) : (
          ''
        )}
        <PostForm action="/reset-password" csrf={csrf} label="Choose a new password">
          <HiddenField name="token" value={token} />
          <TextField
            name="newPassword"
            type="password"
            label="New password"
            state={state}
            required
            autocomplete="new-password"
            hint="At least 12 characters. Saving it signs you out on every device."
          />
          <CheckboxField
            name="someoneElse"
            label="Someone else may have used my account"
            hint="Also revokes all your API tokens, so scripts using them stop working."
            state={state}
          />
          <button type="submit">Save the new password</button>
        </PostForm>
      </section>
    ),
  });
}
