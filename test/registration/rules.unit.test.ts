import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../../src/lib/domain-error.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import {
  admit,
  answerProblems,
  canTransition,
  excessOnLowering,
  freeSeats,
  overlaps,
  transitionFor,
  windowState,
  type Question,
} from '../../src/modules/registration/registration.js';
import { canCheckIn, canManageRegistration, canRsvp, canViewAttendees } from '../../src/modules/registration/registration.policy.js';
import { manageToken, newTicketNonce, readManageToken, readTicketToken, ticketQrSvg, ticketToken } from '../../src/modules/registration/tokens.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
  return 'ok';
};

describe('RSVP state machine', () => {
  test('an answer maps to one transition from each state', () => {
    const table = (['none', 'not_going', 'cancelled', 'going', 'waitlisted'] as const).map((s) => [s, transitionFor(s, true), transitionFor(s, false)]);
    assert.deepEqual(table, [
      ['none', 'answer_yes', 'answer_no'],
      ['not_going', 'answer_yes', 'noop'],
      ['cancelled', 'answer_yes', 'noop'],
      ['going', 'update', 'cancel'],
      ['waitlisted', 'update', 'cancel'],
    ]);
  });
  test('promote only from the waitlist, demote only from going', () => {
    assert.deepEqual(
      (['going', 'waitlisted', 'not_going', 'cancelled'] as const).map((s) => [canTransition(s, 'promote'), canTransition(s, 'demote')]),
      [
        [false, true],
        [true, false],
        [false, false],
        [false, false],
      ],
    );
  });
});

describe('seat rules', () => {
  test('free seats are never negative and unlimited without a capacity', () => {
    assert.deepEqual([freeSeats(10, 4), freeSeats(10, 12), freeSeats(null, 5)], [6, 0, Number.POSITIVE_INFINITY]);
  });
  test('first-fit admits in arrival order, skipping parties too big, keeping quotas', () => {
    const wl = [
      { id: 1, seats: 3, ticketTypeId: null },
      { id: 2, seats: 1, ticketTypeId: null },
      { id: 3, seats: 1, ticketTypeId: 7 },
      { id: 4, seats: 1, ticketTypeId: 7 },
      { id: 5, seats: 2, ticketTypeId: null },
    ];
    assert.deepEqual(admit(wl, 2), [2, 3]);
    assert.deepEqual(admit(wl, 5, new Map([[7, 1]])), [1, 2, 3]);
    assert.deepEqual(admit(wl, 10, new Map([[7, 0]])), [1, 2, 5]);
    assert.deepEqual(admit(wl, 0), []);
  });
  test('lowering capacity names the latest confirmations that no longer fit', () => {
    const going = [
      { id: 1, seats: 2 },
      { id: 2, seats: 1 },
      { id: 3, seats: 3 },
      { id: 4, seats: 1 },
    ];
    assert.deepEqual(
      excessOnLowering(going, 7).map((g) => g.id),
      [],
    );
    assert.deepEqual(
      excessOnLowering(going, 6).map((g) => g.id),
      [4],
    );
    assert.deepEqual(
      excessOnLowering(going, 3).map((g) => g.id),
      [3, 4],
    );
  });
  test('the registration window', () => {
    const s = { opensAt: '2027-03-01T00:00:00Z', closesAt: null, closedAt: null };
    const start = '2027-04-15T16:00:00Z';
    assert.deepEqual(
      ['2027-02-28T23:59:59Z', '2027-03-01T00:00:00Z', '2027-04-15T15:59:59Z', '2027-04-15T16:00:00Z'].map((n) => windowState(s, start, n)),
      ['not_yet_open', 'open', 'open', 'closed'],
    );
    assert.equal(windowState({ ...s, closedAt: '2027-03-02T00:00:00Z' }, start, '2027-03-03T00:00:00Z'), 'closed_early');
  });
  test('sessions overlap only when their spans intersect', () => {
    const a = { startsAt: '2027-04-15T10:00:00Z', endsAt: '2027-04-15T11:00:00Z' };
    assert.equal(overlaps(a, { startsAt: '2027-04-15T10:30:00Z', endsAt: '2027-04-15T12:00:00Z' }), true);
    assert.equal(overlaps(a, { startsAt: '2027-04-15T11:00:00Z', endsAt: '2027-04-15T12:00:00Z' }), false);
  });
  test('answers are checked against the questions', () => {
    const qs: Question[] = [
      { id: 'diet', label: 'Diet', kind: 'choice', required: true, options: ['none', 'vegetarian', 'vegan'] },
      { id: 'first-time', label: 'First time?', kind: 'yes_no', required: false, options: [] },
    ];
    assert.deepEqual(answerProblems(qs, { diet: 'vegan' }), []);
    assert.deepEqual(answerProblems(qs, { 'first-time': 'maybe', shoe: '42' }), [
      { path: 'answers.shoe', message: 'is not a question of this event' },
      { path: 'answers.diet', message: 'is required' },
      { path: 'answers.first-time', message: 'must be yes or no' },
    ]);
  });
});

describe('signed tokens', () => {
  const secret = 'k'.repeat(40);
  test('ticket nonces are 72 random bits, never repeated across many RSVPs, and fit a ticket token', () => {
    const nonces = Array.from({ length: 5000 }, () => newTicketNonce());
    assert.equal(new Set(nonces).size, nonces.length);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9_-]{12}$/);
    const token = ticketToken(secret, { eventId: 1, rsvpId: 2, nonce: nonces[4999]! });
    assert.equal(readTicketToken(secret, token).nonce, nonces[4999]);
  });
  test('a ticket token round-trips and carries no personal data', async () => {
    const token = ticketToken(secret, { eventId: 3, rsvpId: 41, nonce: 'abcDEF123' });
    assert.match(token, /^t\.3\.41\.abcDEF123\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(readTicketToken(secret, token), { eventId: 3, rsvpId: 41, nonce: 'abcDEF123' });
    const svg = await ticketQrSvg(token);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });
  test('forged, altered or foreign-secret tickets are TICKET_INVALID', () => {
    const token = ticketToken(secret, { eventId: 3, rsvpId: 41, nonce: 'abc' });
    assert.equal(
      code(() => readTicketToken(secret, token.replace('t.3.41', 't.3.42'))),
      'TICKET_INVALID',
    );
    assert.equal(
      code(() => readTicketToken('x'.repeat(40), token)),
      'TICKET_INVALID',
    );
    assert.equal(
      code(() => readTicketToken(secret, 'hello')),
      'TICKET_INVALID',
    );
  });
  test('manage links expire and cannot be altered', () => {
    const now = new Date('2027-03-01T00:00:00Z');
    const token = manageToken(secret, 9, new Date('2027-03-02T00:00:00Z'));
    assert.deepEqual(readManageToken(secret, token, now), { rsvpId: 9 });
    assert.equal(
      code(() => readManageToken(secret, token, new Date('2027-03-02T00:00:00Z'))),
      'RSVP_LINK_EXPIRED',
    );
    assert.equal(
      code(() => readManageToken(secret, token.replace('m.9.', 'm.8.'), now)),
      'RSVP_LINK_INVALID',
    );
    const later = token.replace(/^m\.9\.(\d+)/, (_, s) => `m.9.${Number(s) + 86400}`);
    assert.equal(
      code(() => readManageToken(secret, later, now)),
      'RSVP_LINK_INVALID',
    );
  });
});

describe('registration permissions', () => {
  const scope = { eventId: 1, communityId: 1 };
  const person = (over: Partial<Actor>): Actor => ({ userId: 1, displayName: 'x', isAdmin: false, emailVerified: true, grants: [], ...over });
  test('as a table', () => {
    const actors: Array<[string, Actor | null]> = [
      ['anonymous', null],
      ['unverified', person({ emailVerified: false })],
      ['attendee', person({})],
      ['track manager', person({ grants: [{ scope: 'event', scopeId: 1, role: 'track_manager', trackIds: [] }] })],
      ['volunteer', person({ grants: [{ scope: 'event', scopeId: 1, role: 'volunteer', trackIds: [] }] })],
      ['volunteer of the community', person({ grants: [{ scope: 'community', scopeId: 1, role: 'volunteer', trackIds: [] }] })],
      ['volunteer of another event', person({ grants: [{ scope: 'event', scopeId: 2, role: 'volunteer', trackIds: [] }] })],
      ['organizer', person({ grants: [{ scope: 'community', scopeId: 1, role: 'organizer', trackIds: [] }] })],
      ['admin', person({ isAdmin: true })],
    ];
    assert.deepEqual(
      actors.map(([name, a]) => [name, canRsvp(a), canManageRegistration(a, scope), canViewAttendees(a, scope), canCheckIn(a, scope)]),
      [
        ['anonymous', false, false, false, false],
        ['unverified', false, false, false, false],
        ['attendee', true, false, false, false],
        ['track manager', true, false, false, true],
        ['volunteer', true, false, false, true],
        ['volunteer of the community', true, false, false, true],
        ['volunteer of another event', true, false, false, false],
        ['organizer', true, true, true, true],
        ['admin', true, true, true, true],
      ],
    );
  });
});
