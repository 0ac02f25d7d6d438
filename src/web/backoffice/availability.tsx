import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { datesBetween } from '../../lib/time.js';
import { setOpeningHours } from '../../modules/planning/availability.actions.js';
import { windowsOf } from '../../modules/planning/availability.queries.js';
import { editableEvent } from '../../modules/planning/editor.queries.js';
import type { WindowInput } from '../../modules/planning/planning.schemas.js';
import { ErrorSummary, PostForm, SelectField, TextField, formState, type FormState } from '../components/form.js';
import { attrText } from '../components/html.js';
import { formatDayMedium } from '../components/time-format.js';
import { sendPage } from '../private.js';
import { bo, boContext, boPage, formBody, gatherRows, idParam, loadEvent, queryOf, submitForm, type BoContext } from './shared.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';

/*
 * Opening hours (organizers), which the schedule editor warns about:
 *   GET  /manage/events/:id/schedule/hours            the event's hours, or a room's (?roomId)
 *   POST /manage/events/:id/schedule/hours            setOpeningHours (roomId blank: the event)
 * WindowsFields is also the speakers' availability form (back-office speaker page, and the
 * speaker's own proposal page).
 */
export async function openingHoursPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/schedule/hours', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const roomId = Number(queryOf(request).roomId) || null;
    const room = roomId === null ? null : ed.rooms.find((r) => r.id === roomId);
    const row = await editableEvent(ctx.db, c.actor, ed.event.id);
    const windows = await windowsOf(ctx.db, row, room ? { kind: 'room', roomId: room.id } : { kind: 'event' });
    return sendPage(reply, renderHours(c, ed, room?.id ?? null, windows, formState()));
  });

  app.post('/manage/events/:eventId/schedule/hours', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    const roomId = Number(body.roomId) || null;
    return submitForm(
      reply,
      body,
      () => setOpeningHours(ctx, c.actor, ed.event.id, { roomId, windows: gatherRows(body, 'windows') }),
      (n) => ({
        to: bo.event(ed.event.id, `schedule/hours${roomId ? `?roomId=${roomId}` : ''}`),
        notice: `Opening hours saved: ${n ? `${n} window${n === 1 ? '' : 's'}` : 'no restriction'}.`,
      }),
      (state) => renderHours(c, ed, roomId, [], state),
    );
  });
}

function renderHours(c: BoContext, ed: EventForEditing, roomId: number | null, windows: readonly WindowInput[], state: FormState): string {
  const id = ed.event.id;
  const room = roomId === null ? null : ed.rooms.find((r) => r.id === roomId);
  const title = room ? `Opening hours of ${room.name}` : "The event's hours";
  return boPage(c, {
    title,
    event: { ed, section: 'schedule' },
    children: (
      <>
        <h1 safe>{title}</h1>
        <p class="lede" safe>
          {`The schedule editor warns about sessions outside these hours. No window means no restriction. Times are local to the venue (${ed.event.timeZone}); a window ending at or before its start ends the next day.`}
        </p>
        <nav aria-label="Whose hours">
          <ul class="ed-hours-nav">
            <li>
              <a href={bo.event(id, 'schedule/hours')} aria-current={room ? undefined : 'page'}>
                The event
              </a>
            </li>
            {ed.rooms.map((r) => (
              <li>
                <a href={attrText(bo.event(id, `schedule/hours?roomId=${r.id}`))} aria-current={room?.id === r.id ? 'page' : undefined} safe>
                  {r.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <ErrorSummary state={state} />
        <PostForm action={bo.event(id, 'schedule/hours')} csrf={c.csrf} label={title}>
          <input type="hidden" name="roomId" value={room ? String(room.id) : ''} />
          <WindowsFields days={datesBetween(ed.event.startDate, ed.event.endDate)} windows={windows} state={state} legend="Open" />
          <button type="submit">Save hours</button> <a href={bo.event(id, 'schedule')}>Back to the schedule editor</a>
        </PostForm>
      </>
    ),
  });
}

/**
 * Rows of windows (`windows[i].day`, `.from`, `.to`): the stored ones, then blank rows (a blank
 * row is dropped), one per programme day at least.
 */
export function WindowsFields(p: { days: readonly string[]; windows: readonly WindowInput[]; state: FormState; legend: string }): JSX.Element {
  const submitted = Object.keys(p.state.values)
    .map((k) => /^windows\[(\d+)\]\./.exec(k)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number);
  const count = Math.min(100, Math.max(p.windows.length + 1, p.days.length, ...submitted.map((n) => n + 1)));
  const value = (i: number, f: keyof WindowInput) => p.windows[i]?.[f] ?? (f === 'day' ? (p.days[i] ?? p.days[0] ?? '') : '');
  return (
    <fieldset class="ed-windows">
      <legend safe>{p.legend}</legend>
      <p class="hint">Leave both times of a row empty to drop it.</p>
      {Array.from({ length: count }, (_, i) => (
        <fieldset class="bo-row">
          <legend safe>{`Window ${i + 1}`}</legend>
          <SelectField
            name={`windows[${i}].day`}
            label="Day"
            state={p.state}
            fallback={value(i, 'day')}
            options={p.days.map((d) => ({ value: d, label: formatDayMedium(d) }))}
          />
          <TextField name={`windows[${i}].from`} type="time" label="From" state={p.state} fallback={value(i, 'from')} />
          <TextField name={`windows[${i}].to`} type="time" label="To" state={p.state} fallback={value(i, 'to')} />
        </fieldset>
      ))}
    </fieldset>
  );
}
