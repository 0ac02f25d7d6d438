import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { Actor } from '../modules/accounts/actor.js';
import { findActorBySession } from '../modules/accounts/auth-session.queries.js';
import type { AppContext } from './context.js';
import { errorBody, sendJsonError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person (session cookie) or API token holder; null when anonymous. Set by `authenticate`. */
    actor: Actor | null;
  }
}

/** httpOnly, SameSite=Lax session cookie holding a random secret; the database has its hash. */
export const SESSION_COOKIE = 'hallway_session';

export function sessionCookieOptions(ctx: AppContext) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.baseUrl.startsWith('https://'),
    maxAge: 30 * 86_400,
  };
}

/**
 * Registers cookies (signed with the instance secret) and CSRF protection at the root, and
 * declares `request.actor`. Public, cached pages never call `authenticate`, so they stay the same
 * for everyone and cost no session lookup.
 */
export async function registerAuth(app: FastifyInstance, ctx: AppContext, secret: string): Promise<void> {
  await app.register(cookie, { secret });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, signed: true, secure: ctx.config.baseUrl.startsWith('https://') },
  });
  app.decorateRequest('actor', null);
}

/** preHandler: reads the session cookie and sets request.actor (null when absent or expired). */
export function authenticate(ctx: AppContext): preHandlerAsyncHookHandler {
  return async (request) => {
    const secret = request.cookies[SESSION_COOKIE];
    request.actor = secret ? await findActorBySession(ctx.db, secret, ctx.clock) : null;
  };
}

/** preHandler for pages that need a signed-in person: redirects to sign in, then back. */
export const requireSignedInPage: preHandlerAsyncHookHandler = async (request: FastifyRequest, reply: FastifyReply) => {
  if (!request.actor) {
    const next = encodeURIComponent(request.url);
    return reply.redirect(`/sign-in?next=${next}`, 303);
  }
};

/** preHandler for API routes that need a token: 401 in the one JSON error shape. */
export const requireSignedInApi: preHandlerAsyncHookHandler = async (request: FastifyRequest, reply: FastifyReply) => {
  if (!request.actor)
    return sendJsonError(reply, errorBody(401, 'UNAUTHENTICATED', 'Sign in, or send a personal access token as "Authorization: Bearer <token>".'));
};
