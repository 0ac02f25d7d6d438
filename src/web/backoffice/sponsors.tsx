import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { DomainError } from '../../lib/domain-error.js';
import { SPONSOR_LEVELS } from '../../modules/events/event.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import type { SponsorRecord } from '../../modules/events/records.js';
import { createSponsor, deleteSponsor, updateSponsor } from '../../modules/events/sponsor.actions.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { ButtonForm, ErrorSummary, PostForm, SelectField, TextField, formState, type FormState } from '../components/form.js';
import { ActionError, bo, boContext, boPage, buttonAction, formBody, idParam, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * Sponsors and what they provide (organizers).
 *   GET  /manage/events/:id/sponsors                        list + add form
 *   POST /manage/events/:id/sponsors                        add
 *   GET  /manage/events/:id/sponsors/:sponsorId             edit form
 *   POST /manage/events/:id/sponsors/:sponsorId             save
 *   POST /manage/events/:id/sponsors/:sponsorId/delete      delete
 */
export async function sponsorPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/sponsors', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    return reply.type('text/html; charset=utf-8').send(renderSponsors(c, ed, formState({ level: 'community' })));
  });

  app.post('/manage/events/:eventId/sponsors', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => createSponsor(ctx.db, c.actor, ed.event.id, body),
      (s) => ({ to: bo.event(ed.event.id, 'sponsors'), notice: `Sponsor "${s.name}" added.` }),
      (state) => renderSponsors(c, ed, state),
    );
  });

  app.get('/manage/events/:eventId/sponsors/:sponsorId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const sponsor = findSponsor(ed, idParam(request, 'sponsorId'));
    return reply.type('text/html; charset=utf-8').send(renderSponsorForm(c, ed, sponsor, formState()));
  });

  app.post('/manage/events/:eventId/sponsors/:sponsorId', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const sponsor = findSponsor(ed, idParam(request, 'sponsorId'));
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => updateSponsor(ctx.db, c.actor, ed.event.id, sponsor.id, body),
      (s) => ({ to: bo.event(ed.event.id, 'sponsors'), notice: `Sponsor "${s.name}" saved.` }),
      (state) => renderSponsorForm(c, ed, sponsor, state),
    );
  });

  app.post('/manage/events/:eventId/sponsors/:sponsorId/delete', async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const sponsor = findSponsor(ed, idParam(request, 'sponsorId'));
    return buttonAction(
      reply,
      () => deleteSponsor(ctx.db, c.actor, ed.event.id, sponsor.id),
      { to: bo.event(ed.event.id, 'sponsors'), notice: `Sponsor "${sponsor.name}" deleted.` },
      (error) => renderSponsors(c, ed, formState(), error),
    );
  });
}

function findSponsor(ed: EventForEditing, sponsorId: number): SponsorRecord {
  const s = ed.sponsors.find((x) => x.id === sponsorId);
  if (!s) throw EventErrors.notFound('sponsor', sponsorId);
  return s;
}

const SPONSOR_LABELS: Record<string, string> = { name: 'Name', level: 'Level', url: 'Website', logoUrl: 'Logo address', contribution: 'What they provide' };

function SponsorFields(p: { state: FormState; sponsor?: SponsorRecord }): JSX.Element {
  return (
    <>
      <TextField name="name" label="Name" state={p.state} fallback={p.sponsor?.name} required />
      <SelectField name="level" label="Level" state={p.state} fallback={p.sponsor?.level} options={SPONSOR_LEVELS.map((l) => ({ value: l, label: l }))} />
      <TextField name="url" type="url" label="Website" state={p.state} fallback={p.sponsor?.url} />
      <TextField name="logoUrl" type="url" label="Logo address" hint="An https address of the logo; optional." state={p.state} fallback={p.sponsor?.logoUrl} />
      <TextField name="contribution" label="What they provide" hint="E.g. the venue, pizza, the coffee, travel grants." state={p.state} fallback={p.sponsor?.contribution} />
    </>
  );
}

function renderSponsors(c: BoContext, ed: EventForEditing, state: FormState, error?: DomainError): string {
  const id = ed.event.id;
  return boPage(c, {
    title: 'Sponsors',
    event: { ed, section: 'sponsors' },
    children: (
      <>
        <h1>Sponsors</h1>
        <ActionError error={error} />
        {ed.sponsors.length === 0 ? (
          <p>No sponsors yet.</p>
        ) : (
          <div class="bo-table-wrap">
            <table class="data-table">
              <caption class="vh">Sponsors</caption>
              <thead>
                <tr>
                  <th scope="col">Sponsor</th>
                  <th scope="col">Level</th>
                  <th scope="col">What they provide</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {ed.sponsors.map((s) => (
                  <tr>
                    <th scope="row">
                      <a href={bo.event(id, `sponsors/${s.id}`)} safe>
                        {s.name}
                      </a>
                    </th>
                    <td>{s.level}</td>
                    <td safe>{s.contribution || '—'}</td>
                    <td class="bo-row-actions">
                      <ButtonForm action={bo.event(id, `sponsors/${s.id}/delete`)} csrf={c.csrf} label={`Delete ${s.name}`} class="danger" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <section class="card" aria-labelledby="add-sponsor-h">
          <h2 id="add-sponsor-h">Add a sponsor</h2>
          <ErrorSummary state={state} labels={SPONSOR_LABELS} />
          <PostForm action={bo.event(id, 'sponsors')} csrf={c.csrf}>
            <SponsorFields state={state} />
            <button type="submit">Add sponsor</button>
          </PostForm>
        </section>
      </>
    ),
  });
}

function renderSponsorForm(c: BoContext, ed: EventForEditing, sponsor: SponsorRecord, state: FormState): string {
  return boPage(c, {
    title: `Sponsor ${sponsor.name}`,
    event: { ed, section: 'sponsors' },
    children: (
      <>
        <h1 safe>{`Edit sponsor ${sponsor.name}`}</h1>
        <ErrorSummary state={state} labels={SPONSOR_LABELS} />
        <PostForm action={bo.event(ed.event.id, `sponsors/${sponsor.id}`)} csrf={c.csrf}>
          <SponsorFields state={state} sponsor={sponsor} />
          <button type="submit">Save sponsor</button> <a href={bo.event(ed.event.id, 'sponsors')}>Cancel</a>
        </PostForm>
      </>
    ),
  });
}
