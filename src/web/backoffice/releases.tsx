import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { listEventReleases, previewRelease, releaseSchedule, sendHeldReleaseMails, type ReleasePreview } from '../../modules/schedule/release.actions.js';
import type { ReleaseNotifications } from '../../modules/schedule/release.js';
import { describeChange } from '../../modules/schedule/release-mail.js';
import type { ReleaseWithChanges } from '../../modules/schedule/release.queries.js';
import { CheckboxField, ErrorSummary, PostForm, TextArea, TextField, formState, type FormState } from '../components/form.js';
import { attrText, paths, plural } from '../components/html.js';
import { releasedWhen } from '../components/release-bits.js';
import { LocalClock } from '../components/time-format.js';
import { sendPage } from '../private.js';
import { bo, boContext, boPage, DataTable, formBody, idParam, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * Releases of an event's programme (organizers). Edits change the draft; the public pages, API,
 * exports and webhooks show the last release until the next one. The page shows what changed
 * since then (each line links to the session), whom the release would mail, the release form
 * and the past releases:
 *   GET  /manage/events/:id/releases
 *   POST /manage/events/:id/releases                    releaseSchedule: 303 with a notice; a
 *                                                       refusal (nothing changed, name taken,
 *                                                       bad input) shows the form with it
 *   POST /manage/events/:id/releases/:name/send-mails   sendHeldReleaseMails (the URL names the
 *                                                       release, encoded)
 */
export async function releasePages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const list = (eventId: number) => bo.event(eventId, 'releases');

  app.get('/manage/events/:eventId/releases', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    return sendPage(reply, await renderReleases(ctx, c, ed, formState()));
  });

  app.post('/manage/events/:eventId/releases', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => releaseSchedule(ctx, c.actor, ed.event.id, body),
      (r) => ({
        to: list(ed.event.id),
        notice: `Released version ${r.release.name}: ${plural(r.changes.length, 'change')}, ${
          r.release.notifications === 'held' ? 'speaker mails held (send them from the list below)' : `${plural(r.mailsQueued, 'speaker mail')} queued`
        }.`,
      }),
      async (state) => renderReleases(ctx, c, ed, state),
    );
  });

  app.post<{ Params: { eventId: string; name: string } }>('/manage/events/:eventId/releases/:name/send-mails', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    return submitForm(
      reply,
      {},
      () => sendHeldReleaseMails(ctx, c.actor, ed.event.id, request.params.name),
      (r) => ({ to: list(ed.event.id), notice: `Sent the held speaker mails of version ${r.release.name}: ${plural(r.mailsQueued, 'mail')} queued.` }),
      async (state) => renderReleases(ctx, c, ed, formState(), state),
    );
  });
}

const LABELS: Record<string, string> = { name: 'Name', comment: 'Public comment', holdSpeakerMails: 'Hold the speaker mails' };

const MAIL_STATE: Record<ReleaseNotifications, string> = {
  sent: 'Sent',
  held: 'Held',
  none: 'None needed',
};

async function renderReleases(ctx: AppContext, c: BoContext, ed: EventForEditing, state: FormState, mailState: FormState = formState()): Promise<string> {
  const [preview, releases] = await Promise.all([previewRelease(ctx, c.actor, ed.event.id), listEventReleases(ctx, c.actor, ed.event.id)]);
  const e = ed.event;
  const clock = new LocalClock(e.timeZone);
  return boPage(c, {
    title: 'Releases',
    event: { ed, section: 'releases' },
    children: (
      <>
        <h1>Releases</h1>
        <p class="lede">
          Moving, adding, cancelling and re-assigning sessions changes the draft programme only. The public pages, the API, the exports, calendars and webhooks
          show the last release until you release the draft again. Titles and descriptions are not versioned: they are public as soon as they are saved.
          {e.state === 'published' ? (
            <>
              {' '}
              The public <a href={attrText(`${paths.event(e.slug)}/changelog`)}>changelog</a> lists every release.
            </>
          ) : (
            ' Releasing publishes the event.'
          )}
        </p>
        <PendingChanges ed={ed} preview={preview} />
        <SpeakerMails preview={preview} />
        <section class="card" aria-labelledby="release-h">
          <h2 id="release-h">Release the draft</h2>
          <ErrorSummary state={state} labels={LABELS} />
          <PostForm action={bo.event(e.id, 'releases')} csrf={c.csrf}>
            <TextField
              name="name"
              label="Name"
              placeholder={preview.nextName}
              hint={`Shown on the changelog and as the version of the schedule exports. Leave it empty for "${preview.nextName}".`}
              state={state}
            />
            <TextArea
              name="comment"
              label="Public comment"
              hint="Optional: what this release is about, shown on the public changelog and in its feed."
              rows={3}
              state={state}
            />
            <CheckboxField
              name="holdSpeakerMails"
              label="Hold the speaker mails"
              hint="Release without mailing the speakers now; send the mails later from the list of releases."
              state={state}
            />
            <button type="submit">Release</button>
          </PostForm>
        </section>
        <section class="card" aria-labelledby="past-h">
          <h2 id="past-h">Past releases</h2>
          <ErrorSummary state={mailState} />
          <DataTable
            caption="Past releases, newest first"
            headers={['Version', 'Released', 'By', 'Changes', 'Speaker mails']}
            empty="Nothing was released yet."
          >
            {releases.map((r) => (
              <PastRelease c={c} eventId={e.id} release={r} clock={clock} />
            ))}
          </DataTable>
        </section>
      </>
    ),
  });
}

/** What changed since the last release, one readable line per change, each linking to the session's page. */
function PendingChanges(p: { ed: EventForEditing; preview: ReleasePreview }): JSX.Element {
  const { ed, preview } = p;
  const zone = ed.event.timeZone;
  const speakers = new Map(ed.speakers.map((s) => [s.id, s.name]));
  const sessions = new Set(ed.sessions.map((s) => s.id));
  const since = preview.latest ? `since version ${preview.latest.name}` : 'in the first release';
  const nothing = preview.latest
    ? `Nothing changed since version ${preview.latest.name}: there is nothing to release.`
    : 'No session is on the programme yet: releasing now publishes an empty programme.';
  return (
    <section class="card" aria-labelledby="pending-h">
      <h2 id="pending-h" safe>{`Changes ${since}`}</h2>
      {preview.changes.length === 0 ? (
        <p safe>{nothing}</p>
      ) : (
        <>
          <p safe>{`${plural(preview.changes.length, 'change')} will be public once you release the draft:`}</p>
          <ul class="release-changes">
            {preview.changes.map((ch) => {
              const line = describeChange(ch, zone, (id) => speakers.get(id) ?? 'a deleted speaker');
              return (
                <li>
                  {sessions.has(ch.sessionId) ? (
                    <a href={attrText(bo.event(ed.event.id, `sessions/${ch.sessionId}`))} safe>
                      {line}
                    </a>
                  ) : (
                    <span safe>{line}</span>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

/** The speakers the release would mail, and those without an address whom the organizers tell themselves. */
function SpeakerMails(p: { preview: ReleasePreview }): JSX.Element {
  const mailed = p.preview.notices.filter((n) => n.to);
  const byHand = p.preview.notices.filter((n) => !n.to);
  if (p.preview.notices.length === 0) return '';
  return (
    <section class="card" aria-labelledby="mails-h">
      <h2 id="mails-h">Speaker mails</h2>
      {mailed.length ? (
        <>
          <p
            safe
          >{`The release mails ${mailed.length === 1 ? 'this speaker' : `these ${mailed.length} speakers`} the changes to their sessions, with their sessions as a calendar file (unless you hold the mails):`}</p>
          <ul>
            {mailed.map((n) => (
              <li safe>{`${n.name} <${n.to}>: ${plural(n.changes.length, 'change')}`}</li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
      {byHand.length ? (
        <>
          <p>These speakers have no account with an e-mail address, so Hallway cannot mail them. Tell them yourself:</p>
          <ul>
            {byHand.map((n) => (
              <li safe>{`${n.name}: ${plural(n.changes.length, 'change')}`}</li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
    </section>
  );
}

function PastRelease(p: { c: BoContext; eventId: number; release: ReleaseWithChanges; clock: LocalClock }): JSX.Element {
  const r = p.release;
  const when = releasedWhen(r.releasedAt, p.clock);
  return (
    <tr>
      <th scope="row">
        <span safe>{r.name}</span>
        {r.comment ? (
          <>
            <br />
            <span class="hint" safe>
              {r.comment}
            </span>
          </>
        ) : (
          ''
        )}
      </th>
      <td>
        <time datetime={when.datetime} safe>
          {when.text}
        </time>
      </td>
      <td safe>{r.releasedBy || '—'}</td>
      <td safe>{String(r.changeCount)}</td>
      <td>
        <span safe>{MAIL_STATE[r.notifications]}</span>
        {r.notifications === 'held' ? (
          <PostForm action={bo.event(p.eventId, `releases/${encodeURIComponent(r.name)}/send-mails`)} csrf={p.c.csrf} class="button-form">
            <button type="submit" class="secondary" aria-label={attrText(`Send the held speaker mails of version ${r.name}`)}>
              Send the held speaker mails
            </button>
          </PostForm>
        ) : (
          ''
        )}
      </td>
    </tr>
  );
}
