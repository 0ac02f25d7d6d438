import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testDatabases, postgresSkipReason } from '../support/databases.js';
import { useTestDb } from '../accounts/support.js';
import { enqueueMail, listOutbox } from '../../src/modules/mail/outbox.queries.js';
import { sendQueuedMail, startMailSender } from '../../src/modules/mail/sender.js';
import { MAX_ATTEMPTS, retryDelayMs, type MailLogger } from '../../src/modules/mail/mail.js';
import { startSmtpServer, type TestSmtpServer } from './smtp-server.js';
import { createTransport } from 'nodemailer';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/** A logger that keeps its lines, so tests can read what an administrator would see. */
function collectingLogger(): MailLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => void lines.push(`info ${m}`), warn: (m) => void lines.push(`warn ${m}`), error: (m) => void lines.push(`error ${m}`) };
}

for (const database of testDatabases) {
  describe(`mail outbox on ${database.name}`, () => {
    const env = useTestDb(database);
    let smtp: TestSmtpServer;
    before(async () => (smtp = await startSmtpServer()));
    after(() => smtp.close());

    test('without SMTP_URL a mail is kept, listed for administrators, and logged by the running sender', async () => {
      const logger = collectingLogger();
      const stop = startMailSender(env.db, env.config, logger);
      const r = await enqueueMail(env.db, env.config, { to: 'kept@example.org', subject: 'Kept <1>', text: 'Hello' });
      await stop();
      assert.equal(r.status, 'kept');
      const [entry] = await listOutbox(env.db, { limit: 1 });
      assert.deepEqual(
        { id: entry!.id, to: entry!.to, subject: entry!.subject, text: entry!.text, status: entry!.status, attempts: entry!.attempts },
        { id: r.id, to: 'kept@example.org', subject: 'Kept <1>', text: 'Hello', status: 'kept', attempts: 0 },
      );
      assert.deepEqual(logger.lines, [
        'info SMTP_URL is not set: mail is kept in the outbox for administrators to read',
        'info mail kept in outbox: to=kept@example.org subject=Kept <1>',
      ]);
      const sent = await sendQueuedMail(env.db, env.config, createTransport(smtp.url));
      assert.deepEqual(sent, { sent: 0, failed: 0 }, 'kept mail is never sent');
    });

    test('queued mail is delivered over SMTP with its HTML and attachments, then marked sent', async () => {
      const config = env.withSmtp(smtp.url);
      const r = await enqueueMail(env.db, config, {
        to: 'ada@example.org',
        subject: 'Your ticket',
        text: 'See the attachment.',
        html: '<p>See the attachment.</p>',
        attachments: [{ filename: 'ticket.txt', contentType: 'text/plain', content: 'SEAT 12' }],
      });
      assert.equal(r.status, 'queued');
      const before = smtp.messages.length;
      assert.deepEqual(await sendQueuedMail(env.db, config, createTransport(smtp.url)), { sent: 1, failed: 0 });
      const mail = smtp.messages[before]!;
      assert.deepEqual(
        [mail.to, mail.subject, mail.text, mail.html],
        [['ada@example.org'], 'Your ticket', 'See the attachment.', '<p>See the attachment.</p>'],
      );
      assert.match(mail.raw, /filename=ticket\.txt/);
      assert.match(mail.raw, /U0VBVCAxMg==/, 'the attachment content, base64');
      const row = (await listOutbox(env.db, { limit: 1 }))[0]!;
      assert.equal(row.status, 'sent');
      assert.equal(row.attempts, 1);
      assert.equal(row.lastError, null);
      assert.deepEqual(await sendQueuedMail(env.db, config, createTransport(smtp.url)), { sent: 0, failed: 0 }, 'nothing left to send');
    });

    test('a failed delivery is retried only after its back-off, and at most MAX_ATTEMPTS times', async () => {
      const config = env.withSmtp(smtp.url);
      const { id } = await enqueueMail(env.db, config, { to: 'retry@example.org', subject: 'Retry', text: 'x' });
      // A port nothing listens on: a real connection refusal.
      const closed = await startSmtpServer();
      await closed.close();
      const broken = createTransport({ host: '127.0.0.1', port: closed.port, connectionTimeout: 2000 });
      assert.deepEqual(await sendQueuedMail(env.db, config, broken), { sent: 0, failed: 1 });
      let row = await env.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      assert.deepEqual([row.status, row.attempts], ['failed', 1]);
      assert.match(row.last_error!, /ECONNREFUSED/);
      assert.deepEqual(await sendQueuedMail(env.db, config, broken), { sent: 0, failed: 0 }, 'not before the back-off');
      const later = (attempts: number) => new Date(Date.parse(row.sent_at!) + retryDelayMs(attempts) + 1000);
      for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
        assert.deepEqual(await sendQueuedMail(env.db, config, broken, { now: later(attempt - 1) }), { sent: 0, failed: 1 }, `attempt ${attempt}`);
        row = await env.db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      }
      assert.deepEqual([row.status, row.attempts], ['failed', MAX_ATTEMPTS]);
      assert.deepEqual(
        await sendQueuedMail(env.db, config, createTransport(smtp.url), { now: new Date(Date.now() + 365 * 86_400_000) }),
        { sent: 0, failed: 0 },
        'final after MAX_ATTEMPTS',
      );
    });

    test('two senders working at once deliver each mail exactly once', async () => {
      const config = env.withSmtp(smtp.url);
      for (let i = 0; i < 6; i++) await enqueueMail(env.db, config, { to: `crowd${i}@example.org`, subject: `Crowd ${i}`, text: 'x' });
      const before = smtp.messages.length;
      const [a, b] = await Promise.all([sendQueuedMail(env.db, config, createTransport(smtp.url)), sendQueuedMail(env.db, config, createTransport(smtp.url))]);
      assert.equal(a.sent + b.sent, 6);
      const received = smtp.messages
        .slice(before)
        .map((m) => m.subject)
        .sort();
      assert.deepEqual(received, ['Crowd 0', 'Crowd 1', 'Crowd 2', 'Crowd 3', 'Crowd 4', 'Crowd 5']);
    });

    test('the background sender is poked by enqueueMail and sends at once; stop() ends it', async () => {
      const config = env.withSmtp(smtp.url);
      const logger = collectingLogger();
      const stop = startMailSender(env.db, config, logger, { intervalMs: 600_000 });
      const before = smtp.messages.length;
      await enqueueMail(env.db, config, { to: 'poke@example.org', subject: 'Poke', text: 'x' });
      const messages = await smtp.waitFor(before + 1, 5000);
      await stop();
      assert.equal(messages[before]!.subject, 'Poke');
      assert.ok(logger.lines.includes('info mail sent: 1'), logger.lines.join('\n'));
    });
  });
}
