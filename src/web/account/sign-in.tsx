import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { signIn } from '../../modules/accounts/account.actions.js';
import { requestSignInLink } from '../../modules/accounts/sign-in-link.actions.js';
import { CsrfField, ErrorSummary, PostForm, TextField, formState, type FormState } from '../components/form.js';
import { attrText } from '../components/html.js';
import { redirectWithNotice, safeNext } from '../private.js';
import { HiddenField, sendCheckInbox } from './parts.js';
import { field, formFailure, knownDevice, limitedState, queryParam, sendAccountPage, setDeviceCookie, setSessionCookie, userAgent } from './page.js';
import { AUTH_RATE_LIMITS } from './rate-limits.js';

const LABELS = { email: 'E-mail address', password: 'Password' };

interface SignInForms {
  /** The e-mail + password form. */
  readonly password: FormState;
  /** The "e-mail me a sign-in link" form. */
  readonly link: FormState;
  /** Where to go after signing in (a same-site path; kept through both forms). */
  readonly next: string;
}

/**
 *   GET  /sign-in?next=          e-mail + password, and "e-mail me a sign-in link"
 *   POST /sign-in                signIn; session and device cookies; 303 to `next` (same-site only)
 *                                or /manage; 429 past the per-IP or the per-account limit
 *   POST /sign-in/link/request   requestSignInLink; "check your inbox" (same for every address)
 *   GET  /sign-in/link/sent      "check your inbox"
 */
export async function signInRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/sign-in', async (request, reply) => view(request, reply, { password: formState(), link: formState(), next: queryParam(request, 'next') }));

  app.post(
    '/sign-in',
    {
      config: {
        attemptLimit: AUTH_RATE_LIMITS.signIn,
        onRateLimited: (req, rep, err) => view(req, rep, { password: limitedState(req, err), link: formState(), next: field(req.body, 'next') }, 429),
      },
    },
    async (request, reply) => {
      const email = field(request.body, 'email');
      const next = field(request.body, 'next');
      try {
        const device = knownDevice(request);
        const { cookieSecret, actor } = await signIn(ctx.db, email, field(request.body, 'password'), userAgent(request), device, ctx.clock);
        setSessionCookie(ctx, reply, cookieSecret);
        setDeviceCookie(ctx, reply, actor.userId, device);
        // Without a page to go back to: the back office for people who help run something, their
        // events (RSVPs, tickets; it links their proposals) for everyone else, never an empty back office.
        return reply.redirect(safeNext(next, actor.isAdmin || actor.grants.length > 0 ? '/manage' : '/account/events'), 303);
      } catch (err) {
        const { state, status } = formFailure(err, { email });
        return view(request, reply, { password: state, link: formState({ email }), next }, status);
      }
    },
  );

  app.post(
    '/sign-in/link/request',
    {
      config: {
        attemptLimit: AUTH_RATE_LIMITS.signInLink,
        onRateLimited: (req, rep, err) => view(req, rep, { password: formState(), link: limitedState(req, err), next: field(req.body, 'next') }, 429),
      },
    },
    async (request, reply) => {
      const email = field(request.body, 'email');
      try {
        await requestSignInLink(ctx.db, ctx.config, email, ctx.clock);
        return redirectWithNotice(reply, '/sign-in/link/sent', `If ${email.trim()} has an account, a sign-in link is on its way.`);
      } catch (err) {
        const { state, status } = formFailure(err, { email });
        return view(request, reply, { password: formState({ email }), link: state, next: field(request.body, 'next') }, status);
      }
    },
  );

  app.get('/sign-in/link/sent', async (request, reply) =>
    sendCheckInbox(request, reply, [
      'If the address has an account, we sent it a sign-in link. Open it within an hour to sign in; it works once.',
      'No mail after a few minutes? Look in your spam folder, check the address, or sign up if you have no account yet.',
    ]),
  );
}

function view(request: FastifyRequest, reply: FastifyReply, forms: SignInForms, status = 200): FastifyReply {
  const next = safeNext(forms.next, '');
  return sendAccountPage(request, reply, {
    title: 'Sign in',
    status,
    body: ({ csrf }) => (
      <section class="account-card">
        <h1>Sign in</h1>
        <ErrorSummary state={forms.password} labels={LABELS} />
        <PostForm action="/sign-in" csrf={csrf} label="Sign in with your password">
          <HiddenField name="next" value={next} />
          <TextField name="email" type="email" label={LABELS.email} state={forms.password} required autocomplete="email" />
          <TextField name="password" type="password" label={LABELS.password} state={forms.password} required autocomplete="current-password" />
          <button type="submit">Sign in</button>
        </PostForm>
        <p>
          <a href="/forgot-password">Forgot your password?</a> · No account yet? <a href="/sign-up">Create one</a>
        </p>
        <h2 id="link-heading">Or sign in with a link</h2>
        <p>We e-mail you a link that signs you in once, without a password.</p>
        <ErrorSummary state={linkState(forms.link)} labels={{ 'link-email': LABELS.email }} />
        <form method="post" action="/sign-in/link/request" aria-labelledby="link-heading">
          <CsrfField token={csrf} />
          <HiddenField name="next" value={next} />
          <LinkEmailField state={forms.link} />
          <button type="submit" class="secondary">
            E-mail me a sign-in link
          </button>
        </form>
      </section>
    ),
  });
}

/** The link form's state with its `email` problem under `link-email`, the id of its field. */
function linkState(state: FormState): FormState {
  const { email, ...rest } = state.errors;
  return { ...state, errors: email ? { ...rest, 'link-email': email } : rest };
}

/** The link form's e-mail field (its own id, so the page has no two fields with one id). */
function LinkEmailField(p: { state: FormState }): JSX.Element {
  const error = linkState(p.state).errors['link-email'];
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for="f-link-email">E-mail address</label>
      {error ? (
        <p class="error" id="f-link-email-error" safe>
          {error}
        </p>
      ) : (
        ''
      )}
      <input
        id="f-link-email"
        name="email"
        type="email"
        required
        autocomplete="email"
        value={attrText(p.state.values.email ?? '')}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'f-link-email-error' : undefined}
      />
    </div>
  );
}
