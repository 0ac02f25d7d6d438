import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import { toEventRecord } from '../../modules/events/records.js';
import { acceptOptimizerRun, discardOptimizerRun, startOptimizerRun, stopOptimizerRun } from '../../modules/planning/optimizer.actions.js';
import { listOptimizerRuns, loadOptimizerRun, proposableEvent, type RunListItem } from '../../modules/planning/optimizer.queries.js';
import { presentRun, type ChangeView, type FiguresView, type RunView } from '../../modules/planning/proposal.js';
import { PROPOSE_GRAINS, type ProposeOptions } from '../../modules/planning/proposal.schemas.js';
import { SESSION_KIND_LABELS } from '../../modules/program/session.js';
import { ErrorSummary, PostForm, SelectField, TextField, formStateFromError, type FormState } from '../components/form.js';
import { attrText } from '../components/html.js';
import { formatDayShort } from '../components/time-format.js';
import { redirectWithNotice, sendPage } from '../private.js';
import { bo, boContext, boPage, DataTable, Facts, formBody, idParam, loadEvent, type BoContext } from './shared.js';

/*
 * "Propose a programme" (issue 14), organizers, linked from the schedule editor:
 *   GET  /manage/events/:id/schedule/propose                  the form (days, rooms, grain, time,
 *                                                             audience per voter, room restrictions
 *                                                             per track and kind; prefilled with the
 *                                                             last run's) and the latest runs
 *   POST /manage/events/:id/schedule/propose                  start (startOptimizerRun): to the run's
 *                                                             page, or the form with what cannot be
 *                                                             satisfied (422, nothing started)
 *   GET  /manage/events/:id/schedule/propose/:runId           the run: progress while it runs (the
 *                                                             page reloads itself every 2 s without
 *                                                             JavaScript; assets/propose.js updates it
 *                                                             in place), then the proposal as a diff
 *                                                             with the explanations of the current
 *                                                             draft and the proposal side by side
 *   GET  /manage/events/:id/schedule/propose/:runId/state     the run's progress as JSON (the script)
 *   POST /manage/events/:id/schedule/propose/:runId/stop|accept|discard
 * Accepting writes the proposal into the draft (never public): the editor shows it, and the
 * Releases tab publishes it when the organizer releases.
 */

const KINDS_PLACED = ['talk', 'lightning', 'panel', 'workshop', 'keynote'] as const;

export async function proposePages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/schedule/propose', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const eventId = idParam(request, 'eventId');
    return sendPage(reply, await renderForm(ctx, c, eventId));
  });

  app.post('/manage/events/:eventId/schedule/propose', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const eventId = idParam(request, 'eventId');
    const body = formBody(request);
    try {
      const run = await startOptimizerRun(ctx, c.actor, eventId, optionsFromForm(body));
      return reply.redirect(runUrl(eventId, run.id), 303);
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 403 || err.status === 404 || err.status >= 500) throw err;
      return sendPage(reply, await renderForm(ctx, c, eventId, formStateFromError(err, body), err), err.status);
    }
  });

  app.get('/manage/events/:eventId/schedule/propose/:runId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const eventId = idParam(request, 'eventId');
    const event = await proposableEvent(ctx.db, c.actor, eventId);
    const run = await loadOptimizerRun(ctx, c.actor, eventId, idParam(request, 'runId'));
    return sendPage(reply, renderRun(c, toEventRecord(event), presentRun(run)));
  });

  app.get('/manage/events/:eventId/schedule/propose/:runId/state', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const run = await loadOptimizerRun(ctx, c.actor, idParam(request, 'eventId'), idParam(request, 'runId'));
    return reply.type('application/json; charset=utf-8').send({ status: run.status, progress: run.progress, text: progressText(run.status, run.progress) });
  });

  const decide = (what: 'stop' | 'accept' | 'discard') =>
    app.post(`/manage/events/:eventId/schedule/propose/:runId/${what}`, async (request, reply) => {
      const c = boContext(request, reply);
      if (!c) return reply;
      const eventId = idParam(request, 'eventId');
      const runId = idParam(request, 'runId');
      try {
        if (what === 'stop') {
          const run = await stopOptimizerRun(ctx, c.actor, eventId, runId);
          await ctx.optimizer.settled(runId);
          return redirectWithNotice(reply, runUrl(eventId, runId), `Proposal ${run.number} stopped: its best programme so far is kept.`);
        }
        if (what === 'discard') {
          const run = await discardOptimizerRun(ctx, c.actor, eventId, runId);
          return redirectWithNotice(reply, bo.event(eventId, 'schedule/propose'), `Proposal ${run.number} discarded: the draft is unchanged.`);
        }
        const done = await acceptOptimizerRun(ctx, c.actor, eventId, runId);
        return redirectWithNotice(
          reply,
          bo.event(eventId, 'schedule'),
          `Proposal ${done.run.number} accepted into the draft: ${done.moved} session${done.moved === 1 ? '' : 's'} moved, ${done.placed} placed. Release it from the Releases tab when it is ready.`,
        );
      } catch (err) {
        if (!(err instanceof DomainError) || err.status === 403 || err.status === 404 || err.status >= 500) throw err;
        const event = await proposableEvent(ctx.db, c.actor, eventId);
        const run = await loadOptimizerRun(ctx, c.actor, eventId, runId);
        return sendPage(reply, renderRun(c, toEventRecord(event), presentRun(run), err), err.status);
      }
    });
  decide('stop');
  decide('accept');
  decide('discard');
}

export function runUrl(eventId: number, runId: number): string {
  return bo.event(eventId, `schedule/propose/${runId}`);
}

/**
 * The form's fields as the action's input: repeated checkboxes `days` and `roomIds`, and one
 * multiple select per track (`track.<id>`) and per kind (`kind.<kind>`) of the rooms it may use.
 */
export function optionsFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]);
  const trackRooms: Array<{ trackId: string; roomIds: unknown[] }> = [];
  const kindRooms: Array<{ kind: string; roomIds: unknown[] }> = [];
  for (const [k, v] of Object.entries(body)) {
    const t = /^track\.(\d{1,9})$/.exec(k);
    if (t) trackRooms.push({ trackId: t[1]!, roomIds: list(v) });
    const kind = /^kind\.([a-z]{1,20})$/.exec(k);
    if (kind) kindRooms.push({ kind: kind[1]!, roomIds: list(v) });
  }
  return {
    days: list(body.days),
    roomIds: list(body.roomIds),
    grainMinutes: body.grainMinutes,
    timeLimitSeconds: body.timeLimitSeconds,
    attendeesPerVoter: body.attendeesPerVoter,
    seed: body.seed,
    trackRooms,
    kindRooms,
  };
}

async function renderForm(ctx: AppContext, c: BoContext, eventId: number, failed?: FormState, error?: DomainError): Promise<string> {
  const ed = await loadEvent(ctx, c, eventId, 'manage');
  const { runs, lastOptions } = await listOptimizerRuns(ctx, c.actor, eventId);
  const o: ProposeOptions = lastOptions;
  const submitted = failed?.values;
  const checkedDays = new Set(submitted ? (submitted.days ?? '').split(',') : o.days.length ? o.days : ed.days);
  const checkedRooms = new Set(submitted ? (submitted.roomIds ?? '').split(',') : (o.roomIds.length ? o.roomIds : ed.rooms.map((r) => r.id)).map(String));
  const f: FormState = failed ?? {
    values: {
      grainMinutes: String(o.grainMinutes),
      timeLimitSeconds: String(o.timeLimitSeconds),
      attendeesPerVoter: o.attendeesPerVoter === null ? '' : String(o.attendeesPerVoter),
      seed: String(o.seed),
      ...Object.fromEntries(o.trackRooms.map((r) => [`track.${r.trackId}`, r.roomIds.join(',')])),
      ...Object.fromEntries(o.kindRooms.map((r) => [`kind.${r.kind}`, r.roomIds.join(',')])),
    },
    errors: {},
  };
  const rooms = ed.rooms.map((r) => ({ value: String(r.id), label: r.name }));
  const running = runs.find((r) => r.status === 'running');
  const problems = error?.code === 'OPTIMIZER_UNSATISFIABLE' ? error.problems : [];
  return boPage(c, {
    title: 'Propose a programme',
    event: { ed, section: 'schedule' },
    children: (
      <>
        <h1>Propose a programme</h1>
        <p class="lede">
          Hallway places the talks so that as many people as possible can see what they said they want to see (the interest poll and stars on the programme),
          then keeps rooms from overflowing, tracks together, and the last release's times where it can. Pinned sessions, keynotes, breaks and blockers stay
          where they are. The proposal changes nothing until you accept it, and accepting changes only the draft: the public sees it when you release.
        </p>
        <p>
          <a href={bo.event(eventId, 'schedule')}>Back to the schedule editor</a>
        </p>
        {running ? (
          <p class="notice" role="status">
            <a href={runUrl(eventId, running.id)} safe>{`Proposal ${running.number} is being worked out: follow it`}</a>
          </p>
        ) : (
          ''
        )}
        {problems.length ? (
          <div class="error-summary" role="alert" tabindex="-1">
            <p safe>{`The optimizer cannot run on this input (nothing was started): ${problems.length} problem${problems.length === 1 ? '' : 's'}.`}</p>
            <ul class="propose-problems">
              {problems.map((p) => (
                <li safe>{p.message.replace(/^[A-Z_]+: /, '')}</li>
              ))}
            </ul>
          </div>
        ) : (
          <ErrorSummary state={f} />
        )}
        <PostForm action={bo.event(eventId, 'schedule/propose')} csrf={c.csrf} class="propose-form" label="Propose a programme">
          <fieldset>
            <legend>Days</legend>
            {ed.days.map((d) => (
              <div class="field field-checkbox">
                <input id={`f-day-${d}`} type="checkbox" name="days" value={d} checked={checkedDays.has(d)} />
                <label for={`f-day-${d}`} safe>
                  {formatDayShort(d)}
                </label>
              </div>
            ))}
          </fieldset>
          <fieldset>
            <legend>Rooms</legend>
            {ed.rooms.length === 0 ? <p>The event has no rooms yet.</p> : ''}
            {ed.rooms.map((r) => (
              <div class="field field-checkbox">
                <input id={`f-room-${r.id}`} type="checkbox" name="roomIds" value={String(r.id)} checked={checkedRooms.has(String(r.id))} />
                <label for={`f-room-${r.id}`} safe>{`${r.name}${r.capacity === null ? '' : ` (${r.capacity} seats)`}`}</label>
              </div>
            ))}
          </fieldset>
          <SelectField
            name="grainMinutes"
            label="Sessions start every"
            state={f}
            options={PROPOSE_GRAINS.map((g) => ({ value: String(g), label: `${g} minutes` }))}
          />
          <TextField name="timeLimitSeconds" type="number" min="1" max="120" label="Search for (seconds)" state={f} />
          <TextField
            name="attendeesPerVoter"
            type="number"
            min="1"
            step="0.1"
            label="People per vote"
            hint="How many attendees one vote stands for, to estimate how full rooms get. Empty: the seats taken by RSVPs (or the capacity) divided by the number of voters."
            state={f}
          />
          <TextField name="seed" type="number" min="0" label="Seed" hint="The same draft and seed give the same proposal." state={f} />
          {ed.tracks.length && ed.rooms.length ? (
            <fieldset>
              <legend>Rooms per track (optional)</legend>
              <p class="hint">Select the only rooms a track's sessions may use; none selected: any room.</p>
              {ed.tracks.map((t) => (
                <SelectField name={`track.${t.id}`} label={t.name} state={f} options={rooms} multiple />
              ))}
            </fieldset>
          ) : (
            ''
          )}
          {ed.rooms.length ? (
            <fieldset>
              <legend>Rooms per format (optional)</legend>
              <p class="hint">For example workshops only in the rooms with tables; none selected: any room.</p>
              {KINDS_PLACED.map((k) => (
                <SelectField name={`kind.${k}`} label={SESSION_KIND_LABELS[k]} state={f} options={rooms} multiple />
              ))}
            </fieldset>
          ) : (
            ''
          )}
          <button type="submit">Propose a programme</button>
        </PostForm>
        <RunList eventId={eventId} runs={runs} />
      </>
    ),
  });
}

function RunList(p: { eventId: number; runs: readonly RunListItem[] }): JSX.Element {
  return (
    <section aria-labelledby="propose-runs-h">
      <h2 id="propose-runs-h">Earlier proposals</h2>
      <DataTable caption="Earlier proposals" headers={['Proposal', 'Status', 'Started', 'By']} empty="None yet.">
        {p.runs.map((r) => (
          <tr>
            <td>
              <a href={runUrl(p.eventId, r.id)} safe>{`Proposal ${r.number}`}</a>
            </td>
            <td safe>{STATUS_LABELS[r.status]}</td>
            <td safe>{r.createdAt.replace('T', ' ').slice(0, 16)} UTC</td>
            <td safe>{r.createdBy}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

const STATUS_LABELS: Record<string, string> = {
  running: 'being worked out',
  done: 'ready to review',
  stopped: 'stopped (best so far kept)',
  failed: 'failed',
  accepted: 'accepted into the draft',
  discarded: 'discarded',
};

/** The progress line, the same words as assets/propose.js writes. */
export function progressText(status: string, progress: RunView['run']['progress']): string {
  const label = STATUS_LABELS[status] ?? status;
  if (!progress) return status === 'running' ? 'Starting…' : `Status: ${label}.`;
  const b = progress.best;
  const seconds = (progress.elapsedMs / 1000).toFixed(1);
  return `${status === 'running' ? 'Working' : `Status: ${label}`}: ${seconds} s, ${progress.iterations.toLocaleString('en')} moves tried. Best so far: ${b.missed} missed preference${b.missed === 1 ? '' : 's'}, ${Math.round(b.overflow)} people over capacity.`;
}

function renderRun(c: BoContext, event: ReturnType<typeof toEventRecord>, view: RunView, error?: DomainError): string {
  const run = view.run;
  const id = event.id;
  const running = run.status === 'running';
  const decidable = run.status === 'done' || run.status === 'stopped';
  return boPage(c, {
    title: `Proposal ${run.number}`,
    event: { ed: { event, permissions: { manageEvent: true, editableTrackIds: 'all' } }, section: 'schedule' },
    scripts: running ? ['/assets/propose.js'] : [],
    refreshSeconds: running ? 2 : undefined,
    children: (
      <div class="propose-run" data-run-state={attrText(bo.event(id, `schedule/propose/${run.id}/state`))} data-status={run.status}>
        <h1 safe>{`Proposal ${run.number}`}</h1>
        <p>
          <a href={bo.event(id, 'schedule')}>Schedule editor</a> · <a href={bo.event(id, 'schedule/propose')}>Propose again</a>
        </p>
        {error ? (
          <div class="error-summary" role="alert" tabindex="-1">
            <p safe>{error.message}</p>
          </div>
        ) : (
          ''
        )}
        <p class="propose-progress" role="status" aria-live="polite" safe>
          {progressText(run.status, run.progress)}
        </p>
        {run.status === 'failed' ? <p safe>{run.message}</p> : ''}
        {running ? (
          <>
            <p class="hint">This page follows the optimizer by itself. Stop it at any time: the best programme found so far is kept.</p>
            <PostForm action={bo.event(id, `schedule/propose/${run.id}/stop`)} csrf={c.csrf} class="inline" label="Stop the optimizer">
              <button type="submit" class="secondary">
                Stop
              </button>
            </PostForm>
          </>
        ) : (
          ''
        )}
        <Facts
          items={[
            ['Talks', String(run.summary.talks.length)],
            ['Rooms', String(run.summary.rooms.length)],
            ['Voters', String(run.summary.voters)],
            ['Preferences', String(run.summary.preferences)],
            ['People per vote', `${run.summary.attendeesPerVoter} (${run.summary.attendeesPerVoterReason})`],
            ['Started by', run.createdBy],
          ]}
        />
        {view.proposed ? <Explanations current={view.current} proposed={view.proposed} /> : ''}
        {view.proposed ? <Changes view={view} /> : ''}
        {decidable ? (
          <div class="propose-decide">
            <PostForm action={bo.event(id, `schedule/propose/${run.id}/accept`)} csrf={c.csrf} class="inline" label="Accept the proposal">
              <button type="submit">Accept into the draft</button>
            </PostForm>{' '}
            <PostForm action={bo.event(id, `schedule/propose/${run.id}/discard`)} csrf={c.csrf} class="inline" label="Discard the proposal">
              <button type="submit" class="secondary">
                Discard
              </button>
            </PostForm>
            <p class="hint">Accepting changes the draft programme only; the public sees it when you release it (Releases tab).</p>
          </div>
        ) : (
          ''
        )}
        {running ? (
          <PostForm action={bo.event(id, `schedule/propose/${run.id}/discard`)} csrf={c.csrf} class="inline" label="Discard the proposal">
            <button type="submit" class="secondary">
              Stop and discard
            </button>
          </PostForm>
        ) : (
          ''
        )}
      </div>
    ),
  });
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

function Explanations(p: { current: FiguresView; proposed: FiguresView }): JSX.Element {
  const rows: Array<[string, (f: FiguresView) => string]> = [
    ['Preferences that can be attended', (f) => `${f.attendable} of ${f.preferences} (${pct(f.attendableShare)})`],
    ['Missed preferences', (f) => String(f.score.missed)],
    ['People missing at least one', (f) => `${f.votersWithMiss} of ${f.voters}`],
    ['Misses per person: 95th percentile', (f) => String(f.p95Misses)],
    ['Misses per person: worst', (f) => String(f.maxMisses)],
    ['People over room capacity', (f) => String(Math.round(f.score.overflow))],
    ['Empty seats in big rooms', (f) => String(Math.round(f.score.emptySeats))],
    ['Track spread', (f) => String(f.score.trackSpread)],
    ['Changes from the last release', (f) => String(f.score.changes)],
  ];
  return (
    <section aria-labelledby="propose-why-h" class="propose-why">
      <h2 id="propose-why-h">Current draft and proposal</h2>
      <div class="bo-table-wrap">
        <table class="data-table">
          <caption class="vh">The current draft's figures and the proposal's, side by side</caption>
          <thead>
            <tr>
              <th scope="col">Figure</th>
              <th scope="col">Current draft</th>
              <th scope="col">Proposal</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, value]) => (
              <tr>
                <th scope="row" safe>
                  {label}
                </th>
                <td safe>{value(p.current)}</td>
                <td safe>{value(p.proposed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="propose-side">
        <Conflicts title="Worst conflicts in the current draft" list={p.current.conflicts} />
        <Conflicts title="Worst conflicts left in the proposal" list={p.proposed.conflicts} />
      </div>
      <h3>Expected fill per room</h3>
      <DataTable
        caption="Expected fill per room, current draft and proposal"
        headers={['Room', 'Seats', 'Current: peak audience', 'Current: sessions over capacity', 'Proposal: peak audience', 'Proposal: sessions over capacity']}
        empty="No rooms."
      >
        {p.proposed.rooms.map((r, i) => {
          const cur = p.current.rooms[i];
          return (
            <tr>
              <td safe>{r.room}</td>
              <td safe>{r.capacity === null ? 'unknown' : String(r.capacity)}</td>
              <td safe>{String(cur?.peakDemand ?? 0)}</td>
              <td>{cur?.overflowing ? `${cur.overflowing} (${cur.overflow} people)` : '0'}</td>
              <td safe>{String(r.peakDemand)}</td>
              <td>{r.overflowing ? `${r.overflowing} (${r.overflow} people)` : '0'}</td>
            </tr>
          );
        })}
      </DataTable>
    </section>
  );
}

function Conflicts(p: { title: string; list: FiguresView['conflicts'] }): JSX.Element {
  return (
    <div>
      <h3 safe>{p.title}</h3>
      {p.list.length === 0 ? (
        <p>None: nobody wants two talks at the same time.</p>
      ) : (
        <ul class="propose-conflicts">
          {p.list.map((c) => (
            <li safe>{`${c.both} people want both “${c.a.title}” and “${c.b.title}” at ${c.at.slice(11)} (${c.at.slice(0, 10)})`}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Changes(p: { view: RunView }): JSX.Element {
  const { moved, placed, unchanged } = p.view.changes;
  const when = (x: ChangeView['to']) => `${x.room}, ${x.start.replace('T', ' ')}–${x.end.slice(11)}`;
  return (
    <section aria-labelledby="propose-diff-h" class="propose-diff">
      <h2 id="propose-diff-h" safe>{`What changes: ${moved.length} moved, ${placed.length} newly placed, ${unchanged} unchanged`}</h2>
      <h3>Moved</h3>
      <DataTable caption="Sessions the proposal moves" headers={['Session', 'From', 'To']} empty="Nothing moves.">
        {moved.map((c) => (
          <tr data-key={c.key}>
            <td safe>{c.title}</td>
            <td>{c.from ? when(c.from) : ''}</td>
            <td safe>{when(c.to)}</td>
          </tr>
        ))}
      </DataTable>
      <h3>Newly placed</h3>
      <DataTable caption="Sessions and accepted proposals the proposal places" headers={['Session', 'Was', 'To']} empty="Nothing new is placed.">
        {placed.map((c) => (
          <tr data-key={c.key}>
            <td safe>{c.title}</td>
            <td>{c.proposalId !== null ? 'accepted proposal' : 'off the grid'}</td>
            <td safe>{when(c.to)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
