import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { MAX_PICKS, pollIsOpen, type InterestPoll } from '../../modules/interest/interest.js';
import { saveInterestPoll } from '../../modules/interest/interest.actions.js';
import { getInterestResults, type InterestResults } from '../../modules/interest/interest.queries.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { ErrorSummary, PostForm, SelectField, TextArea, TextField, formState, type FormState } from '../components/form.js';
import { attrText, paths, plural } from '../components/html.js';
import { LocalClock } from '../components/time-format.js';
import { sendPage } from '../private.js';
import { bo, boContext, boPage, DataTable, Facts, formBody, idParam, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * The interest poll of an event (issue 14):
 *   GET  /manage/events/:id/interest   the poll's settings (a form for organizers), how many people
 *                                      want each talk and the strongest co-interest pairs; the
 *                                      back-office team (organizers, track managers) sees the
 *                                      aggregates; nobody is named anywhere
 *   POST /manage/events/:id/interest   saveInterestPoll: 303 with a notice, or the form with the problems
 */
export async function interestPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/interest', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'));
    const results = await getInterestResults(ctx.db, c.actor, ed.event.id);
    return sendPage(reply, renderInterest(ctx, c, ed, results, formState(settingsValues(results.poll, ed.event.timeZone))));
  });

  app.post('/manage/events/:eventId/interest', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => saveInterestPoll(ctx, c.actor, ed.event.id, body),
      (poll) => ({
        to: bo.event(ed.event.id, 'interest'),
        notice: poll.status === 'open' ? 'The interest poll is open.' : 'The interest poll is closed.',
      }),
      async (state) => renderInterest(ctx, c, ed, await getInterestResults(ctx.db, c.actor, ed.event.id), state),
    );
  });
}

function settingsValues(poll: InterestPoll | null, zone: string): Record<string, string> {
  if (!poll) return { status: 'open', scope: 'accepted', intro: '', closesAt: '' };
  const t = poll.closesAt ? new LocalClock(zone).at(poll.closesAt) : null;
  return { status: poll.status, scope: poll.scope, intro: poll.intro, closesAt: t ? `${t.date}T${t.hhmm}` : '' };
}

const LABELS: Record<string, string> = { status: 'Poll', scope: 'Talks in the poll', intro: 'Introduction', closesAt: 'Closes at' };

function renderInterest(ctx: AppContext, c: BoContext, ed: EventForEditing, r: InterestResults, state: FormState): string {
  const e = ed.event;
  const zone = e.timeZone;
  const clock = new LocalClock(zone);
  const poll = r.poll;
  const open = pollIsOpen(poll, ctx.clock.instant());
  const when = (stored: string) => {
    const t = clock.at(stored);
    return `${t.date} ${t.hhmm}`;
  };
  const pollState = !poll
    ? 'Not set up'
    : open
      ? `Open${poll.closesAt ? ` until ${when(poll.closesAt)}` : ''}`
      : poll.status === 'open'
        ? `Closed since ${when(poll.closesAt!)}`
        : 'Closed';
  return boPage(c, {
    title: 'Interest',
    event: { ed, section: 'interest' },
    children: (
      <>
        <h1>Interest</h1>
        <p class="lede">
          Ask attendees which talks they want to see, before or after the programme exists. Signed-in people's picks and their stars on the published programme
          count once per person; anonymous visitors get a private link to change their picks. You see how many people want each talk and which talks the same
          people want, never who picked what. The schedule optimizer uses the same data to keep those talks apart.
        </p>
        <Facts
          items={[
            ['Poll', pollState],
            ['People', String(r.voters)],
            ['Picks and stars', String(r.picks)],
          ]}
        />
        {poll && e.state === 'published' ? (
          <p>
            Public poll page:{' '}
            <a href={attrText(paths.interestPoll(e.slug))} safe>
              {paths.interestPoll(e.slug)}
            </a>
          </p>
        ) : poll ? (
          <p>The poll page is public once the event is published.</p>
        ) : (
          ''
        )}
        {ed.permissions.manageEvent ? (
          <section class="card" aria-labelledby="poll-h">
            <h2 id="poll-h">Poll settings</h2>
            <ErrorSummary state={state} labels={LABELS} />
            <PostForm action={bo.event(e.id, 'interest')} csrf={c.csrf}>
              <SelectField
                name="status"
                label="Poll"
                state={state}
                options={[
                  { value: 'open', label: 'Open: visitors can pick talks' },
                  { value: 'closed', label: 'Closed: the talks are shown, nothing can be picked' },
                ]}
              />
              <SelectField
                name="scope"
                label="Talks in the poll"
                state={state}
                options={[
                  { value: 'accepted', label: 'Sessions and accepted proposals' },
                  { value: 'review', label: 'Also proposals still in review' },
                ]}
              />
              <TextArea name="intro" label="Introduction" hint="Optional plain text shown above the talks." rows={3} state={state} />
              <TextField
                name="closesAt"
                type="datetime-local"
                label="Closes at"
                hint={`Optional, in the event's time zone (${zone}): after this the poll takes no more picks.`}
                state={state}
              />
              <button type="submit">{poll ? 'Save the poll' : 'Start the poll'}</button>
            </PostForm>
          </section>
        ) : (
          ''
        )}
        <section class="card" aria-labelledby="counts-h">
          <h2 id="counts-h">Most wanted talks</h2>
          <DataTable caption="Talks by how many people want them" headers={['Talk', 'Track', 'People']} empty="Nobody picked or starred a talk yet.">
            {r.talks.map((t) => (
              <tr>
                <td safe>{t.title}</td>
                <td safe>{t.track ?? ''}</td>
                <td safe>{String(t.count)}</td>
              </tr>
            ))}
          </DataTable>
        </section>
        <section class="card" aria-labelledby="pairs-h">
          <h2 id="pairs-h">Wanted together</h2>
          <p>
            Pairs of talks the same people want: keep them apart. Lift above 1 means more people want both than chance would give; the score (0–9) is
            fullnarp's, which weighs both.
          </p>
          <DataTable
            caption="Pairs of talks by how many people want both"
            headers={['Talk', 'And talk', 'People wanting both', 'Lift', 'Score']}
            empty="No two talks are wanted by the same two people yet."
          >
            {r.pairs.map((p) => (
              <tr>
                <td safe>{p.aTitle}</td>
                <td safe>{p.bTitle}</td>
                <td safe>{String(p.both)}</td>
                <td safe>{p.lift.toFixed(2)}</td>
                <td safe>{String(p.score)}</td>
              </tr>
            ))}
          </DataTable>
        </section>
        <p class="hint" safe>{`Each person may pick at most ${plural(MAX_PICKS, 'talk')}.`}</p>
      </>
    ),
  });
}
