import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { redeemSetupToken } from '../../modules/accounts/admin.actions.js';
import { ErrorSummary, PostForm, TextField, formState, type FormState } from '../components/form.js';
import { redirectWithNotice } from '../private.js';
import { HiddenField } from './parts.js';
import { field, formFailure, queryParam, sendAccountPage, setSessionCookie, userAgent } from './page.js';

const LABELS = { displayName: 'Your name', email: 'E-mail address', password: 'Password' };

/**
 *   GET  /setup?token=   the first administrator chooses name, e-mail and password
 *   POST /setup          redeemSetupToken; signed in; 303 to /admin
 * The link is printed in the server log on the first start of an instance without accounts.
 */
export async function setupRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/setup', async (request, reply) => view(request, reply, queryParam(request, 'token'), formState()));

  app.post('/setup', async (request, reply) => {
    const token = field(request.body, 'token');
    const input = { displayName: field(request.body, 'displayName'), email: field(request.body, 'email'), password: field(request.body, 'password') };
    try {
      const cookieSecret = await redeemSetupToken(ctx.db, token, input, userAgent(request), ctx.clock);
      setSessionCookie(ctx, reply, cookieSecret);
      return redirectWithNotice(reply, '/admin', 'Welcome! You are the administrator of this Hallway.');
    } catch (err) {
      const { state, status } = formFailure(err, input);
      return view(request, reply, token, state, status);
    }
  });
}

function view(request: FastifyRequest, reply: FastifyReply, token: string, state: FormState, status = 200): FastifyReply {
  return sendAccountPage(request, reply, {
    title: 'Set up Hallway',
    status,
    body: ({ csrf }) => (
      <section class="account-card">
        <h1>Set up Hallway</h1>
        <p>This instance has no accounts yet. Create the first one: it becomes the site administrator, who can later make others administrators too.</p>
        <ErrorSummary state={state} labels={LABELS} />
        <PostForm action="/setup" csrf={csrf} label="Create the administrator account">
          <HiddenField name="token" value={token} />
          <TextField name="displayName" label={LABELS.displayName} state={state} required autocomplete="name" />
          <TextField
            name="email"
            type="email"
            label={LABELS.email}
            state={state}
            required
            autocomplete="email"
            hint="Counts as confirmed: you are the operator."
          />
          <TextField
            name="password"
            type="password"
            label={LABELS.password}
            state={state}
            required
            autocomplete="new-password"
            hint="At least 12 characters."
          />
          <button type="submit">Create the administrator</button>
        </PostForm>
      </section>
    ),
  });
}
