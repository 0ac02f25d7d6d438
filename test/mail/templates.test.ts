import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, invitationMail, verifyEmailMail } from '../../src/modules/mail/templates.js';

test('escapeHtml escapes the five characters that matter in text and attributes', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
});

test('user text is escaped in the HTML part and left as typed in the text part', () => {
  const mail = invitationMail({
    inviterName: '<script>alert(1)</script>',
    roleLabel: 'Organizer',
    scopeName: 'Conf "2027" & co',
    link: 'https://h.test/invitations/accept?token=a&b',
    days: 7,
  });
  assert.equal(mail.subject, 'Invitation: Organizer of Conf "2027" & co');
  assert.ok(mail.text.includes('<script>alert(1)</script> invites you to join Conf "2027" & co as organizer.'));
  assert.ok(mail.text.includes('https://h.test/invitations/accept?token=a&b'));
  assert.ok(!mail.html.includes('<script>'));
  assert.ok(mail.html.includes('&lt;script&gt;alert(1)&lt;/script&gt; invites you to join Conf &quot;2027&quot; &amp; co'));
  assert.ok(mail.html.includes('href="https://h.test/invitations/accept?token=a&amp;b"'));
});

test('the verification mail names the link and how long it works', () => {
  const mail = verifyEmailMail({ displayName: 'Ada', link: 'https://h.test/verify-email?token=T', hours: 48 });
  assert.equal(
    mail.text,
    [
      'Hello Ada,',
      'Please confirm that this is your e-mail address by opening the link below.',
      'Confirm my e-mail address:\nhttps://h.test/verify-email?token=T',
      'The link works once and expires in 48 hours. If you did not create an account, ignore this mail.',
      '— Hallway',
    ].join('\n\n'),
  );
});
