import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { deleteNote, getMyNote, getNote, listMyNotes, saveNote } from '../../src/modules/agenda/note.actions.js';
import { createRecapDraft, deleteRecap, publishRecap, saveRecapDraft, unpublishRecap } from '../../src/modules/agenda/recap.actions.js';
import {
  exportRecapMarkdown,
  getMyRecap,
  getPublishedRecap,
  listMyRecaps,
  listPublishedRecaps,
  listRecapsMentioningSession,
} from '../../src/modules/agenda/recap.queries.js';
import { starSession } from '../../src/modules/agenda/star.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { importConference, newActor, rejectsWith, useDatabase } from './support.js';
import { moduleContext } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/** What the default test conference gives Ann's recap (see buildEventDoc), exactly. */
const EXPECTED_RECAP = `# My recap of TestConf 2027

Notes from the 4 sessions I attended at TestConf 2027.

## List of talks

1. [Welcome](#welcome)
2. [The Keynote](#the-keynote)
3. [eBPF for Humans](#ebpf-for-humans)
4. [Day Two Opener](#day-two-opener)

## Welcome

- **Ada Example**, Staff Engineer, Analytical Ltd · [@ada-example](https://github.com/ada-example)

_Thursday 15 April 2027, 09:00–09:15 CEST · Main Hall_

Short and sweet.

[↑ Back to the list of talks](#list-of-talks)

## The Keynote

- **Grace Sample**, CTO, Compilers Inc · [@grace@hachyderm.io](https://hachyderm.io/@grace)

_Thursday 15 April 2027, 09:15–10:00 CEST · Main Hall_

[↑ Back to the list of talks](#list-of-talks)

## eBPF for Humans

- **Linus Case**, Maintainer, Kernel Co

_Thursday 15 April 2027, 10:30–11:00 CEST · Side Room_

Probes *everywhere*.

### Q&A

Q: Is it safe?
A: The verifier says so.

[↑ Back to the list of talks](#list-of-talks)

## Day Two Opener

- **Ada Example**, Staff Engineer, Analytical Ltd · [@ada-example](https://github.com/ada-example)
- **Grace Sample**, CTO, Compilers Inc · [@grace@hachyderm.io](https://hachyderm.io/@grace)

_Friday 16 April 2027, 09:00–09:30 CEST · Main Hall_

[Slides](https://slides.example.org/day2)

[↑ Back to the list of talks](#list-of-talks)
`;

for (const database of testDatabases) {
  describe(`notes and recaps on ${database.name}`, () => {
    const ctx = useDatabase(database);
    let eventId: number;
    let ids: Record<string, number>;
    let ann: Actor;
    let bob: Actor;

    before(async () => {
      ({ eventId, ids } = await importConference(ctx.db, buildEventDoc()));
      ann = await newActor(ctx.db, 'Ann Attendee');
      bob = await newActor(ctx.db, 'Bob Attendee');
    });

    test('a note is upserted, one per person and session, with optimistic revisions', async () => {
      const first = await saveNote(ctx.db, ann, eventId, ids.ebpf!, { body: 'Probes', qa: '', revision: 0 });
      assert.equal(first.revision, 1);
      const second = await saveNote(ctx.db, ann, eventId, ids.ebpf!, {
        body: 'Probes *everywhere*.',
        qa: 'Q: Is it safe?\nA: The verifier says so.',
        revision: '1',
      });
      assert.equal(second.id, first.id);
      assert.equal(second.revision, 2);
      // Another tab still at revision 1 does not overwrite.
      const conflict = await rejectsWith(saveNote(ctx.db, ann, eventId, ids.ebpf!, { body: 'stale', revision: 1 }), 'NOTE_CONFLICT');
      assert.deepEqual(conflict.problems, [{ path: 'revision', message: 'the note is at revision 2' }]);
      await rejectsWith(saveNote(ctx.db, ann, eventId, ids.welcome!, { body: 'x', revision: 3 }), 'NOTE_CONFLICT');
      // A plain form (no revision): last write wins.
      const third = await saveNote(ctx.db, ann, eventId, ids.welcome!, { body: 'Short and sweet.' });
      assert.equal(third.revision, 1);
      assert.equal((await getMyNote(ctx.db, ann, ids.ebpf!))?.body, 'Probes *everywhere*.');
      assert.deepEqual(
        (await listMyNotes(ctx.db, ann, eventId)).map((n) => [n.sessionCode, n.revision]),
        [
          ['welcome', 1],
          ['ebpf', 2],
        ],
      );
      await rejectsWith(saveNote(ctx.db, ann, eventId, 999_999, { body: 'x' }), 'SESSION_NOT_FOUND');
      await rejectsWith(saveNote(ctx.db, null, eventId, ids.ebpf!, { body: 'x' }), 'UNAUTHENTICATED');
      const invalid = await rejectsWith(saveNote(ctx.db, ann, eventId, ids.ebpf!, { body: 42 }), 'VALIDATION_FAILED');
      assert.equal(invalid.problems[0]?.path, 'body');
    });

    test("someone else's note is never reachable: not found, not forbidden", async () => {
      const annNote = (await getMyNote(ctx.db, ann, ids.ebpf!))!;
      assert.equal(await getMyNote(ctx.db, bob, ids.ebpf!), null);
      await rejectsWith(getNote(ctx.db, bob, annNote.id), 'NOT_FOUND');
      assert.equal((await getNote(ctx.db, ann, annNote.id)).body, 'Probes *everywhere*.');
      assert.deepEqual(await listMyNotes(ctx.db, bob, eventId), []);
      await rejectsWith(deleteNote(ctx.db, bob, ids.ebpf!), 'NOT_FOUND');
      // Bob's own note on the same session is a separate note.
      const bobNote = await saveNote(ctx.db, bob, eventId, ids.ebpf!, { body: 'Mine', revision: 0 });
      assert.notEqual(bobNote.id, annNote.id);
      assert.equal((await getMyNote(ctx.db, ann, ids.ebpf!))?.body, 'Probes *everywhere*.');
      await deleteNote(ctx.db, bob, ids.ebpf!);
      assert.equal(await getMyNote(ctx.db, bob, ids.ebpf!), null);
    });

    let recapId: number;

    test('the recap draft is built from stars and notes: exact Markdown with TOC anchors, back links, chronological order, speakers', async () => {
      await rejectsWith(createRecapDraft(moduleContext(ctx.db), bob, eventId), 'RECAP_NOTHING_TO_RECAP');
      // Starred out of order; the coffee break (starred, no note) is left out; welcome comes from its note.
      for (const code of ['day2', 'ebpf', 'keynote', 'coffee']) await starSession(ctx.db, ann, eventId, ids[code]!);
      const recap = await createRecapDraft(moduleContext(ctx.db), ann, eventId);
      recapId = recap.id;
      assert.equal(recap.status, 'draft');
      assert.equal(recap.slug, null);
      assert.equal(recap.authorName, 'Ann Attendee');
      assert.deepEqual(
        recap.sections.map((s) => s.title),
        ['Welcome', 'The Keynote', 'eBPF for Humans', 'Day Two Opener'],
      );
      const { markdown, filename } = await exportRecapMarkdown(ctx.db, ann, recap.id);
      assert.equal(markdown, EXPECTED_RECAP);
      assert.equal(filename, `recap-${recap.id}.md`);

      const dayTwo = await createRecapDraft(moduleContext(ctx.db), ann, eventId, { day: '2027-04-16' });
      assert.equal(dayTwo.title, 'My recap of TestConf 2027, day 2 (Friday 16 April 2027)');
      assert.deepEqual(
        dayTwo.sections.map((s) => s.title),
        ['Day Two Opener'],
      );
      await rejectsWith(createRecapDraft(moduleContext(ctx.db), ann, eventId, { day: '2027-05-01' }), 'VALIDATION_FAILED');
      await deleteRecap(moduleContext(ctx.db), ann, dayTwo.id);
    });

    test('editing reorders and removes sections; the TOC follows and anchors stay right', async () => {
      const recap = await getMyRecap(ctx.db, ann, recapId);
      const s = recap.sections;
      const saved = await saveRecapDraft(moduleContext(ctx.db), ann, recapId, {
        title: 'Day one, [mostly]',
        introduction: 'What I learnt.',
        sections: [
          { sessionId: String(s[0]!.sessionId), notes: s[0]!.notes, qa: '', position: '3' },
          { sessionId: s[1]!.sessionId, notes: '', qa: '', remove: 'on' },
          { sessionId: s[2]!.sessionId, notes: 'Edited.', qa: s[2]!.qa, position: '1' },
          { sessionId: s[3]!.sessionId, notes: '', qa: '', position: '2' },
        ],
      });
      assert.deepEqual(
        saved.sections.map((x) => [x.title, x.position]),
        [
          ['eBPF for Humans', 0],
          ['Day Two Opener', 1],
          ['Welcome', 2],
        ],
      );
      const { markdown } = await exportRecapMarkdown(ctx.db, ann, recapId);
      assert.ok(
        markdown.startsWith(
          '# Day one, \\[mostly\\]\n\nWhat I learnt.\n\n## List of talks\n\n1. [eBPF for Humans](#ebpf-for-humans)\n2. [Day Two Opener](#day-two-opener)\n3. [Welcome](#welcome)\n\n## eBPF for Humans\n',
        ),
        markdown,
      );
      assert.equal(markdown.match(/\[↑ Back to the list of talks\]\(#list-of-talks\)/g)?.length, 3);

      const bad = await rejectsWith(
        saveRecapDraft(moduleContext(ctx.db), ann, recapId, {
          title: 'x',
          sections: [{ sessionId: ids.ebpf }, { sessionId: ids.ebpf }, { sessionId: 999_999 }],
        }),
        'VALIDATION_FAILED',
      );
      assert.deepEqual(
        bad.problems.map((p) => p.path),
        ['sections[1].sessionId', 'sections[2].sessionId'],
      );
      await rejectsWith(saveRecapDraft(moduleContext(ctx.db), ann, recapId, { title: '' }), 'VALIDATION_FAILED');
    });

    test("someone else's draft is never reachable: not found for reading, editing, publishing, exporting, deleting", async () => {
      await rejectsWith(getMyRecap(ctx.db, bob, recapId), 'NOT_FOUND');
      await rejectsWith(saveRecapDraft(moduleContext(ctx.db), bob, recapId, { title: 'Mine now' }), 'NOT_FOUND');
      await rejectsWith(publishRecap(moduleContext(ctx.db), bob, recapId), 'NOT_FOUND');
      await rejectsWith(unpublishRecap(moduleContext(ctx.db), bob, recapId), 'NOT_FOUND');
      await rejectsWith(exportRecapMarkdown(ctx.db, bob, recapId), 'NOT_FOUND');
      await rejectsWith(exportRecapMarkdown(ctx.db, null, recapId), 'NOT_FOUND');
      await rejectsWith(deleteRecap(moduleContext(ctx.db), bob, recapId), 'NOT_FOUND');
      assert.deepEqual(await listMyRecaps(ctx.db, bob, eventId), []);
      assert.deepEqual(await listPublishedRecaps(ctx.db, eventId), []);
      assert.equal((await getMyRecap(ctx.db, ann, recapId)).title, 'Day one, [mostly]');
    });

    test('publishing gives a permalink unique in the event, keeps it across unpublish, and lists the recap publicly', async () => {
      const published = await publishRecap(moduleContext(ctx.db), ann, recapId);
      assert.equal(published.status, 'published');
      assert.equal(published.slug, 'day-one-mostly');
      assert.ok(published.publishedAt);
      await rejectsWith(publishRecap(moduleContext(ctx.db), ann, recapId), 'RECAP_TRANSITION_INVALID');

      // Bob's recap with the same title gets the next free permalink; a chosen one that is taken is refused.
      await saveNote(ctx.db, bob, eventId, ids.keynote!, { body: 'Great keynote.' });
      const bobs = await createRecapDraft(moduleContext(ctx.db), bob, eventId);
      await saveRecapDraft(moduleContext(ctx.db), bob, bobs.id, {
        title: 'Day One: mostly',
        introduction: '**Bold** start.\n\nMore.',
        sections: bobs.sections.map((s) => ({ sessionId: s.sessionId, notes: s.notes, qa: s.qa })),
      });
      const taken = await rejectsWith(publishRecap(moduleContext(ctx.db), bob, bobs.id, { slug: 'day-one-mostly' }), 'RECAP_SLUG_TAKEN');
      assert.deepEqual(taken.problems, [{ path: 'slug', message: '"day-one-mostly" is already taken' }]);
      await rejectsWith(publishRecap(moduleContext(ctx.db), bob, bobs.id, { slug: 'Not A Slug!' }), 'VALIDATION_FAILED');
      // "new" is the address of the new-recap form, never a permalink.
      const reserved = await rejectsWith(publishRecap(moduleContext(ctx.db), bob, bobs.id, { slug: 'new' }), 'VALIDATION_FAILED');
      assert.deepEqual(
        reserved.problems.map((p) => p.path),
        ['slug'],
      );
      const bobPublished = await publishRecap(moduleContext(ctx.db), bob, bobs.id);
      assert.equal(bobPublished.slug, 'day-one-mostly-2');

      const listed = await listPublishedRecaps(ctx.db, eventId);
      assert.deepEqual(listed.map((r) => [r.slug, r.authorName]).sort(), [
        ['day-one-mostly', 'Ann Attendee'],
        ['day-one-mostly-2', 'Bob Attendee'],
      ]);
      assert.equal(listed.find((r) => r.authorName === 'Bob Attendee')?.summary, 'Bold start.');
      const pub = await getPublishedRecap(ctx.db, eventId, 'day-one-mostly');
      assert.equal(pub.recap.authorName, 'Ann Attendee');
      assert.ok(pub.markdown.startsWith('# Day one, \\[mostly\\]'));
      // Anyone may export a published recap.
      assert.equal((await exportRecapMarkdown(ctx.db, null, recapId)).filename, 'day-one-mostly.md');
      assert.deepEqual(
        (await listRecapsMentioningSession(ctx.db, ids.keynote!)).map((r) => r.slug),
        ['day-one-mostly-2'],
      );
      assert.deepEqual(
        (await listRecapsMentioningSession(ctx.db, ids.ebpf!)).map((r) => r.slug),
        ['day-one-mostly'],
      );

      const firstPublishedAt = published.publishedAt;
      const back = await unpublishRecap(moduleContext(ctx.db), ann, recapId);
      assert.equal(back.status, 'draft');
      await rejectsWith(unpublishRecap(moduleContext(ctx.db), ann, recapId), 'RECAP_TRANSITION_INVALID');
      await rejectsWith(getPublishedRecap(ctx.db, eventId, 'day-one-mostly'), 'NOT_FOUND');
      assert.deepEqual(
        (await listRecapsMentioningSession(ctx.db, ids.ebpf!)).map((r) => r.slug),
        [],
      );
      // The unpublished recap keeps its permalink: nobody else can take it meanwhile.
      await rejectsWith(
        unpublishRecap(moduleContext(ctx.db), bob, bobs.id).then(() => publishRecap(moduleContext(ctx.db), bob, bobs.id, { slug: 'day-one-mostly' })),
        'RECAP_SLUG_TAKEN',
      );
      const again = await publishRecap(moduleContext(ctx.db), ann, recapId);
      assert.equal(again.slug, 'day-one-mostly');
      assert.equal(again.publishedAt, firstPublishedAt);

      await deleteRecap(moduleContext(ctx.db), ann, recapId);
      await rejectsWith(getMyRecap(ctx.db, ann, recapId), 'NOT_FOUND');
      assert.equal(await ctx.db.selectFrom('recap_sections').select('id').where('recap_id', '=', recapId).executeTakeFirst(), undefined);
    });
  });
}
