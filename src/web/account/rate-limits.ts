import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import { countAttempt, tooManyAttempts, type AttemptLimit } from '../../modules/accounts/attempt.queries.js';

/*
 * Rate limits on the account forms anyone can post without being signed in: guessing passwords
 * (sign in), creating accounts (sign up) and making the server send mail (sign-in link,
 * password reset). Counted per client IP (the proxy's X-Forwarded-For with TRUST_PROXY=true) and
 * per form in the database (accounts/attempt.queries.ts), so every process sharing it counts the
 * same attempts. Back-off: refused posts count too, so a client that keeps posting while it is
 * limited stays limited. On top of this, sign-in limits failed passwords per account (see
 * signIn), and the account actions send at most ACCOUNT_MAILS_PER_HOUR mails an hour to one
 * address, whatever the IP.
 *
 * A limited POST is answered 429 with Retry-After and the same form, showing
 * "Too many attempts, try again in N minutes." (route config `onRateLimited`).
 */

const MINUTE_MS = 60_000;

/** A form's limit per client IP; `bucket` names the form in the attempts table. */
export interface FormLimit extends AttemptLimit {
  readonly bucket: string;
}

/** Attempts allowed per client IP and window; the `attemptLimit` route config of each form's POST. */
export const AUTH_RATE_LIMITS = {
  /** POST /sign-in: password guessing. */
  signIn: { bucket: 'sign_in', max: 10, windowMs: 15 * MINUTE_MS },
  /** POST /sign-up: account creation (and the mail each one sends). */
  signUp: { bucket: 'sign_up', max: 5, windowMs: 60 * MINUTE_MS },
  /** POST /sign-in/link/request. */
  signInLink: { bucket: 'sign_in_link', max: 5, windowMs: 15 * MINUTE_MS },
  /** POST /forgot-password. */
  passwordReset: { bucket: 'password_reset', max: 5, windowMs: 15 * MINUTE_MS },
} as const satisfies Record<string, FormLimit>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Counts each POST per client IP against this limit (registerAuthRateLimits). */
    attemptLimit?: FormLimit;
    /** Renders the form again with the RATE_LIMITED message (status 429); see rate-limits.ts. */
    onRateLimited?: (request: FastifyRequest, reply: FastifyReply, error: DomainError) => FastifyReply;
  }
}

/** Sets Retry-After (whole seconds) on a 429 answer. */
export function setRetryAfter(reply: FastifyReply, retryAfterMs: number): void {
  reply.header('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
}

/**
 * In the account pages' scope: counts every POST of a route with an `attemptLimit` config, after
 * the CSRF check (preHandler), so a refused form keeps what was typed. Also the scope's error
 * handler, which turns RATE_LIMITED into the route's form page; every other error goes on to the
 * site's error page.
 */
export async function registerAuthRateLimits(scope: FastifyInstance, ctx: AppContext): Promise<void> {
  scope.addHook('preHandler', async (request, reply) => {
    const limit = request.routeOptions.config.attemptLimit;
    if (!limit) return;
    const status = await countAttempt(ctx.db, `${limit.bucket}:ip:${request.ip}`, limit, { countRefused: true, now: ctx.clock.now().getTime() });
    if (!status.limited) return;
    setRetryAfter(reply, status.retryAfterMs);
    throw tooManyAttempts(status.retryAfterMs);
  });
  scope.setErrorHandler(async (err, request, reply) => {
    const render = request.routeOptions.config.onRateLimited;
    if (err instanceof DomainError && err.code === 'RATE_LIMITED' && render) return render(request, reply, err);
    throw err;
  });
}
