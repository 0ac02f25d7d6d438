import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import { listSignupSessions } from '../../../modules/registration/registration-pages.queries.js';
import { RegistrationErrors } from '../../../modules/registration/registration.errors.js';
import type { RegistrationContext } from '../../../modules/registration/rsvp.queries.js';
import { cancelSessionSignup, signUpForSession } from '../../../modules/registration/session-signup.actions.js';
import { enumOf, instant, int, listOf, nullable, object, one, str } from '../zod-schema.js';
import { meRoute } from './route.js';

type Params = { slug: string; code: string };

const SIGNUP_STATUSES = ['going', 'waitlisted', 'cancelled'] as const;
const mine = object({ status: enumOf(SIGNUP_STATUSES), waitlistPosition: nullable(int('1-based, while waitlisted.')) });

const SignupSessionSchema = object({
  sessionId: int(),
  code: str('The session’s code (as in the programme API).'),
  title: str(),
  startsAt: instant('UTC.'),
  endsAt: instant('UTC.'),
  capacity: nullable(int('null = no seat limit.')),
  going: int(),
  waitlisted: int(),
  mine: nullable(mine).describe('Your sign-up; null when you never signed up.'),
});

const SignupSchema = object({ sessionId: int(), status: enumOf(SIGNUP_STATUSES), waitlistPosition: nullable(int('1-based, while waitlisted.')) });

/** Session sign-ups (workshops with their own seats) of the token owner. */
export async function mySignupRoutes(app: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  const db = ctx.db;
  /** The event and the session (by its programme code) behind the URL. */
  const target = async (params: unknown) => {
    const { slug, code } = params as Params;
    const head = await ctx.snapshots.publishedHead(slug);
    const session = (await ctx.snapshots.snapshot(head)).sessionByCode.get(code);
    // The same answer as for a session without sign-up: codes cannot be probed.
    if (!session) throw RegistrationErrors.signupNotOffered();
    return { eventId: head.id, sessionId: session.id };
  };

  meRoute(app, {
    method: 'GET',
    url: '/events/:slug/signups',
    textParams: ['slug'],
    operationId: 'listMySignups',
    summary: 'Sessions that take sign-ups',
    description: 'The event’s sessions with their own seats, by start, with seats taken, the waitlist and your place.',
    ok: { status: 200, schema: listOf(SignupSessionSchema, 'The sessions.') },
    errors: [404],
    handler: async (request, _reply, { actor }) => {
      const head = await ctx.snapshots.publishedHead((request.params as Params).slug);
      return { data: await listSignupSessions(db, head.id, actor.userId) };
    },
  });

  meRoute(app, {
    method: 'PUT',
    url: '/events/:slug/sessions/:code/signup',
    textParams: ['slug', 'code'],
    operationId: 'signUpForSession',
    summary: 'Sign up for a session',
    description:
      'A seat when one is free, else a place in the session’s line. Idempotent. Needs a going RSVP to the event (RSVP_REQUIRED). Refused with SIGNUP_OVERLAP (409, `problems` name the sessions) when you already hold or wait for a place at an overlapping time and the organizer does not allow overlaps; SIGNUP_NOT_OFFERED, EVENT_PAST, EVENT_CANCELLED (409).',
    ok: { status: 200, schema: one(SignupSchema, 'Your sign-up.') },
    errors: [404, 409],
    handler: async (request, _reply, { actor }) => {
      const t = await target(request.params);
      return { data: await signUpForSession(db, rctx, actor, t.eventId, t.sessionId) };
    },
  });

  meRoute(app, {
    method: 'DELETE',
    url: '/events/:slug/sessions/:code/signup',
    textParams: ['slug', 'code'],
    operationId: 'cancelSessionSignup',
    summary: 'Cancel a session sign-up',
    description:
      'Gives up the seat (it goes to the first in line) or the place in line. Cancelling again changes nothing. RSVP_NOT_FOUND (404) when you never signed up.',
    ok: { status: 200, schema: one(SignupSchema, 'Your sign-up.') },
    errors: [404, 409],
    handler: async (request, _reply, { actor }) => {
      const t = await target(request.params);
      return { data: await cancelSessionSignup(db, rctx, actor, t.eventId, t.sessionId) };
    },
  });
}
