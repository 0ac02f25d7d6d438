import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../../modules/context.js';
import type { AppContext } from '../../http/context.js';
import type { DomainError } from '../../lib/domain-error.js';
import type { Actor } from '../../modules/accounts/actor.js';
import { EventErrors } from '../../modules/events/event.errors.js';
import type { EventForEditing } from '../../modules/program/backoffice.queries.js';
import { ButtonForm, ErrorSummary, PostForm, formState, type FormState } from '../components/form.js';
import { ActionError, bo, boContext, boPage, buttonAction, DataTable, formBody, idParam, loadEvent, submitForm, type BoContext } from './shared.js';

/*
 * Rooms, tracks and sponsors are managed the same way (organizers): one page lists them with an
 * add form under the list, each name opens its edit form, each row has a delete button. Only the
 * fields, the columns and the actions differ, so each area describes those and this file serves
 * the pages:
 *   GET  /manage/events/:id/<area>                 list + add form
 *   POST /manage/events/:id/<area>                 add
 *   GET  /manage/events/:id/<area>/:<noun>Id           edit form
 *   POST /manage/events/:id/<area>/:<noun>Id           save
 *   POST /manage/events/:id/<area>/:<noun>Id/delete    delete
 *   POST /manage/events/:id/<area>/:<noun>Id/up|down   move one step (ordered areas only)
 */

/** One thing of an event with a name the organizers see in lists and notices. */
export interface NamedItem {
  readonly id: number;
  readonly name: string;
}

/** What differs between the list pages: wording, fields, columns and the actions. */
export interface ItemArea<T extends NamedItem> {
  /** The URL segment and back-office tab: 'rooms'. */
  readonly section: 'rooms' | 'tracks' | 'sponsors';
  /** One item in the users' words, lower case: 'room' ("Add a room", `Room "Main Hall" added.`). */
  readonly noun: string;
  /** The list page's heading and title: 'Rooms'. */
  readonly title: string;
  /** A paragraph under the heading (`<p class="lede">`). */
  readonly lede?: JSX.Element;
  /** Shown instead of the table when there is nothing yet. */
  readonly empty: string;
  /** The table's caption for screen readers. */
  readonly caption: string;
  /** The field labels the error summary names problems by. */
  readonly labels: Record<string, string>;
  /** The add form's starting values (e.g. a default colour). */
  readonly initial?: Record<string, unknown>;
  readonly items: (ed: EventForEditing) => readonly T[];
  /** The form fields, shared by the add and edit forms; `item` is set when editing. */
  readonly Fields: (p: { state: FormState; item?: T }) => JSX.Element;
  /** Columns after the name; each `cell` renders its own `<td>`. */
  readonly columns: ReadonlyArray<{ readonly header: string; readonly cell: (item: T) => JSX.Element }>;
  readonly create: (ctx: ModuleContext, actor: Actor, eventId: number, input: unknown) => Promise<T>;
  readonly update: (ctx: ModuleContext, actor: Actor, eventId: number, id: number, input: unknown) => Promise<T>;
  readonly remove: (ctx: ModuleContext, actor: Actor, eventId: number, id: number) => Promise<unknown>;
  /** The notice after a delete, when it has more to say than "deleted". */
  readonly deletedNotice?: (item: T) => string;
  /** For items kept in an order (rooms are the schedule grid's columns): numbered rows with up/down buttons. */
  readonly move?: (ctx: ModuleContext, actor: Actor, eventId: number, id: number, input: { direction: 'up' | 'down' }) => Promise<unknown>;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Registers the list, add, edit, save, delete (and move) routes of one area. */
export async function itemPages<T extends NamedItem>(app: FastifyInstance, ctx: AppContext, area: ItemArea<T>): Promise<void> {
  const base = `/manage/events/:eventId/${area.section}`;
  // `:roomId` rather than `:itemId`, so a malformed id is reported as an unknown room.
  const param = `${area.noun}Id`;
  const Noun = capitalized(area.noun);
  const listOf = (ed: EventForEditing) => bo.event(ed.event.id, area.section);
  const find = (ed: EventForEditing, id: number): T => {
    const item = area.items(ed).find((x) => x.id === id);
    if (!item) throw EventErrors.notFound(area.noun, id);
    return item;
  };

  app.get(base, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    return reply.type('text/html; charset=utf-8').send(renderList(area, c, ed, formState(area.initial)));
  });

  app.post(base, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => area.create(ctx, c.actor, ed.event.id, body),
      (item) => ({ to: listOf(ed), notice: `${Noun} "${item.name}" added.` }),
      (state) => renderList(area, c, ed, state),
    );
  });

  app.get(`${base}/:${param}`, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const item = find(ed, idParam(request, param));
    return reply.type('text/html; charset=utf-8').send(renderEdit(area, c, ed, item, formState()));
  });

  app.post(`${base}/:${param}`, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const item = find(ed, idParam(request, param));
    const body = formBody(request);
    return submitForm(
      reply,
      body,
      () => area.update(ctx, c.actor, ed.event.id, item.id, body),
      (saved) => ({ to: listOf(ed), notice: `${Noun} "${saved.name}" saved.` }),
      (state) => renderEdit(area, c, ed, item, state),
    );
  });

  const move = area.move;
  if (move) {
    for (const direction of ['up', 'down'] as const) {
      app.post(`${base}/:${param}/${direction}`, async (request, reply) => {
        const c = boContext(request, reply);
        if (!c) return reply;
        const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
        const item = find(ed, idParam(request, param));
        return buttonAction(
          reply,
          () => move(ctx, c.actor, ed.event.id, item.id, { direction }),
          { to: listOf(ed), notice: `Moved "${item.name}" ${direction}.` },
          (error) => renderList(area, c, ed, formState(), error),
        );
      });
    }
  }

  app.post(`${base}/:${param}/delete`, async (request, reply) => {
    const c = boContext(request, reply);
    if (!c) return reply;
    const ed = await loadEvent(ctx, c, idParam(request, 'eventId'), 'manage');
    const item = find(ed, idParam(request, param));
    return buttonAction(
      reply,
      () => area.remove(ctx, c.actor, ed.event.id, item.id),
      { to: listOf(ed), notice: area.deletedNotice?.(item) ?? `${Noun} "${item.name}" deleted.` },
      (error) => renderList(area, c, ed, formState(), error),
    );
  });
}

function renderList<T extends NamedItem>(area: ItemArea<T>, c: BoContext, ed: EventForEditing, state: FormState, error?: DomainError): string {
  const id = ed.event.id;
  const items = area.items(ed);
  const Fields = area.Fields;
  const lede: JSX.Element = area.lede ?? '';
  const headers = [...(area.move ? ['#'] : []), capitalized(area.noun), ...area.columns.map((col) => col.header), 'Actions'];
  return boPage(c, {
    title: area.title,
    event: { ed, section: area.section },
    children: (
      <>
        <h1 safe>{area.title}</h1>
        {lede}
        <ActionError error={error} />
        <DataTable caption={area.caption} headers={headers} empty={area.empty}>
          {items.map((item, i) => (
            <tr>
              {area.move ? <td safe>{String(i + 1)}</td> : ''}
              <th scope="row">
                <a href={bo.event(id, `${area.section}/${item.id}`)} safe>
                  {item.name}
                </a>
              </th>
              {area.columns.map((col) => col.cell(item))}
              <td class="bo-row-actions">
                {area.move && i > 0 ? (
                  <ButtonForm action={bo.event(id, `${area.section}/${item.id}/up`)} csrf={c.csrf} label={`Move ${item.name} up`} class="secondary" />
                ) : (
                  ''
                )}
                {area.move && i < items.length - 1 ? (
                  <ButtonForm action={bo.event(id, `${area.section}/${item.id}/down`)} csrf={c.csrf} label={`Move ${item.name} down`} class="secondary" />
                ) : (
                  ''
                )}
                <ButtonForm action={bo.event(id, `${area.section}/${item.id}/delete`)} csrf={c.csrf} label={`Delete ${item.name}`} class="danger" />
              </td>
            </tr>
          ))}
        </DataTable>
        <section class="card" aria-labelledby={`add-${area.noun}-h`}>
          <h2 id={`add-${area.noun}-h`} safe>{`Add a ${area.noun}`}</h2>
          <ErrorSummary state={state} labels={area.labels} />
          <PostForm action={bo.event(id, area.section)} csrf={c.csrf}>
            <Fields state={state} />
            <button type="submit" safe>{`Add ${area.noun}`}</button>
          </PostForm>
        </section>
      </>
    ),
  });
}

function renderEdit<T extends NamedItem>(area: ItemArea<T>, c: BoContext, ed: EventForEditing, item: T, state: FormState): string {
  const Fields = area.Fields;
  return boPage(c, {
    title: `${capitalized(area.noun)} ${item.name}`,
    event: { ed, section: area.section },
    children: (
      <>
        <h1 safe>{`Edit ${area.noun} ${item.name}`}</h1>
        <ErrorSummary state={state} labels={area.labels} />
        <PostForm action={bo.event(ed.event.id, `${area.section}/${item.id}`)} csrf={c.csrf}>
          <Fields state={state} item={item} />
          <button type="submit" safe>{`Save ${area.noun}`}</button> <a href={bo.event(ed.event.id, area.section)}>Cancel</a>
        </PostForm>
      </>
    ),
  });
}
