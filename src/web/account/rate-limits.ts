import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../lib/domain-error.js';

/*
 * Rate limits on the account forms anyone can post without being signed in: guessing passwords
 * (sign in), creating accounts (sign up) and making the server send mail (sign-in link,
 * password reset). Counted per client IP (the proxy's X-Forwarded-For with TRUST_PROXY=true),
 * per form, in this process. Back-off: a client that keeps posting while it is limited stays
 * limited, a full window from its latest attempt. On top of this, the account actions send at
 * most ACCOUNT_MAILS_PER_HOUR mails an hour to one address, whatever the IP.
 *
 * A limited POST is answered 429 with Retry-After and the same form, showing
 * "Too many attempts, try again in N minutes." (route config `onRateLimited`).
 */

const MINUTE_MS = 60_000;

/** Attempts allowed per client IP and window; the `rateLimit` route config of each form's POST. */
export const AUTH_RATE_LIMITS = {
  /** POST /sign-in: password guessing. */
  signIn: { max: 10, timeWindow: 15 * MINUTE_MS },
  /** POST /sign-up: account creation (and the mail each one sends). */
  signUp: { max: 5, timeWindow: 60 * MINUTE_MS },
  /** POST /sign-in/link/request. */
  signInLink: { max: 5, timeWindow: 15 * MINUTE_MS },
  /** POST /forgot-password. */
  passwordReset: { max: 5, timeWindow: 15 * MINUTE_MS },
} as const;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Renders the form again with the RATE_LIMITED message (status 429); see rate-limits.ts. */
    onRateLimited?: (request: FastifyRequest, reply: FastifyReply, error: DomainError) => FastifyReply;
  }
}

/** "Too many attempts, try again in 15 minutes." — ttl rounded up to whole minutes. */
export function tooManyAttempts(ttlMs: number): DomainError {
  const minutes = Math.max(1, Math.ceil(ttlMs / MINUTE_MS));
  return new DomainError('RATE_LIMITED', `Too many attempts, try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, 429);
}

/**
 * Registers @fastify/rate-limit in the account pages' scope: no global limit, only routes with
 * a `rateLimit` config; counted after the CSRF check (preHandler), so the form keeps what was
 * typed. Also the scope's error handler, which turns RATE_LIMITED into the route's form page;
 * every other error goes on to the site's error page.
 */
export async function registerAuthRateLimits(scope: FastifyInstance): Promise<void> {
  await scope.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    continueExceeding: true,
    errorResponseBuilder: (_request, context) => tooManyAttempts(context.ttl),
  });
  scope.setErrorHandler(async (err, request, reply) => {
    const render = request.routeOptions.config.onRateLimited;
    if (err instanceof DomainError && err.code === 'RATE_LIMITED' && render) return render(request, reply, err);
    throw err;
  });
}
