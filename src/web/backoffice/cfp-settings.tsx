import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DEFAULT_DURATIONS, PROPOSABLE_KINDS, type CfpSettings } from '../../modules/cfp/cfp.js';
import type { CfpContext } from '../../modules/cfp/cfp-mail.js';
import { saveCfpSettings, setCfpClosedEarly } from '../../modules/cfp/cfp-settings.actions.js';
import { getCfpSettings } from '../../modules/cfp/cfp.queries.js';
import { localDateTime } from '../../modules/events/event-dates.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { SESSION_KIND_LABELS } from '../../modules/program/session.js';
import { ButtonForm, CheckboxField, ErrorSummary, PostForm, TextArea, TextField, formState, type FormState } from '../components/form.js';
import { cfpPaths, windowSentence } from '../cfp/parts.js';
import { bo, boContext, boPage, buttonAction, formBody, idParam, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * The call for proposals of an event (organizers):
 *   GET  /manage/events/:id/cfp           its settings form (dates in the event's zone, text, formats)
 *   POST /manage/events/:id/cfp           save
 *   POST /manage/events/:id/cfp/close     close it now, before its closing date
 *   POST /manage/events/:id/cfp/reopen    lift the early closing (the dates apply again)
 */
export async function cfpSettingsPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const cctx: CfpContext = { config: ctx.config, clock: ctx.clock };

  app.get('/manage/events/:eventId/cfp', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const cfp = await getCfpSettings(ctx.db, ed.event.id);
    return reply.type('text/html; charset=utf-8').send(render(c, ed, cfp, formState(valuesOf(cfp, ed.event.timeZone)), ctx.clock.instant()));
  });

  app.post('/manage/events/:eventId/cfp', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    const { input, fieldOf } = settingsInput(body);
    return submitForm(
      reply,
      body,
      () => saveCfpSettings(ctx.db, cctx, c.actor, ed.event.id, input),
      () => ({ to: bo.event(ed.event.id, 'cfp'), notice: 'The call for proposals is saved.' }),
      async (state) =>
        render(
          c,
          ed,
          await getCfpSettings(ctx.db, ed.event.id),
          { ...state, errors: Object.fromEntries(Object.entries(state.errors).map(([k, v]) => [fieldOf(k), v])) },
          ctx.clock.instant(),
        ),
    );
  });

  for (const [name, closed] of [
    ['close', true],
    ['reopen', false],
  ] as const) {
    app.post(`/manage/events/:eventId/cfp/${name}`, async (request, reply) => {
      const c = boContext(request, reply);
      if (!c) return reply;
      const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
      return buttonAction(
        reply,
        () => setCfpClosedEarly(ctx.db, cctx, c.actor, ed.event.id, closed),
        {
          to: bo.event(ed.event.id, 'cfp'),
          notice: closed ? 'The call for proposals is closed.' : 'The call for proposals is reopened: its dates apply again.',
        },
        async (error) => {
          const cfp = await getCfpSettings(ctx.db, ed.event.id);
          return render(c, ed, cfp, { ...formState(valuesOf(cfp, ed.event.timeZone)), message: error.message }, ctx.clock.instant());
        },
      );
    });
  }
}

/** The form's values for a stored call (local times in the event's zone), or the defaults for a new one. */
function valuesOf(cfp: CfpSettings | null, zone: string): Record<string, string> {
  const v: Record<string, string> = {};
  for (const k of PROPOSABLE_KINDS) v[`duration.${k}`] = String(DEFAULT_DURATIONS[k]);
  if (!cfp) return { ...v, 'format.talk': 'on' };
  for (const f of cfp.formats) {
    v[`format.${f.kind}`] = 'on';
    v[`duration.${f.kind}`] = String(f.durationMinutes);
  }
  return { ...v, opensAt: localDateTime(cfp.opensAt, zone), closesAt: localDateTime(cfp.closesAt, zone), callText: cfp.callText };
}

/**
 * The action's input from the flat form (a checkbox and a duration per format), and where each
 * problem path of it is shown (`formats[1].durationMinutes` → the second ticked format's duration).
 */
function settingsInput(body: Record<string, unknown>): { input: Record<string, unknown>; fieldOf: (path: string) => string } {
  const ticked = PROPOSABLE_KINDS.filter((k) => body[`format.${k}`] !== undefined && body[`format.${k}`] !== '');
  const input = {
    opensAt: body.opensAt,
    closesAt: body.closesAt,
    callText: body.callText,
    formats: ticked.map((kind) => ({ kind, durationMinutes: body[`duration.${kind}`] })),
  };
  const fieldOf = (path: string) => {
    const m = /^formats\[(\d+)\]/.exec(path);
    return m && ticked[Number(m[1])] ? `duration.${ticked[Number(m[1])]}` : path;
  };
  return { input, fieldOf };
}

const LABELS: Record<string, string> = {
  opensAt: 'Opens',
  closesAt: 'Closes',
  callText: 'The call',
  formats: 'Formats',
  ...Object.fromEntries(PROPOSABLE_KINDS.map((k) => [`duration.${k}`, `${SESSION_KIND_LABELS[k]} duration`])),
};

function render(c: BoContext, ed: EventForEditing, cfp: CfpSettings | null, state: FormState, now: string): string {
  const id = ed.event.id;
  const zone = ed.event.timeZone;
  return boPage(c, {
    title: 'Call for proposals',
    event: { ed, section: 'cfp' },
    children: (
      <>
        <h1>Call for proposals</h1>
        {cfp ? (
          <p>
            <span safe>{windowSentence(cfp, zone, now, ed.event.cancelledAt !== null)}</span> <a href={cfpPaths.call(ed.event.slug)}>Public call page</a> ·{' '}
            <a href={bo.event(id, 'proposals')}>Proposals</a>
          </p>
        ) : (
          <p>Set up the call to open a public page where speakers propose sessions; reviewers then rate them and you accept or reject them.</p>
        )}
        <ErrorSummary state={state} labels={LABELS} />
        <PostForm action={bo.event(id, 'cfp')} csrf={c.csrf} label="Call for proposals settings">
          <fieldset>
            <legend safe>{`When (local time in ${zone})`}</legend>
            <TextField name="opensAt" type="datetime-local" label="Opens" state={state} required />
            <TextField name="closesAt" type="datetime-local" label="Closes" hint="Proposals are taken until this moment." state={state} required />
          </fieldset>
          <TextArea
            name="callText"
            label="The call"
            hint="What you are looking for, who should propose, what speakers get. Plain text; blank lines separate paragraphs."
            rows={10}
            state={state}
          />
          <fieldset>
            <legend>Formats speakers may propose, and their length</legend>
            {state.errors.formats ? (
              <p class="error" id="f-formats" safe>
                {state.errors.formats}
              </p>
            ) : (
              ''
            )}
            {PROPOSABLE_KINDS.map((k) => (
              <div class="bo-row">
                <CheckboxField name={`format.${k}`} label={SESSION_KIND_LABELS[k]} state={state} />
                <TextField name={`duration.${k}`} type="number" min="5" max="480" label={`${SESSION_KIND_LABELS[k]}: minutes`} state={state} />
              </div>
            ))}
          </fieldset>
          <button type="submit">Save the call</button>
        </PostForm>
        {cfp ? (
          <section class="card bo-danger-zone" aria-labelledby="close-h">
            <h2 id="close-h">{cfp.closedAt ? 'Closed early' : 'Close early'}</h2>
            {cfp.closedAt ? (
              <>
                <p>You closed the call before its closing date. Reopening lets its dates decide again.</p>
                <ButtonForm action={bo.event(id, 'cfp/reopen')} csrf={c.csrf} label="Reopen the call" class="secondary" />
              </>
            ) : (
              <>
                <p>Stops new proposals and changes now, whatever the closing date says. Speakers can still withdraw.</p>
                <ButtonForm action={bo.event(id, 'cfp/close')} csrf={c.csrf} label="Close the call now" class="danger" />
              </>
            )}
          </section>
        ) : (
          ''
        )}
      </>
    ),
  });
}
