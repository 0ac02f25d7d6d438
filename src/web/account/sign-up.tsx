import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { signUp } from '../../modules/accounts/account.actions.js';
import { ErrorSummary, PostForm, TextField, formState, type FormState } from '../components/form.js';
import { redirectWithNotice } from '../private.js';
import { sendCheckInbox } from './parts.js';
import { field, formFailure, limitedState, sendAccountPage } from './page.js';
import { AUTH_RATE_LIMITS } from './rate-limits.js';

const LABELS = { displayName: 'Your name', email: 'E-mail address', password: 'Password' };

/**
 *   GET  /sign-up        the form (name, e-mail, password)
 *   POST /sign-up        signUp; then "check your inbox" (the same for a new and a taken address)
 *   GET  /sign-up/sent   "check your inbox"
 */
export async function signUpRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/sign-up', async (request, reply) => view(request, reply, formState()));

  app.post(
    '/sign-up',
    { config: { attemptLimit: AUTH_RATE_LIMITS.signUp, onRateLimited: (req, rep, err) => view(req, rep, limitedState(req, err), 429) } },
    async (request, reply) => {
      const input = { displayName: field(request.body, 'displayName'), email: field(request.body, 'email'), password: field(request.body, 'password') };
      try {
        const { email } = await signUp(ctx.db, ctx.config, input, ctx.clock);
        return redirectWithNotice(reply, '/sign-up/sent', `We sent a mail to ${email}.`);
      } catch (err) {
        const { state, status } = formFailure(err, input);
        return view(request, reply, state, status);
      }
    },
  );

  app.get('/sign-up/sent', async (request, reply) =>
    sendCheckInbox(request, reply, [
      'Open the link in the mail to confirm your address. The link works for 48 hours.',
      'If this address already has an account, the mail tells you how to sign in or reset your password instead.',
      'No mail after a few minutes? Look in your spam folder, or sign up again.',
    ]),
  );
}

function view(request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200): FastifyReply {
  return sendAccountPage(request, reply, {
    title: 'Create an account',
    status,
    body: ({ csrf }) => (
      <section class="account-card">
        <h1>Create an account</h1>
        <ErrorSummary state={state} labels={LABELS} />
        <PostForm action="/sign-up" csrf={csrf} label="Create an account">
          <TextField
            name="displayName"
            label={LABELS.displayName}
            state={state}
            required
            autocomplete="name"
            hint="Shown to organizers and, if you speak, on the programme."
          />
          <TextField name="email" type="email" label={LABELS.email} state={state} required autocomplete="email" hint="We send a link to confirm it." />
          <TextField
            name="password"
            type="password"
            label={LABELS.password}
            state={state}
            required
            autocomplete="new-password"
            hint="At least 12 characters. A few unrelated words make a good one."
          />
          <button type="submit">Create account</button>
        </PostForm>
        <p>
          Already have an account? <a href="/sign-in">Sign in</a>
        </p>
      </section>
    ),
  });
}
