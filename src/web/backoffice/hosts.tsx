import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { HOST_ROLE_LABELS, HOST_ROLES } from '../../modules/events/event.js';
import { setEventHosts } from '../../modules/events/host.actions.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { ErrorSummary, PostForm, SelectField, TextField, formState, type FormState } from '../components/form.js';
import { bo, boContext, boPage, formBody, gatherRows, idParam, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * Hosts and co-organizers shown on the event page, as one ordered list (organizers).
 *   GET  /manage/events/:id/hosts     the list as editable rows (plus empty ones to add)
 *   POST /manage/events/:id/hosts     replaces the whole list; empty rows are dropped
 */
export async function hostPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/hosts', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    return reply.type('text/html; charset=utf-8').send(renderHosts(c, ed, formState(hostValues(ed))));
  });

  app.post('/manage/events/:eventId/hosts', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => setEventHosts(ctx, c.actor, ed.event.id, { hosts: gatherRows(body, 'hosts') }),
      (hosts) => ({ to: bo.event(ed.event.id, 'hosts'), notice: `Hosts saved (${hosts.length}).` }),
      (state) => renderHosts(c, ed, state),
    );
  });
}

/** The stored hosts as form values `hosts[i].name` etc. */
function hostValues(ed: EventForEditing): Record<string, string> {
  const v: Record<string, string> = {};
  ed.hosts.forEach((h, i) => {
    v[`hosts[${i}].name`] = h.name;
    v[`hosts[${i}].role`] = h.role;
    v[`hosts[${i}].url`] = h.url ?? '';
  });
  return v;
}

function renderHosts(c: BoContext, ed: EventForEditing, state: FormState): string {
  const indices = Object.keys(state.values)
    .map((k) => /^hosts\[(\d+)\]\./.exec(k)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(Number);
  const rows = Math.min(50, Math.max(ed.hosts.length, ...indices.map((i) => i + 1)) + 2);
  const labels: Record<string, string> = {};
  for (const k of Object.keys(state.errors)) {
    const m = /^hosts\[(\d+)\]\.(\w+)$/.exec(k);
    if (m) labels[k] = `Host ${Number(m[1]) + 1} ${m[2]}`;
  }
  return boPage(c, {
    title: 'Hosts',
    event: { ed, section: 'hosts' },
    children: (
      <>
        <h1>Hosts and co-organizers</h1>
        <p class="lede">
          Shown on the event page, in this order. Empty a row's name and address to remove it. To give someone access to this back office, use Team.
        </p>
        <ErrorSummary state={state} labels={labels} />
        <PostForm action={bo.event(ed.event.id, 'hosts')} csrf={c.csrf}>
          {Array.from({ length: rows }, (_, i) => (
            <fieldset class="bo-row">
              <legend safe>{`Host ${i + 1}`}</legend>
              <TextField name={`hosts[${i}].name`} label="Name" state={state} />
              <SelectField
                name={`hosts[${i}].role`}
                label="Role"
                state={state}
                fallback="co-organizer"
                options={HOST_ROLES.map((r) => ({ value: r, label: HOST_ROLE_LABELS[r] }))}
              />
              <TextField name={`hosts[${i}].url`} type="url" label="Website" state={state} />
            </fieldset>
          ))}
          <button type="submit">Save hosts</button>
        </PostForm>
      </>
    ),
  });
}
