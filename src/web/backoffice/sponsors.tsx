import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { SPONSOR_LEVELS } from '../../modules/events/event.js';
import type { SponsorRecord } from '../../modules/events/records.js';
import { createSponsor, deleteSponsor, updateSponsor } from '../../modules/events/sponsor.actions.js';
import { SelectField, TextField, type FormState } from '../components/form.js';
import { itemPages } from './item-pages.js';

/*
 * Sponsors and what they provide (organizers): list + add form, edit form and delete, served by
 * item-pages.tsx under /manage/events/:id/sponsors.
 */
export async function sponsorPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await itemPages<SponsorRecord>(app, ctx, {
    section: 'sponsors',
    noun: 'sponsor',
    title: 'Sponsors',
    empty: 'No sponsors yet.',
    caption: 'Sponsors',
    labels: { name: 'Name', level: 'Level', url: 'Website', logoUrl: 'Logo address', contribution: 'What they provide' },
    initial: { level: 'community' },
    items: (ed) => ed.sponsors,
    Fields: SponsorFields,
    columns: [
      { header: 'Level', cell: (s) => <td>{s.level}</td> },
      { header: 'What they provide', cell: (s) => <td safe>{s.contribution || '—'}</td> },
    ],
    create: createSponsor,
    update: updateSponsor,
    remove: deleteSponsor,
  });
}

function SponsorFields(p: { state: FormState; item?: SponsorRecord }): JSX.Element {
  return (
    <>
      <TextField name="name" label="Name" state={p.state} fallback={p.item?.name} required />
      <SelectField name="level" label="Level" state={p.state} fallback={p.item?.level} options={SPONSOR_LEVELS.map((l) => ({ value: l, label: l }))} />
      <TextField name="url" type="url" label="Website" state={p.state} fallback={p.item?.url} />
      <TextField name="logoUrl" type="url" label="Logo address" hint="An https address of the logo; optional." state={p.state} fallback={p.item?.logoUrl} />
      <TextField
        name="contribution"
        label="What they provide"
        hint="E.g. the venue, pizza, the coffee, travel grants."
        state={p.state}
        fallback={p.item?.contribution}
      />
    </>
  );
}
