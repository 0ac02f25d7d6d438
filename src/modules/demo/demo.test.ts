import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEventDocument } from '../schedule/event-document.js';
import type { EventDocumentInput } from '../schedule/event-document.schemas.js';
import { demoConference } from './demo-conference.js';
import { demoMeetup, pastDemoMeetup } from './demo-meetup.js';
import { largeEvent } from './large-event.js';

function assertValid(doc: EventDocumentInput) {
  const result = checkEventDocument(doc);
  if (!result.ok) {
    const list = result.problems
      .slice(0, 30)
      .map((p) => `  ${p.path}: ${p.message}`)
      .join('\n');
    assert.fail(`${doc.event.slug} has ${result.problems.length} problem(s):\n${list}`);
  }
  return result.value;
}

function kinds(doc: EventDocumentInput): Set<string> {
  return new Set((doc.sessions ?? []).map((s) => s.kind));
}

test('the demo conference passes the importer checks', () => {
  const doc = demoConference();
  const checked = assertValid(doc);
  assert.equal(checked.doc.event.slug, 'riverconf-2027');
  assert.equal(checked.doc.community.slug, 'cloud-native-riverside');
  assert.equal(checked.doc.rooms.length, 3);
});

test('the demo conference has every kind of session a conference needs', () => {
  const present = kinds(demoConference());
  for (const kind of ['keynote', 'talk', 'lightning', 'panel', 'workshop', 'break', 'meal', 'social', 'doors', 'remarks']) {
    assert.ok(present.has(kind), `no ${kind} session`);
  }
});

test('every demo conference speaker has a session, and the escaping examples are there', () => {
  const doc = demoConference();
  const used = new Set((doc.sessions ?? []).flatMap((s) => s.speakers ?? []));
  for (const sp of doc.speakers ?? []) assert.ok(used.has(sp.code), `speaker ${sp.code} has no session`);
  assert.ok((doc.speakers ?? []).some((sp) => sp.bio?.includes('I <3 YAML & Helm')));
  assert.ok((doc.sessions ?? []).some((s) => /`[^`]+`/.test(s.abstract ?? '')));
  assert.ok((doc.sessions ?? []).some((s) => s.kind === 'social' && s.room == null && s.sponsoredBy));
});

test('both demo meetups pass the importer checks and have the meetup agenda', () => {
  for (const doc of [demoMeetup(), pastDemoMeetup()]) {
    const checked = assertValid(doc);
    assert.equal(checked.doc.event.kind, 'meetup');
    assert.equal(checked.doc.event.capacity, 60);
    assert.equal(checked.doc.community.slug, 'cloud-native-riverside');
    const present = kinds(doc);
    for (const kind of ['doors', 'remarks', 'talk', 'meal', 'social']) assert.ok(present.has(kind), `${doc.event.slug}: no ${kind} session`);
    const meal = (doc.sessions ?? []).find((s) => s.kind === 'meal')!;
    assert.ok(meal.sponsoredBy, `${doc.event.slug}: the pizza break has no sponsor`);
  }
  assert.equal(demoMeetup().event.slug, 'riverside-meetup-2027-02');
  assert.equal(pastDemoMeetup().event.slug, 'riverside-meetup-2026-10');
});

test('the large event passes the importer checks at FOSDEM scale', () => {
  const doc = largeEvent();
  const checked = assertValid(doc);
  assert.ok(checked.sessions.length >= 900, `only ${checked.sessions.length} sessions`);
  assert.ok(checked.doc.rooms.length >= 50, `only ${checked.doc.rooms.length} rooms`);
  assert.ok(checked.doc.speakers.length >= 1000, `only ${checked.doc.speakers.length} speakers`);
  assert.equal(checked.doc.event.startDate, '2027-02-06');
  assert.equal(checked.doc.event.endDate, '2027-02-07');
  const days = new Set(checked.sessions.map((s) => s.start.slice(0, 10)));
  assert.deepEqual([...days].sort(), ['2027-02-06', '2027-02-07']);
  const present = kinds(doc);
  for (const kind of ['talk', 'lightning', 'panel']) assert.ok(present.has(kind), `no ${kind} session`);
  const used = new Set(checked.sessions.flatMap((s) => s.speakers));
  assert.equal(used.size, checked.doc.speakers.length, 'some generated speakers have no session');
});

test('the large event is deterministic and seedable', () => {
  assert.deepEqual(largeEvent(), largeEvent());
  assert.deepEqual(largeEvent({ seed: 7 }), largeEvent({ seed: 7 }));
  assert.notDeepEqual(largeEvent({ seed: 7 }).sessions, largeEvent({ seed: 8 }).sessions);
});

test('the large event honours its size options', () => {
  const doc = largeEvent({ sessions: 100, rooms: 5, speakers: 40, seed: 3 });
  const checked = assertValid(doc);
  assert.equal(checked.sessions.length, 100);
  assert.equal(checked.doc.rooms.length, 5);
  assert.equal(checked.doc.speakers.length, 40);
});
