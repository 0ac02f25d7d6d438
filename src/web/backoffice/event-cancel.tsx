import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { CancelEventSchema } from '../../modules/events/event.schemas.js';
import { parseInput } from '../../lib/form-fields.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { cancelEvent, cancellationRecipients } from '../../modules/registration/event-cancel.actions.js';
import { registrationContext } from '../../modules/registration/rsvp.queries.js';
import { PostForm, formState, formStateFromError } from '../components/form.js';
import { attrText, plural } from '../components/html.js';
import { sendPage } from '../private.js';
import { renderEditEvent } from './events.js';
import { bo, boContext, boPage, formBody, idParam, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * Calling an event off (organizers), in two steps that work without JavaScript, starting from
 * the reason form on the settings page (CancelEventForm in events.tsx):
 *   POST /manage/events/:id/cancel   without confirm=yes: checks the reason and asks to confirm,
 *                                    naming how many people will be mailed; with it: cancelEvent.
 *                                    A refusal shows the settings page with the problem.
 * The reason is posted again with the confirmation (a hidden field): nothing is stored before.
 */
export async function eventCancelPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const rctx = await registrationContext(ctx.db, ctx.config, ctx.clock);

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
        return sendPage(reply, renderEditEvent(c, ed, formState(), state), 422);
      }
      const people = await cancellationRecipients(ctx.db, ed.event.id);
      return sendPage(reply, renderConfirmation(c, ed, reason, people.length));
    }
    return submitForm(
      reply,
      body,
      () => cancelEvent(ctx.db, rctx, c.actor, ed.event.id, body),
      (r) => ({
        to: bo.event(r.event.id),
        notice: `"${r.event.title}" is cancelled; ${plural(r.mailed, 'person', 'people')} going or waitlisted got the reason by e-mail.`,
      }),
      (state) => renderEditEvent(c, ed, formState(), state),
    );
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
