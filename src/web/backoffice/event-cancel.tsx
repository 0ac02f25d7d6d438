import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { CancelEventSchema } from '../../modules/events/event.schemas.js';
import { parseInput } from '../../modules/events/fields.schemas.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { cancelEvent, cancellationRecipients } from '../../modules/registration/event-cancel.actions.js';
import { registrationContext } from '../../modules/registration/rsvp.queries.js';
import { ErrorSummary, PostForm, TextArea, formState, formStateFromError, type FormState } from '../components/form.js';
import { attrText, plural } from '../components/html.js';
import { sendPage } from '../private.js';
import { bo, boContext, boPage, formBody, idParam, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * Calling an event off (organizers), in two steps that work without JavaScript:
 *   GET  /manage/events/:id/cancel   the reason form (also on the settings page), or what was
 *                                    decided once the event is cancelled
 *   POST /manage/events/:id/cancel   without confirm=yes: checks the reason and asks to confirm,
 *                                    naming how many people will be mailed; with it: cancelEvent
 * The reason is posted again with the confirmation (a hidden field): nothing is stored before.
 */
export async function eventCancelPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const rctx = await registrationContext(ctx.db, ctx.config);

  app.get('/manage/events/:eventId/cancel', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    return sendPage(reply, renderCancelPage(c, ed, formState()));
  });

  app.post('/manage/events/:eventId/cancel', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    if (body.confirm !== 'yes') {
      let reason: string;
      try {
        reason = parseInput(CancelEventSchema, body).reason;
      } catch (err) {
        const state = formStateFromError(err, body);
        return sendPage(reply, renderCancelPage(c, ed, state), 422);
      }
      const people = await cancellationRecipients(ctx.db, ed.event.id);
      return sendPage(reply, renderConfirmation(c, ed, reason, people.length));
    }
    return submitForm(
      reply,
      body,
      () => cancelEvent(ctx.db, rctx, c.actor, ed.event.id, body),
      (r) => ({ to: bo.event(r.event.id), notice: `"${r.event.title}" is cancelled; ${plural(r.mailed, 'person', 'people')} going or waitlisted got the reason by e-mail.` }),
      (state) => renderCancelPage(c, ed, state),
    );
  });
}

const CANCEL_LABELS: Record<string, string> = { reason: 'Reason' };

/** The first step: the reason. Shown on the settings page and on its own page. */
export function CancelEventForm(p: { c: BoContext; ed: EventForEditing; state: FormState }): JSX.Element {
  const e = p.ed.event;
  if (e.cancelledAt) {
    // The summary explains a refused second cancellation (EVENT_ALREADY_CANCELLED).
    return (
      <>
        <ErrorSummary state={p.state} labels={CANCEL_LABELS} />
        <p class="notice notice-cancelled" safe>
          {`Cancelled on ${e.cancelledAt.slice(0, 10)}: ${e.cancellationReason ?? 'no reason was recorded.'}`}
        </p>
      </>
    );
  }
  return (
    <>
      <p>
        Cancelling is final: the public pages say "Cancelled" with your reason, RSVPs and session sign-ups close, reminders stop, and everyone going or on a
        waitlist gets one e-mail with the reason. You confirm on the next page.
      </p>
      <ErrorSummary state={p.state} labels={CANCEL_LABELS} />
      <PostForm action={bo.event(e.id, 'cancel')} csrf={p.c.csrf} label="Cancel the event">
        <TextArea name="reason" label="Reason" hint="Shown publicly on the event page and sent to attendees." rows={3} state={p.state} required />
        <button type="submit" class="danger">
          Cancel event…
        </button>
      </PostForm>
    </>
  );
}

function renderCancelPage(c: BoContext, ed: EventForEditing, state: FormState): string {
  return boPage(c, {
    title: 'Cancel event',
    event: { ed, section: 'edit' },
    children: (
      <>
        <h1>Cancel event</h1>
        <CancelEventForm c={c} ed={ed} state={state} />
      </>
    ),
  });
}

function renderConfirmation(c: BoContext, ed: EventForEditing, reason: string, people: number): string {
  const e = ed.event;
  return boPage(c, {
    title: 'Confirm cancellation',
    event: { ed, section: 'edit' },
    children: (
      <>
        <h1 safe>{`Cancel "${e.title}"?`}</h1>
        <p safe>{`${plural(people, 'person', 'people')} going or waitlisted will get one e-mail with this reason, and the public pages will show it:`}</p>
        <blockquote class="notice notice-cancelled" safe>
          {reason}
        </blockquote>
        <PostForm action={bo.event(e.id, 'cancel')} csrf={c.csrf} label="Confirm the cancellation">
          <input type="hidden" name="reason" value={attrText(reason)} />
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="danger">
            Yes, cancel the event
          </button>
        </PostForm>
        <p>
          <a href={bo.event(e.id, 'edit')}>No, keep the event</a>
        </p>
      </>
    ),
  });
}
