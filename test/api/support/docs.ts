import type { EventDocumentInput } from '../../../src/modules/schedule/event-document.schemas.js';
import { buildEventDoc } from '../../factories/event-doc.js';

/**
 * The events the API tests serve: the factory conference (testconf-2027, 2 days, CEST), a
 * one-evening meetup before the daylight-saving change (CET, +01:00) and an unpublished event
 * whose every name carries "UNPUBLISHED" so a leak is easy to spot.
 */
export function meetupDoc(): EventDocumentInput {
  return buildEventDoc({
    slug: 'meetup-2027-03',
    event: {
      kind: 'meetup',
      title: 'Test Meetup March',
      acronym: '',
      startDate: '2027-03-10',
      endDate: '2027-03-10',
      venue: { name: 'Meetup Space', address: 'Pleinweg 2, Amsterdam', url: null },
      description: 'An evening meetup.',
    },
    sessions: [
      { code: 'doors', kind: 'doors', title: 'Doors open', room: null, start: '2027-03-10T18:30', durationMinutes: 30 },
      {
        code: 'rust-intro',
        kind: 'talk',
        title: 'Rust, Gently',
        room: 'Main Hall',
        track: 'Platform',
        start: '2027-03-10T19:00',
        durationMinutes: 40,
        speakers: ['linus'],
        level: 'beginner',
      },
      { code: 'drinks', kind: 'social', title: 'Drinks', room: null, start: '2027-03-10T20:00', durationMinutes: 60 },
    ],
  });
}

export function unpublishedDoc(): EventDocumentInput {
  return buildEventDoc({
    slug: 'unpublished-2027',
    event: { title: 'UNPUBLISHED Summit', published: false, startDate: '2027-05-20', endDate: '2027-05-20' },
    sessions: [
      { code: 'hidden-talk', kind: 'talk', title: 'UNPUBLISHED talk', room: 'Main Hall', start: '2027-05-20T10:00', durationMinutes: 30, speakers: ['ada'] },
    ],
  });
}

export function allDocs(): EventDocumentInput[] {
  return [buildEventDoc(), meetupDoc(), unpublishedDoc()];
}
