import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { DomainError } from '../../lib/domain-error.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhookDeliveries,
  listWebhooks,
  rotateWebhookSecret,
  sendTestDelivery,
  setWebhookActive,
  type WebhookWithSecret,
} from '../../modules/webhooks/webhook.actions.js';
import type { DeliveryRecord, WebhookRecord } from '../../modules/webhooks/webhook.records.js';
import { ButtonForm, ErrorSummary, PostForm, TextField, formState, formStateFromError, type FormState } from '../components/form.js';
import { attrText } from '../components/html.js';
import { redirectWithNotice, sendPage } from '../private.js';
import { bo, boContext, boPage, DataTable, Facts, formBody, idParam, loadEvent, type BoContext } from './shared.js';

/*
 * Webhooks of an event (organizers): endpoints that get a signed POST when the public programme
 * changes (the dispatcher in modules/webhooks sends them). The secret is shown once, on the page
 * answering the add or rotate post; never again.
 *   GET  /manage/events/:id/webhooks                        list + add form
 *   POST /manage/events/:id/webhooks                        add (answers with the secret)
 *   GET  /manage/events/:id/webhooks/:webhookId             one endpoint: state, actions, deliveries
 *   POST /manage/events/:id/webhooks/:webhookId/test        send a ping now
 *   POST /manage/events/:id/webhooks/:webhookId/rotate      new secret (answers with it)
 *   POST /manage/events/:id/webhooks/:webhookId/pause|resume
 *   GET  /manage/events/:id/webhooks/:webhookId/delete      confirm
 *   POST /manage/events/:id/webhooks/:webhookId/delete
 */
export async function webhookPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const base = '/manage/events/:eventId/webhooks';
  const list = (eventId: number) => bo.event(eventId, 'webhooks');
  const one = (eventId: number, webhookId: number, sub = '') => bo.event(eventId, `webhooks/${webhookId}${sub ? `/${sub}` : ''}`);

  app.get(base, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    return sendPage(reply, renderList(c, ed, await listWebhooks(ctx.db, c.actor, ed.event.id), formState()));
  });

  app.post(base, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    let created: WebhookWithSecret;
    try {
      created = await createWebhook(ctx.db, ctx.config, c.actor, ed.event.id, body, ctx.clock);
    } catch (err) {
      // Refused input goes back to the form; 403/404 and bugs to the error page.
      if (!(err instanceof DomainError) || err.status !== 422) throw err;
      return sendPage(reply, renderList(c, ed, await listWebhooks(ctx.db, c.actor, ed.event.id), formStateFromError(err, body)), 422);
    }
    return sendPage(reply, renderSecret(c, ed, created, 'added'));
  });

  app.get(`${base}/:webhookId`, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const d = await getWebhookDeliveries(ctx.db, c.actor, ed.event.id, idParam(request, 'webhookId'));
    return sendPage(reply, renderOne(c, ed, d.webhook, d.deliveries));
  });

  app.post(`${base}/:webhookId/test`, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const eventId = idParam(request, 'eventId');
    const webhookId = idParam(request, 'webhookId');
    const r = await sendTestDelivery(ctx.db, ctx.config, c.actor, eventId, webhookId, ctx.clock);
    const notice = r.ok ? `Test delivery answered HTTP ${r.httpStatus} in ${r.durationMs} ms.` : `Test delivery failed: ${r.error}.`;
    return redirectWithNotice(reply, one(eventId, webhookId), notice);
  });

  app.post(`${base}/:webhookId/rotate`, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const rotated = await rotateWebhookSecret(ctx.db, c.actor, ed.event.id, idParam(request, 'webhookId'), ctx.clock);
    return sendPage(reply, renderSecret(c, ed, rotated, 'rotated'));
  });

  for (const [verb, active] of [
    ['pause', false],
    ['resume', true],
  ] as const) {
    app.post(`${base}/:webhookId/${verb}`, async (request, reply) => {
      const c = boContext(request, reply);
      if (!c) return reply;
      const eventId = idParam(request, 'eventId');
      const w = await setWebhookActive(ctx.db, c.actor, eventId, idParam(request, 'webhookId'), active, ctx.clock);
      return redirectWithNotice(
        reply,
        one(eventId, w.id),
        active ? `Webhook resumed: the next programme change goes to ${w.url}.` : `Webhook paused: nothing goes to ${w.url} until you resume it.`,
      );
    });
  }

  app.get(`${base}/:webhookId/delete`, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const { webhook } = await getWebhookDeliveries(ctx.db, c.actor, ed.event.id, idParam(request, 'webhookId'));
    return sendPage(reply, renderDeleteConfirm(c, ed, webhook));
  });

  app.post(`${base}/:webhookId/delete`, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const eventId = idParam(request, 'eventId');
    const webhookId = idParam(request, 'webhookId');
    await deleteWebhook(ctx.db, c.actor, eventId, webhookId, ctx.clock);
    return redirectWithNotice(reply, list(eventId), 'Webhook deleted, with its delivery log.');
  });
}

const LABELS: Record<string, string> = { url: 'Address (URL)', description: 'Description' };

/** An instant as organizers read it in a log: "2026-12-02 16:05 UTC". */
function when(instant: string | null): string {
  return instant ? `${instant.slice(0, 10)} ${instant.slice(11, 16)} UTC` : '—';
}

function stateOf(w: WebhookRecord): string {
  if (w.active) return w.failures ? `Active, ${w.failures} failed in a row; next try ${when(w.nextAttemptAt)}` : 'Active';
  return w.disabledReason ?? 'Paused';
}

function lastDelivery(d: DeliveryRecord | null): string {
  if (!d) return 'None yet';
  const result = d.status === 'delivered' ? `delivered (HTTP ${d.httpStatus})` : `failed (${d.error ?? 'unknown'})`;
  return `${d.type} v${d.eventVersion}: ${result}, ${when(d.attemptedAt)}`;
}

function renderList(c: BoContext, ed: EventForEditing, hooks: readonly WebhookRecord[], state: FormState): string {
  const id = ed.event.id;
  return boPage(c, {
    title: 'Webhooks',
    event: { ed, section: 'webhooks' },
    children: (
      <>
        <h1>Webhooks</h1>
        <p class="lede">
          Hallway posts <code>schedule.changed</code> to these addresses when the published programme changes (quick edits in a row become one delivery), so
          your website, app, info screens or video team can fetch the new schedule instead of polling. Each delivery is signed with the webhook's secret; the
          README explains how to check the signature.
        </p>
        <DataTable caption="Webhooks" headers={['Address', 'State', 'Last delivery', 'Actions']} empty="No webhooks yet.">
          {hooks.map((w) => (
            <tr>
              <th scope="row">
                <a href={attrText(bo.event(id, `webhooks/${w.id}`))} safe>
                  {w.url}
                </a>
                {w.description ? (
                  <>
                    <br />
                    <span class="hint" safe>
                      {w.description}
                    </span>
                  </>
                ) : (
                  ''
                )}
              </th>
              <td safe>{stateOf(w)}</td>
              <td safe>{lastDelivery(w.lastDelivery)}</td>
              <td class="bo-row-actions">
                <a href={attrText(bo.event(id, `webhooks/${w.id}`))} safe>{`Deliveries and actions of ${w.url}`}</a>
              </td>
            </tr>
          ))}
        </DataTable>
        <section class="card" aria-labelledby="add-h">
          <h2 id="add-h">Add a webhook</h2>
          <ErrorSummary state={state} labels={LABELS} />
          <PostForm action={bo.event(id, 'webhooks')} csrf={c.csrf}>
            <TextField
              name="url"
              type="url"
              label="Address (URL)"
              hint="An http or https address on the public internet, e.g. https://example.org/hooks/hallway."
              state={state}
              required
            />
            <TextField name="description" label="Description" hint="What listens there, e.g. the conference website; optional." state={state} />
            <button type="submit">Add webhook</button>
          </PostForm>
        </section>
      </>
    ),
  });
}

function renderSecret(c: BoContext, ed: EventForEditing, r: WebhookWithSecret, what: 'added' | 'rotated'): string {
  const id = ed.event.id;
  return boPage(c, {
    title: what === 'added' ? 'Webhook added' : 'New webhook secret',
    event: { ed, section: 'webhooks' },
    children: (
      <>
        <h1>{what === 'added' ? 'Webhook added' : 'New webhook secret'}</h1>
        <p
          safe
        >{`Deliveries to ${r.webhook.url} are signed with this secret. Copy it now into the receiving system: it is shown only this once.${what === 'rotated' ? ' The old secret no longer signs anything.' : ''}`}</p>
        <label for="webhook-secret">Secret</label>
        <input id="webhook-secret" class="account-token" type="text" readonly value={attrText(r.secret)} />
        <p>
          <a href={attrText(bo.event(id, `webhooks/${r.webhook.id}`))}>Go to the webhook</a> · <a href={attrText(bo.event(id, 'webhooks'))}>All webhooks</a>
        </p>
      </>
    ),
  });
}

function renderOne(c: BoContext, ed: EventForEditing, w: WebhookRecord, deliveries: readonly DeliveryRecord[]): string {
  const id = ed.event.id;
  const path = (sub: string) => bo.event(id, `webhooks/${w.id}/${sub}`);
  return boPage(c, {
    title: 'Webhook',
    event: { ed, section: 'webhooks' },
    children: (
      <>
        <p>
          <a href={attrText(bo.event(id, 'webhooks'))}>All webhooks</a>
        </p>
        <h1 safe>{w.url}</h1>
        <Facts
          items={[
            ['Description', w.description || '—'],
            ['State', stateOf(w)],
            ['Programme version last delivered', String(w.lastVersionSent)],
            ['Added', when(w.createdAt)],
          ]}
        />
        <div class="bo-row-actions">
          <ButtonForm action={path('test')} csrf={c.csrf} label="Send a test delivery now" />
          <ButtonForm
            action={path(w.active ? 'pause' : 'resume')}
            csrf={c.csrf}
            label={w.active ? 'Pause deliveries' : 'Resume deliveries'}
            class="secondary"
          />
          <ButtonForm action={path('rotate')} csrf={c.csrf} label="Rotate the secret" class="secondary" />
          <a href={attrText(path('delete'))} class="danger">
            Delete…
          </a>
        </div>
        <section class="card" aria-labelledby="deliveries-h">
          <h2 id="deliveries-h">Deliveries</h2>
          <p class="hint">The last 50 attempts, newest first.</p>
          <DataTable caption="Deliveries" headers={['When', 'Type', 'Version', 'Result', 'Time taken', 'Delivery id']} empty="Nothing was sent yet.">
            {deliveries.map((d) => (
              <tr>
                <td safe>{when(d.attemptedAt)}</td>
                <td safe>{d.type}</td>
                <td safe>{String(d.eventVersion)}</td>
                <td safe>{d.status === 'delivered' ? `Delivered (HTTP ${d.httpStatus})` : `Failed: ${d.error ?? 'unknown'}`}</td>
                <td safe>{`${d.durationMs} ms`}</td>
                <td>
                  <code safe>{d.deliveryId}</code>
                </td>
              </tr>
            ))}
          </DataTable>
        </section>
      </>
    ),
  });
}

function renderDeleteConfirm(c: BoContext, ed: EventForEditing, w: WebhookRecord): string {
  const id = ed.event.id;
  return boPage(c, {
    title: 'Delete webhook',
    event: { ed, section: 'webhooks' },
    children: (
      <>
        <h1 safe>{`Delete the webhook to ${w.url}?`}</h1>
        <p>It gets no more deliveries, and its delivery log is deleted with it. To stop deliveries for a while, pause it instead.</p>
        <PostForm action={bo.event(id, `webhooks/${w.id}/delete`)} csrf={c.csrf} label="Confirm deleting the webhook">
          <button type="submit" class="danger">
            Yes, delete the webhook
          </button>
        </PostForm>
        <p>
          <a href={attrText(bo.event(id, `webhooks/${w.id}`))}>No, keep it</a>
        </p>
      </>
    ),
  });
}
