import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { Migrator, type Migration } from 'kysely';
import { createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ACCOUNT_MAILS_PER_HOUR } from '../../src/modules/accounts/account-mail.js';
import { requestPasswordReset } from '../../src/modules/accounts/sign-in-link.actions.js';
import { answerInvitationByToken, answerMyInvitation } from '../../src/modules/cfp/cospeaker.actions.js';
import { getInvitationByToken } from '../../src/modules/cfp/cospeaker.queries.js';
import { INVITATION_MAILS_PER_RECIPIENT } from '../../src/modules/cfp/cospeaker.js';
import { submitProposal, updateProposal } from '../../src/modules/cfp/proposal.actions.js';
import { getMyProposal, getProposalForReview, listMyProposals } from '../../src/modules/cfp/proposal.queries.js';
import { saveReview } from '../../src/modules/cfp/review.actions.js';
import { decideProposal } from '../../src/modules/cfp/decision.actions.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { importSource } from '../support/source-module.js';
import { actorOf, newActor, rejectsWith } from '../program/support.js';
import { conferenceWithCfp, emailOf, mailsTo, proposalInput, useCfpDb } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/** The secret in the latest invitation mail to `to`. */
async function invitationSecret(db: Parameters<typeof mailsTo>[0], to: string): Promise<string> {
  const mail = (await mailsTo(db, to)).filter((m) => m.category === 'cospeaker_invitation').at(-1);
  const m = /\/cospeaker-invitation\?token=([\w-]+)/.exec(mail?.text_body ?? '');
  assert.ok(m, `an invitation link mailed to ${to}`);
  return decodeURIComponent(m[1]!);
}

for (const database of testDatabases) {
  describe(`co-speakers' consent on ${database.name}`, () => {
    const env = useCfpDb(database);

    test('a reviewer named as a co-speaker keeps reviewing the proposal until they accept', async () => {
      const { event } = await conferenceWithCfp(env, 'cosp-reviewer');
      const rita = await newActor(env.db, 'Rita Reviewer', [{ scope: 'event', scopeId: event.id, role: 'reviewer', trackIds: [] }]);
      const ada = await newActor(env.db, 'Ada named');
      const p = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ coSpeakers: await emailOf(env.db, rita) }));
      const seen = await getProposalForReview(env.db, rita, event.id, p.id);
      assert.deepEqual([seen.isSpeaker, seen.canReview], [false, true]);
      await saveReview(env.db, env.ctx, rita, event.id, p.id, { score: 2, comment: 'Named without asking' });
      assert.deepEqual(await listMyProposals(env.db, rita), [], 'not a speaker of it');
      await answerMyInvitation(env.db, env.ctx, rita, p.id, { answer: 'accept' });
      const after = await getProposalForReview(env.db, rita, event.id, p.id);
      assert.deepEqual([after.isSpeaker, after.canReview, after.reviews], [true, false, []]);
      await rejectsWith(saveReview(env.db, env.ctx, rita, event.id, p.id, { score: 5 }), 'REVIEW_OWN_PROPOSAL');
    });

    test('decision mails tell a co-speaker whose proposal it is, and thank only the submitter for proposing', async () => {
      const { event } = await conferenceWithCfp(env, 'cosp-decision');
      const olga = await newActor(env.db, 'Olga Organizer', [{ scope: 'event', scopeId: event.id, role: 'organizer', trackIds: [] }]);
      const ada = await newActor(env.db, 'Ada Submitter');
      const grace = await newActor(env.db, 'Grace Cospeaker');
      const accepted = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ title: 'Kept', coSpeakers: await emailOf(env.db, grace) }));
      const rejected = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ title: 'Dropped', coSpeakers: await emailOf(env.db, grace) }));
      for (const p of [accepted, rejected]) await answerMyInvitation(env.db, env.ctx, grace, p.id, { answer: 'accept' });
      await decideProposal(env.db, env.ctx, olga, event.id, accepted.id, { decision: 'accept' });
      await decideProposal(env.db, env.ctx, olga, event.id, rejected.id, { decision: 'reject' });
      const body = async (who: typeof ada, subject: RegExp) =>
        (await mailsTo(env.db, await emailOf(env.db, who))).find((m) => subject.test(m.subject))!.text_body;
      assert.match(await body(ada, /^Accepted: Kept/), /Congratulations! Your proposal "Kept"/);
      assert.match(
        await body(grace, /^Accepted: Kept/),
        /Congratulations! The proposal "Kept" \(Talk, 30 minutes\) by Ada Submitter, in which you speak, was accepted/,
      );
      assert.match(await body(ada, /^About your proposal: Dropped/), /Thank you for proposing "Dropped"/);
      const graceNo = await body(grace, /^About your proposal: Dropped/);
      assert.match(graceNo, /Thank you for offering to speak in "Dropped" \(Talk, 30 minutes\), proposed by Ada Submitter,/);
      assert.doesNotMatch(graceNo, /Thank you for proposing/);
    });

    test('declining by the mailed link needs no account, works once, and can stop every later invitation', async () => {
      const { event } = await conferenceWithCfp(env, 'cosp-decline');
      const ada = await newActor(env.db, 'Ada decline');
      const bob = await newActor(env.db, 'Bob other');
      const p = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ coSpeakers: 'stranger@example.net' }));
      const secret = await invitationSecret(env.db, 'stranger@example.net');
      const shown = await getInvitationByToken(env.db, secret, null);
      assert.deepEqual(shown, {
        proposalId: p.id,
        title: 'Making HTML fast',
        eventTitle: event.title,
        inviter: 'Ada decline',
        email: 'stranger@example.net',
        mayAccept: false,
      });
      // Accepting needs that address signed in and confirmed; refused, the link still works.
      await rejectsWith(answerInvitationByToken(env.db, env.ctx, null, secret, { answer: 'accept' }), 'FORBIDDEN');
      await rejectsWith(answerInvitationByToken(env.db, env.ctx, bob, secret, { answer: 'accept' }), 'FORBIDDEN');
      await rejectsWith(answerInvitationByToken(env.db, env.ctx, null, secret, { answer: 'later' }), 'VALIDATION_FAILED');
      assert.deepEqual(await answerInvitationByToken(env.db, env.ctx, null, secret, { answer: 'decline', block: 'on' }), {
        proposalId: p.id,
        title: 'Making HTML fast',
        status: 'declined',
        blocked: true,
      });
      await rejectsWith(answerInvitationByToken(env.db, env.ctx, null, secret, { answer: 'decline' }), 'TOKEN_INVALID');
      await rejectsWith(getInvitationByToken(env.db, secret, null), 'TOKEN_INVALID');
      await rejectsWith(getInvitationByToken(env.db, 'made-up', null), 'TOKEN_INVALID');
      assert.deepEqual((await getMyProposal(env.db, ada, p.id)).proposal.speakers.map((s) => [s.email, s.status]).slice(1), [
        ['stranger@example.net', 'declined'],
      ]);
      // Anyone naming the address later: declined at once, nobody mails it.
      const q = await submitProposal(env.db, env.ctx, bob, event.id, proposalInput({ title: 'Another try', coSpeakers: 'Stranger@Example.net' }));
      assert.deepEqual(
        q.speakers.map((s) => s.status),
        ['accepted', 'declined'],
      );
      assert.equal((await mailsTo(env.db, 'stranger@example.net')).length, 1);
    });

    test('five proposals naming one address: it gets three invitations, and its password reset still arrives', async () => {
      const { event } = await conferenceWithCfp(env, 'cosp-flood');
      const victim = await newActor(env.db, 'Victim');
      const address = await emailOf(env.db, victim);
      for (let i = 0; i < 5; i++) {
        const sender = await newActor(env.db, `Sender ${i}`);
        const p = await submitProposal(env.db, env.ctx, sender, event.id, proposalInput({ title: `Flood ${i}`, coSpeakers: address }));
        assert.equal(p.speakers[1]!.status, 'pending', 'listed either way');
      }
      const invitations = await mailsTo(env.db, address);
      assert.equal(invitations.length, INVITATION_MAILS_PER_RECIPIENT);
      // Invitations never count against the address's own account mails: all its hourly resets go out.
      for (let i = 0; i < ACCOUNT_MAILS_PER_HOUR; i++) await requestPasswordReset(env.db, env.config, address);
      assert.deepEqual(
        (await mailsTo(env.db, address)).slice(INVITATION_MAILS_PER_RECIPIENT).map((m) => m.subject),
        Array.from({ length: ACCOUNT_MAILS_PER_HOUR }, () => 'Reset your password'),
      );
      // The two not mailed wait on the person's proposals page all the same.
      await answerMyInvitation(
        env.db,
        env.ctx,
        victim,
        (await env.db.selectFrom('proposals').select('id').where('title', '=', 'Flood 4').executeTakeFirstOrThrow()).id,
        { answer: 'decline' },
      );
    });

    test('a changed proposal invites only its new co-speakers; one removed and named again is invited again', async () => {
      const { event } = await conferenceWithCfp(env, 'cosp-edit');
      const ada = await newActor(env.db, 'Ada edits');
      const p = await submitProposal(env.db, env.ctx, ada, event.id, proposalInput({ coSpeakers: 'one@example.net' }));
      await updateProposal(env.db, env.ctx, ada, p.id, proposalInput({ coSpeakers: 'one@example.net, two@example.net' }));
      assert.deepEqual([(await mailsTo(env.db, 'one@example.net')).length, (await mailsTo(env.db, 'two@example.net')).length], [1, 1]);
      const first = await invitationSecret(env.db, 'one@example.net');
      await updateProposal(env.db, env.ctx, ada, p.id, proposalInput({ coSpeakers: 'two@example.net' }));
      await rejectsWith(getInvitationByToken(env.db, first, null), 'TOKEN_INVALID');
      await updateProposal(env.db, env.ctx, ada, p.id, proposalInput({ coSpeakers: 'two@example.net, one@example.net' }));
      assert.equal((await mailsTo(env.db, 'one@example.net')).length, 2);
    });
  });
}

const MIGRATIONS = fileURLToPath(new URL('../../src/db/migrations/', import.meta.url));
const CONSENT = '2026-12-03T0300-add-cospeaker-consent';

describe("migrating to co-speakers' consent", () => {
  for (const database of testDatabases) {
    test(`existing co-speakers become accepted and keep seeing their proposals (${database.name})`, async () => {
      const { config, drop } = await database.create();
      const db = createDb(config);
      try {
        const migrations: Record<string, Migration> = {};
        for (const f of (await readdir(MIGRATIONS)).filter((n) => n.endsWith('.ts')).sort()) {
          if (f.replace(/\.ts$/, '') < CONSENT) migrations[f.replace(/\.ts$/, '')] = (await importSource(join(MIGRATIONS, f))) as unknown as Migration;
        }
        const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
        assert.equal(error, undefined);
        const now = '2027-01-01T00:00:00Z';
        const user = (email: string, name: string) =>
          db
            .insertInto('users')
            .values({ email, email_verified_at: now, password_hash: null, display_name: name, is_admin: 0, created_at: now, updated_at: now })
            .returning('id')
            .executeTakeFirstOrThrow();
        const ada = await user('ada@example.org', 'Ada');
        const grace = await user('grace@example.org', 'Grace');
        const c = await db
          .insertInto('communities')
          .values({ slug: 'c', name: 'C', created_at: now } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        const e = await db
          .insertInto('events')
          .values({
            community_id: c.id,
            slug: 'e',
            title: 'E',
            acronym: 'E',
            kind: 'conference',
            time_zone: 'UTC',
            start_date: '2027-04-15',
            end_date: '2027-04-16',
            created_at: now,
            updated_at: now,
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        const p = await db
          .insertInto('proposals')
          .values({
            event_id: e.id,
            code: 'ABCDEF',
            state: 'submitted',
            title: 'Old',
            kind: 'talk',
            duration_minutes: 30,
            abstract: 'a',
            submitted_by: ada.id,
            created_at: now,
            updated_at: now,
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('proposal_speakers')
          .values([
            { proposal_id: p.id, position: 0, email: 'ada@example.org', user_id: ada.id },
            { proposal_id: p.id, position: 1, email: 'grace@example.org', user_id: grace.id },
            { proposal_id: p.id, position: 2, email: 'later@example.org', user_id: null },
          ] as never)
          .execute();
        await migrateToLatest(db);
        const rows = await db
          .selectFrom('proposal_speakers')
          .select(['email', 'status', 'token_hash'])
          .where('proposal_id', '=', p.id)
          .orderBy('position')
          .execute();
        assert.deepEqual(
          rows.map((r) => [r.email, r.status, r.token_hash]),
          [
            ['ada@example.org', 'accepted', null],
            ['grace@example.org', 'accepted', null],
            ['later@example.org', 'accepted', null],
          ],
        );
        // Grace still reads it and is kept from reviewing it, as before.
        const graceActor = await actorOf(db, grace.id);
        assert.deepEqual(
          (await listMyProposals(db, graceActor)).map((m) => m.proposal.speakers.map((s) => s.name)),
          [['Ada', 'Grace', null]],
        );
      } finally {
        await db.destroy();
        await drop();
      }
    });
  }
});
