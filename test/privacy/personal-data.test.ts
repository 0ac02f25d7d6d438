import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { WebClient } from '../support/web-client.js';
import { createTestUser, TEST_PASSWORD } from '../factories/users.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { rsvp } from '../../src/modules/registration/rsvp.actions.js';
import { registrationContext } from '../../src/modules/registration/rsvp.queries.js';
import { starSession } from '../../src/modules/agenda/star.actions.js';
import { saveNote } from '../../src/modules/agenda/note.actions.js';
import { createRecapDraft, publishRecap } from '../../src/modules/agenda/recap.actions.js';
import { setMyAvailability } from '../../src/modules/planning/availability.actions.js';
import { moduleContext } from '../support/module-context.js';

/**
 * "Download all my data" covers every module (RSVPs, stars, notes, recaps…), and deleting the
 * account gives the seat back through the waitlist rules: the next person is promoted, the
 * published recap leaves the public pages, and nothing of the person stays behind.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const SLUG = 'privacyconf-2027';

for (const database of testDatabases) {
  describe(`personal data on ${database.name}`, () => {
    let app: RunningApp;
    let eventId: number;
    let leaving: { id: number; web: WebClient; actor: Actor };
    let waiting: { id: number; actor: Actor };

    const asActor = async (id: number) => actorFor(app.db, await app.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow());

    before(async () => {
      app = await startTestApp({ database, docs: [buildEventDoc({ slug: SLUG, event: { capacity: 1 } })] });
      eventId = (await app.db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
      const a = await createTestUser(app.db, { email: 'leaving@example.org', displayName: 'Lea Leaving' });
      const b = await createTestUser(app.db, { email: 'waiting@example.org' });
      leaving = { id: a.id, web: WebClient.signedIn(app.url, a.sessionCookie), actor: await asActor(a.id) };
      waiting = { id: b.id, actor: await asActor(b.id) };
      const ctx = await registrationContext(app.db, app.hallway.ctx.config, app.hallway.ctx.clock);
      await rsvp(app.db, ctx, leaving.actor, eventId, { attending: true, guests: 0, answers: {} });
      await rsvp(app.db, ctx, waiting.actor, eventId, { attending: true, guests: 0, answers: {} });
      const session = await app.db.selectFrom('sessions').select('id').where('event_id', '=', eventId).where('code', '=', 'ebpf').executeTakeFirstOrThrow();
      await starSession(app.db, leaving.actor, eventId, session.id);
      await saveNote(app.db, leaving.actor, eventId, session.id, { body: 'Maps are the secret sauce.', qa: 'Q: verifier limits?' });
      const draft = await createRecapDraft(moduleContext(app.db), leaving.actor, eventId, {});
      await publishRecap(moduleContext(app.db), leaving.actor, draft.id, { slug: 'lea-at-privacyconf' });
      // Lea speaks too (the Ada profile is hers) and said when she can.
      await app.db.updateTable('speakers').set({ user_id: a.id }).where('event_id', '=', eventId).where('code', '=', 'ada').execute();
      await setMyAvailability(moduleContext(app.db), leaving.actor, eventId, { windows: [{ day: '2027-04-15', from: '13:00', to: '17:00' }] });
    });
    after(async () => {
      await app?.close();
    });

    test('the download holds the account and what every module stores about the person', async () => {
      const res = await leaving.web.get('/account/data/download');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-disposition') ?? '', /attachment/);
      const data = (await res.json()) as Record<string, any>;
      assert.equal(data.account.email, 'leaving@example.org');
      assert.deepEqual(
        data.rsvps.map((r: any) => [r.event, r.status]),
        [[SLUG, 'going']],
      );
      assert.deepEqual(
        data.starredSessions.map((s: any) => s.session),
        ['eBPF for Humans'],
      );
      assert.equal(data.notes[0].body, 'Maps are the secret sauce.');
      assert.equal(data.notes[0].qa, 'Q: verifier limits?');
      assert.equal(data.recaps[0].status, 'published');
      assert.ok(data.recaps[0].sections.some((s: any) => s.notes.includes('secret sauce')));
      assert.deepEqual(data.availability, [{ event: SLUG, startsAt: '2027-04-15T11:00:00Z', endsAt: '2027-04-15T15:00:00Z' }]);
      assert.ok(!JSON.stringify(data).includes('waiting@example.org'), 'nobody else’s data');
    });

    test('deleting the account promotes the next person, takes the recap down and leaves nothing behind', async () => {
      assert.equal((await app.get(`/events/${SLUG}/recaps/lea-at-privacyconf`)).status, 200);
      const versionBefore = (await app.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
      const res = await leaving.web.submit('/account/delete', '/account/delete', { password: TEST_PASSWORD, speakerCredit: 'remove' });
      assert.equal(res.status, 303);

      const promoted = await app.db.selectFrom('rsvps').select('status').where('user_id', '=', waiting.id).executeTakeFirstOrThrow();
      assert.equal(promoted.status, 'going', 'the freed seat went to the next in line');
      const mail = await app.db.selectFrom('mail_outbox').select('subject').where('to_address', '=', 'waiting@example.org').execute();
      assert.ok(mail.length >= 2, 'the promoted person was told (waitlisted, then promoted)');

      assert.equal((await app.get(`/events/${SLUG}/recaps/lea-at-privacyconf`)).status, 404, 'the recap is gone from the public pages');
      const versionAfter = (await app.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
      assert.ok(versionAfter > versionBefore, 'cached pages were refreshed');
      for (const table of ['rsvps', 'agenda_stars', 'session_notes', 'recaps', 'session_feedback', 'availability'] as const) {
        const left = await app.db.selectFrom(table).select('user_id').where('user_id', '=', leaving.id).execute();
        assert.equal(left.length, 0, `${table} holds nothing of the deleted person`);
      }
      assert.equal(await app.db.selectFrom('users').select('id').where('email', '=', 'leaving@example.org').executeTakeFirst(), undefined);
    });
  });
}
