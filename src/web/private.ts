import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../modules/accounts/actor.js';
import { authenticate } from '../http/auth.js';
import type { AppContext } from '../http/context.js';
import { DomainError } from '../lib/domain-error.js';

/**
 * Pages that depend on who is asking (account, back office): registered inside `privatePages`,
 * which
 *   - reads the session cookie into request.actor (public pages never do, so they stay cacheable),
 *   - marks every answer `Cache-Control: no-store` (nothing personal lands in a shared cache),
 *   - checks the CSRF token of every POST before its handler runs (403 CSRF_INVALID otherwise).
 * Handlers then call `signedInActor` (redirects to sign in) and the module's actions, which apply
 * the `can…` policies; a page never decides permissions on its own.
 */
export async function privatePages(app: FastifyInstance, ctx: AppContext, register: (scope: FastifyInstance) => Promise<void>): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.header('Cache-Control', 'no-store');
    });
    scope.addHook('preHandler', authenticate(ctx));
    scope.addHook('preHandler', async (request, reply) => {
      if (request.method !== 'POST') return;
      await new Promise<void>((resolve, reject) => {
        // @fastify/csrf-protection answers a bad or missing token itself (reply.send(error)) and
        // never calls back; catching that send turns it into CSRF_INVALID (our message, and the
        // hook finishes instead of waiting forever).
        const probe: FastifyReply = Object.create(reply, {
          send: {
            value: () => {
              reject(csrfError());
              return probe;
            },
          },
        });
        scope.csrfProtection(request, probe, (err?: Error) => (err ? reject(csrfError()) : resolve()));
      });
    });
    await register(scope);
  });
}

function csrfError(): DomainError {
  return new DomainError('CSRF_INVALID', 'This form has expired or did not come from this site. Go back, reload the page and try again.', 403);
}

/** A fresh CSRF token for the forms of the page being rendered. */
export function csrfToken(reply: FastifyReply): string {
  return reply.generateCsrf();
}

/**
 * The signed-in person, or null after answering with a redirect to the sign-in page (which
 * brings them back here afterwards). Use as: `const actor = signedInActor(req, reply); if (!actor) return reply;`
 */
export function signedInActor(request: FastifyRequest, reply: FastifyReply): Actor | null {
  if (request.actor) return request.actor;
  void reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
  return null;
}

/** Sends a rendered private page. */
export function sendPage(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/**
 * After a successful POST: back to a page (303, so reload does not resubmit), with a one-line
 * notice shown there once. The notice travels in a short-lived signed cookie, never the URL.
 */
export function redirectWithNotice(reply: FastifyReply, location: string, notice?: string): FastifyReply {
  if (notice) reply.setCookie(NOTICE_COOKIE, notice.slice(0, 300), { path: '/', httpOnly: true, sameSite: 'lax', signed: true, maxAge: 60 });
  return reply.redirect(location, 303);
}

const NOTICE_COOKIE = 'hallway_notice';

/** The notice left by the previous POST, consumed on read. */
export function takeNotice(request: FastifyRequest, reply: FastifyReply): string | undefined {
  const raw = request.cookies[NOTICE_COOKIE];
  if (!raw) return undefined;
  reply.clearCookie(NOTICE_COOKIE, { path: '/' });
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

/**
 * The one gate for every redirect target or "Back" link taken from input (`next`): only a path on
 * this site, else `fallback`. The input is parsed the way browsers parse it (WHATWG URL, which
 * strips tabs and newlines and reads `\\` as `/`) against a placeholder origin, and only the
 * parsed path, query and fragment are returned, never the raw text: so `/\t/evil.example`,
 * `/\\evil.example`, `https:evil.example` and `javascript:` all fall back, and a control
 * character can never reach a Location header.
 */
export function safeNext(next: unknown, fallback = '/manage'): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(next, SELF);
  } catch {
    return fallback;
  }
  if (url.origin !== SELF.origin) return fallback;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith('//') ? fallback : path; // `/.//evil.example` parses to the path `//evil.example`
}

const SELF = new URL('http://hallway.invalid/');
