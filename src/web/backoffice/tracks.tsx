import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import type { TrackRecord } from '../../modules/program/records.js';
import { createTrack, deleteTrack, updateTrack } from '../../modules/program/track.actions.js';
import { TextField, type FormState } from '../components/form.js';
import { itemPages } from './item-pages.js';

/*
 * Tracks and their colours (organizers): list + add form, edit form and delete (its sessions
 * stay, without a track), served by item-pages.tsx under /manage/events/:id/tracks.
 */
export async function trackPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await itemPages<TrackRecord>(app, ctx, {
    section: 'tracks',
    noun: 'track',
    title: 'Tracks',
    empty: 'No tracks yet. Tracks are optional; they group sessions by topic and let track managers run their part.',
    caption: 'Tracks',
    labels: { name: 'Name', color: 'Colour', description: 'Description' },
    initial: { color: '#0a58ca' },
    items: (ed) => ed.tracks,
    Fields: TrackFields,
    columns: [
      {
        header: 'Colour',
        cell: (t) => (
          <td>
            <code safe>{t.color}</code>
          </td>
        ),
      },
    ],
    create: createTrack,
    update: updateTrack,
    remove: deleteTrack,
    deletedNotice: (t) => `Track "${t.name}" deleted; its sessions have no track now.`,
  });
}

function TrackFields(p: { state: FormState; item?: TrackRecord }): JSX.Element {
  return (
    <>
      <TextField name="name" label="Name" state={p.state} fallback={p.item?.name} required />
      <TextField name="color" type="color" label="Colour" hint="Marks the track's sessions on the schedule." state={p.state} fallback={p.item?.color} />
      <TextField name="description" label="Description" state={p.state} fallback={p.item?.description} />
    </>
  );
}
