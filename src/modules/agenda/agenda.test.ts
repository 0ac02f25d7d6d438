import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../accounts/actor.js';
import { buildAgenda, createAnchorSlugger, freeSlotsBetween, minutesBetween } from './agenda.js';
import type { Session } from '../schedule/snapshot.js';
import { canEditSessionLinks, canGiveFeedback, canReadSessionFeedback, canSeeInterestCounts } from './agenda.policy.js';
import { inline, recapSummary } from './recap-draft.js';

const at = (hhmm: string) => `2027-04-15T${hhmm}:00Z`;

test('free slots are the gaps between merged starred blocks; touching sessions leave none', () => {
  const slots = freeSlotsBetween([
    { startsAt: at('09:00'), endsAt: at('10:00') },
    { startsAt: at('09:30'), endsAt: at('10:30') },
    { startsAt: at('10:30'), endsAt: at('11:00') },
    { startsAt: at('12:00'), endsAt: at('12:30') },
    { startsAt: at('09:10'), endsAt: at('09:20') },
  ]);
  assert.deepEqual(slots, [{ startsAt: at('11:00'), endsAt: at('12:00') }]);
  assert.deepEqual(freeSlotsBetween([]), []);
  assert.equal(minutesBetween(at('11:00'), at('12:00')), 60);
});

test('lunch and breaks between starred sessions are not free slots; the time around them is', () => {
  const session = (id: number, kind: string, from: string, to: string) =>
    ({ id, kind, status: 'confirmed', day: '2027-04-15', startsAt: at(from), endsAt: at(to), title: `S${id}` }) as unknown as Session;
  const programme = [
    session(1, 'doors', '08:00', '09:00'),
    session(2, 'talk', '10:00', '10:30'),
    session(3, 'talk', '11:00', '11:30'),
    session(4, 'meal', '12:00', '13:00'),
    session(5, 'talk', '14:00', '14:30'),
    session(6, 'social', '18:00', '20:00'),
  ];
  const [day] = buildAgenda(programme, new Set([2, 5]));
  assert.deepEqual(
    day!.freeSlots.map((f) => [f.startsAt.slice(11, 16), f.endsAt.slice(11, 16), f.suggestions.map((x) => x.id)]),
    [
      ['10:30', '12:00', [3]],
      ['13:00', '14:00', []],
    ],
    'no slot before the first or after the last starred session, none during lunch',
  );
});

test('heading anchors follow github-slugger, repeated headings numbered', () => {
  const slug = createAnchorSlugger();
  assert.deepEqual(['List of talks', 'eBPF for Humans', 'C++ & Rust: a love story?', 'Q&A', 'Q&A', 'List of talks', 'Café déjà vu', 'snake_case'].map(slug), [
    'list-of-talks',
    'ebpf-for-humans',
    'c--rust-a-love-story',
    'qa',
    'qa-1',
    'list-of-talks-1',
    'café-déjà-vu',
    'snake_case',
  ]);
});

test('inline text cannot start Markdown markup; summaries are plain text', () => {
  assert.equal(inline('A *bold* [link](x) <b> #1 | `x`'), 'A \\*bold\\* \\[link\\](x) \\<b\\> \\#1 \\| \\`x\\`');
  assert.equal(recapSummary('## Hello **world**, see [this](https://x.org).\n\nSecond.'), 'Hello world, see this.');
  assert.equal(recapSummary('x'.repeat(300)).length, 280);
});

const actor = (userId: number, grants: Actor['grants'] = []): Actor => ({ userId, displayName: `U${userId}`, isAdmin: false, emailVerified: true, grants });
const scope = { eventId: 1, communityId: 10 };
const organizer = actor(1, [{ scope: 'event', scopeId: 1, role: 'organizer', trackIds: [] }]);
const manager = actor(2, [{ scope: 'event', scopeId: 1, role: 'track_manager', trackIds: [7] }]);
const speaker = actor(3);
const attendee = actor(4);

test('agenda permissions as a table', () => {
  const session = { trackId: 8, speakerUserIds: [3] };
  const rows: Array<[string, Actor | null, boolean, boolean, boolean, boolean]> = [
    // name, actor, counts (hidden), counts (shown), read feedback / edit links, give feedback (attendee)
    ['organizer', organizer, true, true, true, true],
    ['track manager of another track', manager, true, true, false, true],
    ['speaker of the session', speaker, false, true, true, false],
    ['attendee', attendee, false, true, false, true],
    ['anonymous', null, false, true, false, false],
  ];
  for (const [name, a, hidden, shown, feedback, give] of rows) {
    assert.equal(canSeeInterestCounts(a, scope, false), hidden, `${name}: counts hidden`);
    assert.equal(canSeeInterestCounts(a, scope, true), shown, `${name}: counts shown`);
    assert.equal(canReadSessionFeedback(a, scope, session), feedback, `${name}: read feedback`);
    assert.equal(canEditSessionLinks(a, scope, session), feedback, `${name}: edit links`);
    assert.equal(canGiveFeedback(a, session, true), give, `${name}: give feedback`);
    assert.equal(canGiveFeedback(a, session, false), false, `${name}: give feedback without attending`);
  }
  assert.equal(canReadSessionFeedback(manager, scope, { trackId: 7, speakerUserIds: [] }), true);
});
